import { serve } from '@ecd/service-kit';
import { loadEducationConfig } from './config';
import { buildEducationService } from './education-service';

serve('education', () => loadEducationConfig(), buildEducationService);
