import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import Type from 'typebox';
import { createEvent } from '@ecd/contracts';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import type { OutboxRelay } from '@ecd/messaging';
import { ReferralActionRefused, type ReferralCommands } from '@ecd/referral-client';
import { recordActor, type ChildHistoryEntry } from '../domain/child-record';
import { idFromIdempotencyKey, requestFingerprint } from '../domain/idempotency';
import type { CaseReferralRepository } from '../repositories/case-referral-repository';
import type { CaseRepository } from '../repositories/case-repository';
import type { ChildRepository } from '../repositories/child-repository';
import type { ConsentRepository } from '../repositories/consent-repository';
import type { ChildTransfer, TransferRepository } from '../repositories/transfer-repository';
import { communeStaff, readerGuard, security, writerGuard } from './access';
import { IdempotencyHeaders } from './case-schemas';
import { ChildParams } from './child-schemas';
import { DeclineTransferBody, TransferChildBody, TransferParams, TransferView } from './child-record-schemas';

export interface TransferRoutesOptions {
  authenticate: AuthHook;
  children: ChildRepository;
  cases: CaseRepository;
  consents: ConsentRepository;
  referrals: CaseReferralRepository;
  transfers: TransferRepository;
  commands: ReferralCommands;
  relay: OutboxRelay;
}

/** Referral states in which nothing more will happen: such referrals move with the case, untouched. */
const finalStates = new Set<string>(['COMPLETED', 'DECLINED', 'WITHDRAWN', 'REDIRECTED', 'CLOSED_UNRESOLVED']);

/**
 * A child moving to another commune: the sending commune's intake staff ask, the receiving
 * commune's accept or decline. On acceptance the open referrals move first (each workflow's
 * `transferCommune` update, so escalation from then on climbs the receiving commune's ladder),
 * then consents, cases and the register entry: a failure on the way leaves the transfer
 * ACCEPTING, and accepting again finishes it (every step is idempotent).
 */
