import { serve } from '@ecd/service-kit';
import { loadPortalConfig } from './config';
import { buildPortalService } from './portal-service';

serve('portal', () => loadPortalConfig(), buildPortalService);
