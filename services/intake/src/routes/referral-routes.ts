import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { FacilityId, ReferralActionReason, ReferralId, ReferralReason, Sectors, Urgencies } from '@ecd/contracts';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { ReferralActionRefused, type FacilityDirectory, type ReferralCommands } from '@ecd/referral-client';
import { idFromIdempotencyKey } from '../domain/idempotency';
import type { CaseRepository } from '../repositories/case-repository';
import type { ConsentRepository } from '../repositories/consent-repository';
import { consentAllows } from '../domain/consent';
import { communeStaff, security, writerGuard } from './access';
import { CaseParams } from './case-schemas';

export interface ReferralRoutesOptions {
  authenticate: AuthHook;
  cases: CaseRepository;
  consents: ConsentRepository;
  commands: ReferralCommands;
  directory: FacilityDirectory;
}

export const RequestReferralBody = Type.Object(
  {
    sector: Type.Enum(Sectors),
    urgency: Type.Enum(Urgencies),
    facilityId: FacilityId,
    reason: ReferralReason,
  },
  { additionalProperties: false },
);

const RequiredIdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_:-]+$' }),
});

const ReferralRequested = Type.Object({ referralId: Type.String(), caseId: Type.String(), created: Type.Boolean() });

/** The referral id for a case and an idempotency key: the same request twice is one referral. */
export const referralIdFor = (caseId: string, idempotencyKey: string): string =>
  idFromIdempotencyKey(caseId, idempotencyKey);

/** Referrals from a case: each starts the referral workflow, from the case's commune. */
export const referralRoutes: FastifyPluginAsync<ReferralRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cases, consents, commands, directory } = options;

  app.post(
    '/cases/:caseId/referrals',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'referral', param: 'caseId' } },
      schema: {
        summary: 'Refer the case’s child to a facility',
        description:
          'Starts the referral workflow (deadlines, reminders, escalation). The referral id is derived from the ' +
          'case and the Idempotency-Key header, so a retried request is the same referral. Its state shows on ' +
          'GET /cases/:caseId once the referral events arrive. Sharing with any sector but protection needs ' +
          'a consent in force for the child that names the sector (409 otherwise). The facility must be in ' +
          'the facility directory (422), take referrals (409), serve the sector named (422) and the child’s ' +
          'commune: its catchment names the commune or a unit above it (422, naming facilityId).',
        tags: ['referrals'],
        security,
        params: CaseParams,
        headers: RequiredIdempotencyHeaders,
        body: RequestReferralBody,
        response: { 201: ReferralRequested, 200: ReferralRequested, ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const staff = communeStaff(request);
      const found = await cases.find(staff.unitCode, request.params.caseId);
      if (!found) throw new HttpProblem(404, `case ${request.params.caseId} not found`);
      if (found.status === 'CLOSED') throw new HttpProblem(409, `case ${found._id} is closed: open a new case`);
      const { sector, facilityId } = request.body;
      // The facility must exist, take referrals, serve the sector named and the child's commune
      // (its catchment): consent is then checked for the sector the child's data really goes to.
      const refused = await directory.refusal(facilityId, sector, undefined, found.child.communeCode);
      if (refused) throw new HttpProblem(refused.status, refused.message, refused.problems);
      if (!consentAllows(await consents.forChild(staff.unitCode, found.childId), sector)) {
        throw new HttpProblem(
          409,
          `no consent in force allows sharing this child's data with the ${sector} sector: record the ` +
            `parent's or guardian's consent first (POST /children/${found.childId}/consents)`,
          [{ field: 'sector', problem: `is not covered by a consent in force for child ${found.childId}` }],
        );
      }
      const { referralId, created } = await commands
        .request({
          referralId: referralIdFor(found._id, request.headers['idempotency-key']),
          caseId: found._id,
          childId: found.childId,
          ...request.body,
          fromUnitCode: found.child.communeCode,
          requestedBy: { userId: staff.userId, role: staff.role, unitCode: staff.unitCode },
          requestedAt: new Date().toISOString(),
          correlationId: request.id,
        })
        .catch((error: unknown) => {
          if (error instanceof ReferralActionRefused) {
            throw new HttpProblem(error.httpStatus, error.message, error.problems);
          }
          throw error;
        });
      if (!created) {
        // A retry must be the same request: the same key for another referral is refused.
        const { referral } = await commands.view(referralId).catch((error: unknown) => {
          if (error instanceof ReferralActionRefused) throw new HttpProblem(409, error.message);
          throw error;
        });
        const { urgency } = request.body;
        if (referral.sector !== sector || referral.urgency !== urgency || referral.facilityId !== facilityId) {
          throw new HttpProblem(409, 'this Idempotency-Key was already used for a different referral of this case');
        }
      }
      return reply.status(created ? 201 : 200).send({ referralId, caseId: found._id, created });
    },
  );

  app.post(
    '/cases/:caseId/referrals/:referralId/withdraw',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'referral', param: 'referralId' } },
      schema: {
        summary: 'Withdraw a referral of the case (the family declined, or the need went away)',
        description:
          'Goes through the referral workflow: refused with 409 and the reason once the referral is ' +
          'completed, declined or closed.',
        tags: ['referrals'],
        security,
        params: CaseReferralParams,
        body: WithdrawReferralBody,
        response: { 200: ReferralStateView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = communeStaff(request);
      const { caseId, referralId } = request.params;
      const found = await cases.find(staff.unitCode, caseId);
      if (!found) throw new HttpProblem(404, `case ${caseId} not found`);
      try {
        const { referral } = await commands.view(referralId);
        if (referral.caseId !== found._id) throw new HttpProblem(404, `referral ${referralId} not found on this case`);
        const withdrawn = await commands.withdraw(
          referralId,
          { userId: staff.userId, role: staff.role, unitCode: staff.unitCode },
          request.body.reason,
        );
        return { referralId, state: withdrawn.state };
      } catch (error) {
        if (error instanceof ReferralActionRefused) throw new HttpProblem(error.httpStatus, error.message);
        throw error;
      }
    },
  );
};

export const CaseReferralParams = Type.Object(
  { caseId: Type.String({ format: 'uuid' }), referralId: ReferralId },
  { additionalProperties: false },
);
export const WithdrawReferralBody = Type.Object({ reason: ReferralActionReason }, { additionalProperties: false });
const ReferralStateView = Type.Object({ referralId: Type.String(), state: Type.String() });
