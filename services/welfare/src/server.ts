import { serve } from '@ecd/service-kit';
import { loadWelfareConfig } from './config';
import { buildWelfareService } from './welfare-service';

serve('welfare', () => loadWelfareConfig(), buildWelfareService);
