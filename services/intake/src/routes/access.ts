import type { FastifyRequest } from 'fastify';
import { HttpProblem, requireRole, signedInStaff, type AuthHook, type StaffIdentity } from '@ecd/service-kit';

/** Who may change intake data: commune intake staff. */
export const writerRoles = ['intake-staff'] as const;
/** Who may read it: intake staff, and the commune's protection officer and chairman. */
export const readerRoles = ['intake-staff', 'protection-officer', 'commune-chairman'] as const;

export const readerGuard = (authenticate: AuthHook) => ({ onRequest: [authenticate, requireRole(...readerRoles)] });
export const writerGuard = (authenticate: AuthHook) => ({ onRequest: [authenticate, requireRole(...writerRoles)] });

/** The signed-in commune staff member and their commune code; refuses accounts without a commune. */
export function communeStaff(request: FastifyRequest): StaffIdentity & { unitCode: string } {
  const staff = signedInStaff(request);
  if (!staff.unitCode || !/^[0-9]{5}$/.test(staff.unitCode)) {
    throw new HttpProblem(403, 'your account is not attached to a commune');
  }
  return staff as StaffIdentity & { unitCode: string };
}

export const security = [{ bearer: [] }];