export const transferRoutes: FastifyPluginAsync<TransferRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { children, cases, consents, referrals, transfers, commands, relay } = options;

  app.post(
    '/children/:childId/transfers',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'child', param: 'childId' } },
      schema: {
        summary: 'Ask another commune to take over a child of your register (the family moved)',
        description:
          'The receiving commune sees it in GET /transfers/incoming and accepts or declines it; until then ' +
          'the child stays in your register. One transfer of a child waits at a time (409). With an ' +
          'Idempotency-Key a retry answers 200 with the first request.',
        tags: ['transfers'],
        security,
        params: ChildParams,
        headers: IdempotencyHeaders,
        body: TransferChildBody,
        response: { 201: TransferView, 200: TransferView, 422: standardErrorResponses[400], ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const staff = communeStaff(request);
      const { childId } = request.params;
      const { toCommuneCode, reason } = request.body;
      const key = request.headers['idempotency-key'];
      const transferId = key ? idFromIdempotencyKey('transfer', staff.unitCode, childId, key) : randomUUID();
      const fingerprint = requestFingerprint(request.body);
      if (key) {
        const earlier = await transfers.findFor(staff.unitCode, transferId);
        if (earlier) return replay(earlier, await sameRequest(earlier));
      }
      if (toCommuneCode === staff.unitCode) {
        throw new HttpProblem(422, 'a child is transferred to another commune', [
          { field: 'toCommuneCode', problem: `is your own commune (${staff.unitCode})` },
        ]);
      }
      const child = await children.find(staff.unitCode, childId);
      if (!child) throw new HttpProblem(404, `child ${childId} is not in your commune's register`);
      const now = new Date().toISOString();
      const by = recordActor(staff);
      const record: ChildTransfer = {
        _id: transferId,
        childId,
        child: { fullName: child.fullName, dateOfBirth: child.dateOfBirth, sex: child.sex },
        fromCommuneCode: staff.unitCode,
        toCommuneCode,
        reason,
        status: 'PENDING',
        requestedAt: now,
        requestedBy: by,
      };
      const stored = await transfers.insertOnce(record, fingerprint);
      if (!stored.created) return replay(stored.record, stored.sameRequest);
      const entry: ChildHistoryEntry = {
        id: `${transferId}:requested`,
        kind: 'transfer-requested',
        at: now,
        by,
        communeCode: staff.unitCode,
        transferId,
        fromCommuneCode: staff.unitCode,
        toCommuneCode,
        reason,
      };
      if (!(await children.startTransfer(staff.unitCode, childId, transferId, entry))) {
        // Another transfer of the child waits (or the child just left): this one never started.
        await transfers.model.deleteOne({ _id: transferId, status: 'PENDING' });
        throw new HttpProblem(409, `a transfer of child ${childId} is already waiting for an answer`);
      }
      return reply.status(201).send(record);

      async function sameRequest(earlier: ChildTransfer) {
        const raw = await transfers.model.collection.findOne({ _id: earlier._id as never });
        return raw?.requestFingerprint === fingerprint;
      }
      function replay(earlier: ChildTransfer, same: boolean) {
        if (!same) throw new HttpProblem(409, 'this Idempotency-Key was already used for a different request');
        return reply.status(200).send(earlier);
      }
    },
  );

  app.get(
    '/transfers/incoming',
    {
      ...readerGuard(options.authenticate),
      config: { audit: { action: 'search', resource: 'child' } },
      schema: {
        summary: 'Children other communes ask your commune to take over, oldest first',
        tags: ['transfers'],
        security,
        response: { 200: Type.Array(TransferView), ...standardErrorResponses },
      },
    },
    async (request) => transfers.incoming(communeStaff(request).unitCode),
  );

  app.post(
    '/transfers/:transferId/accept',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'child', param: 'transferId' } },
      schema: {
        summary: 'Take over a child transferred to your commune, with its cases, consents and open referrals',
        description:
          'Each open referral’s workflow is told first (its deadlines keep running; escalation from now on ' +
          'goes up your commune’s ladder), then the consents, cases and the register entry move, and ' +
          '`child.transferred` is published. Afterwards the child is in your register only. Accepting again ' +
          'finishes an acceptance interrupted on the way (503 while the referral workflows do not answer).',
        tags: ['transfers'],
        security,
        params: TransferParams,
        response: { 200: TransferView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = communeStaff(request);
      const { transferId } = request.params;
      const by = recordActor(staff);
      const transfer = await transfers.beginAcceptance(staff.unitCode, transferId, by);
      if (!transfer) return settled(staff.unitCode, transferId, 'accept');
      const { childId, fromCommuneCode: from, toCommuneCode: to } = transfer;

      // Cases still in the sending commune, and any an interrupted acceptance already moved.
      const childCases = [...(await cases.ofChild(from, childId)), ...(await cases.ofChild(to, childId))];
      const caseIds = [...new Set(childCases.map((c) => c._id))];
      const caseReferrals = await referrals.ofCases(caseIds);
      for (const referral of caseReferrals.filter((r) => !finalStates.has(r.state))) {
        try {
          await commands.transferCommune(
            referral._id,
            { userId: staff.userId, role: staff.role, unitCode: staff.unitCode },
            { transferId, fromUnitCode: from, toUnitCode: to },
          );
        } catch (error) {
          // Finished meanwhile: it moves with its case like any finished referral.
          if (error instanceof ReferralActionRefused && error.type === 'InvalidTransition') continue;
          if (error instanceof ReferralActionRefused) throw new HttpProblem(error.httpStatus, error.message);
          throw error;
        }
      }
      await consents.moveChild(from, childId, to);
      const at = new Date().toISOString();
      for (const caseId of caseIds) {
        await cases.moveToCommune(caseId, to, {
          id: `${caseId}:transferred:${transferId}`,
          at,
          kind: 'case.transferred',
          summary: `Moved with the child from commune ${from} to commune ${to}`,
        });
      }
      await referrals.moveCases(caseIds, from, to);
      const referralIds = caseReferrals.map((r) => r._id);
      const event = createEvent({
        id: `${childId}:transferred:${transferId}`,
        type: 'child.transferred.v1',
        source: '/services/intake',
        subject: childId,
        time: at,
        correlationid: request.id,
        data: {
          childId,
          transferId,
          fromCommuneCode: from,
          toCommuneCode: to,
          caseIds,
          referralIds,
          at,
          by,
        },
      });
      await children.moveToCommune(
        childId,
        transferId,
        to,
        {
          id: `${transferId}:accepted`,
          kind: 'transfer-accepted',
          at,
          by,
          communeCode: to,
          transferId,
          fromCommuneCode: from,
          toCommuneCode: to,
          reason: transfer.reason,
        },
        [event],
      );
      relay.nudge();
      const moved = {
        caseIds,
        referralIds,
        consentIds: (await consents.forChild(to, childId)).map((c) => c._id),
      };
      await transfers.finishAcceptance(transferId, at, moved);
      return { ...transfer, status: 'ACCEPTED' as const, decidedAt: at, decidedBy: by, moved };
    },
  );

  app.post(
    '/transfers/:transferId/decline',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'child', param: 'transferId' } },
      schema: {
        summary: 'Decline a child transferred to your commune, with a reason the sending commune reads',
        description: 'Everything stays with the sending commune; the decline is in the child’s history.',
        tags: ['transfers'],
        security,
        params: TransferParams,
        body: DeclineTransferBody,
        response: { 200: TransferView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = communeStaff(request);
      const { transferId } = request.params;
      const by = recordActor(staff);
      const decidedAt = new Date().toISOString();
      const declined = await transfers.decline(staff.unitCode, transferId, {
        decidedAt,
        decidedBy: by,
        declineReason: request.body.reason,
      });
      if (!declined) return settled(staff.unitCode, transferId, 'decline');
      await children.declineTransfer(declined.childId, transferId, {
        id: `${transferId}:declined`,
        kind: 'transfer-declined',
        at: decidedAt,
        by,
        communeCode: staff.unitCode,
        transferId,
        fromCommuneCode: declined.fromCommuneCode,
        toCommuneCode: declined.toCommuneCode,
        reason: request.body.reason,
      });
      return declined;
    },
  );

  /** A transfer that is not waiting for this commune's answer: the answer given, or why not. */
  async function settled(unitCode: string, transferId: string, action: 'accept' | 'decline'): Promise<ChildTransfer> {
    const found = await transfers.findFor(unitCode, transferId);
    if (!found) throw new HttpProblem(404, `transfer ${transferId} not found`);
    if (found.toCommuneCode !== unitCode) {
      throw new HttpProblem(403, `only the receiving commune (${found.toCommuneCode}) can ${action} this transfer`);
    }
    if (action === 'accept' && found.status === 'ACCEPTED') return found; // a retry
    if (action === 'decline' && found.status === 'DECLINED') return found;
    throw new HttpProblem(409, `transfer ${transferId} is already ${found.status.toLowerCase()}`);
  }
};
