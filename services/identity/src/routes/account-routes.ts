import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createLocalJWKSet } from 'jose';
import Type from 'typebox';
import {
  HttpProblem,
  createAuthenticator,
  requireRole,
  signedInStaff,
  staffRoles,
  standardErrorResponses,
} from '@ecd/service-kit';
import { MIN_PASSWORD_LENGTH } from '../passwords';
import type { SigningKey } from '../signing-key';
import { AccountConflict, type StaffAccount, type StaffAccounts } from '../staff-accounts';

export interface AccountRoutesOptions {
  staff: StaffAccounts;
  issuer: string;
  audience: string;
  signingKey: SigningKey;
}

/** Roles whose scope is a facility (health station, preschool); every other role's is a unit. */
export const facilityScopedRoles: readonly string[] = [
  'health-staff',
  'education-staff',
  'facility-manager',
  'school-principal',
  'welfare-staff',
  'civil-status-officer',
];

const Role = Type.Enum(staffRoles);
const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$', description: 'commune (5 digits) or province (2 digits)' });
const FacilityId = Type.String({ minLength: 1, maxLength: 100 });
const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200 });
const Assignment = Type.Object(
  { role: Role, unitCode: Type.Optional(UnitCode), facilityId: Type.Optional(FacilityId) },
  { additionalProperties: false },
);
const NewAccount = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Role,
    unitCode: Type.Optional(UnitCode),
    facilityId: Type.Optional(FacilityId),
    password: Password,
  },
  { additionalProperties: false },
);
const AccountView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String(),
  role: Type.String(),
  unitCode: Type.Optional(Type.String()),
  facilityId: Type.Optional(Type.String()),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const AuditEntry = Type.Object({
  at: Type.String(),
  actor: Type.Object({ userId: Type.String(), role: Type.String() }),
  action: Type.String(),
  accountId: Type.String(),
  changes: Type.Record(Type.String(), Type.Unknown()),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** A role's scope must fit it: a facility for facility roles, a commune or province for the others. */
function checkScope(assignment: Pick<StaffAccount, 'role' | 'unitCode' | 'facilityId'>): void {
  const facilityRole = facilityScopedRoles.includes(assignment.role);
  if (facilityRole && (!assignment.facilityId || assignment.unitCode)) {
    throw new HttpProblem(400, `role '${assignment.role}' works for a facility: give facilityId and no unitCode`, [
      {
        field: facilityRole && !assignment.facilityId ? 'facilityId' : 'unitCode',
        problem: 'facility roles need facilityId only',
      },
    ]);
  }
  if (!facilityRole && (!assignment.unitCode || assignment.facilityId)) {
    throw new HttpProblem(
      400,
      `role '${assignment.role}' works for a commune or province: give unitCode and no facilityId`,
      [{ field: !assignment.unitCode ? 'unitCode' : 'facilityId', problem: 'unit roles need unitCode only' }],
    );
  }
}

/**
 * Staff account administration (JSON API, role `account-administrator`, with an access token of
 * this provider): list, create, disable and enable, reset a password, assign role and scope. Every
 * change is in the audit trail (`GET /accounts/:id/audit`). Passwords are never returned or logged.
 */
export const accountRoutes: FastifyPluginAsync<AccountRoutesOptions> = async (
  fastify,
  { staff, issuer, audience, signingKey },
) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicKey } = signingKey.jwk;
  const authenticate = createAuthenticator({
    issuer,
    audience,
    jwksUrl: `${issuer}/jwks`,
    keys: createLocalJWKSet({ keys: [publicKey] }),
  });
  app.addHook('onRequest', authenticate);
  app.addHook('onRequest', requireRole('account-administrator'));
  const actorOf = (request: Parameters<typeof signedInStaff>[0]) => {
    const { userId, role } = signedInStaff(request);
    return { userId, role };
  };
  const found = <T>(value: T | undefined, id: string): T => {
    if (!value) throw new HttpProblem(404, `no staff account ${id}`);
    return value;
  };
  const tags = ['staff accounts'];

  app.get(
    '/accounts',
    { schema: { tags, summary: 'Every staff account', response: { 200: Type.Array(AccountView) } } },
    async () => staff.list(),
  );

  app.post(
    '/accounts',
    {
      schema: {
        tags,
        summary: 'Create a staff account',
        body: NewAccount,
        response: { 201: AccountView, ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      checkScope(request.body);
      try {
        const created = await staff.create(request.body, actorOf(request));
        return reply.status(201).send(created);
      } catch (error) {
        if (error instanceof AccountConflict) {
          throw new HttpProblem(409, error.message, [{ field: 'username', problem: 'already taken' }]);
        }
        throw error;
      }
    },
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/accounts/:id/${action}`,
      {
        schema: {
          tags,
          summary: disabled ? 'Disable an account (no sign-in, no new token)' : 'Enable an account again',
          params: IdParams,
          response: { 200: AccountView, ...standardErrorResponses },
        },
      },
      async (request) =>
        found(await staff.setDisabled(request.params.id, disabled, actorOf(request)), request.params.id),
    );
  }

  app.post(
    '/accounts/:id/password',
    {
      schema: {
        tags,
        summary: 'Set a new password (the person changes it with the administrator)',
        params: IdParams,
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 200: AccountView, ...standardErrorResponses },
      },
    },
    async (request) =>
      found(await staff.resetPassword(request.params.id, request.body.password, actorOf(request)), request.params.id),
  );

  app.put(
    '/accounts/:id/assignment',
    {
      schema: {
        tags,
        summary: 'Assign role and scope (commune or province unitCode, or facilityId)',
        params: IdParams,
        body: Assignment,
        response: { 200: AccountView, ...standardErrorResponses },
      },
    },
    async (request) => {
      checkScope(request.body);
      return found(await staff.assign(request.params.id, request.body, actorOf(request)), request.params.id);
    },
  );

  app.get(
    '/accounts/:id/audit',
    {
      schema: {
        tags,
        summary: 'Who changed this account, newest first',
        params: IdParams,
        response: { 200: Type.Array(AuditEntry), ...standardErrorResponses },
      },
    },
    async (request) => {
      found(await staff.get(request.params.id), request.params.id);
      return staff.auditTrail(request.params.id);
    },
  );
};
