import { createHash, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type, { type TSchema } from 'typebox';
import {
  HttpProblem,
  requirePlausibleInstant,
  standardErrorResponses,
  type AuthHook,
  type StaffIdentity,
} from '@ecd/service-kit';
import { ReferralActionRefused, type FacilityDirectory, type ReferralCommands } from '@ecd/referral-client';
import { ProtectionStepRefused, type ProtectionCaseCommands } from '../commands/protection-case-commands';
import {
  IdempotencyConflictError,
  type ProtectionCaseRecord,
  type ProtectionCaseRepository,
  type SealedForm,
} from '../repositories/protection-case-repository';
import type { Actor, ProtectionCaseView } from '../workflows/definitions';
import { actorOf, approverGuard, caseReaderGuard, caseWorkerGuard, communeStaff, security } from './access';
import {
  ApprovalBody,
  CaseDetails,
  CaseList,
  CaseMeetingBody,
  CaseParams,
  CaseReferralBody,
  CaseSummary,
  ClosureBody,
  EmergencyMeasureBody,
  IdempotencyHeaders,
  ImplementationBody,
  PlanBody,
  ReferralStarted,
  ReportBody,
  RequiredIdempotencyHeaders,
  ReviewBody,
  RiskAssessmentBody,
  TeamBody,
} from './protection-case-schemas';

export interface ProtectionCaseRoutesOptions {
  authenticate: AuthHook;
  cases: ProtectionCaseRepository;
  commands: ProtectionCaseCommands;
  referrals: ReferralCommands;
  directory: FacilityDirectory;
}

/** When information about a child at risk may have been received, as a report records it. */
const receivedAtWindow = {
  pastDays: 30,
  rule: 'Decree 56 clocks count from the receipt; older information is reported as received now',
};
/** When a plan may be reviewed. */
const reviewByWindow = { futureDays: 366, rule: 'Decree 56 Art. 30: a plan is reviewed within its year' };

const statusOf = { InvalidTransition: 409, NotPermitted: 403, InvalidArgument: 400, NotFound: 404 } as const;

/** A workflow's or referral's refusal as the HTTP answer a person understands. */
export function asHttpProblem(error: unknown): never {
  if (error instanceof ProtectionStepRefused || error instanceof ReferralActionRefused) {
    throw new HttpProblem(
      statusOf[error.type],
      error.message,
      error instanceof ReferralActionRefused ? error.problems : undefined,
    );
  }
  throw error;
}

/** A deterministic UUID-shaped id from a scope and an idempotency key: a retry is the same thing. */
export function idFromKey(scope: string, key: string): string {
  const hex = createHash('sha256').update(`${scope}\n${key}`).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16) + hex.slice(18, 20),
    hex.slice(20, 32),
  ].join('-');
}

const publicState = (view: ProtectionCaseView) => ({
  stage: view.stage,
  seriousRisk: view.seriousRisk,
  clocks: view.clocks,
});

/** Only officers with a role on the case (its team) and the commune's chairman read its details. */
function requireRoleOnCase(record: ProtectionCaseRecord, staff: StaffIdentity): void {
  if (staff.role === 'commune-chairman') return;
  if (!record.team.includes(staff.userId)) {
    throw new HttpProblem(403, 'you have no role on this case: ask an officer of its team to add you');
  }
}

/**
 * Protection cases of the caller's commune (Decree 56/2017 Chapter III). Each step goes first to
 * the case's workflow, which refuses what the procedure does not allow; only then are the step's
 * details sealed and stored.
 */
