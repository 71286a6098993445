import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { page, say } from '../views/layout';
import {
  directoryView,
  editFacilityView,
  facilityOwners,
  type FacilityOwner,
  type OwnedFacility,
} from '../views/directory-views';
import { FormBody, field, list, type AreaOptions, type FormFields } from './area-options';
import { sendPage, signedIn, type Staffed } from './portal-context';
import { untilShown } from './service-api';

/** Who administers the service directory: the province supervisor and the commune chairman, in their area. */
const directoryRoles = ['supervisor', 'commune-chairman'] as const;
const isOwner = (value: string | undefined): value is FacilityOwner =>
  value !== undefined && Object.hasOwn(facilityOwners, value);
/** The owning services, from the one list in directory-views. */
const ownerNames = Object.keys(facilityOwners).filter(isOwner);
const Owner = Type.Enum(ownerNames);
const FacilityParams = Type.Object({ owner: Owner, facilityId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

/** A facility form as the owner's administration route takes it; empty fields are left out. */
function detailsOf(form: FormFields) {
  const catchment = (field(form, 'catchment') ?? '').split(/[\s,;]+/).filter(Boolean);
  const phone = field(form, 'phone');
  const address = field(form, 'address');
  const hours = field(form, 'hours');
  const capacityNotes = field(form, 'capacityNotes');
  return {
    name: field(form, 'name') ?? '',
    sectors: list(form, 'sectors'),
    unitCode: field(form, 'unitCode') ?? '',
    level: field(form, 'level') ?? '',
    ...(catchment.length ? { catchmentUnitCodes: catchment } : {}),
    ...(hours ? { hours } : {}),
    ...(capacityNotes ? { capacityNotes } : {}),
    ...(phone || address ? { contact: { ...(phone ? { phone } : {}), ...(address ? { address } : {}) } } : {}),
  };
}

/**
 * The service directory's administration in the portal (`/directory`): the facilities of the
 * caller's area from each owning service, registered, changed and opened or closed through the
 * owner's routes, which publish the change to every service's directory.
 */
export const directoryRoutes: FastifyPluginAsync<AreaOptions> = async (fastify, { sessions, api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const staffed = (request: Parameters<typeof signedIn>[1]) => signedIn(sessions, request, directoryRoles);
  const title = (s: Staffed) => say(s.ctx, 'Danh bạ dịch vụ', 'Service directory');

  const owned = async (s: Staffed, requestId: string) => {
    const within = encodeURIComponent(s.session.staff.unitCode ?? '');
    const lists = await Promise.all(
      ownerNames.map((o) =>
        api.get<OwnedFacility[]>(s.session, o, `/facilities${within ? `?within=${within}` : ''}`, requestId),
      ),
    );
    const byOwner: Record<FacilityOwner, OwnedFacility[]> = { health: [], education: [], welfare: [] };
    ownerNames.forEach((o, i) => (byOwner[o] = lists[i] ?? []));
    return byOwner;
  };

  const done: Record<string, [string, string]> = {
    created: [
      'Đã đăng ký cơ sở; phiếu chuyển tuyến sẽ đưa ra cơ sở này.',
      'Facility registered; referral forms will offer it.',
    ],
    updated: ['Đã lưu thông tin cơ sở.', 'Facility details saved.'],
    closed: [
      'Cơ sở đã ngừng nhận chuyển tuyến; phiếu chuyển tuyến không còn đưa ra cơ sở này.',
      'The facility takes no more referrals; referral forms no longer offer it.',
    ],
    opened: ['Cơ sở nhận chuyển tuyến trở lại.', 'The facility takes referrals again.'],
  };

  app.get(
    '/directory',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.Enum(['created', 'updated', 'closed', 'opened'])) }),
      },
    },
    async (request, reply) => {
      const s = staffed(request);
      const message = request.query.done ? done[request.query.done] : undefined;
      return sendPage(
        reply,
        page(
          s.ctx,
          title(s),
          directoryView(s.ctx, await owned(s, request.id), message ? { flash: say(s.ctx, ...message) } : {}),
        ),
      );
    },
  );

  app.post('/directory', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const s = staffed(request);
    const form = request.body as FormFields;
    const owner = field(form, 'owner');
    const result = isOwner(owner)
      ? await api.call(s.session, owner, 'POST', '/facilities', {
          body: { facilityId: field(form, 'facilityId') ?? '', ...detailsOf(form) },
          requestId: request.id,
        })
      : undefined;
    if (result?.ok) return reply.redirect('/directory?done=created', 303);
    const refusal = result?.problem ?? {
      statusCode: 400,
      message: say(s.ctx, 'Hãy chọn ngành quản lý', 'Choose the owning service'),
      problems: [{ field: 'owner', problem: ownerNames.join(' | ') }],
    };
    return sendPage(
      reply,
      page(s.ctx, title(s), directoryView(s.ctx, await owned(s, request.id), { refusal, values: form })),
      result?.status ?? 400,
    );
  });

  app.get(
    '/directory/:owner/:facilityId',
    { schema: { hide: true, params: FacilityParams } },
    async (request, reply) => {
      const s = staffed(request);
      const { owner, facilityId } = request.params;
      const facility = await api.get<OwnedFacility>(s.session, owner, `/facilities/${facilityId}`, request.id);
      return sendPage(reply, page(s.ctx, facility.name, editFacilityView(s.ctx, owner, facility)));
    },
  );

  app.post(
    '/directory/:owner/:facilityId',
    { schema: { hide: true, params: FacilityParams, body: FormBody } },
    async (request, reply) => {
      const s = staffed(request);
      const form = request.body as FormFields;
      const { owner, facilityId } = request.params;
      const result = await api.call(s.session, owner, 'PUT', `/facilities/${facilityId}`, {
        body: { ...detailsOf(form), revision: Number(field(form, 'revision') ?? '0') },
        requestId: request.id,
      });
      if (result.ok) return reply.redirect('/directory?done=updated', 303);
      // Shown again from what is held now (a stale revision names the newer one), with what was typed.
      const facility = await api.get<OwnedFacility>(s.session, owner, `/facilities/${facilityId}`, request.id);
      return sendPage(
        reply,
        page(s.ctx, facility.name, editFacilityView(s.ctx, owner, facility, { refusal: result.problem, values: form })),
        result.status,
      );
    },
  );

  app.post(
    '/directory/:owner/:facilityId/status',
    { schema: { hide: true, params: FacilityParams, body: FormBody } },
    async (request, reply) => {
      const s = staffed(request);
      const form = request.body as FormFields;
      const { owner, facilityId } = request.params;
      const active = field(form, 'active') === 'true';
      const result = await api.call<OwnedFacility>(s.session, owner, 'POST', `/facilities/${facilityId}/status`, {
        body: { active, revision: Number(field(form, 'revision') ?? '0') },
        requestId: request.id,
      });
      if (result.ok) {
        await untilShown(async () => {
          const now = await api.get<OwnedFacility>(s.session, owner, `/facilities/${facilityId}`, request.id);
          return now.active === active;
        });
        return reply.redirect(`/directory?done=${active ? 'opened' : 'closed'}#owner-${owner}`, 303);
      }
      return sendPage(
        reply,
        page(s.ctx, title(s), directoryView(s.ctx, await owned(s, request.id), { refusal: result.problem })),
        result.status,
      );
    },
  );
};
