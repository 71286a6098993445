import type { FastifyInstance } from 'fastify';
import type { AuditEntry, AuditLog } from '../repositories/audit-log';

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

type Body = Record<string, unknown> & { _id?: string; referralId?: string; screeningId?: string; items?: Body[] };

function idsIn(payload: unknown): string[] {
  if (typeof payload !== 'string') return [];
  let body: Body | Body[];
  try {
    body = JSON.parse(payload) as Body | Body[];
  } catch {
    return [];
  }
  const list = Array.isArray(body) ? body : Array.isArray(body.items) ? body.items : [body];
  return list
    .flatMap((item) => [item._id, item.referralId, item.screeningId, item.childId as string | undefined])
    .filter((id): id is string => typeof id === 'string')
    .slice(0, 200);
}

/**
 * Records every successful read or change of children's records before the response leaves: an
 * access that could not be recorded is not served (the request fails instead).
 */
export function recordAuditTrail(app: FastifyInstance, log: AuditLog): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const spec = request.routeOptions.config.audit;
    if (!spec || !request.staff || reply.statusCode >= 400) return payload;
    const fromParam = spec.param ? (request.params as Record<string, string>)[spec.param] : undefined;
    const resourceIds = [...new Set([...(fromParam ? [fromParam] : []), ...idsIn(payload)])];
    await log.append({
      at: new Date().toISOString(),
      actor: {
        userId: request.staff.userId,
        role: request.staff.role,
        ...(request.staff.unitCode ? { unitCode: request.staff.unitCode } : {}),
      },
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
