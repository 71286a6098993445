import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type, { type TSchema } from 'typebox';
import { findProblems } from '@ecd/contracts';
import {
  HttpProblem,
  requirePlausibleInstant,
  requireRole,
  signedInStaff,
  standardErrorResponses,
  type AuthHook,
  type StaffRole,
} from '@ecd/service-kit';
import {
  ReferralActionRefused,
  TemporalUnavailable,
  type Actor,
  type ReferralCommands,
  type ReferralView,
} from '@ecd/referral-client';
import type { InboxRepository } from './inbox-repository';
import type { ServiceRecordRepository } from './service-record-repository';
import {
  DeclineBody,
  InboxItemView,
  InboxQuery,
  ReferralParams,
  ReferralStateView,
  ServiceRecordView,
  completeBody,
} from './inbox-schemas';
import type { FacilityRegister } from './facility-register';

export interface InboxRoutesOptions {
  authenticate: AuthHook;
  /** Roles of this sector's facility staff (e.g. health-staff, facility-manager). */
  staffRoles: [StaffRole, ...StaffRole[]];
  /** Service record kinds of this sector (e.g. vaccination, enrolment). */
  recordKinds: readonly string[];
  /** Facts a record of a kind must carry in `details` (e.g. a birth's registration number). */
  recordDetails?: Readonly<Record<string, TSchema>>;
  inbox: InboxRepository;
  /** The register, to check that a desk gives the record kind it writes. */
  facilities: FacilityRegister;
  records: ServiceRecordRepository;
  commands: ReferralCommands;
}

/** Runs a referral action; the workflow's refusal becomes a 4xx carrying its own reason. */
async function act(action: () => Promise<ReferralView>): Promise<ReferralView> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ReferralActionRefused) throw new HttpProblem(error.httpStatus, error.message);
    throw error;
  }
}

/** The signed-in facility staff member as the workflow sees them; refuses accounts with no facility. */
function facilityActor(request: FastifyRequest): Actor & { facilityId: string } {
  const staff = signedInStaff(request);
  if (!staff.facilityId) throw new HttpProblem(403, 'your account is not attached to a facility');
  return {
    userId: staff.userId,
    role: staff.role,
    facilityId: staff.facilityId,
    ...(staff.unitCode ? { unitCode: staff.unitCode } : {}),
  };
}

/**
 * A facility's inbox: referrals addressed to it (a queue, not a person), and the actions on them.
 * Every read is limited to the caller's facility; every action goes through the referral workflow.
 */
