import { serve } from '@ecd/service-kit';
import { loadIntakeConfig } from './config';
import { buildIntakeService } from './intake-service';

serve('intake', () => loadIntakeConfig(), buildIntakeService);
