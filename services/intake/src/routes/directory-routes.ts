import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { FacilityDetailFields, FacilityId, Sectors } from '@ecd/contracts';
import type { FacilityDirectory } from '@ecd/referral-client';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { readerGuard, security } from './access';

export interface DirectoryRoutesOptions {
  authenticate: AuthHook;
  directory: FacilityDirectory;
}

const DirectoryEntryView = Type.Object({
  _id: Type.String(),
  name: Type.String(),
  sectors: Type.Array(Type.String()),
  services: Type.Array(Type.String()),
  unitCode: Type.String(),
  level: Type.String(),
  catchmentUnitCodes: Type.Optional(Type.Array(Type.String())),
  hours: Type.Optional(Type.String()),
  capacityNotes: Type.Optional(Type.String()),
  contact: FacilityDetailFields.contact,
  active: Type.Boolean(),
  revision: Type.Integer(),
  updatedAt: Type.String(),
});

/** The facility directory as intake knows it: where a child can be referred, for which sectors. */
export const directoryRoutes: FastifyPluginAsync<DirectoryRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { directory } = options;

  app.get(
    '/facilities',
    {
      ...readerGuard(options.authenticate),
      schema: {
        summary: 'Facilities that take referrals, from the directory (facility.registered / facility.updated)',
        tags: ['facilities'],
        security,
        description:
          'With `servesCommune`, only facilities whose catchment takes a child of that commune (the commune ' +
          'or a unit above it): the rule a referral is checked against. With `active`, only those taking ' +
          'referrals (true) or not (false). A referral form offers `active=true&sector=…&servesCommune=…`.',
        querystring: Type.Object(
          {
            sector: Type.Optional(Type.Enum(Sectors)),
            servesCommune: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(DirectoryEntryView) }), ...standardErrorResponses },
      },
    },
    async (request) => {
      const { sector, servesCommune, active } = request.query;
      return {
        items: await directory.list({
          ...(sector ? { sector } : {}),
          ...(servesCommune ? { servesCommune } : {}),
          ...(active !== undefined ? { active } : {}),
        }),
      };
    },
  );

  app.get(
    '/facilities/:facilityId',
    {
      ...readerGuard(options.authenticate),
      schema: {
        summary: 'One facility of the directory',
        tags: ['facilities'],
        security,
        params: Type.Object({ facilityId: FacilityId }, { additionalProperties: false }),
        response: { 200: DirectoryEntryView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const entry = await directory.find(request.params.facilityId);
      if (!entry) throw new HttpProblem(404, `facility ${request.params.facilityId} is not in the directory`);
      return entry;
    },
  );
};
