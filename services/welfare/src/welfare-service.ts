import type { Logger } from 'pino';
import { createFacilityService, type FacilityService } from '@ecd/facility-inbox';
import type { WelfareConfig } from './config';
import { demoWelfareDesks, welfareRecordDetails, welfareServiceRecordKinds } from './domain/welfare-desks';

/**
 * The commune desks outside health and education: social-welfare desks (social assistance) and
 * civil-status officers (birth registration). Each desk is a facility with its own inbox; accept /
 * decline / start / complete with a service record of its kind, each through the referral workflow.
 */
export function buildWelfareService(config: WelfareConfig, logger: Logger): Promise<FacilityService> {
  return createFacilityService(
    {
      name: 'welfare',
      description:
        'Commune social-welfare desks and civil-status officers: inbox of welfare and birth-registration ' +
        'referrals, and the service records that close them (support granted; birth registered).',
      staffRoles: ['welfare-staff', 'civil-status-officer'],
      recordKinds: welfareServiceRecordKinds,
      recordDetails: welfareRecordDetails,
      servesSectors: ['welfare', 'civil-registration'],
      facilities: demoWelfareDesks,
    },
    config,
    logger,
  );
}
