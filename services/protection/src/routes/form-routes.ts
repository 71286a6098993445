import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpProblem, signedInStaff, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { FormNumbers, formContent, formSources } from '../forms/decree56-forms';
import { renderFormPdf } from '../forms/decree56-pdf';
import type { ProtectionCaseRepository } from '../repositories/protection-case-repository';
import type { PrintoutLog } from '../repositories/printout-log';
import { communeStaff, security } from './access';
import { requireRoleOnCase } from './protection-case-routes';

export interface FormRoutesOptions {
  authenticate: AuthHook;
  cases: ProtectionCaseRepository;
  printouts: PrintoutLog;
  /** The name of an administrative unit ("Xã Y Tý"), from the administrative data. */
  unitName: (unitCode: string) => Promise<string>;
}

const readerRoles = ['protection-officer', 'commune-chairman'];

const FormParams = Type.Object(
  { caseId: Type.String({ format: 'uuid' }), form: Type.Enum(FormNumbers, { description: 'Mẫu số 01–06' }) },
  { additionalProperties: false },
);

/**
 * Decree 56 forms 01–06 as PDFs, printed on the server from the sealed record, for the same
 * people who may read the case (its team and the commune chairman). Every request is recorded
 * in the printout log, refusals included.
 */
export const formRoutes: FastifyPluginAsync<FormRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cases, printouts } = options;

  app.get(
    '/protection-cases/:caseId/forms/:form',
    {
      // Roles are checked in the handler, so that a refused role is in the printout log too.
      onRequest: [options.authenticate],
      schema: {
        summary: 'Print a Decree 56 form (Mẫu 01–06) of the case as a PDF',
        description:
          'Filled from the sealed record; only the officers on the case and the commune chairman may print it. ' +
          'Answers 409 while the step the form records has not been done. Every request is audited.',
        tags: ['protection cases'],
        security,
        params: FormParams,
        // The PDF is the 200 answer only; refusals are the JSON problems every route answers.
        response: {
          200: {
            description: 'The form as a PDF',
            content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
          },
          ...standardErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const staff = signedInStaff(request);
      const { caseId, form } = request.params;
      const audit = (status: number) =>
        printouts.append({
          at: new Date().toISOString(),
          actor: {
            userId: staff.userId,
            role: staff.role,
            ...(staff.unitCode ? { unitCode: staff.unitCode } : {}),
          },
          protectionCaseId: caseId,
          form,
          status,
          requestId: request.id,
          ip: request.ip,
        });
      try {
        if (!readerRoles.includes(staff.role)) {
          throw new HttpProblem(
            403,
            'only the protection officers on the case and the commune chairman print its forms',
          );
        }
        const commune = communeStaff(request);
        const record = await cases.find(commune.unitCode, caseId);
        if (!record) throw new HttpProblem(404, `protection case ${caseId} not found`);
        requireRoleOnCase(record, commune);
        const missing = formSources[form].filter((f) => !record.sealed?.[f]);
        if (missing.length > 0) {
          throw new HttpProblem(409, `form ${form} records a step not done yet (missing: ${missing.join(', ')})`);
        }
        const communeName = await options.unitName(record.communeCode);
        const content = formContent(
          form,
          {
            caseId: record._id,
            communeName,
            source: record.source,
            receivedAt: record.receivedAt,
            seriousRisk: record.seriousRisk,
            forms: cases.details(record),
          },
          new Date().toISOString(),
        );
        const pdf = await renderFormPdf(content, communeName);
        await audit(200);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="mau-${form}-${caseId.slice(0, 8)}.pdf"`)
          .header('cache-control', 'no-store')
          .send(pdf);
      } catch (error) {
        await audit(error instanceof HttpProblem ? error.statusCode : 500);
        throw error;
      }
    },
  );
};
