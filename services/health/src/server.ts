import { serve } from '@ecd/service-kit';
import { loadHealthConfig } from './config';
import { buildHealthService } from './health-service';

serve('health', () => loadHealthConfig(), buildHealthService);
