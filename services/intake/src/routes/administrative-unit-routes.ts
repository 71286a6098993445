import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AdministrativeUnitFields } from '@ecd/contracts';
import type { AdministrativeUnitRegister } from '@ecd/referral-client';
import { HttpProblem, requireRole, signedInStaff, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import {
  asFieldProblems,
  checkUnitImport,
  IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
} from '../domain/administrative-unit-import';
import { idFromIdempotencyKey } from '../domain/idempotency';
import { AdministrativeUnitImportRepository } from '../repositories/administrative-unit-import-repository';
import { security } from './access';
import { IdempotencyHeaders } from './case-schemas';

export interface AdministrativeUnitRoutesOptions {
  authenticate: AuthHook;
  units: AdministrativeUnitRegister;
  imports: AdministrativeUnitImportRepository;
  /** Wakes the outbox relay, so the import's events leave at once. */
  relay: { nudge(): void };
}

const ImportView = Type.Object({
  importId: Type.String(),
  at: Type.String(),
  units: Type.Array(Type.Object(AdministrativeUnitFields)),
});

const UnitView = Type.Object({ ...AdministrativeUnitFields, communes: Type.Optional(Type.Integer()) });

/**
 * Administrative units as reference data administered in the product: an administrator imports a
 * CSV (new communes, renamed wards, units moved); every service that holds a ladder applies the
 * `administrative-unit.updated` events, on top of the official list shipped with the product.
 */
export const administrativeUnitRoutes: FastifyPluginAsync<AdministrativeUnitRoutesOptions> = async (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { units, imports } = options;
  // The file is read as text; csv-parse reads it (quoted names with commas, a BOM from Excel).
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/administrative-units/imports',
    {
      onRequest: [options.authenticate, requireRole('reference-data-administrator')],
      config: { audit: { action: 'create', resource: 'administrative-unit-import' } },
      schema: {
        summary: 'Import administrative units from a CSV (code,name,level,parent_code): all rows or none',
        description:
          `Content-Type text/csv, a header row \`${IMPORT_COLUMNS.join(',')}\`, at most ${MAX_IMPORT_ROWS} rows. ` +
          'A row adds a unit or replaces the unit with its code. Every problem names its row (1 is the header) ' +
          'and column; if any row is bad nothing is applied. An administrator attached to a unit changes only ' +
          'units within it. Each unit is announced as administrative-unit.updated.v1 on ecd.administrative-units.v1.',
        tags: ['administrative units'],
        security,
        headers: IdempotencyHeaders,
        body: Type.String({ minLength: 1 }),
        response: { 201: ImportView, 200: ImportView, ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const staff = signedInStaff(request);
      const importId = request.headers['idempotency-key']
        ? idFromIdempotencyKey('administrative-units', staff.userId, request.headers['idempotency-key'])
        : crypto.randomUUID();
      const earlier = await imports.find(importId);
      if (earlier) return reply.code(200).send({ importId, at: earlier.at, units: earlier.units });

      const check = checkUnitImport(request.body, await units.ladder(), staff.unitCode);
      if (!check.ok) {
        const first = check.problems[0]!;
        throw new HttpProblem(
          400,
          `the import was not applied: row ${first.row}, column ${first.column}: ${first.problem}` +
            (check.problems.length > 1 ? ` (and ${check.problems.length - 1} more)` : ''),
          asFieldProblems(check.problems),
        );
      }
      const record = {
        _id: importId,
        at: new Date().toISOString(),
        by: {
          userId: staff.userId,
          role: staff.role,
          ...(staff.unitCode ? { unitCode: staff.unitCode } : {}),
        },
        units: check.units,
      };
      await imports.insert(record);
      options.relay.nudge();
      // This instance scopes by the import at once; the others (and the other services) follow the events.
      for (const event of AdministrativeUnitImportRepository.events(record)) await units.apply(event);
      return reply.code(201).send({ importId, at: record.at, units: record.units });
    },
  );

  app.get(
    '/administrative-units/:code',
    {
      onRequest: [options.authenticate],
      schema: {
        summary: 'One administrative unit as this deployment knows it (official list plus imports)',
        tags: ['administrative units'],
        security,
        params: Type.Object({ code: AdministrativeUnitFields.code }, { additionalProperties: false }),
        response: { 200: UnitView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const ladder = await units.ladder();
      if (!ladder.has(request.params.code)) {
        throw new HttpProblem(404, `administrative unit ${request.params.code} is not known`);
      }
      const unit = ladder.unit(request.params.code);
      const communes = ladder.unitsWithin(unit.code).filter((u) => u.level === 'commune').length;
      return { ...unit, ...(unit.level === 'commune' ? {} : { communes }) };
    },
  );
};
