import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { FacilityDetailFields, FacilityId, type FieldProblem, type Sector } from '@ecd/contracts';
import {
  HttpProblem,
  requireRole,
  signedInStaff,
  standardErrorResponses,
  type AuthHook,
  type StaffIdentity,
} from '@ecd/service-kit';
import { isWithinArea, type Actor } from '@ecd/referral-client';
import type { Facility, FacilityRegister, RegisterChange, RegisteredFacility } from './facility-register';
import { FacilityParams, FacilityView } from './inbox-schemas';

/**
 * Who administers the service directory, and where: the province supervisor every facility of
 * the province, the commune chairman those of the commune (Decree 56: the commune People's
 * Committee organises the commune's services for children; the province oversees them). A
 * facility's own manager opens and closes it to referrals, nothing more.
 */
export const directoryAdministratorRoles = ['supervisor', 'commune-chairman'] as const;
const facilityManagerRoles: readonly string[] = ['facility-manager', 'school-principal'];

const Revision = Type.Integer({ minimum: 1, description: 'The revision the change was made from (409 when stale)' });

/** A new facility: its code and its details; `services` left out gives every service of the sector. */
export const CreateFacilityBody = Type.Object(
  { facilityId: FacilityId, ...FacilityDetailFields, services: Type.Optional(FacilityDetailFields.services) },
  { additionalProperties: false },
);
/** The whole of a facility's details, from the revision the page showed. */
export const UpdateFacilityBody = Type.Object(
  { ...FacilityDetailFields, services: Type.Optional(FacilityDetailFields.services), revision: Revision },
  { additionalProperties: false },
);
/** Opening or closing a facility to referrals (the directory follows). */
export const FacilityStatusBody = Type.Object(
  {
    active: Type.Boolean({ description: 'false: the facility takes no referrals until opened again' }),
    revision: Type.Optional(Revision),
  },
  { additionalProperties: false },
);

export interface FacilityAdminRoutesOptions {
  authenticate: AuthHook;
  facilities: FacilityRegister;
  /** The owning sector service (health, education, …): what `sector` its facilities carry. */
  sector: string;
  /** Sectors its facilities may take referrals for (a health station: health and nutrition). */
  servesSectors: readonly Sector[];
  /** Woken after a register change so the directory event leaves at once. */
  relay: { nudge(): void };
}

const actorOf = (staff: StaffIdentity): Actor => ({
  userId: staff.userId,
  role: staff.role,
  ...(staff.unitCode ? { unitCode: staff.unitCode } : {}),
  ...(staff.facilityId ? { facilityId: staff.facilityId } : {}),
});

/** The area a directory administrator answers for (their province or commune). */
function areaOf(request: FastifyRequest): { staff: StaffIdentity; area: string } {
  const staff = signedInStaff(request);
  const pattern = staff.role === 'supervisor' ? /^[0-9]{2}$/ : /^[0-9]{5}$/;
  if (!staff.unitCode || !pattern.test(staff.unitCode)) {
    throw new HttpProblem(
      403,
      `your account is not attached to a ${staff.role === 'supervisor' ? 'province' : 'commune'}`,
    );
  }
  return { staff, area: staff.unitCode };
}

/** 403 naming the field when a unit named is outside the administrator's area. */
function requireWithinArea(area: string, fields: { unitCode: string; catchmentUnitCodes?: readonly string[] }) {
  const problems: FieldProblem[] = [];
  if (!isWithinArea(fields.unitCode, area)) {
    problems.push({ field: 'unitCode', problem: `is outside your area ${area}: ${fields.unitCode}` });
  }
  for (const [i, code] of (fields.catchmentUnitCodes ?? []).entries()) {
    if (!isWithinArea(code, area)) {
      problems.push({ field: `catchmentUnitCodes/${i}`, problem: `is outside your area ${area}: ${code}` });
    }
  }
  if (problems.length) {
    throw new HttpProblem(403, `you administer facilities of ${area} only`, problems);
  }
}

/**
 * The service directory's administration, mounted by every service that owns facilities: list,
 * read, register, change details (from a revision) and open or close to referrals. Every change
 * goes out through the outbox as the facility's whole entry (`facility.registered` /
 * `facility.updated`), so intake's and protection's directories follow; every change is audited.
 */
