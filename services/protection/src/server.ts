import { serve } from '@ecd/service-kit';
import { loadProtectionConfig } from './config';
import { buildProtectionService } from './protection-service';

serve('protection', () => loadProtectionConfig(), buildProtectionService);
