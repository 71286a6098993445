import type { Logger } from 'pino';
import { createFacilityService, type FacilityService } from '@ecd/facility-inbox';
import type { EducationConfig } from './config';
import { demoPreschools, educationRecordKinds } from './domain/education-services';

/**
 * Preschools and education offices: their inbox of education referrals (enrolment, early
 * intervention, inclusive education), each action through the referral workflow.
 */
export function buildEducationService(config: EducationConfig, logger: Logger): Promise<FacilityService> {
  return createFacilityService(
    {
      name: 'education',
      description: 'Preschools: inbox of education referrals, enrolment and inclusive-education records.',
      staffRoles: ['education-staff', 'school-principal'],
      recordKinds: educationRecordKinds,
      servesSectors: ['education'],
      facilities: demoPreschools,
    },
    config,
    logger,
  );
}
