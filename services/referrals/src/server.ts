import { serve } from '@ecd/service-kit';
import { loadReferralsConfig } from './config';
import { buildReferralsService } from './referrals-service';

serve('referrals', () => loadReferralsConfig(), buildReferralsService);
