import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ageInMonths, vietnamToday } from '../views/format';
import { html } from '../views/html';
import { notice, page, say } from '../views/layout';
import {
  caseListView,
  caseView,
  childSearchView,
  childView,
  refusalNotice,
  registerChildView,
  type Case,
  type Child,
  type Consent,
  type DirectoryFacility,
  type ServiceRefusal,
} from '../views/intake-views';
import { FormBody, field, list, type AreaOptions, type FormFields } from './area-options';
import { sendPage, signedIn, type Staffed } from './portal-context';
import { RecordNotFound, untilShown } from './service-api';

const intakeRoles = ['intake-staff'] as const;
const Uuid = Type.String({ format: 'uuid' });

/** The commune intake staff's pages: the child register, cases, screening, referrals. */
export const intakeRoutes: FastifyPluginAsync<AreaOptions> = async (fastify, { sessions, api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const staffed = (request: Parameters<typeof signedIn>[1]) => signedIn(sessions, request, intakeRoles);

  /**
   * Intake's facility directory, the one a referral is checked against: every entry (names of past
   * referrals) and those a referral form may offer, active and serving the child's commune.
   */
  const facilities = async ({ session }: Staffed, requestId: string, communeCode: string) => {
    type Items = { items: DirectoryFacility[] };
    const [all, offered] = await Promise.all([
      api.get<Items>(session, 'intake', '/facilities', requestId),
      api.get<Items>(session, 'intake', `/facilities?active=true&servesCommune=${communeCode}`, requestId),
    ]);
    return { all: all.items, offered: offered.items };
  };

  app.get(
    '/children',
    { schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 120 })) }) } },
    async (request, reply) => {
      const s = staffed(request);
      const q = request.query.q?.trim() ?? '';
      const children = q
        ? await api.get<Child[]>(s.session, 'intake', `/children?q=${encodeURIComponent(q)}&limit=50`, request.id)
        : undefined;
      return sendPage(
        reply,
        page(s.ctx, say(s.ctx, 'Trẻ em của xã', 'Children of the commune'), childSearchView(s.ctx, q, children)),
      );
    },
  );

  app.get('/children/new', { schema: { hide: true } }, async (request, reply) => {
    const s = staffed(request);
    return sendPage(
      reply,
      page(s.ctx, say(s.ctx, 'Đăng ký trẻ', 'Register a child'), registerChildView(s.ctx, { birthRegistered: 'on' })),
    );
  });

  app.post('/children', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const s = staffed(request);
    const form = request.body as FormFields;
    const caregiver = field(form, 'caregiverName');
    const body = {
      fullName: field(form, 'fullName') ?? '',
      dateOfBirth: field(form, 'dateOfBirth') ?? '',
      sex: field(form, 'sex') ?? '',
      ethnicityCode: field(form, 'ethnicityCode') ?? '',
      communeCode: s.session.staff.unitCode ?? '',
      ...(field(form, 'village') ? { village: field(form, 'village') } : {}),
      caregivers: caregiver
        ? [
            {
              name: caregiver,
              relationship: field(form, 'caregiverRelationship') ?? say(s.ctx, 'người chăm sóc', 'caregiver'),
              ...(field(form, 'caregiverPhone') ? { phone: field(form, 'caregiverPhone') } : {}),
            },
          ]
        : [],
      birthRegistered: field(form, 'birthRegistered') === 'on',
      disability: field(form, 'disability') === 'on',
      ...(field(form, 'confirmedNotDuplicate') === 'on' ? { confirmedNotDuplicate: true } : {}),
    };
    // A fresh key per shown form: a double submit is one registration, a confirmed duplicate a new request.
    const result = await api.call<Child>(s.session, 'intake', 'POST', '/children', {
      body,
      headers: { 'idempotency-key': field(form, 'requestKey') ?? randomUUID() },
      requestId: request.id,
    });
    if (result.ok) return reply.redirect(`/children/${result.body._id}?registered=1`, 303);
    const title = say(s.ctx, 'Đăng ký trẻ', 'Register a child');
    if (result.status === 409 && Array.isArray(result.problem.possibleDuplicates)) {
      const duplicates = result.problem.possibleDuplicates as {
        childId: string;
        fullName: string;
        dateOfBirth: string;
      }[];
      return sendPage(reply, page(s.ctx, title, registerChildView(s.ctx, form, { duplicates })), 409);
    }
    return sendPage(
      reply,
      page(s.ctx, title, registerChildView(s.ctx, form, { refusal: result.problem })),
      result.status,
    );
  });

  app.get(
    '/children/:childId',
    {
      schema: {
        hide: true,
        params: Type.Object({ childId: Uuid }),
        querystring: Type.Object({
          registered: Type.Optional(Type.String({ maxLength: 1 })),
          done: Type.Optional(Type.Enum(['consent', 'withdrawn'])),
        }),
      },
    },
    async (request, reply) => {
      const s = staffed(request);
      const [child, cases, consents] = await Promise.all([
        api.get<Child>(s.session, 'intake', `/children/${request.params.childId}`, request.id),
        api.get<{ items: Case[] }>(s.session, 'intake', '/cases?limit=500', request.id),
        api.get<Consent[]>(s.session, 'intake', `/children/${request.params.childId}/consents`, request.id),
      ]);
      const own = cases.items.filter((c) => c.childId === child._id);
      const flash = request.query.registered
        ? say(s.ctx, 'Đã đăng ký trẻ vào sổ của xã.', 'The child is registered in the commune’s register.')
        : request.query.registered === undefined && request.query.done === 'consent'
          ? say(s.ctx, 'Đã lưu đồng ý chia sẻ thông tin.', 'The consent is saved.')
          : request.query.done === 'withdrawn'
            ? say(s.ctx, 'Đã ghi nhận rút lại đồng ý.', 'The withdrawal is recorded.')
            : undefined;
      return sendPage(
        reply,
        page(
          s.ctx,
          child.fullName,
          html`${flash ? notice('success', flash) : ''}${childView(s.ctx, child, own, randomUUID(), consents)}`,
        ),
      );
    },
  );

  app.post(
    '/children/:childId/cases',
    { schema: { hide: true, params: Type.Object({ childId: Uuid }), body: FormBody } },
    async (request, reply) => {
      const s = staffed(request);
      const form = request.body as FormFields;
      const key = field(form, 'requestKey') ?? randomUUID();
      const result = await api.call<Case>(s.session, 'intake', 'POST', '/cases', {
        body: {
          childId: request.params.childId,
          concerns: list(form, 'concerns'),
          ...(field(form, 'note') ? { note: field(form, 'note') } : {}),
        },
        headers: { 'idempotency-key': key },
        requestId: request.id,
      });
      if (result.ok) return reply.redirect(`/cases/${result.body._id}`, 303);
      const child = await api.get<Child>(s.session, 'intake', `/children/${request.params.childId}`, request.id);
      return sendPage(
        reply,
        page(
          s.ctx,
          child.fullName,
          html`${refusalNotice(s.ctx, result.problem)}${childView(s.ctx, child, [], randomUUID())}`,
        ),
        result.status,
      );
    },
  );

  const childPageWithRefusal = async (s: Staffed, childId: string, requestId: string, refusal: ServiceRefusal) => {
    const [child, consents] = await Promise.all([
      api.get<Child>(s.session, 'intake', `/children/${childId}`, requestId),
      api.get<Consent[]>(s.session, 'intake', `/children/${childId}/consents`, requestId),
    ]);
    return page(
      s.ctx,
      child.fullName,
      html`${refusalNotice(s.ctx, refusal)}${childView(s.ctx, child, [], randomUUID(), consents)}`,
    );
  };

  app.post(
    '/children/:childId/consents',
    { schema: { hide: true, params: Type.Object({ childId: Uuid }), body: FormBody } },
    async (request, reply) => {
      const s = staffed(request);
      const form = request.body as FormFields;
      const result = await api.call(s.session, 'intake', 'POST', `/children/${request.params.childId}/consents`, {
        body: {
          givenBy: { name: field(form, 'name') ?? '', relationship: field(form, 'relationship') ?? '' },
          sharingWith: list(form, 'sharingWith'),
          givenOn: field(form, 'givenOn') ?? '',
          ...(field(form, 'childAssent') === 'on' ? { childAssent: true } : {}),
        },
        headers: { 'idempotency-key': field(form, 'requestKey') ?? randomUUID() },
        requestId: request.id,
      });
      if (result.ok) return reply.redirect(`/children/${request.params.childId}?done=consent#consent`, 303);
      return sendPage(
        reply,
        await childPageWithRefusal(s, request.params.childId, request.id, result.problem),
        result.status,
      );
    },
  );

  app.post(
    '/children/:childId/consents/:consentId/withdraw',
    { schema: { hide: true, params: Type.Object({ childId: Uuid, consentId: Uuid }), body: FormBody } },
    async (request, reply) => {
      const s = staffed(request);
      const form = request.body as FormFields;
      const { childId, consentId } = request.params;
      const result = await api.call(
        s.session,
        'intake',
        'POST',
        `/children/${childId}/consents/${consentId}/withdraw`,
        {
          body: {
            withdrawnBy: { name: field(form, 'name') ?? '', relationship: field(form, 'relationship') ?? '' },
            withdrawnOn: vietnamToday(),
            reason: field(form, 'reason') ?? '',
          },
          requestId: request.id,
        },
      );
      if (result.ok) return reply.redirect(`/children/${childId}?done=withdrawn#consent`, 303);
      return sendPage(reply, await childPageWithRefusal(s, childId, request.id, result.problem), result.status);
    },
  );

  app.get('/cases', { schema: { hide: true } }, async (request, reply) => {
    const s = staffed(request);
    const cases = await api.get<{ total: number; items: Case[] }>(s.session, 'intake', '/cases?limit=200', request.id);
    return sendPage(
      reply,
      page(s.ctx, say(s.ctx, 'Hồ sơ của xã', 'Cases of the commune'), caseListView(s.ctx, cases.items, cases.total)),
    );
  });

  const renderCase = async (
    s: Staffed,
    caseId: string,
    requestId: string,
    options: { refusal?: ServiceRefusal; flash?: string } = {},
  ) => {
    const kase = await api.get<Case>(s.session, 'intake', `/cases/${caseId}`, requestId);
    const facilityList = await facilities(s, requestId, encodeURIComponent(kase.child.communeCode));
    const consents = await api.get<Consent[]>(s.session, 'intake', `/children/${kase.childId}/consents`, requestId);
    return page(
      s.ctx,
      say(s.ctx, 'Hồ sơ trẻ', 'Child case'),
      caseView(s.ctx, kase, facilityList, randomUUID(), { ...options, consents }),
      {
        live: `case:${kase._id}`,
      },
    );
  };

  app.get(
    '/cases/:caseId',
    {
      schema: {
        hide: true,
        params: Type.Object({ caseId: Uuid }),
        querystring: Type.Object({ done: Type.Optional(Type.Enum(['screened', 'referred'])) }),
      },
    },
    async (request, reply) => {
      const s = staffed(request);
      const flash =
        request.query.done === 'screened'
          ? say(s.ctx, 'Đã lưu kết quả sàng lọc.', 'The screening is saved.')
          : request.query.done === 'referred'
            ? say(
                s.ctx,
                'Đã gửi chuyển tuyến. Cơ sở sẽ thấy trong hộp chuyển tuyến của họ.',
                'The referral is sent. The facility will see it in its inbox.',
              )
            : undefined;
      return sendPage(reply, await renderCase(s, request.params.caseId, request.id, flash ? { flash } : {}));
    },
  );

  app.post(
    '/cases/:caseId/screenings',
    { schema: { hide: true, params: Type.Object({ caseId: Uuid }), body: FormBody } },
    async (request, reply) => {
      const s = staffed(request);
      const form = request.body as FormFields;
      const kase = await api.get<Case>(s.session, 'intake', `/cases/${request.params.caseId}`, request.id);
      const today = vietnamToday();
      const weight = field(form, 'weightKg');
      const height = field(form, 'heightCm');
      const lying = ageInMonths(kase.child.dateOfBirth, field(form, 'measuredOn') ?? today) < 24;
      const vaccinations = Object.keys(form)
        .filter((name) => name.startsWith('dose:') && field(form, name))
        .map((name) => {
          const [, vaccine, dose] = name.split(':');
          return { vaccine, dose: Number(dose), date: field(form, name) };
        });
      const observations = Object.fromEntries(
        Object.keys(form)
          .filter((name) => name.startsWith('obs:') && field(form, name))
          .map((name) => [name.slice(4), field(form, name) === 'yes']),
      );
      const body = {
        ...(weight
          ? {
              measurements: {
                date: field(form, 'measuredOn') ?? today,
                weightKg: Number(weight.replace(',', '.')),
                ...(height ? { [lying ? 'lengthCm' : 'heightCm']: Number(height.replace(',', '.')) } : {}),
                ...(field(form, 'oedema') === 'on' ? { oedema: true } : {}),
              },
            }
          : {}),
        vaccinations,
        ...(Object.keys(observations).length ? { developmentObservations: observations } : {}),
        ...(field(form, 'enrolledInPreschool') === 'on' ? { child: { enrolledInPreschool: true } } : {}),
      };
      const result = await api.call(s.session, 'intake', 'POST', `/cases/${kase._id}/screenings`, {
        body,
        headers: { 'idempotency-key': field(form, 'requestKey') ?? randomUUID() },
        requestId: request.id,
      });
      if (result.ok) return reply.redirect(`/cases/${kase._id}?done=screened#screening`, 303);
      return sendPage(reply, await renderCase(s, kase._id, request.id, { refusal: result.problem }), result.status);
    },
  );

  app.post(
    '/cases/:caseId/referrals',
    { schema: { hide: true, params: Type.Object({ caseId: Uuid }), body: FormBody } },
    async (request, reply) => {
      const s = staffed(request);
      const form = request.body as FormFields;
      const result = await api.call(s.session, 'intake', 'POST', `/cases/${request.params.caseId}/referrals`, {
        body: {
          sector: field(form, 'sector') ?? '',
          urgency: field(form, 'urgency') ?? '',
          facilityId: field(form, 'facilityId') ?? '',
          reason: field(form, 'reason') ?? '',
        },
        headers: { 'idempotency-key': field(form, 'requestKey') ?? randomUUID() },
        requestId: request.id,
      });
      if (result.ok) {
        const { referralId } = result.body as { referralId: string };
        await untilShown(async () => {
          const kase = await api.get<Case>(s.session, 'intake', `/cases/${request.params.caseId}`, request.id);
          return !!kase.referrals?.some((r) => r.referralId === referralId);
        });
        return reply.redirect(`/cases/${request.params.caseId}?done=referred#referrals`, 303);
      }
      if (result.status === 404) throw new RecordNotFound(result.problem.message);
      return sendPage(
        reply,
        await renderCase(s, request.params.caseId, request.id, { refusal: result.problem }),
        result.status,
      );
    },
  );
};
