import { serve } from '@ecd/service-kit';
import { loadIdentityConfig } from './config';
import { buildIdentityService } from './identity-service';

serve('identity', () => loadIdentityConfig(), buildIdentityService);