export const facilityAdminRoutes: FastifyPluginAsync<FacilityAdminRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { facilities, sector, servesSectors, relay } = options;
  const security = [{ bearer: [] }];
  const administrators = { onRequest: [options.authenticate, requireRole(...directoryAdministratorRoles)] };

  /** 422 naming the field for sectors and services this owner does not give. */
  const requireOwnerOffers = (body: { sectors: readonly string[]; services?: readonly string[] | undefined }) => {
    const problems: FieldProblem[] = [];
    for (const [i, s] of body.sectors.entries()) {
      if (!servesSectors.some((served) => served === s)) {
        problems.push({
          field: `sectors/${i}`,
          problem: `is not a sector the ${sector} service takes referrals for (${servesSectors.join(', ')}): ${s}`,
        });
      }
    }
    for (const [i, service] of (body.services ?? []).entries()) {
      if (!facilities.services.includes(service)) {
        problems.push({
          field: `services/${i}`,
          problem: `is not a service the ${sector} service records (${facilities.services.join(', ')}): ${service}`,
        });
      }
    }
    if (problems.length) throw new HttpProblem(422, `the ${sector} service cannot offer this`, problems);
  };

  const changed = (result: RegisterChange, facilityId: string): RegisteredFacility => {
    if (result.outcome === 'missing') throw new HttpProblem(404, `facility ${facilityId} not found`);
    if (result.outcome === 'stale') {
      throw new HttpProblem(
        409,
        `facility ${facilityId} was changed meanwhile (now at revision ${result.current.revision}): reload it and apply your change again`,
        [{ field: 'revision', problem: `is not the current revision ${result.current.revision}` }],
      );
    }
    relay.nudge();
    return result.facility;
  };

  app.get(
    '/facilities',
    {
      onRequest: [options.authenticate],
      schema: {
        summary: `Facilities of the ${sector} service, as administered (the directory's source)`,
        description: 'With `within`, only those sited in that unit or a unit within it (an administrator’s area).',
        tags: ['facilities'],
        security,
        querystring: Type.Object(
          { within: Type.Optional(Type.String({ pattern: '^[0-9]{2,5}$' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(FacilityView), ...standardErrorResponses },
      },
    },
    async (request) => {
      const { within } = request.query;
      const all = await facilities.list();
      return within ? all.filter((f) => isWithinArea(f.unitCode, within)) : all;
    },
  );

  app.get(
    '/facilities/:facilityId',
    {
      onRequest: [options.authenticate],
      schema: {
        summary: 'One facility, with the revision a change must name',
        tags: ['facilities'],
        security,
        params: FacilityParams,
        response: { 200: FacilityView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const found = await facilities.find(request.params.facilityId);
      if (!found) throw new HttpProblem(404, `facility ${request.params.facilityId} not found`);
      return found;
    },
  );

  app.post(
    '/facilities',
    {
      ...administrators,
      config: { audit: { action: 'create', resource: 'facility' } },
      schema: {
        summary: 'Register a facility in the service directory (province supervisor, commune chairman)',
        description:
          'Within the caller’s area only (403 naming unitCode or a catchment unit outside it). Sectors and ' +
          'services must be ones this service gives (422). Announced as facility.registered.v1.',
        tags: ['facilities'],
        security,
        body: CreateFacilityBody,
        response: { 201: FacilityView, ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const { staff, area } = areaOf(request);
      const { facilityId, ...details } = request.body;
      requireWithinArea(area, details);
      requireOwnerOffers(details);
      const facility: Facility = { _id: facilityId, sector, ...details };
      const created = await facilities.create(facility, actorOf(staff));
      if (!created) {
        throw new HttpProblem(409, `facility code ${facilityId} is taken`, [
          { field: 'facilityId', problem: `is already registered: ${facilityId}` },
        ]);
      }
      relay.nudge();
      return reply.status(201).send(created);
    },
  );

  app.put(
    '/facilities/:facilityId',
    {
      ...administrators,
      config: { audit: { action: 'update', resource: 'facility', param: 'facilityId' } },
      schema: {
        summary: 'Change a facility’s details (all of them), from the revision last read',
        description:
          '409 naming revision when someone changed it meanwhile. The active flag changes through ' +
          '/status. Announced as facility.updated.v1; the directories follow.',
        tags: ['facilities'],
        security,
        params: FacilityParams,
        body: UpdateFacilityBody,
        response: { 200: FacilityView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { staff, area } = areaOf(request);
      const { facilityId } = request.params;
      const current = await facilities.find(facilityId);
      if (!current) throw new HttpProblem(404, `facility ${facilityId} not found`);
      requireWithinArea(area, { unitCode: current.unitCode });
      const { revision, ...details } = request.body;
      requireWithinArea(area, details);
      requireOwnerOffers(details);
      return changed(await facilities.update(facilityId, details, revision, actorOf(staff)), facilityId);
    },
  );

  app.post(
    '/facilities/:facilityId/status',
    {
      onRequest: [options.authenticate],
      config: { audit: { action: 'update', resource: 'facility', param: 'facilityId' } },
      schema: {
        summary: 'Open or close a facility to referrals',
        description:
          'By a directory administrator of its area, or the facility’s own manager. A closed facility takes ' +
          'no new referrals: intake and protection refuse them (409) and referral forms stop offering it once ' +
          'the directory has the change (facility.updated on ecd.facilities.v1). Referrals it holds go on.',
        tags: ['facilities'],
        security,
        params: FacilityParams,
        body: FacilityStatusBody,
        response: { 200: FacilityView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = signedInStaff(request);
      const { facilityId } = request.params;
      if (facilityManagerRoles.includes(staff.role)) {
        if (staff.facilityId !== facilityId) {
          throw new HttpProblem(403, 'you manage another facility', [
            { field: 'facilityId', problem: `is not your facility (${staff.facilityId ?? 'none'})` },
          ]);
        }
      } else if (directoryAdministratorRoles.some((role) => role === staff.role)) {
        const { area } = areaOf(request);
        const current = await facilities.find(facilityId);
        if (!current) throw new HttpProblem(404, `facility ${facilityId} not found`);
        requireWithinArea(area, { unitCode: current.unitCode });
      } else {
        throw new HttpProblem(
          403,
          'only a directory administrator (province supervisor, commune chairman) or the facility’s manager opens or closes it',
        );
      }
      const { active, revision } = request.body;
      return changed(await facilities.setActive(facilityId, active, actorOf(staff), revision), facilityId);
    },
  );
};
