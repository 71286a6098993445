import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { escalationLadderOf } from '@ecd/referral-policy';
import { HttpProblem, requireRole, signedInStaff, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import type { AuditLog } from './audit-log';

/**
 * The unit itself and every unit under it, in either administrative ladder (before and after 1 July
 * 2025): the default editions, the whole country plus the demo's Lào Cai.
 */
export function unitsWithin(unitCode: string): string[] {
  const within = new Set([unitCode]);
  for (const edition of ['two-level', 'three-level'] as const) {
    for (const unit of escalationLadderOf(edition).unitsWithin(unitCode)) within.add(unit.code);
  }
  return [...within];
}

const AuditEntryView = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.Object({
    userId: Type.String(),
    role: Type.String(),
    unitCode: Type.Optional(Type.String()),
    facilityId: Type.Optional(Type.String()),
  }),
  unitCode: Type.Optional(Type.String()),
  action: Type.String(),
  resource: Type.String(),
  resourceIds: Type.Array(Type.String()),
  method: Type.String(),
  route: Type.String(),
  status: Type.Integer(),
  requestId: Type.String(),
  ip: Type.String(),
  prevHash: Type.String(),
  hash: Type.String(),
});
const AuditQuery = Type.Object(
  {
    resourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);

export interface AuditRoutesOptions {
  authenticate: AuthHook;
  log: AuditLog;
}

/**
 * Oversight of who read or changed children's records in this service: the commune chairman sees
 * the entries about their commune's records, the province supervisor those of every unit in the
 * province. Nobody else reads the trail; nobody can change it.
 */
export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const guard = { onRequest: [options.authenticate, requireRole('commune-chairman', 'supervisor')] };
  const security = [{ bearer: [] }];
  const scope = (unitCode: string | undefined, role: string) => {
    if (!unitCode) throw new HttpProblem(403, 'your account is not attached to an administrative unit');
    return role === 'supervisor' ? unitsWithin(unitCode) : [unitCode];
  };

  app.get(
    '/audit-trail',
    {
      ...guard,
      schema: {
        summary: 'Who read or changed which children’s records, newest first, within your area',
        tags: ['audit trail'],
        security,
        querystring: AuditQuery,
        response: { 200: Type.Object({ items: Type.Array(AuditEntryView) }), ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = signedInStaff(request);
      const items = await options.log.forUnits(scope(staff.unitCode, staff.role), {
        ...(request.query.resourceId ? { resourceId: request.query.resourceId } : {}),
        ...(request.query.limit ? { limit: request.query.limit } : {}),
      });
      return { items: items.map(({ _id: _i, ...entry }) => entry) };
    },
  );

  app.get(
    '/audit-trail/verification',
    {
      ...guard,
      schema: {
        summary: 'Recompute the hash chain of the whole trail: an edited or removed entry breaks it',
        tags: ['audit trail'],
        security,
        response: {
          200: Type.Object({
            entries: Type.Integer(),
            intact: Type.Boolean(),
            brokenAt: Type.Optional(Type.Integer()),
          }),
          ...standardErrorResponses,
        },
      },
    },
    async () => options.log.verify(),
  );
};
