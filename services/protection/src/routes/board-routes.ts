import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpProblem, requirePlausibleInstant, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { EscalationNote, FacilityId, ReferralActionReason, isSector } from '@ecd/contracts';
import type { FacilityDirectory, ReferralCommands } from '@ecd/referral-client';
import type { ProtectionCaseCommands } from '../commands/protection-case-commands';
import type { BoardEntry } from '../domain/board-entry';
import type { EscalationBoardRepository } from '../repositories/escalation-board-repository';
import { actorOf, boardGuard, security, unitStaff } from './access';
import { asHttpProblem } from './protection-case-routes';

export interface BoardRoutesOptions {
  authenticate: AuthHook;
  board: EscalationBoardRepository;
  referrals: ReferralCommands;
  protectionCases: ProtectionCaseCommands;
  directory: FacilityDirectory;
}

const EntryParams = Type.Object(
  {
    entryId: Type.String({
      pattern: '^(referral-[0-9a-f-]{36}(-r[0-9]+)*|protection-[0-9a-f-]{36}-[A-Z_]+)$',
      description: 'The board entry id (`referral-<referral id>` or `protection-<case id>-<step>`)',
    }),
  },
  { additionalProperties: false },
);

const Entry = Type.Object({
  _id: Type.String(),
  kind: Type.String(),
  referralId: Type.Optional(Type.String()),
  protectionCaseId: Type.Optional(Type.String()),
  step: Type.Optional(Type.String()),
  caseId: Type.String(),
  communeCode: Type.String(),
  sector: Type.String(),
  urgency: Type.String(),
  facilityId: Type.Optional(Type.String()),
  state: Type.String(),
  reason: Type.String(),
  dueAt: Type.String(),
  overdueMinutes: Type.Integer(),
  level: Type.Integer(),
  responsibleUnitCode: Type.String(),
  topOfLadder: Type.Boolean(),
  open: Type.Boolean(),
  closedBecause: Type.Optional(Type.String()),
  acknowledged: Type.Optional(Type.Object({ userId: Type.String(), role: Type.String(), at: Type.String() })),
  owner: Type.Optional(Type.Object({ userId: Type.String(), name: Type.Optional(Type.String()), at: Type.String() })),
  notes: Type.Optional(Type.Array(Type.Object({ userId: Type.String(), at: Type.String(), text: Type.String() }))),
  resolution: Type.Optional(
    Type.Object({ action: Type.String(), userId: Type.String(), at: Type.String(), reason: Type.String() }),
  ),
  escalatedAt: Type.String(),
  updatedAt: Type.String(),
});

