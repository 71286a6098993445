import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { normaliseVietnameseName } from '@ecd/screening';
import { registerChild, type ChildRecord } from '../domain/child';
import { idFromIdempotencyKey, requestFingerprint } from '../domain/idempotency';
import { PossibleDuplicateError, type ChildRepository } from '../repositories/child-repository';
import { communeStaff, readerGuard, security, writerGuard } from './access';
import { IdempotencyHeaders } from './case-schemas';
import { ChildParams, ChildSearchQuery, ChildView, DuplicateProblem, RegisterChildBody } from './child-schemas';

export interface ChildRoutesOptions {
  authenticate: AuthHook;
  children: ChildRepository;
}

/** The commune's child register: registration with a duplicate check, search, and reads. */
export const childRoutes: FastifyPluginAsync<ChildRoutesOptions> = async (fastify, { authenticate, children }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/children',
    {
      ...writerGuard(authenticate),
      config: { audit: { action: 'create', resource: 'child' } },
      schema: {
        summary: 'Register a child of your commune',
        description:
          'Refuses (409, listing them) when children with the same normalised name and date of birth are ' +
          'already registered in the commune, unless `confirmedNotDuplicate` is true. Send an Idempotency-Key ' +
          'header to make retries safe: the same key and body answer 200 with the first registration.',
        tags: ['children'],
        security,
        headers: IdempotencyHeaders,
        body: RegisterChildBody,
        response: {
          201: ChildView,
          200: ChildView,
          422: standardErrorResponses[400],
          ...standardErrorResponses,
          409: DuplicateProblem,
        },
      },
    },
    async (request, reply) => {
      const staff = communeStaff(request);
      const { confirmedNotDuplicate, ...command } = request.body;
      if (command.communeCode !== staff.unitCode) {
        throw new HttpProblem(403, `you may register only children of your commune (${staff.unitCode})`, [
          { field: 'communeCode', problem: `is not your commune (${staff.unitCode})` },
        ]);
      }
      const key = request.headers['idempotency-key'];
      const fingerprint = requestFingerprint(request.body);
      const childId = key ? idFromIdempotencyKey('child', staff.unitCode, key) : undefined;
      if (childId) {
        // A retry answers with the first registration, before the duplicate check would flag it.
        const earlier = await children.earlierRequest(staff.unitCode, childId);
        if (earlier) return replay(earlier.record, earlier.fingerprint === fingerprint);
      }
      const record = registerChild(command, {
        now: new Date(),
        registeredBy: staff.userId,
        ...(childId ? { childId } : {}),
      });
      const refuseAsDuplicate = async () => {
        const duplicates = await children.possibleDuplicates(staff.unitCode, record.nameKey, record.dateOfBirth);
        if (duplicates.length > 0) {
          return reply.status(409).send({
            statusCode: 409,
            error: 'Conflict',
            message:
              'children with the same name and date of birth are already registered in this commune; ' +
              'check them, and send confirmedNotDuplicate: true if this is a different child',
            possibleDuplicates: duplicates.map((d) => ({
              childId: d._id,
              fullName: d.fullName,
              dateOfBirth: d.dateOfBirth,
            })),
          });
        }
        return undefined;
      };
      if (confirmedNotDuplicate !== true) {
        const refused = await refuseAsDuplicate();
        if (refused) return refused;
      }
      let stored;
      try {
        stored = await children.insertOnce(record, fingerprint, confirmedNotDuplicate === true);
      } catch (error) {
        // Another registration of the same child got in between the check and the insert.
        if (!(error instanceof PossibleDuplicateError)) throw error;
        const refused = await refuseAsDuplicate();
        if (refused) return refused;
        throw error;
      }
      return stored.created ? reply.status(201).send(stored.record) : replay(stored.record, stored.sameRequest);

      function replay(earlier: ChildRecord, sameRequest: boolean) {
        if (!sameRequest) throw new HttpProblem(409, 'this Idempotency-Key was already used for a different request');
        return reply.status(200).send(earlier);
      }
    },
  );

  app.get(
    '/children',
    {
      ...readerGuard(authenticate),
      config: { audit: { action: 'search', resource: 'child' } },
      schema: {
        summary: "Search your commune's register by name (diacritics and case do not matter)",
        tags: ['children'],
        security,
        querystring: ChildSearchQuery,
        response: { 200: Type.Array(ChildView), ...standardErrorResponses },
      },
    },
    async (request) => {
      const { unitCode } = communeStaff(request);
      return children.search(unitCode, normaliseVietnameseName(request.query.q ?? ''), request.query.limit);
    },
  );

  app.get(
    '/children/:childId',
    {
      ...readerGuard(authenticate),
      config: { audit: { action: 'read', resource: 'child', param: 'childId' } },
      schema: {
        summary: 'A child of your commune’s register',
        tags: ['children'],
        security,
        params: ChildParams,
        response: { 200: ChildView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const { unitCode } = communeStaff(request);
      const child = await children.find(unitCode, request.params.childId);
      if (!child) throw new HttpProblem(404, `child ${request.params.childId} not found`);
      return child;
    },
  );
};
