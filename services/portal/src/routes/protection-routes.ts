import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { page, say } from '../views/layout';
import type { Facility, ServiceRefusal } from '../views/intake-views';
import { boardView, type BoardEntry, type BoardFilter } from '../views/board-views';
import {
  protectionCaseOutlineView,
  protectionCaseView,
  protectionCasesView,
  reportForm,
  type ProtectionCaseDetails,
  type ProtectionCaseSummary,
} from '../views/protection-views';
import { FormBody, field, type AreaOptions, type FormFields } from './area-options';
import { sendPage, signedIn, type Staffed } from './portal-context';
import { AccessRefused, untilShown, type ServiceApi } from './service-api';

const officerRoles = ['protection-officer'] as const;
/** The commune chairman reads the cases and approves plans (form 05); nobody else reads them. */
const caseRoles = ['protection-officer', 'commune-chairman'] as const;
const boardRoles = ['protection-officer', 'supervisor'] as const;
const Uuid = Type.String({ format: 'uuid' });
const Steps = [
  'risk-assessment',
  'emergency-measures',
  'case-meeting',
  'plan',
  'approval',
  'implementation',
  'review',
  'closure',
] as const;
type Step = (typeof Steps)[number];
const EntryId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,160}$' });

/** A `datetime-local` value, read as Vietnam time (UTC+7, no daylight saving), as an ISO instant. */
export function vietnamInstant(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(local);
  if (!m) return local; // the service names the field and the problem
  return new Date(`${m[1]}T${m[2]}:00+07:00`).toISOString();
}

