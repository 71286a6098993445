import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { page, say } from '../views/layout';
import type { ServiceRefusal } from '../views/intake-views';
import { boardView, protectionCasesView, type BoardEntry, type ProtectionCaseSummary } from '../views/protection-views';
import { FormBody, field, type AreaOptions, type FormFields } from './area-options';
import { sendPage, signedIn, type Staffed } from './portal-context';
import { untilShown } from './service-api';

const officerRoles = ['protection-officer'] as const;
const EntryParams = Type.Object({
  entryId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,160}$' }),
  action: Type.Enum(['acknowledge', 'ownership']),
});

/** Protection officers' pages: the escalation board and the protection cases (protection service). */
export const protectionRoutes: FastifyPluginAsync<AreaOptions> = async (fastify, { sessions, api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const renderBoard = async (
    s: Staffed,
    requestId: string,
    options: { refusal?: ServiceRefusal; flash?: string } = {},
  ) => {
    const board = await api.get<{ items: BoardEntry[] }>(s.session, 'protection', '/board', requestId);
    return page(
      s.ctx,
      say(s.ctx, 'Bảng cảnh báo quá hạn', 'Escalation board'),
      boardView(s.ctx, board.items, options),
      {
        live: 'board',
      },
    );
  };

  app.get(
    '/board',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.Enum(['acknowledge', 'ownership'])) }),
      },
    },
    async (request, reply) => {
      const s = signedIn(sessions, request, officerRoles);
      const flash =
        request.query.done === 'acknowledge'
          ? say(s.ctx, 'Đã ghi nhận; cảnh báo dừng leo thang.', 'Acknowledged; the escalation stops climbing.')
          : request.query.done === 'ownership'
            ? say(s.ctx, 'Bạn đang phụ trách mục này.', 'You own this entry now.')
            : undefined;
      return sendPage(reply, await renderBoard(s, request.id, flash ? { flash } : {}));
    },
  );

  app.post(
    '/board/:entryId/:action',
    { schema: { hide: true, params: EntryParams, body: FormBody } },
    async (request, reply) => {
      const s = signedIn(sessions, request, officerRoles);
      const form = request.body as FormFields;
      const { entryId, action } = request.params;
      const note = field(form, 'note');
      const result = await api.call(s.session, 'protection', 'POST', `/board/${entryId}/${action}`, {
        ...(action === 'acknowledge' ? { body: note ? { note } : {} } : {}),
        requestId: request.id,
      });
      if (result.ok) {
        // The board follows the referral's events: show the change once it is there (at most 10 s).
        await untilShown(async () => {
          const board = await api.get<{ items: BoardEntry[] }>(s.session, 'protection', '/board', request.id);
          const entry = board.items.find((e) => e._id === entryId);
          return action === 'acknowledge' ? !!entry?.acknowledged : !!entry?.owner;
        }, 10_000);
        return reply.redirect(`/board?done=${action}#entry-${entryId}`, 303);
      }
      return sendPage(reply, await renderBoard(s, request.id, { refusal: result.problem }), result.status);
    },
  );

  app.get('/protection-cases', { schema: { hide: true } }, async (request, reply) => {
    const s = signedIn(sessions, request, officerRoles);
    const cases = await api.get<{ items: ProtectionCaseSummary[] }>(
      s.session,
      'protection',
      '/protection-cases',
      request.id,
    );
    return sendPage(
      reply,
      page(s.ctx, say(s.ctx, 'Hồ sơ bảo vệ trẻ em', 'Protection cases'), protectionCasesView(s.ctx, cases.items), {
        live: 'board',
      }),
    );
  });
};
