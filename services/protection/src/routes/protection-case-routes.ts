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
import {
  ReferralActionRefused,
  TemporalUnavailable,
  type FacilityDirectory,
  type ReferralCommands,
} from '@ecd/referral-client';
import {
  ProtectionStepRefused,
  type ProtectionCaseCommands,
  type ProtectionStepCommand,
} from '../commands/protection-case-commands';
import {
  IdempotencyConflictError,
  type ProtectionCaseRecord,
  type ProtectionCaseRepository,
} from '../repositories/protection-case-repository';
import type { Actor, ProtectionCaseStart, ProtectionCaseView } from '../workflows/definitions';
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
export function requireRoleOnCase(record: ProtectionCaseRecord, staff: StaffIdentity): void {
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
      config: { audit: { action: 'create', resource: 'protection-case' } },
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
      const start: ProtectionCaseStart = {
        protectionCaseId: caseId,
        communeCode: staff.unitCode,
        source: body.source,
        receivedAt: receivedAt.toISOString(),
        seriousRisk: body.seriousRisk,
        ...(body.child.childId ? { childId: body.child.childId } : {}),
        reportedBy: actorOf(staff),
        correlationId: request.id,
      };
      const base = {
        _id: caseId,
        communeCode: staff.unitCode,
        stage: 'REPORTED' as const,
        urgency: body.seriousRisk ? ('emergency' as const) : ('routine' as const),
        seriousRisk: body.seriousRisk,
        source: body.source,
        receivedAt: start.receivedAt,
        ...(body.child.childId ? { childId: body.child.childId } : {}),
        openedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        clocks: [],
        team: [staff.userId],
        openedBy: staff.userId,
        idempotencyKey: key ? `${staff.unitCode}:${key}` : caseId,
        requestFingerprint: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
        // Kept until Temporal confirms the start; the repair finishes it after a crash.
        pendingStart: start,
      };
      let result;
      try {
        result = await cases.insert(base, { child: body.child, reporter: body.reporter, report: body.report });
      } catch (error) {
        if (error instanceof IdempotencyConflictError) throw new HttpProblem(409, error.message);
        throw error;
      }
      // A replay of a case whose workflow is confirmed answers with the case as it is now (closed
      // stays closed); only an unconfirmed start is sent again, with the first request's input.
      if (result.record.pendingStart) {
        await commands.open(result.record.pendingStart);
        await cases.markStarted(caseId);
      }
      if (result.created) {
        // The workflow opens the clocks once it has loaded its policy (moments): wait for them
        // briefly, so the case list shows its deadlines from the start.
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          const opened = await commands.view(caseId).catch(() => undefined);
          if (opened?.view.clocks.some((c) => c.step === 'PLAN')) {
            await cases.recordState(staff.unitCode, caseId, publicState(opened.view));
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      return reply.status(result.created ? 201 : 200).send((await cases.summary(staff.unitCode, caseId))!);
    },
  );

  app.get(
    '/protection-cases',
    {
      ...caseReaderGuard(options.authenticate),
      config: { audit: { action: 'search', resource: 'protection-case' } },
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
      config: { audit: { action: 'read', resource: 'protection-case', param: 'caseId' } },
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
      const current = await commands.view(record._id).catch(() => undefined);
      const {
        sealed: _s,
        idempotencyKey: _k,
        requestFingerprint: _f,
        openedBy: _o,
        pendingStart: _p,
        ...rest
      } = record;
      if (!current) return { ...rest, forms: cases.details(record), history: [] };
      // The workflow is the authority on the clocks (they escalate between steps): show its state
      // and bring the stored copy, which the case list reads, up to date.
      const state = publicState(current.view);
      if (JSON.stringify(state.clocks) !== JSON.stringify(record.clocks) || state.stage !== record.stage) {
        await cases.recordState(staff.unitCode, record._id, state);
      }
      return { ...rest, ...state, forms: cases.details(record), history: current.history };
    },
  );

  /**
   * One procedure step. The form is stored first, sealed, as pending under the update's id; then
   * the workflow takes the step or refuses it; then the form becomes the case's (or is dropped).
   * The update id comes from the case, the form, the stage and the body: a double submit is the
   * same update (answered once by Temporal), and a crash in between is finished by the repair.
   */
  async function takeStep(
    request: FastifyRequest & { params: { caseId: string } },
    body: object,
    approver: boolean,
    commandFor: (by: Actor) => ProtectionStepCommand,
  ) {
    const { staff, record } = await caseOf(request);
    if (!approver) requireRoleOnCase(record, staff);
    const command = commandFor(actorOf(staff));
    const updateId = `${command.form}:${createHash('sha256')
      .update(JSON.stringify([record._id, record.stage, body]))
      .digest('hex')
      .slice(0, 32)}`;
    const at = new Date().toISOString();
    const sealed = await cases.beginStep(staff.unitCode, record._id, updateId, command, {
      ...body,
      by: staff.userId,
      at,
    });
    let view: ProtectionCaseView;
    try {
      view = await commands.step(record._id, command, updateId);
    } catch (error) {
      // No answer in time: the update may still land, so the form stays pending for the repair.
      if (!(error instanceof TemporalUnavailable)) await cases.dropStep(updateId);
      return asHttpProblem(error);
    }
    await cases.commitStep(record._id, updateId, command.form, sealed, publicState(view));
    return (await cases.summary(staff.unitCode, record._id))!;
  }

  const step = <B extends TSchema>(summary: string, body: B, approver = false) => ({
    ...(approver ? approverGuard(options.authenticate) : caseWorkerGuard(options.authenticate)),
    config: { audit: { action: 'update' as const, resource: 'protection-case' as const, param: 'caseId' } },
    schema: {
      summary,
      tags: ['protection cases'],
      security,
      params: CaseParams,
      body,
      response: { 200: CaseSummary, ...standardErrorResponses },
    },
  });

  app.post(
    '/protection-cases/:caseId/risk-assessment',
    step('Record the initial risk assessment (form 02)', RiskAssessmentBody),
    (request) =>
      takeStep(request, request.body, false, (by) => ({
        form: 'riskAssessment',
        args: { by, seriousRisk: request.body.seriousRisk },
      })),
  );
  app.post(
    '/protection-cases/:caseId/emergency-measures',
    step('Record the emergency measure or temporary separation (within 12 hours of the report)', EmergencyMeasureBody),
    (request) =>
      takeStep(request, request.body, false, (by) => {
        if (request.body.takenAt) requirePlausibleInstant(request.body.takenAt, 'takenAt', receivedAtWindow);
        return { form: 'emergencyMeasure', args: { by } };
      }),
  );
  app.post(
    '/protection-cases/:caseId/case-meeting',
    step('Record the detailed assessment and the case meeting (form 03, minutes)', CaseMeetingBody),
    (request) => takeStep(request, request.body, false, (by) => ({ form: 'caseMeeting', args: { by } })),
  );
  app.post(
    '/protection-cases/:caseId/plan',
    step('Draft the support and intervention plan (form 04), within 5 working days of the report', PlanBody),
    (request) =>
      takeStep(request, request.body, false, (by) => {
        requirePlausibleInstant(request.body.reviewBy, 'reviewBy', reviewByWindow);
        return { form: 'plan', args: { by, reviewBy: request.body.reviewBy } };
      }),
  );
  app.post(
    '/protection-cases/:caseId/approval',
    step("The commune chairman's decision approving the plan (form 05)", ApprovalBody, true),
    (request) => takeStep(request, request.body, true, (by) => ({ form: 'approval', args: { by } })),
  );
  app.post(
    '/protection-cases/:caseId/implementation',
    step('Start carrying out the approved plan; its review date starts to run', ImplementationBody),
    (request) => takeStep(request, request.body, false, (by) => ({ form: 'implementation', args: { by } })),
  );
  app.post('/protection-cases/:caseId/review', step('Record the review of the plan (Art. 30)', ReviewBody), (request) =>
    takeStep(request, request.body, false, (by) => ({ form: 'review', args: { by } })),
  );
  app.post(
    '/protection-cases/:caseId/closure',
    step('Close the case (form 06) with the risk at closure', ClosureBody),
    (request) =>
      takeStep(request, request.body, false, (by) => ({
        form: 'closure',
        args: { by, riskAtClosure: request.body.riskAtClosure },
      })),
  );

  app.post(
    '/protection-cases/:caseId/team',
    {
      ...caseWorkerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'protection-case', param: 'caseId' } },
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
      config: { audit: { action: 'create', resource: 'referral', param: 'caseId' } },
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
      // The facility must serve the sector and the child's commune (the directory's catchment rule).
      const refused = await directory.refusal(
        request.body.facilityId,
        request.body.sector,
        undefined,
        record.communeCode,
      );
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
