import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import type { OutboxRelay } from '@ecd/messaging';
import { closeCase, openCase, type OpenCaseCommand } from '../domain/case';
import type { ChildRepository } from '../repositories/child-repository';
import type { CaseReferralRepository } from '../repositories/case-referral-repository';
import { requestFingerprint } from '../domain/idempotency';
import { IdempotencyConflictError, type CaseRepository } from '../repositories/case-repository';
import { communeStaff, readerGuard, security, writerGuard } from './access';
import {
  CaseList,
  CaseListQuery,
  CaseParams,
  CaseView,
  CloseCaseBody,
  IdempotencyHeaders,
  OpenCaseBody,
} from './case-schemas';

export interface CaseRoutesOptions {
  authenticate: AuthHook;
  cases: CaseRepository;
  children: ChildRepository;
  referrals: CaseReferralRepository;
  relay: OutboxRelay;
}

/** Cases of the caller's commune: every read and write is limited to it. */
export const caseRoutes: FastifyPluginAsync<CaseRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cases, children, referrals, relay } = options;

  app.post(
    '/cases',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'create', resource: 'case' } },
      schema: {
        summary: 'Open a case for a child',
        description:
          'Writes the case and its `case.opened` event in one write. The child is either `childId` of a registered ' +
          'child or an inline `child`, of the caller’s commune. Send an Idempotency-Key header to make retries safe.',
        tags: ['cases'],
        security,
        body: OpenCaseBody,
        headers: IdempotencyHeaders,
        response: { 201: CaseView, 200: CaseView, 422: standardErrorResponses[400], ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const staff = communeStaff(request);
      const { childId, child: inline, ...rest } = request.body;
      if (childId && inline) {
        throw new HttpProblem(400, 'send either child or childId, not both', [
          { field: 'childId', problem: 'cannot be sent together with child' },
        ]);
      }
      let child: OpenCaseCommand['child'];
      if (childId) {
        const registered = await children.find(staff.unitCode, childId);
        if (!registered) throw new HttpProblem(404, `child ${childId} is not in your commune's register`);
        const { fullName, dateOfBirth, sex, communeCode } = registered;
        child = { fullName, dateOfBirth, sex, communeCode };
      } else if (inline) {
        if (inline.communeCode !== staff.unitCode) {
          throw new HttpProblem(403, `you may open cases only for children of your commune (${staff.unitCode})`, [
            { field: 'child.communeCode', problem: `is not your commune (${staff.unitCode})` },
          ]);
        }
        child = inline;
      } else {
        throw new HttpProblem(400, 'child is required (or childId of a registered child)', [
          { field: 'child', problem: 'is required' },
        ]);
      }
      const key = request.headers['idempotency-key'];
      const { record, events } = openCase(
        { ...rest, child },
        {
          now: new Date(),
          // Keys are per commune: another commune's key never finds this commune's case.
          ...(key ? { idempotencyKey: `${staff.unitCode}:${key}` } : {}),
          ...(childId ? { childId } : {}),
          correlationId: request.id,
          openedBy: staff.userId,
        },
      );
      const fingerprint = requestFingerprint(request.body);
      try {
        const result = await cases.insertWithEvents(record, events, fingerprint);
        if (result.created) relay.nudge();
        return reply.status(result.created ? 201 : 200).send(result.record);
      } catch (error) {
        if (error instanceof IdempotencyConflictError) throw new HttpProblem(409, error.message);
        throw error;
      }
    },
  );

  app.get(
    '/cases',
    {
      ...readerGuard(options.authenticate),
      config: { audit: { action: 'search', resource: 'case' } },
      schema: {
        summary: "The caller's commune's cases, newest first, with how many match",
        tags: ['cases'],
        security,
        querystring: CaseListQuery,
        response: { 200: CaseList, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { unitCode } = communeStaff(request);
      const [items, total] = await Promise.all([
        cases.list(unitCode, {
          ...(request.query.status ? { status: request.query.status } : {}),
          ...(request.query.limit ? { limit: request.query.limit } : {}),
        }),
        cases.count(unitCode, request.query.status ? { status: request.query.status } : {}),
      ]);
      return { total, items };
    },
  );

  app.get(
    '/cases/:caseId',
    {
      ...readerGuard(options.authenticate),
      config: { audit: { action: 'read', resource: 'case', param: 'caseId' } },
      schema: {
        summary: 'Read a case of your commune with its timeline',
        tags: ['cases'],
        security,
        params: CaseParams,
        response: { 200: CaseView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { unitCode } = communeStaff(request);
      const found = await cases.find(unitCode, request.params.caseId);
      if (!found) throw new HttpProblem(404, `case ${request.params.caseId} not found`);
      const referred = await referrals.forCase(unitCode, found._id);
      return {
        ...found,
        referrals: referred.map(({ _id, lastSeq: _seq, caseId: _case, communeCode: _commune, ...rest }) => ({
          referralId: _id,
          ...rest,
        })),
      };
    },
  );

  app.post(
    '/cases/:caseId/close',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'case', param: 'caseId' } },
      schema: {
        summary: 'Close a case of your commune, with a reason',
        description:
          'Refused (409, listing them) while a referral of the case is still open: finish or withdraw it ' +
          'first, so no child is dropped by closing the file. Publishes case.closed.',
        tags: ['cases'],
        security,
        params: CaseParams,
        body: CloseCaseBody,
        response: { 200: CaseView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = communeStaff(request);
      const found = await cases.find(staff.unitCode, request.params.caseId);
      if (!found) throw new HttpProblem(404, `case ${request.params.caseId} not found`);
      if (found.status === 'CLOSED') throw new HttpProblem(409, `case ${found._id} is already closed`);
      const open = (await referrals.forCase(staff.unitCode, found._id)).filter((r) => !finalStates.has(r.state));
      if (open.length > 0) {
        throw new HttpProblem(
          409,
          `the case still has ${open.length} open referral(s): ` +
            open.map((r) => `${r.sector} to ${r.facilityId} (${r.state})`).join(', '),
          open.map((r) => ({ field: `referrals.${r._id}`, problem: `is still ${r.state}` })),
        );
      }
      const { closure, entry, event } = closeCase(found, request.body, {
        now: new Date(),
        closedBy: staff.userId,
        correlationId: request.id,
      });
      if (!(await cases.close(staff.unitCode, found._id, closure, entry, [event]))) {
        throw new HttpProblem(409, `case ${found._id} is already closed`);
      }
      relay.nudge();
      return { ...found, status: 'CLOSED', closure, timeline: [...found.timeline, entry] };
    },
  );
};

/** Referral states in which nothing more will happen. */
const finalStates = new Set<string>(['COMPLETED', 'DECLINED', 'WITHDRAWN', 'REDIRECTED', 'CLOSED_UNRESOLVED']);
