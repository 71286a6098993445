import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { checkPastDate, recordConsent, type ConsentRecord } from '../domain/consent';
import { idFromIdempotencyKey, requestFingerprint } from '../domain/idempotency';
import type { CaseRepository } from '../repositories/case-repository';
import type { ChildRepository } from '../repositories/child-repository';
import type { ConsentRepository } from '../repositories/consent-repository';
import { communeStaff, readerGuard, security, writerGuard } from './access';
import { IdempotencyHeaders } from './case-schemas';
import { ChildParams } from './child-schemas';
import { ConsentParams, ConsentView, RecordConsentBody, WithdrawConsentBody } from './consent-schemas';

export interface ConsentRoutesOptions {
  authenticate: AuthHook;
  children: ChildRepository;
  cases: CaseRepository;
  consents: ConsentRepository;
}

const view = (consent: ConsentRecord) => ({ ...consent, inForce: !consent.withdrawal });

/**
 * Consent to share a child's data with sectors. Referrals to a sector need a consent in force that
 * names it (protection excepted); a withdrawal stops every later referral to the sectors it covered.
 */
export const consentRoutes: FastifyPluginAsync<ConsentRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { children, cases, consents } = options;

  /** The child's date of birth, from the register or from a case of the commune. */
  async function childOfCommune(communeCode: string, childId: string): Promise<{ dateOfBirth: string }> {
    const child = (await children.find(communeCode, childId)) ?? (await cases.childOfCase(communeCode, childId));
    if (!child) throw new HttpProblem(404, `child ${childId} not found`);
    return child;
  }

  app.post(
    '/children/:childId/consents',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'create', resource: 'consent', param: 'childId' } },
      schema: {
        summary: 'Record a parent’s or guardian’s consent to share the child’s data with sectors',
        description:
          'From the child’s 7th birthday the child must agree too (`childAssent: true`). Send an ' +
          'Idempotency-Key header to make retries safe: the same key and body answer 200 with the first record.',
        tags: ['consent'],
        security,
        params: ChildParams,
        headers: IdempotencyHeaders,
        body: RecordConsentBody,
        response: { 201: ConsentView, 200: ConsentView, 422: standardErrorResponses[400], ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const staff = communeStaff(request);
      const { childId } = request.params;
      const child = await childOfCommune(staff.unitCode, childId);
      const key = request.headers['idempotency-key'];
      const consentId = key ? idFromIdempotencyKey('consent', staff.unitCode, childId, key) : randomUUID();
      const record = recordConsent(request.body, {
        consentId,
        childId,
        communeCode: staff.unitCode,
        dateOfBirth: child.dateOfBirth,
        now: new Date(),
        recordedBy: staff.userId,
      });
      const fingerprint = requestFingerprint(request.body);
      const stored = await consents.insertOnce(record, fingerprint);
      if (!stored.sameRequest) {
        throw new HttpProblem(409, 'this Idempotency-Key was already used for a different request');
      }
      return reply.status(stored.created ? 201 : 200).send(view(stored.record));
    },
  );

  app.get(
    '/children/:childId/consents',
    {
      ...readerGuard(options.authenticate),
      config: { audit: { action: 'read', resource: 'consent', param: 'childId' } },
      schema: {
        summary: 'The child’s consents, in force and withdrawn',
        tags: ['consent'],
        security,
        params: ChildParams,
        response: { 200: Type.Array(ConsentView), ...standardErrorResponses },
      },
    },
    async (request) => {
      const { unitCode } = communeStaff(request);
      await childOfCommune(unitCode, request.params.childId);
      return (await consents.forChild(unitCode, request.params.childId)).map(view);
    },
  );

  app.post(
    '/children/:childId/consents/:consentId/withdraw',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'consent', param: 'childId' } },
      schema: {
        summary: 'Record that consent was withdrawn: no further referral shares the child’s data with its sectors',
        description:
          'Referrals already made stay with their facilities (withdraw them on the case if the family asks); ' +
          'new referrals to the sectors it covered are refused until a new consent is recorded.',
        tags: ['consent'],
        security,
        params: ConsentParams,
        body: WithdrawConsentBody,
        response: { 200: ConsentView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = communeStaff(request);
      const { childId, consentId } = request.params;
      const consent = await consents.find(staff.unitCode, childId, consentId);
      if (!consent) throw new HttpProblem(404, `consent ${consentId} not found for child ${childId}`);
      const { withdrawnBy, withdrawnOn, reason } = request.body;
      const now = new Date();
      checkPastDate(withdrawnOn, 'withdrawnOn', now);
      if (withdrawnOn < consent.givenOn) {
        throw new HttpProblem(400, 'withdrawnOn is before the consent was given', [
          { field: 'withdrawnOn', problem: `is before the consent was given (${consent.givenOn})` },
        ]);
      }
      const withdrawal = {
        on: withdrawnOn,
        by: withdrawnBy,
        reason,
        recordedAt: now.toISOString(),
        recordedBy: staff.userId,
      };
      if (!(await consents.withdraw(staff.unitCode, childId, consentId, withdrawal))) {
        throw new HttpProblem(409, `consent ${consentId} was already withdrawn`);
      }
      return view({ ...consent, withdrawal });
    },
  );
};