/** The body a step's form sends to the protection service (the service validates it). */
function stepBody(step: Step, form: FormFields): Record<string, unknown> {
  const lines = (name: string) =>
    (field(form, name) ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  switch (step) {
    case 'risk-assessment':
      return {
        seriousRisk: field(form, 'seriousRisk') === 'yes',
        riskLevel: field(form, 'riskLevel') ?? '',
        findings: field(form, 'findings') ?? '',
      };
    case 'emergency-measures':
      return {
        measure: field(form, 'measure') ?? '',
        description: field(form, 'measureDescription') ?? '',
        ...(field(form, 'takenAt') ? { takenAt: vietnamInstant(field(form, 'takenAt')) } : {}),
      };
    case 'case-meeting':
      return {
        heldOn: field(form, 'heldOn') ?? '',
        participants: lines('participants'),
        detailedAssessment: field(form, 'detailedAssessment') ?? '',
        minutes: field(form, 'minutes') ?? '',
      };
    case 'plan': {
      const review = field(form, 'reviewBy');
      return {
        objectives: field(form, 'objectives') ?? '',
        actions: [1, 2, 3]
          .filter((i) => field(form, `actionBody${i}`) || field(form, `actionText${i}`))
          .map((i) => ({
            body: field(form, `actionBody${i}`) ?? '',
            action: field(form, `actionText${i}`) ?? '',
            ...(field(form, `actionSector${i}`) ? { sector: field(form, `actionSector${i}`) } : {}),
          })),
        // The review is due at the end of the office day the plan names.
        reviewBy: review && /^\d{4}-\d{2}-\d{2}$/.test(review) ? vietnamInstant(`${review}T17:00`) : (review ?? ''),
      };
    }
    case 'approval':
      return {
        decisionNumber: field(form, 'decisionNumber') ?? '',
        ...(field(form, 'approvalNote') ? { note: field(form, 'approvalNote') } : {}),
      };
    case 'implementation':
      return field(form, 'implementationNote') ? { note: field(form, 'implementationNote') } : {};
    case 'review':
      return { summary: field(form, 'reviewSummary') ?? '', riskLevel: field(form, 'reviewRiskLevel') ?? '' };
    case 'closure':
      return { riskAtClosure: field(form, 'riskAtClosure') ?? '', summary: field(form, 'closureSummary') ?? '' };
  }
}

const stepDone: Record<Step, [string, string]> = {
  'risk-assessment': ['Đã lưu đánh giá ban đầu (Mẫu 02).', 'The initial assessment is saved (form 02).'],
  'emergency-measures': ['Đã ghi nhận biện pháp khẩn cấp.', 'The emergency measure is recorded.'],
  'case-meeting': ['Đã lưu biên bản họp (Mẫu 03).', 'The case meeting is saved (form 03).'],
  plan: ['Đã lưu kế hoạch và trình Chủ tịch UBND xã phê duyệt.', 'The plan is saved and sent for approval.'],
  approval: ['Đã phê duyệt kế hoạch (Mẫu 05).', 'The plan is approved (form 05).'],
  implementation: ['Đã bắt đầu thực hiện kế hoạch.', 'Implementation has started.'],
  review: ['Đã lưu kết quả rà soát.', 'The review is saved.'],
  closure: ['Đã đóng hồ sơ (Mẫu 06).', 'The case is closed (form 06).'],
};

/** Health and education facilities the services list (the choices for a referral or a redirect). */
export async function facilityChoices({ session }: Staffed, api: ServiceApi, requestId: string): Promise<Facility[]> {
  const [health, education] = await Promise.all([
    api.get<Facility[]>(session, 'health', '/facilities', requestId),
    api.get<Facility[]>(session, 'education', '/facilities', requestId),
  ]);
  return [...health, ...education];
}

/** Protection officers' and the chairman's pages: Decree 56 cases, forms, and the escalation board. */
export const protectionRoutes: FastifyPluginAsync<AreaOptions> = async (fastify, { sessions, api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // --- Protection cases ---

  const caseList = (s: Staffed, requestId: string) =>
    api.get<{ items: ProtectionCaseSummary[] }>(s.session, 'protection', '/protection-cases', requestId);

  app.get('/protection-cases', { schema: { hide: true } }, async (request, reply) => {
    const s = signedIn(sessions, request, caseRoles);
    const cases = await caseList(s, request.id);
    return sendPage(
      reply,
      page(s.ctx, say(s.ctx, 'Hồ sơ bảo vệ trẻ em', 'Protection cases'), protectionCasesView(s.ctx, cases.items), {
        live: 'board',
      }),
    );
  });

  app.get(
    '/protection-cases/new',
    { schema: { hide: true, querystring: Type.Object({ childId: Type.Optional(Uuid) }) } },
    async (request, reply) => {
      const s = signedIn(sessions, request, officerRoles);
      return sendPage(
        reply,
        page(
          s.ctx,
          say(s.ctx, 'Tiếp nhận tin báo (Mẫu 01)', 'Receive a report (form 01)'),
          reportForm(s.ctx, request.query.childId ? { childId: request.query.childId } : {}, randomUUID()),
        ),
      );
    },
  );

  app.post('/protection-cases', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const s = signedIn(sessions, request, officerRoles);
    const form = request.body as FormFields;
    const reporter = {
      ...(field(form, 'reporterName') ? { name: field(form, 'reporterName') } : {}),
      ...(field(form, 'reporterContact') ? { contact: field(form, 'reporterContact') } : {}),
      ...(field(form, 'reporterRelationship') ? { relationship: field(form, 'reporterRelationship') } : {}),
    };
    const body = {
      source: field(form, 'source') ?? '',
      ...(field(form, 'receivedAt') ? { receivedAt: vietnamInstant(field(form, 'receivedAt')) } : {}),
      seriousRisk: field(form, 'seriousRisk') === 'on',
      child: {
        fullName: (field(form, 'childName') ?? '').normalize('NFC'),
        ...(field(form, 'childDateOfBirth') ? { dateOfBirth: field(form, 'childDateOfBirth') } : {}),
        ...(field(form, 'childSex') ? { sex: field(form, 'childSex') } : {}),
        ...(field(form, 'childId') ? { childId: field(form, 'childId') } : {}),
        ...(field(form, 'childAddress') ? { address: field(form, 'childAddress') } : {}),
      },
      ...(Object.keys(reporter).length ? { reporter } : {}),
      report: {
        description: field(form, 'description') ?? '',
        ...(field(form, 'place') ? { place: field(form, 'place') } : {}),
      },
    };
    const result = await api.call<ProtectionCaseSummary>(s.session, 'protection', 'POST', '/protection-cases', {
      body,
      headers: { 'idempotency-key': field(form, 'requestKey') ?? randomUUID() },
      requestId: request.id,
    });
    if (result.ok) return reply.redirect(`/protection-cases/${result.body._id}?done=reported`, 303);
    return sendPage(
      reply,
      page(
        s.ctx,
        say(s.ctx, 'Tiếp nhận tin báo (Mẫu 01)', 'Receive a report (form 01)'),
        reportForm(s.ctx, form, field(form, 'requestKey') ?? randomUUID(), result.problem),
      ),
      result.status,
    );
  });

  const renderCase = async (
    s: Staffed,
    caseId: string,
    requestId: string,
    options: { refusal?: ServiceRefusal; flash?: string } = {},
  ) => {
    const title = say(s.ctx, 'Hồ sơ bảo vệ trẻ em', 'Protection case');
    let details: ProtectionCaseDetails;
    try {
      details = await api.get<ProtectionCaseDetails>(s.session, 'protection', `/protection-cases/${caseId}`, requestId);
    } catch (error) {
      if (!(error instanceof AccessRefused)) throw error;
      // No role on the case: its stage and deadlines only, as the case list shows them.
      const summary = (await caseList(s, requestId)).items.find((c) => c._id === caseId);
      if (!summary) throw error;
      return page(s.ctx, `${title} ${caseId.slice(0, 8)}`, protectionCaseOutlineView(s.ctx, summary));
    }
    const facilities =
      details.stage === 'PLAN_APPROVED' || details.stage === 'IN_IMPLEMENTATION'
        ? await facilityChoices(s, api, requestId)
        : [];
    return page(
      s.ctx,
      `${title} ${caseId.slice(0, 8)}`,
      protectionCaseView(s.ctx, details, facilities, randomUUID(), options),
      { live: 'board' },
    );
  };

  app.get(
    '/protection-cases/:caseId',
    {
      schema: {
        hide: true,
        params: Type.Object({ caseId: Uuid }),
        querystring: Type.Object({
          done: Type.Optional(Type.Enum([...Steps, 'reported', 'team', 'referred'])),
        }),
      },
    },
    async (request, reply) => {
      const s = signedIn(sessions, request, caseRoles);
      const done = request.query.done;
      const flash =
        done === 'reported'
          ? say(
              s.ctx,
              'Đã lưu tin báo và mở hồ sơ. Các thời hạn đã bắt đầu tính.',
              'The report is saved and the case is open. Its clocks are running.',
            )
          : done === 'team'
            ? say(s.ctx, 'Đã thêm cán bộ vào hồ sơ.', 'The officer is added to the case.')
            : done === 'referred'
              ? say(
                  s.ctx,
                  'Đã gửi chuyển tuyến; cơ sở sẽ thấy trong hộp chuyển tuyến.',
                  'The referral is sent; the facility will see it in its inbox.',
                )
              : done
                ? say(s.ctx, ...stepDone[done])
                : undefined;
      return sendPage(reply, await renderCase(s, request.params.caseId, request.id, flash ? { flash } : {}));
    },
  );

  app.post(
    '/protection-cases/:caseId/steps/:step',
    { schema: { hide: true, params: Type.Object({ caseId: Uuid, step: Type.Enum(Steps) }), body: FormBody } },
    async (request, reply) => {
      const step = request.params.step as Step;
      const s = signedIn(sessions, request, step === 'approval' ? ['commune-chairman'] : officerRoles);
      const { caseId } = request.params;
      const result = await api.call(s.session, 'protection', 'POST', `/protection-cases/${caseId}/${step}`, {
        body: stepBody(step, request.body as FormFields),
        requestId: request.id,
      });
      if (result.ok) return reply.redirect(`/protection-cases/${caseId}?done=${step}`, 303);
      return sendPage(reply, await renderCase(s, caseId, request.id, { refusal: result.problem }), result.status);
    },
  );

  app.post(
    '/protection-cases/:caseId/team',
    { schema: { hide: true, params: Type.Object({ caseId: Uuid }), body: FormBody } },
    async (request, reply) => {
      const s = signedIn(sessions, request, officerRoles);
      const { caseId } = request.params;
      const result = await api.call(s.session, 'protection', 'POST', `/protection-cases/${caseId}/team`, {
        body: { userId: field(request.body as FormFields, 'userId') ?? '' },
        requestId: request.id,
      });
      if (result.ok) return reply.redirect(`/protection-cases/${caseId}?done=team#team`, 303);
      return sendPage(reply, await renderCase(s, caseId, request.id, { refusal: result.problem }), result.status);
    },
  );

  app.post(
    '/protection-cases/:caseId/referrals',
    { schema: { hide: true, params: Type.Object({ caseId: Uuid }), body: FormBody } },
    async (request, reply) => {
      const s = signedIn(sessions, request, officerRoles);
      const { caseId } = request.params;
      const form = request.body as FormFields;
      const [sector, facilityId] = (field(form, 'facility') ?? ':').split(':');
      const result = await api.call(s.session, 'protection', 'POST', `/protection-cases/${caseId}/referrals`, {
        body: {
          sector: sector ?? '',
          facilityId: facilityId ?? '',
          urgency: field(form, 'urgency') ?? '',
          reason: field(form, 'reason') ?? '',
        },
        headers: { 'idempotency-key': field(form, 'requestKey') ?? randomUUID() },
        requestId: request.id,
      });
      if (result.ok) return reply.redirect(`/protection-cases/${caseId}?done=referred`, 303);
      return sendPage(reply, await renderCase(s, caseId, request.id, { refusal: result.problem }), result.status);
    },
  );

  // Printable forms: rendered by the protection service from the sealed record (it checks who may
  // read the case and audits the printout); the portal passes the PDF through.
  app.get(
    '/protection-cases/:caseId/forms/:file',
    {
      schema: {
        hide: true,
        params: Type.Object({ caseId: Uuid, file: Type.String({ pattern: '^0[1-6]\\.pdf$' }) }),
      },
    },
    async (request, reply) => {
      const s = signedIn(sessions, request, caseRoles);
      const { caseId, file } = request.params;
      const form = file.slice(0, 2);
      const result = await api.download(
        s.session,
        'protection',
        `/protection-cases/${caseId}/forms/${form}`,
        request.id,
      );
      if (result.problem) {
        return sendPage(reply, await renderCase(s, caseId, request.id, { refusal: result.problem }), result.status);
      }
      return reply
        .type(result.type)
        .header('content-disposition', result.disposition ?? `attachment; filename="mau-${form}.pdf"`)
        .header('cache-control', 'no-store')
        .send(result.body);
    },
  );

  // --- The escalation board ---

  const BoardQuery = Type.Object({
    urgency: Type.Optional(Type.Enum(['', 'routine', 'urgent', 'emergency'])),
    kind: Type.Optional(Type.Enum(['', 'referral', 'protection-step'])),
    level: Type.Optional(Type.String({ pattern: '^[0-9]{0,2}$' })),
    owner: Type.Optional(Type.Enum(['', 'owned', 'unowned'])),
    commune: Type.Optional(Type.String({ pattern: '^[0-9]{0,5}$' })),
    mine: Type.Optional(Type.String({ maxLength: 1 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    done: Type.Optional(Type.Enum(['acknowledge', 'ownership', 'notes', 'redirect', 'extend', 'close-unresolved'])),
  });

  const renderBoard = async (
    s: Staffed,
    requestId: string,
    filter: BoardFilter,
    options: { refusal?: ServiceRefusal; flash?: string } = {},
  ) => {
    const [board, facilities] = await Promise.all([
      api.get<{ items: BoardEntry[] }>(s.session, 'protection', '/board', requestId),
      facilityChoices(s, api, requestId),
    ]);
    return page(
      s.ctx,
      say(s.ctx, 'Bảng cảnh báo quá hạn', 'Escalation board'),
      boardView(s.ctx, board.items, filter, facilities, options),
      { live: 'board' },
    );
  };

  const boardDone: Record<string, [string, string]> = {
    acknowledge: ['Đã ghi nhận; cảnh báo dừng leo thang.', 'Acknowledged; the escalation stops climbing.'],
    ownership: ['Bạn đang phụ trách mục này.', 'You own this entry now.'],
    notes: ['Đã lưu ghi chú.', 'The note is saved.'],
    redirect: [
      'Đã chuyển chuyển tuyến sang cơ sở khác; cơ sở mới thấy trong hộp chuyển tuyến.',
      "The referral is redirected; it is in the new facility's inbox.",
    ],
    extend: ['Đã gia hạn.', 'The deadline is extended.'],
    'close-unresolved': ['Đã đóng chuyển tuyến, chưa giải quyết.', 'The referral is closed unresolved.'],
  };

  app.get('/board', { schema: { hide: true, querystring: BoardQuery } }, async (request, reply) => {
    const s = signedIn(sessions, request, boardRoles);
    const q = request.query;
    const filter: BoardFilter = {
      ...(q.urgency ? { urgency: q.urgency } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.level ? { level: q.level } : {}),
      ...(q.owner === 'owned' || q.owner === 'unowned' ? { owner: q.owner } : {}),
      ...(q.commune ? { commune: q.commune } : {}),
      ...(q.mine ? { mine: true } : {}),
      page: q.page ?? 1,
    };
    const done = q.done ? boardDone[q.done] : undefined;
    return sendPage(reply, await renderBoard(s, request.id, filter, done ? { flash: say(s.ctx, ...done) } : {}));
  });

  app.post(
    '/board/:entryId/:action',
    {
      schema: {
        hide: true,
        params: Type.Object({ entryId: EntryId, action: Type.Enum(['acknowledge', 'ownership', 'notes', 'resolve']) }),
        body: FormBody,
      },
    },
    async (request, reply) => {
      const s = signedIn(sessions, request, boardRoles);
      const form = request.body as FormFields;
      const { entryId, action } = request.params;
      const note = field(form, 'note');
      const resolution = field(form, 'action');
      const body =
        action === 'acknowledge'
          ? note
            ? { note }
            : {}
          : action === 'notes'
            ? { text: field(form, 'text') ?? '' }
            : action === 'resolve'
              ? {
                  action: resolution ?? '',
                  reason: field(form, 'reason') ?? '',
                  ...(field(form, 'toFacilityId') ? { toFacilityId: field(form, 'toFacilityId') } : {}),
                  ...(field(form, 'newDeadline') ? { newDeadline: vietnamInstant(field(form, 'newDeadline')) } : {}),
                }
              : undefined;
      let result;
      try {
        result = await api.call<BoardEntry>(s.session, 'protection', 'POST', `/board/${entryId}/${action}`, {
          ...(body ? { body } : {}),
          requestId: request.id,
        });
      } catch (error) {
        // A policy that does not let this role extend (403) is said on the board, not as an error page.
        if (!(error instanceof AccessRefused)) throw error;
        result = { ok: false as const, status: 403, problem: { statusCode: 403, message: error.message } };
      }
      const page1: BoardFilter = { page: 1 };
      if (result.ok) {
        // The board follows the referral's events: show the change once it is there (at most 10 s).
        await untilShown(async () => {
          const board = await api.get<{ items: BoardEntry[] }>(s.session, 'protection', '/board', request.id);
          const entry = board.items.find((e) => e._id === entryId);
          if (action === 'acknowledge') return !!entry?.acknowledged;
          if (action === 'ownership') return !!entry?.owner;
          return true;
        }, 10_000);
        const done = action === 'resolve' ? (resolution ?? 'resolve') : action;
        return reply.redirect(`/board?done=${done}#entry-${entryId}`, 303);
      }
      return sendPage(reply, await renderBoard(s, request.id, page1, { refusal: result.problem }), result.status);
    },
  );
};
