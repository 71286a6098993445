import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaffIdentity } from '@ecd/service-kit';
import type { AuditEntry, AuditLog } from './audit-log';

/** What a route's successful response means for the audit trail. */
export interface AuditSpec {
  action: AuditEntry['action'];
  resource: AuditEntry['resource'];
  /** Path parameter naming the record; otherwise the ids come from the response body. */
  param?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: AuditSpec;
  }
}

type Body = Record<string, unknown> & { items?: Body[] };
const idFields = ['_id', 'referralId', 'screeningId', 'childId', 'caseId', 'protectionCaseId', 'importId'] as const;

/** Every record id in a response body (a record, a list, or `{ items }`): all of them. */
export function idsIn(payload: unknown): string[] {
  if (typeof payload !== 'string') return [];
  let body: Body | Body[];
  try {
    body = JSON.parse(payload) as Body | Body[];
  } catch {
    return [];
  }
  // A body may be `null` or a bare value (e.g. a team change answers with no record).
  if (typeof body !== 'object' || body === null) return [];
  const list = Array.isArray(body) ? body : Array.isArray(body.items) ? body.items : [body];
  return list
    .filter((item) => typeof item === 'object' && item !== null)
    .flatMap((item) => idFields.map((f) => item[f]))
    .filter((id): id is string => typeof id === 'string');
}

export interface AuditTrailOptions {
  /**
   * The unit whose records the caller reached, for the scoped audit API: by default the caller's
   * own unit (commune staff); facility services map the facility to its commune.
   */
  unitOf?: (staff: StaffIdentity, request: FastifyRequest) => Promise<string | undefined> | string | undefined;
}

/**
 * Records every successful read or change of children's records before the response leaves: an
 * access that could not be recorded is not served (the request fails instead).
 */
export function recordAuditTrail(app: FastifyInstance, log: AuditLog, options: AuditTrailOptions = {}): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const spec = request.routeOptions.config.audit;
    if (!spec || !request.staff || reply.statusCode >= 400) return payload;
    const staff = request.staff;
    const fromParam = spec.param ? (request.params as Record<string, string>)[spec.param] : undefined;
    const resourceIds = [...new Set([...(fromParam ? [fromParam] : []), ...idsIn(payload)])];
    const unitCode = options.unitOf ? await options.unitOf(staff, request) : staff.unitCode;
    await log.append({
      at: new Date().toISOString(),
      actor: {
        userId: staff.userId,
        role: staff.role,
        ...(staff.unitCode ? { unitCode: staff.unitCode } : {}),
        ...(staff.facilityId ? { facilityId: staff.facilityId } : {}),
      },
      ...(unitCode ? { unitCode } : {}),
      action: spec.action,
      resource: spec.resource,
      resourceIds,
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      status: reply.statusCode,
      requestId: request.id,
      ip: request.ip,
    });
    return payload;
  });
}
