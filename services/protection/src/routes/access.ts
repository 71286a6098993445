import type { FastifyRequest } from 'fastify';
import { HttpProblem, requireRole, signedInStaff, type AuthHook, type StaffIdentity } from '@ecd/service-kit';
import type { Actor } from '../workflows/definitions';

/** Roles that see anything of the protection service; health, education and intake staff are refused. */
export const caseWorkerGuard = (authenticate: AuthHook) => ({
  onRequest: [authenticate, requireRole('protection-officer')],
});
export const caseReaderGuard = (authenticate: AuthHook) => ({
  onRequest: [authenticate, requireRole('protection-officer', 'commune-chairman')],
});
export const approverGuard = (authenticate: AuthHook) => ({
  onRequest: [authenticate, requireRole('commune-chairman')],
});
export const boardGuard = (authenticate: AuthHook) => ({
  onRequest: [authenticate, requireRole('protection-officer', 'supervisor')],
});
export const summaryGuard = (authenticate: AuthHook) => ({
  onRequest: [authenticate, requireRole('protection-officer', 'commune-chairman', 'supervisor')],
});

/** The signed-in staff member and their administrative unit; refuses accounts without one. */
export function unitStaff(request: FastifyRequest): StaffIdentity & { unitCode: string } {
  const staff = signedInStaff(request);
  if (!staff.unitCode || !/^[0-9]{2,5}$/.test(staff.unitCode)) {
    throw new HttpProblem(403, 'your account is not attached to an administrative unit');
  }
  return staff as StaffIdentity & { unitCode: string };
}

/** A commune-level account (protection officer, chairman): case data is kept per commune. */
export function communeStaff(request: FastifyRequest): StaffIdentity & { unitCode: string } {
  const staff = unitStaff(request);
  if (!/^[0-9]{5}$/.test(staff.unitCode)) throw new HttpProblem(403, 'your account is not attached to a commune');
  return staff;
}

export const actorOf = (staff: StaffIdentity): Actor => ({
  userId: staff.userId,
  role: staff.role,
  ...(staff.unitCode ? { unitCode: staff.unitCode } : {}),
  ...(staff.facilityId ? { facilityId: staff.facilityId } : {}),
});

export const security = [{ bearer: [] }];