const BoardQuery = Type.Object({ includeClosed: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const AcknowledgeBody = Type.Object({ note: Type.Optional(EscalationNote) }, { additionalProperties: false });
const NoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export const ResolveBody = Type.Object(
  {
    action: Type.Enum(['redirect', 'extend', 'close-unresolved']),
    reason: ReferralActionReason,
    toFacilityId: Type.Optional(FacilityId),
    newDeadline: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const view = (entry: BoardEntry, now = Date.now()) => {
  const { visibleTo: _v, lastSeq: _s, ...rest } = entry;
  return { ...rest, overdueMinutes: Math.max(0, Math.floor((now - Date.parse(entry.dueAt)) / 60_000)) };
};

/**
 * The escalation board: every escalated referral (all sectors) and missed protection step in the
 * caller's area, most urgent and longest overdue first. Actions go through the owning workflow.
 */
export const boardRoutes: FastifyPluginAsync<BoardRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { board, referrals, protectionCases } = options;

  async function entryOf(request: FastifyRequest & { params: { entryId: string } }) {
    const staff = unitStaff(request);
    const entry = await board.entry(staff.unitCode, request.params.entryId);
    if (!entry) throw new HttpProblem(404, `board entry ${request.params.entryId} not found in your area`);
    return { staff, entry };
  }

  const after = async (unitCode: string, id: string) => view((await board.entry(unitCode, id))!);

  app.get(
    '/board',
    {
      ...boardGuard(options.authenticate),
      schema: {
        summary: 'Escalated and overdue referrals and protection steps in your area',
        tags: ['escalation board'],
        security,
        querystring: BoardQuery,
        response: { 200: Type.Object({ items: Type.Array(Entry) }), ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = unitStaff(request);
      const now = Date.now();
      const entries = await board.board(staff.unitCode, { includeClosed: request.query.includeClosed ?? false });
      return { items: entries.map((e) => view(e, now)) };
    },
  );

  app.post(
    '/board/:entryId/acknowledge',
    {
      ...boardGuard(options.authenticate),
      schema: {
        summary: 'Acknowledge the escalation: you have seen it, and it stops climbing the ladder',
        tags: ['escalation board'],
        security,
        params: EntryParams,
        body: AcknowledgeBody,
        response: { 200: Entry, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { staff, entry } = await entryOf(request);
      if (entry.kind === 'referral') {
        await referrals
          .acknowledgeEscalation(entry.referralId!, actorOf(staff), request.body.note)
          .catch(asHttpProblem);
      } else {
        await protectionCases
          .acknowledgeEscalation(entry.protectionCaseId!, actorOf(staff), entry.step!)
          .catch(asHttpProblem);
      }
      if (request.body.note) {
        await board.addNote(staff.unitCode, entry._id, {
          userId: staff.userId,
          at: new Date().toISOString(),
          text: request.body.note,
        });
      }
      return after(staff.unitCode, entry._id);
    },
  );

  app.post(
    '/board/:entryId/ownership',
    {
      ...boardGuard(options.authenticate),
      schema: {
        summary: 'Take ownership of the entry (send no body)',
        tags: ['escalation board'],
        security,
        params: EntryParams,
        response: { 200: Entry, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { staff, entry } = await entryOf(request);
      await board.takeOwnership(staff.unitCode, entry._id, {
        userId: staff.userId,
        ...(staff.name ? { name: staff.name } : {}),
        at: new Date().toISOString(),
      });
      return after(staff.unitCode, entry._id);
    },
  );

  app.post(
    '/board/:entryId/notes',
    {
      ...boardGuard(options.authenticate),
      schema: {
        summary: 'Add a note to the entry',
        tags: ['escalation board'],
        security,
        params: EntryParams,
        body: NoteBody,
        response: { 200: Entry, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { staff, entry } = await entryOf(request);
      await board.addNote(staff.unitCode, entry._id, {
        userId: staff.userId,
        at: new Date().toISOString(),
        text: request.body.text,
      });
      return after(staff.unitCode, entry._id);
    },
  );

  app.post(
    '/board/:entryId/resolve',
    {
      ...boardGuard(options.authenticate),
      schema: {
        summary:
          'Resolve an escalated referral: redirect it, extend its deadline with a reason, or close it unresolved',
        tags: ['escalation board'],
        security,
        params: EntryParams,
        body: ResolveBody,
        response: { 200: Entry, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { staff, entry } = await entryOf(request);
      const { action, reason, toFacilityId, newDeadline } = request.body;
      if (entry.kind !== 'referral') {
        throw new HttpProblem(409, 'a missed protection step is resolved by doing the step on its case');
      }
      const by = actorOf(staff);
      if (action === 'redirect') {
        if (!toFacilityId) {
          throw new HttpProblem(400, 'toFacilityId is required to redirect', [
            { field: 'toFacilityId', problem: 'is required when action is redirect' },
          ]);
        }
        // The new referral goes to a facility of the directory that serves the referral's sector.
        if (isSector(entry.sector)) {
          const refused = await options.directory.refusal(toFacilityId, entry.sector, { facility: 'toFacilityId' });
          if (refused) throw new HttpProblem(refused.status, refused.message, refused.problems);
        }
        await referrals.redirect(entry.referralId!, by, toFacilityId, reason).catch(asHttpProblem);
      } else if (action === 'extend') {
        if (!newDeadline) {
          throw new HttpProblem(400, 'newDeadline is required to extend', [
            { field: 'newDeadline', problem: 'is required when action is extend' },
          ]);
        }
        requirePlausibleInstant(newDeadline, 'newDeadline', {
          futureDays: 180,
          rule: 'an extension moves a deadline by days or weeks, not years',
        });
        await referrals.extendDeadline(entry.referralId!, by, reason, newDeadline).catch(asHttpProblem);
      } else {
        await referrals.closeUnresolved(entry.referralId!, by, reason).catch(asHttpProblem);
      }
      await board.recordResolution(staff.unitCode, entry._id, {
        action,
        userId: staff.userId,
        at: new Date().toISOString(),
        reason,
      });
      return after(staff.unitCode, entry._id);
    },
  );
};
