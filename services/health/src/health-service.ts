import type { Logger } from 'pino';
import { createFacilityService, type FacilityService } from '@ecd/facility-inbox';
import type { HealthConfig } from './config';
import { demoHealthFacilities, healthRecordKinds } from './domain/health-services';

/**
 * Health stations and health centres: their inbox of health and nutrition referrals, accept /
 * decline / start / complete with a service record, each through the referral workflow.
 */
export function buildHealthService(config: HealthConfig, logger: Logger): Promise<FacilityService> {
  return createFacilityService(
    {
      name: 'health',
      description: 'Health stations: inbox of health and nutrition referrals, and the service records that close them.',
      staffRoles: ['health-staff', 'facility-manager'],
      recordKinds: healthRecordKinds,
      servesSectors: ['health', 'nutrition'],
      facilities: demoHealthFacilities,
    },
    config,
    logger,
  );
}
