import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { facilityRoles, type FacilityServiceName } from '../views/labels';
import { page, say } from '../views/layout';
import { inboxView, type InboxItem } from '../views/facility-views';
import type { ServiceRefusal } from '../views/intake-views';
import { FormBody, field, type AreaOptions, type FormFields } from './area-options';
import { sendPage, signedIn, type Staffed } from './portal-context';
import { untilShown } from './service-api';

const ReferralParams = Type.Object({ referralId: Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' }) });
const Action = Type.Enum(['accept', 'decline', 'start', 'complete']);

/** The facts a desk's completion form carries (a birth's number; an allowance's decision and amount). */
function recordDetails(form: FormFields): { details?: Record<string, string | number> } {
  const details: Record<string, string | number> = {};
  for (const name of ['registrationNumber', 'decisionNumber']) {
    const value = field(form, name)?.trim();
    if (value) details[name] = value;
  }
  const amount = field(form, 'monthlyAmountVnd')?.trim();
  // Sent as typed: a number the service checks; anything else reaches it as text and is refused by name.
  if (amount) details.monthlyAmountVnd = /^\d{1,15}$/.test(amount) ? Number(amount) : amount;
  return Object.keys(details).length ? { details } : {};
}

/** Health stations', preschools' and commune desks' pages: the facility inbox and the actions on a referral. */
export const facilityRoutes: FastifyPluginAsync<AreaOptions> = async (fastify, { sessions, api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const staffed = (request: Parameters<typeof signedIn>[1]) => {
    const s = signedIn(sessions, request, Object.keys(facilityRoles));
    return { ...s, sector: facilityRoles[s.session.staff.role]! };
  };

  const renderInbox = async (
    s: Staffed & { sector: FacilityServiceName },
    requestId: string,
    options: { refusal?: ServiceRefusal; flash?: string } = {},
  ) => {
    const items = await api.get<InboxItem[]>(s.session, s.sector, '/inbox', requestId);
    const role = s.session.staff.role;
    const title =
      s.sector === 'health'
        ? say(s.ctx, 'Hộp chuyển tuyến của trạm y tế', 'Health station referral inbox')
        : s.sector === 'education'
          ? say(s.ctx, 'Hộp chuyển tuyến của trường', 'Preschool referral inbox')
          : role === 'civil-status-officer'
            ? say(s.ctx, 'Hộp chuyển tuyến đăng ký khai sinh', 'Birth-registration referral inbox')
            : say(s.ctx, 'Hộp chuyển tuyến trợ giúp xã hội', 'Social-welfare referral inbox');
    return page(s.ctx, title, inboxView(s.ctx, items, s.sector, options), { live: 'inbox' });
  };

  const done: Record<string, [string, string]> = {
    accept: ['Đã tiếp nhận chuyển tuyến.', 'Referral accepted.'],
    decline: ['Đã từ chối chuyển tuyến; nơi gửi sẽ được báo.', 'Referral declined; the sender will be told.'],
    start: ['Đã bắt đầu cung cấp dịch vụ.', 'Service started.'],
    complete: [
      'Đã hoàn thành; nơi gửi thấy vòng chuyển tuyến đã khép lại.',
      'Completed; the sender sees the loop closed.',
    ],
  };

  app.get(
    '/inbox',
    { schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Action) }) } },
    async (request, reply) => {
      const s = staffed(request);
      const message = request.query.done ? done[request.query.done] : undefined;
      return sendPage(reply, await renderInbox(s, request.id, message ? { flash: say(s.ctx, ...message) } : {}));
    },
  );

  app.post(
    '/inbox/:referralId/:action',
    { schema: { hide: true, params: Type.Object({ ...ReferralParams.properties, action: Action }), body: FormBody } },
    async (request, reply) => {
      const s = staffed(request);
      const form = request.body as FormFields;
      const { referralId, action } = request.params;
      const body =
        action === 'decline'
          ? { reason: field(form, 'reason') ?? '' }
          : action === 'complete'
            ? {
                kind: field(form, 'kind') ?? '',
                date: field(form, 'date') ?? '',
                summary: field(form, 'summary') ?? '',
                ...recordDetails(form),
              }
            : undefined;
      const result = await api.call(s.session, s.sector, 'POST', `/inbox/${referralId}/${action}`, {
        ...(body ? { body } : {}),
        requestId: request.id,
      });
      if (result.ok) {
        const state = (result.body as { state: string }).state;
        await untilShown(async () => {
          const item = await api.get<InboxItem>(s.session, s.sector, `/inbox/${referralId}`, request.id);
          return item.state === state;
        });
        return reply.redirect(`/inbox?done=${action}#ref-${referralId}`, 303);
      }
      return sendPage(reply, await renderInbox(s, request.id, { refusal: result.problem }), result.status);
    },
  );
};
