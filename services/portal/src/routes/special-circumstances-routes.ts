import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { specialCircumstanceGroups } from '@ecd/screening';
import { page, say } from '../views/layout';
import type { Child, ServiceRefusal } from '../views/intake-views';
import {
  addToRegisterView,
  registerListView,
  registerSummaryView,
  type RegisterEntry,
  type RegisterSummary,
  type SubGroup,
} from '../views/register-views';
import { FormBody, field, list, type AreaOptions, type FormFields } from './area-options';
import { sendPage, signedIn, type Staffed } from './portal-context';

const officerRoles = ['protection-officer'] as const;
const readerRoles = ['protection-officer', 'commune-chairman'] as const;
const summaryRoles = ['protection-officer', 'commune-chairman', 'supervisor'] as const;
const Uuid = Type.String({ format: 'uuid' });

/** The special-circumstances register (Law on Children Art. 10) and its "cared for" summary. */
export const specialCircumstancesRoutes: FastifyPluginAsync<AreaOptions> = async (fastify, { sessions, api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const title = (s: Staffed) => say(s.ctx, 'Sổ trẻ em có hoàn cảnh đặc biệt', 'Children in special circumstances');

  app.get(
    '/special-circumstances',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          group: Type.Optional(Type.String({ pattern: '^([0-9]{2})?$' })),
          status: Type.Optional(Type.Enum(['', 'receiving-care', 'not-receiving-care'])),
          done: Type.Optional(Type.Enum(['added', 'care'])),
        }),
      },
    },
    async (request, reply) => {
      const s = signedIn(sessions, request, readerRoles);
      const { group, status, done } = request.query;
      const q = new URLSearchParams({ ...(group ? { group } : {}), ...(status ? { status } : {}) }).toString();
      const register = await api.get<{ items: RegisterEntry[] }>(
        s.session,
        'protection',
        `/special-circumstances${q ? `?${q}` : ''}`,
        request.id,
      );
      const flash =
        done === 'added'
          ? say(s.ctx, 'Đã thêm trẻ vào sổ.', 'The child is added to the register.')
          : done === 'care'
            ? say(s.ctx, 'Đã ghi nhận chăm sóc.', 'The care is recorded.')
            : undefined;
      return sendPage(
        reply,
        page(
          s.ctx,
          title(s),
          registerListView(
            s.ctx,
            register.items,
            { ...(group ? { group } : {}), ...(status ? { status } : {}) },
            flash,
          ),
        ),
      );
    },
  );

  const subGroups = async (s: Staffed, requestId: string) =>
    (await api.get<{ subGroups: SubGroup[] }>(s.session, 'protection', '/special-circumstances/groups', requestId))
      .subGroups;

  app.get(
    '/special-circumstances/new',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 120 })),
          childId: Type.Optional(Uuid),
        }),
      },
    },
    async (request, reply) => {
      const s = signedIn(sessions, request, officerRoles);
      const query = request.query.q?.trim() ?? '';
      const [found, chosen, subs] = await Promise.all([
        query
          ? api.get<Child[]>(s.session, 'intake', `/children?q=${encodeURIComponent(query)}&limit=20`, request.id)
          : undefined,
        request.query.childId
          ? api.get<Child>(s.session, 'intake', `/children/${request.query.childId}`, request.id)
          : undefined,
        subGroups(s, request.id),
      ]);
      return sendPage(
        reply,
        page(
          s.ctx,
          say(s.ctx, 'Thêm trẻ vào sổ', 'Add a child to the register'),
          addToRegisterView(s.ctx, {
            query,
            subGroups: subs,
            ...(found ? { found } : {}),
            ...(chosen ? { chosen } : {}),
          }),
        ),
      );
    },
  );

  app.post('/special-circumstances', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const s = signedIn(sessions, request, officerRoles);
    const form = request.body as FormFields;
    const provider = field(form, 'provider');
    const measures = field(form, 'measures');
    const body = {
      child: {
        fullName: (field(form, 'fullName') ?? '').normalize('NFC'),
        dateOfBirth: field(form, 'dateOfBirth') ?? '',
        sex: field(form, 'sex') ?? '',
        ...(field(form, 'village') ? { village: field(form, 'village') } : {}),
        ...(field(form, 'childId') ? { childId: field(form, 'childId') } : {}),
      },
      groups: list(form, 'groups')
        .filter((code) => specialCircumstanceGroups.some((g) => g.code === code))
        .map((code) => ({ code, ...(field(form, `sub-${code}`) ? { subGroup: field(form, `sub-${code}`) } : {}) })),
      care: {
        status: field(form, 'status') ?? '',
        since: field(form, 'since') ?? '',
        ...(provider || measures
          ? { details: { ...(provider ? { provider } : {}), ...(measures ? { measures } : {}) } }
          : {}),
      },
    };
    // The same form sent twice (a double click, a resend) is one register entry.
    const key = createHash('sha256')
      .update(`${s.session.id}\n${JSON.stringify(body)}`)
      .digest('hex')
      .slice(0, 40);
    const result = await api.call(s.session, 'protection', 'POST', '/special-circumstances', {
      body,
      headers: { 'idempotency-key': `register-${key}` },
      requestId: request.id,
    });
    if (result.ok) return reply.redirect('/special-circumstances?done=added', 303);
    const refusal: ServiceRefusal = result.problem;
    return sendPage(
      reply,
      page(
        s.ctx,
        say(s.ctx, 'Thêm trẻ vào sổ', 'Add a child to the register'),
        addToRegisterView(s.ctx, { query: '', subGroups: await subGroups(s, request.id), values: form, refusal }),
      ),
      result.status,
    );
  });

  app.post(
    '/special-circumstances/:entryId/care',
    { schema: { hide: true, params: Type.Object({ entryId: Uuid }), body: FormBody } },
    async (request, reply) => {
      const s = signedIn(sessions, request, officerRoles);
      const form = request.body as FormFields;
      const provider = field(form, 'provider');
      const measures = field(form, 'measures');
      const result = await api.call(
        s.session,
        'protection',
        'POST',
        `/special-circumstances/${request.params.entryId}/care`,
        {
          body: {
            status: field(form, 'status') ?? '',
            since: field(form, 'since') ?? '',
            ...(provider || measures
              ? { details: { ...(provider ? { provider } : {}), ...(measures ? { measures } : {}) } }
              : {}),
          },
          requestId: request.id,
        },
      );
      if (result.ok) return reply.redirect(`/special-circumstances?done=care`, 303);
      const register = await api.get<{ items: RegisterEntry[] }>(
        s.session,
        'protection',
        '/special-circumstances',
        request.id,
      );
      return sendPage(
        reply,
        page(s.ctx, title(s), registerListView(s.ctx, register.items, {}, undefined, result.problem)),
        result.status,
      );
    },
  );

  app.get('/special-circumstances/summary', { schema: { hide: true } }, async (request, reply) => {
    const s = signedIn(sessions, request, summaryRoles);
    const summary = await api.get<RegisterSummary>(
      s.session,
      'protection',
      '/special-circumstances/summary',
      request.id,
    );
    return sendPage(
      reply,
      page(
        s.ctx,
        say(s.ctx, 'Trẻ em có hoàn cảnh đặc biệt được chăm sóc', 'Children in special circumstances cared for'),
        registerSummaryView(s.ctx, summary),
      ),
    );
  });
};
