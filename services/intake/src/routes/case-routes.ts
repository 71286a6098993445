import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HttpProblem, standardErrorResponses } from '@ecd/service-kit';
import type { OutboxRelay } from '@ecd/messaging';
import { openCase } from '../domain/case';
import { IdempotencyConflictError, type CaseRepository } from '../repositories/case-repository';
import { CaseParams, CaseView, IdempotencyHeaders, OpenCaseBody } from './case-schemas';

export interface CaseRoutesOptions {
  cases: CaseRepository;
  relay: OutboxRelay;
}

export const caseRoutes: FastifyPluginAsync<CaseRoutesOptions> = async (fastify, { cases, relay }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/cases',
    {
      schema: {
        summary: 'Open a case for a child',
        description:
          'Writes the case and its `case.opened` event in one write. Send an Idempotency-Key header to make retries safe.',
        tags: ['cases'],
        body: OpenCaseBody,
        headers: IdempotencyHeaders,
        response: { 201: CaseView, 200: CaseView, 422: standardErrorResponses[400], ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { record, events } = openCase(request.body, {
        now: new Date(),
        idempotencyKey: key,
        correlationId: request.id,
      });
      const fingerprint = createHash('sha256').update(JSON.stringify(request.body)).digest('hex');
      try {
        const result = await cases.insertWithEvents(record, events, fingerprint);
        if (result.created) relay.nudge();
        return reply.status(result.created ? 201 : 200).send(result.record);
      } catch (error) {
        if (error instanceof IdempotencyConflictError) throw new HttpProblem(409, error.message);
        throw error;
      }
    },
  );

  app.get(
    '/cases/:caseId',
    {
      schema: {
        summary: 'Read a case with its timeline',
        tags: ['cases'],
        params: CaseParams,
        response: { 200: CaseView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const found = await cases.findById(request.params.caseId);
      if (!found) throw new HttpProblem(404, `case ${request.params.caseId} not found`);
      return found;
    },
  );
};
