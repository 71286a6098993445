import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import type { OutboxRelay } from '@ecd/messaging';
import { correctChild, recordActor, type ChildHistoryEntry } from '../domain/child-record';
import { idFromIdempotencyKey } from '../domain/idempotency';
import type { CaseRepository } from '../repositories/case-repository';
import type { ChildRepository, StoredChild } from '../repositories/child-repository';
import type { TransferRepository } from '../repositories/transfer-repository';
import { communeStaff, readerGuard, security, writerGuard } from './access';
import { IdempotencyHeaders } from './case-schemas';
import { ChildParams, ChildView, DuplicateProblem } from './child-schemas';
import { ChildHistoryView, CorrectChildBody } from './child-record-schemas';

export interface ChildRecordRoutesOptions {
  authenticate: AuthHook;
  children: ChildRepository;
  cases: CaseRepository;
  transfers: TransferRepository;
  relay: OutboxRelay;
}

/**
 * A child's record through its life: corrections (the previous value kept in the history) and
 * the history itself, readable by every commune the child belonged to or was offered to.
 */
export const childRecordRoutes: FastifyPluginAsync<ChildRecordRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { children, cases, transfers, relay } = options;

  app.post(
    '/children/:childId/corrections',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'child', param: 'childId' } },
      schema: {
        summary: 'Correct details of a child of your commune’s register, with a reason',
        description:
          'Only the fields sent change; each is checked as at registration. The previous value of every ' +
          'changed field is kept in the child’s history (GET /children/:childId/history) and ' +
          '`child.corrected` names the fields (never their values). The commune changes only by a transfer. ' +
          'A correction that changes nothing is refused (422). With an Idempotency-Key a retry answers 200.',
        tags: ['children'],
        security,
        params: ChildParams,
        headers: IdempotencyHeaders,
        body: CorrectChildBody,
        response: {
          200: ChildView,
          422: standardErrorResponses[400],
          ...standardErrorResponses,
          409: DuplicateProblem,
        },
      },
    },
    async (request) => {
      const staff = communeStaff(request);
      const { childId } = request.params;
      const key = request.headers['idempotency-key'];
      const correctionId = key ? idFromIdempotencyKey('correction', staff.unitCode, childId, key) : randomUUID();
      for (let attempt = 0; attempt < 3; attempt++) {
        const child = await children.findAnywhere(childId);
        if (!child || child.communeCode !== staff.unitCode) {
          throw new HttpProblem(404, `child ${childId} is not in your commune's register`);
        }
        if (child.history?.some((h) => h.id === correctionId)) return publicChild(child); // a retry
        const { set, entry, event } = correctChild(child, request.body.changes, {
          now: new Date(),
          correctionId,
          reason: request.body.reason,
          by: recordActor(staff),
        });
        const outcome = await children.correct(child, set, entry, [event]);
        if (outcome === 'duplicate') {
          throw new HttpProblem(
            409,
            'another child of your commune has this name and date of birth: check whether it is the same child',
            [{ field: 'changes.fullName', problem: 'with the date of birth matches another child of the commune' }],
          );
        }
        if (outcome === 'stale') continue; // corrected meanwhile: compute the change again
        relay.nudge();
        const { fullName, dateOfBirth, sex } = set;
        await cases.correctChild(staff.unitCode, childId, {
          ...(fullName !== undefined ? { fullName } : {}),
          ...(dateOfBirth !== undefined ? { dateOfBirth } : {}),
          ...(sex !== undefined ? { sex } : {}),
        });
        return publicChild({ ...child, ...set });
      }
      throw new HttpProblem(409, 'the record was changed by someone else at the same time; read it again and retry');
    },
  );

  app.get(
    '/children/:childId/history',
    {
      ...readerGuard(options.authenticate),
      config: { audit: { action: 'read', resource: 'child', param: 'childId' } },
      schema: {
        summary: 'The life of a child’s record: registration, corrections with previous values, transfers',
        description:
          'Readable by the commune the child belongs to and by every commune a transfer of the child named ' +
          '(the one it came from, the one it was offered to).',
        tags: ['children'],
        security,
        params: ChildParams,
        response: { 200: ChildHistoryView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { unitCode } = communeStaff(request);
      const { childId } = request.params;
      const child = await children.findAnywhere(childId);
      const named = child ? await transfers.forChild(childId) : [];
      const mayRead =
        child &&
        (child.communeCode === unitCode ||
          named.some((t) => t.fromCommuneCode === unitCode || t.toCommuneCode === unitCode));
      if (!child || !mayRead) throw new HttpProblem(404, `child ${childId} not found`);
      const registered = {
        id: `${child._id}:registered`,
        kind: 'registered' as const,
        at: child.registeredAt,
        by: { userId: child.registeredBy, unitCode: firstCommune(child) },
        communeCode: firstCommune(child),
      };
      return { childId: child._id, communeCode: child.communeCode, entries: [registered, ...(child.history ?? [])] };
    },
  );
};

/** The commune the child was registered in: before its first accepted transfer, if any. */
function firstCommune(child: StoredChild): string {
  const moved = child.history?.find(
    (h): h is Extract<ChildHistoryEntry, { fromCommuneCode: string }> => h.kind === 'transfer-accepted',
  );
  return moved ? moved.fromCommuneCode : child.communeCode;
}

/** The register entry as the register's routes show it. */
function publicChild(child: StoredChild) {
  const { history: _h, revision: _r, pendingTransferId: _p, ...entry } = child;
  return entry;
}