export const protectionCaseRoutes: FastifyPluginAsync<ProtectionCaseRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cases, commands, referrals, directory } = options;

  async function caseOf(request: FastifyRequest & { params: { caseId: string } }) {
    const staff = communeStaff(request);
    const record = await cases.find(staff.unitCode, request.params.caseId);
    if (!record) throw new HttpProblem(404, `protection case ${request.params.caseId} not found`);
    return { staff, record };
  }

  app.post(
    '/protection-cases',
    {
      ...caseWorkerGuard(options.authenticate),
      schema: {
        summary: 'Receive a report (form 01) and open a protection case',
        description:
          'Starts the case workflow: initial assessment deadline, the 12-hour clock for emergency measures when ' +
          'the report says the child is at serious risk, and the 5-working-day plan deadline, all counted from ' +
          '`receivedAt`. Names and what happened are encrypted at rest; events carry none of it.',
        tags: ['protection cases'],
        security,
        headers: IdempotencyHeaders,
        body: ReportBody,
        response: { 201: CaseSummary, 200: CaseSummary, ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const staff = communeStaff(request);
      const now = new Date();
      const body = request.body;
      const receivedAt = body.receivedAt
        ? requirePlausibleInstant(body.receivedAt, 'receivedAt', receivedAtWindow, now)
        : now;
      const key = request.headers['idempotency-key'];
      const caseId = key ? idFromKey(staff.unitCode, key) : randomUUID();
      const base = {
        _id: caseId,
        communeCode: staff.unitCode,
        stage: 'REPORTED' as const,
        urgency: body.seriousRisk ? ('emergency' as const) : ('routine' as const),
        seriousRisk: body.seriousRisk,
        source: body.source,
        receivedAt: receivedAt.toISOString(),
        ...(body.child.childId ? { childId: body.child.childId } : {}),
        openedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        clocks: [],
        team: [staff.userId],
        openedBy: staff.userId,
        idempotencyKey: key ? `${staff.unitCode}:${key}` : caseId,
        requestFingerprint: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
      };
      let result;
      try {
        result = await cases.insert(base, { child: body.child, reporter: body.reporter, report: body.report });
      } catch (error) {
        if (error instanceof IdempotencyConflictError) throw new HttpProblem(409, error.message);
        throw error;
      }
      // Started after the insert (and again on a retry): the workflow id is the case id, so this is idempotent.
      await commands.open({
        protectionCaseId: caseId,
        communeCode: staff.unitCode,
        source: body.source,
        receivedAt: result.record.receivedAt,
        seriousRisk: result.record.seriousRisk,
        ...(result.record.childId ? { childId: result.record.childId } : {}),
        reportedBy: actorOf(staff),
        correlationId: request.id,
      });
      const {
        team: _t,
        sealed: _s,
        idempotencyKey: _k,
        requestFingerprint: _f,
        openedBy: _o,
        ...summary
      } = result.record;
      return reply.status(result.created ? 201 : 200).send(summary);
    },
  );

  app.get(
    '/protection-cases',
    {
      ...caseReaderGuard(options.authenticate),
      schema: {
        summary: "The commune's protection cases: stage and deadlines only, no names or details",
        tags: ['protection cases'],
        security,
        response: { 200: CaseList, ...standardErrorResponses },
      },
    },
    async (request) => ({ items: await cases.list(communeStaff(request).unitCode) }),
  );

  app.get(
    '/protection-cases/:caseId',
    {
      ...caseReaderGuard(options.authenticate),
      schema: {
        summary: 'A case with its forms, for the officers on the case and the commune chairman',
        tags: ['protection cases'],
        security,
        params: CaseParams,
        response: { 200: CaseDetails, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { staff, record } = await caseOf(request);
      requireRoleOnCase(record, staff);
      const history = await commands
        .view(record._id)
        .then((v) => v.history)
        .catch(() => []);
      const { sealed: _s, idempotencyKey: _k, requestFingerprint: _f, openedBy: _o, ...rest } = record;
      return { ...rest, forms: cases.details(record), history };
    },
  );

  /** One procedure step: workflow first (it may refuse), then the sealed form and the public state. */
  function stepRoute<B extends TSchema>(
    path: string,
    spec: {
      summary: string;
      body: B;
      form: SealedForm;
      approver?: boolean;
      act: (id: string, by: Actor, body: never) => Promise<ProtectionCaseView>;
    },
  ) {
    app.post(
      path,
      {
        ...(spec.approver ? approverGuard(options.authenticate) : caseWorkerGuard(options.authenticate)),
        schema: {
          summary: spec.summary,
          tags: ['protection cases'],
          security,
          params: CaseParams,
          body: spec.body,
          response: { 200: CaseSummary, ...standardErrorResponses },
        },
      },
      async (request) => {
        const req = request as unknown as FastifyRequest & { params: { caseId: string }; body: unknown };
        const { staff, record } = await caseOf(req);
        if (!spec.approver) requireRoleOnCase(record, staff);
        const body = (req.body ?? {}) as never;
        const view = await spec.act(record._id, actorOf(staff), body).catch(asHttpProblem);
        const at = new Date().toISOString();
        await cases.recordStep(
          staff.unitCode,
          record._id,
          spec.form,
          { ...(body as object), by: staff.userId, at },
          publicState(view),
        );
        return (await cases.summary(staff.unitCode, record._id))!;
      },
    );
  }

  stepRoute('/protection-cases/:caseId/risk-assessment', {
    summary: 'Record the initial risk assessment (form 02)',
    body: RiskAssessmentBody,
    form: 'riskAssessment',
    act: (id, by, body: { seriousRisk: boolean }) => commands.assessRisk(id, by, body.seriousRisk),
  });
  stepRoute('/protection-cases/:caseId/emergency-measures', {
    summary: 'Record the emergency measure or temporary separation (within 12 hours of the report)',
    body: EmergencyMeasureBody,
    form: 'emergencyMeasure',
    act: (id, by, body: { takenAt?: string }) => {
      if (body.takenAt) requirePlausibleInstant(body.takenAt, 'takenAt', receivedAtWindow);
      return commands.recordEmergencyMeasure(id, by);
    },
  });
  stepRoute('/protection-cases/:caseId/case-meeting', {
    summary: 'Record the detailed assessment and the case meeting (form 03, minutes)',
    body: CaseMeetingBody,
    form: 'caseMeeting',
    act: (id, by) => commands.holdCaseMeeting(id, by),
  });
  stepRoute('/protection-cases/:caseId/plan', {
    summary: 'Draft the support and intervention plan (form 04), within 5 working days of the report',
    body: PlanBody,
    form: 'plan',
    act: (id, by, body: { reviewBy: string }) => {
      requirePlausibleInstant(body.reviewBy, 'reviewBy', reviewByWindow);
      return commands.draftPlan(id, by, body.reviewBy);
    },
  });
  stepRoute('/protection-cases/:caseId/approval', {
    summary: "The commune chairman's decision approving the plan (form 05)",
    body: ApprovalBody,
    form: 'approval',
    approver: true,
    act: (id, by) => commands.approvePlan(id, by),
  });
  stepRoute('/protection-cases/:caseId/implementation', {
    summary: 'Start carrying out the approved plan; its review date starts to run',
    body: ImplementationBody,
    form: 'implementation',
    act: (id, by) => commands.startImplementation(id, by),
  });
  stepRoute('/protection-cases/:caseId/review', {
    summary: 'Record the review of the plan (Art. 30)',
    body: ReviewBody,
    form: 'review',
    act: (id, by) => commands.recordReview(id, by),
  });
  stepRoute('/protection-cases/:caseId/closure', {
    summary: 'Close the case (form 06) with the risk at closure',
    body: ClosureBody,
    form: 'closure',
    act: (id, by, body: { riskAtClosure: 'high' | 'medium' | 'low' }) => commands.close(id, by, body.riskAtClosure),
  });

  app.post(
    '/protection-cases/:caseId/team',
    {
      ...caseWorkerGuard(options.authenticate),
      schema: {
        summary: 'Give another protection officer of the commune a role on the case',
        tags: ['protection cases'],
        security,
        params: CaseParams,
        body: TeamBody,
        response: { 204: Type.Null(), ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const { staff, record } = await caseOf(request);
      requireRoleOnCase(record, staff);
      await cases.addToTeam(staff.unitCode, record._id, request.body.userId, record.team);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/protection-cases/:caseId/referrals',
    {
      ...caseWorkerGuard(options.authenticate),
      schema: {
        summary: 'Refer the child to a health, education or welfare service named in the approved plan',
        description:
          'Starts a ReferralWorkflow (deadlines, reminders, escalation) from the case’s commune. The referral id ' +
          'comes from the case and the Idempotency-Key header. The reason is seen by the receiving facility.',
        tags: ['protection cases'],
        security,
        params: CaseParams,
        headers: RequiredIdempotencyHeaders,
        body: CaseReferralBody,
        response: { 201: ReferralStarted, 200: ReferralStarted, ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const { staff, record } = await caseOf(request);
      requireRoleOnCase(record, staff);
      if (record.stage !== 'PLAN_APPROVED' && record.stage !== 'IN_IMPLEMENTATION') {
        throw new HttpProblem(409, 'referrals are made to carry out an approved plan; approve the plan first');
      }
      const refused = await directory.refusal(request.body.facilityId, request.body.sector);
      if (refused) throw new HttpProblem(refused.status, refused.message, refused.problems);
      const referralId = idFromKey(`protection:${record._id}`, request.headers['idempotency-key']);
      const { created } = await referrals
        .request({
          referralId,
          caseId: record._id,
          childId: record.childId ?? record._id,
          ...request.body,
          fromUnitCode: record.communeCode,
          requestedBy: actorOf(staff),
          requestedAt: new Date().toISOString(),
          correlationId: request.id,
        })
        .catch(asHttpProblem);
      return reply.status(created ? 201 : 200).send({ referralId, created });
    },
  );
};
