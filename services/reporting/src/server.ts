import { serve } from '@ecd/service-kit';
import { loadReportingConfig } from './config';
import { buildReportingService } from './reporting-service';

serve('reporting', () => loadReportingConfig(), buildReportingService);