export const inboxRoutes: FastifyPluginAsync<InboxRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { inbox, facilities, records, commands } = options;
  const guard = { onRequest: [options.authenticate, requireRole(...options.staffRoles)] };
  const security = [{ bearer: [] }];

  app.get(
    '/inbox',
    {
      ...guard,
      config: { audit: { action: 'search', resource: 'inbox-item' } },
      schema: {
        summary: "The caller's facility inbox, most urgent first",
        tags: ['inbox'],
        security,
        querystring: InboxQuery,
        response: { 200: Type.Array(InboxItemView), ...standardErrorResponses },
      },
    },
    async (request) => {
      const { facilityId } = facilityActor(request);
      return inbox.inbox(facilityId, {
        ...(request.query.state ? { states: [request.query.state] } : {}),
        ...(request.query.limit ? { limit: request.query.limit } : {}),
      });
    },
  );

  app.get(
    '/inbox/:referralId',
    {
      ...guard,
      config: { audit: { action: 'read', resource: 'inbox-item', param: 'referralId' } },
      schema: {
        summary: 'One referral in the inbox',
        tags: ['inbox'],
        security,
        params: ReferralParams,
        response: { 200: InboxItemView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { facilityId } = facilityActor(request);
      const item = await inbox.item(facilityId, request.params.referralId);
      if (!item) throw new HttpProblem(404, `referral ${request.params.referralId} is not in your facility's inbox`);
      return item;
    },
  );

  /**
   * A record the caller's facility can write: a kind it gives (a desk of a service that hosts
   * several kinds gives only its own) with the facts that kind must record.
   */
  const requireRecordOfTheDesk = async (facilityId: string, kind: string, details: unknown) => {
    const schema = options.recordDetails?.[kind];
    if (schema) {
      const problems = findProblems(schema, details ?? {}).map((p) => ({
        field: p.field === '(root)' ? 'details' : `details.${p.field}`,
        problem: p.problem,
      }));
      if (problems.length) {
        throw new HttpProblem(400, `a ${kind} record must say ${problems.map((p) => p.field).join(', ')}`, problems);
      }
    }
    const desk = await facilities.find(facilityId);
    if (desk && !facilities.servicesOf(desk).includes(kind)) {
      throw new HttpProblem(400, `${desk.name} does not give ${kind}`, [
        {
          field: 'kind',
          problem: `is not a service of ${facilityId} (it gives ${facilities.servicesOf(desk).join(', ')})`,
        },
      ]);
    }
  };

  const changes = (resource: 'inbox-item' | 'service-record') => ({
    audit: { action: 'update' as const, resource, param: 'referralId' },
  });
  const actionSchema = (summary: string) => ({
    summary,
    tags: ['inbox'],
    security,
    params: ReferralParams,
    response: { 200: ReferralStateView, ...standardErrorResponses },
  });

  app.post(
    '/inbox/:referralId/accept',
    { ...guard, config: changes('inbox-item'), schema: actionSchema('Accept a referral') },
    async (request) => act(() => commands.accept(request.params.referralId, facilityActor(request))),
  );

  app.post(
    '/inbox/:referralId/decline',
    {
      ...guard,
      config: changes('inbox-item'),
      schema: { ...actionSchema('Decline a referral, with the reason'), body: DeclineBody },
    },
    async (request) =>
      act(() => commands.decline(request.params.referralId, facilityActor(request), request.body.reason)),
  );

  app.post(
    '/inbox/:referralId/start',
    { ...guard, config: changes('inbox-item'), schema: actionSchema('Start the service') },
    async (request) => act(() => commands.startService(request.params.referralId, facilityActor(request))),
  );

  app.post(
    '/inbox/:referralId/complete',
    {
      ...guard,
      config: changes('service-record'),
      schema: {
        ...actionSchema('Complete the referral with a service record'),
        body: completeBody(options.recordKinds, options.recordDetails),
      },
    },
    async (request) => {
      const actor = facilityActor(request);
      const { referralId } = request.params;
      requirePlausibleInstant(request.body.date, 'date', {
        pastDays: 366,
        rule: 'a service record is written when the service is given',
      });
      await requireRecordOfTheDesk(actor.facilityId, request.body.kind, request.body.details);
      const { referral } = await commands.view(referralId).catch((error: unknown) => {
        if (error instanceof ReferralActionRefused) throw new HttpProblem(error.httpStatus, error.message);
        throw error;
      });
      if (referral.facilityId !== actor.facilityId) {
        throw new HttpProblem(403, 'this referral is not addressed to your facility');
      }
      // The record is written first (pending), so the referral never points at a missing record.
      // A repeated completion finds it written and sends the same update (same update id), so it
      // is answered with the first outcome; a refused completion discards the record only when
      // this request wrote it and the referral was not completed with it.
      const { record, created } = await records.insertPending({
        _id: `${referralId}-record`,
        referralId,
        facilityId: actor.facilityId,
        caseId: referral.caseId,
        kind: request.body.kind,
        date: request.body.date,
        summary: request.body.summary,
        ...(request.body.details ? { details: request.body.details } : {}),
        recordedBy: actor.userId,
        recordedAt: new Date().toISOString(),
      });
      try {
        const view = await act(() => commands.complete(referralId, actor, record.summary, record._id));
        if (record.status === 'pending') await records.finalise(record._id);
        return view;
      } catch (error) {
        // No answer in time: the update may still land, so the record stays pending for the retry.
        if (error instanceof TemporalUnavailable) throw error;
        const now = await commands.view(referralId).catch(() => undefined);
        if (now?.referral.outcome?.serviceRecordId === record._id) {
          await records.finalise(record._id);
        } else if (created) {
          await records.discardPending(record._id);
        }
        throw error;
      }
    },
  );

  app.get(
    '/service-records/:recordId',
    {
      ...guard,
      config: { audit: { action: 'read', resource: 'service-record', param: 'recordId' } },
      schema: {
        summary: 'A service record of the caller’s facility',
        tags: ['service records'],
        security,
        params: Type.Object(
          { recordId: Type.String({ minLength: 1, maxLength: 120 }) },
          { additionalProperties: false },
        ),
        response: { 200: ServiceRecordView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { facilityId } = facilityActor(request);
      const record = await records.find(facilityId, request.params.recordId);
      if (!record) throw new HttpProblem(404, `service record ${request.params.recordId} not found`);
      return record;
    },
  );
};
