import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AdministrativeUnitRegister } from '@ecd/referral-client';
import { HttpProblem, requireRole, signedInStaff, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { buildReferralReport, communesWithin } from '../domain/referral-report';
import type { CaseReferralRepository } from '../repositories/case-referral-repository';
import { security } from './access';
import { NeedsAttention } from './case-schemas';

export interface ReportRoutesOptions {
  authenticate: AuthHook;
  referrals: CaseReferralRepository;
  /** The administrative units reports are scoped by. */
  units: AdministrativeUnitRegister;
}

/** Who may read the aggregate figures: supervisors for their area, commune leadership for theirs. */
export const reportRoles = ['supervisor', 'commune-chairman', 'protection-officer', 'intake-staff'] as const;

const Timeliness = Type.Object({ total: Type.Integer(), onTime: Type.Integer() });

export const ReferralReportView = Type.Object({
  unitCode: Type.String(),
  generatedAt: Type.String(),
  communes: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  bySectorAndState: Type.Array(Type.Object({ sector: Type.String(), state: Type.String(), count: Type.Integer() })),
  accepted: Timeliness,
  completed: Timeliness,
  escalationsByLevel: Type.Array(Type.Object({ level: Type.Integer(), referrals: Type.Integer() })),
  childrenReachedBySector: Type.Array(Type.Object({ sector: Type.String(), children: Type.Integer() })),
  perCommune: Type.Array(
    Type.Object({
      communeCode: Type.String(),
      name: Type.String(),
      referrals: Type.Integer(),
      completed: Type.Integer(),
      escalated: Type.Integer(),
      childrenReached: Type.Integer(),
    }),
  ),
});

export const ReferralNeedingAttention = Type.Object({
  referralId: Type.String(),
  caseId: Type.String(),
  communeCode: Type.String(),
  sector: Type.String(),
  facilityId: Type.String(),
  state: Type.String(),
  needsAttention: NeedsAttention,
});

/**
 * Aggregates of the referrals made from the caller's area (no child's name or id leaves): the
 * supervisor dashboard's figures. Scope is the caller's `unit_code`: a province sees its communes,
 * a commune itself.
 */
export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (
  fastify,
  { authenticate, referrals, units },
) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/reports/referrals',
    {
      onRequest: [authenticate, requireRole(...reportRoles)],
      schema: {
        summary: 'Referral figures of your area: by sector and state, timeliness, escalations, children reached',
        tags: ['reports'],
        security,
        response: { 200: ReferralReportView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { unitCode } = signedInStaff(request);
      if (!unitCode) throw new HttpProblem(403, 'your account is not attached to an administrative unit');
      const communes = communesWithin(await units.ladder(), unitCode);
      const found = await referrals.fromCommunes(communes.map((c) => c.code));
      return buildReferralReport(unitCode, communes, found, new Date());
    },
  );

  app.get(
    '/reports/referrals-needing-attention',
    {
      onRequest: [authenticate, requireRole(...reportRoles)],
      schema: {
        summary: 'Referrals of your area that need attention: an effect failed for good',
        description:
          'E.g. the facility was never told of the referral. Ids only; act on the case (withdraw and refer ' +
          'again). Counted in the referrals service’s /metrics (referrals_needing_attention_total).',
        tags: ['reports'],
        security,
        response: { 200: Type.Object({ items: Type.Array(ReferralNeedingAttention) }), ...standardErrorResponses },
      },
    },
    async (request) => {
      const { unitCode } = signedInStaff(request);
      if (!unitCode) throw new HttpProblem(403, 'your account is not attached to an administrative unit');
      const found = await referrals.needingAttention(communesWithin(await units.ladder(), unitCode).map((c) => c.code));
      return {
        items: found.flatMap(({ _id, caseId, communeCode, sector, facilityId, state, needsAttention }) =>
          needsAttention ? [{ referralId: _id, caseId, communeCode, sector, facilityId, state, needsAttention }] : [],
        ),
      };
    },
  );
};
