import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { screenChild, validateScreeningInput, type ScreeningInput } from '@ecd/screening';
import { caseScreenedEvent, type ScreeningRecord } from '../domain/case';
import type { OutboxRelay } from '@ecd/messaging';
import type { CaseRepository } from '../repositories/case-repository';
import type { ChildRepository } from '../repositories/child-repository';
import { communeStaff, security, writerGuard } from './access';
import { CaseParams, IdempotencyHeaders } from './case-schemas';
import { idFromIdempotencyKey, requestFingerprint } from '../domain/idempotency';
import { ScreeningBody, ScreeningView } from './screening-schemas';

export interface ScreeningRoutesOptions {
  authenticate: AuthHook;
  cases: CaseRepository;
  children: ChildRepository;
  relay: OutboxRelay;
  /** The clock; screening dates are Vietnam-local calendar dates. */
  now?: () => Date;
}

const VIETNAM_OFFSET_MS = 7 * 3_600_000;
export const vietnamToday = (now: Date) => new Date(now.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);

/** Screening a case's child: runs @ecd/screening on today's date and keeps the result on the case. */
export const screeningRoutes: FastifyPluginAsync<ScreeningRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cases, children } = options;
  const clock = options.now ?? (() => new Date());

  app.post(
    '/cases/:caseId/screenings',
    {
      ...writerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'screening', param: 'caseId' } },
      schema: {
        summary: "Screen the case's child (growth, immunisation, development, preschool, birth registration)",
        description:
          'Runs the screening on today’s date (Vietnam) with the case’s date of birth and sex, stores the ' +
          'findings and suggested referrals on the case with a timeline entry, and returns them. With an ' +
          'Idempotency-Key header a retry answers 200 with the first screening.',
        tags: ['screening'],
        security,
        params: CaseParams,
        headers: IdempotencyHeaders,
        body: ScreeningBody,
        response: { 201: ScreeningView, 200: ScreeningView, ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const staff = communeStaff(request);
      const found = await cases.find(staff.unitCode, request.params.caseId);
      if (!found) throw new HttpProblem(404, `case ${request.params.caseId} not found`);
      if (found.status === 'CLOSED') throw new HttpProblem(409, `case ${found._id} is closed: open a new case`);
      const registered = await children.find(staff.unitCode, found.childId);
      const body = request.body as Record<string, unknown> & { child?: Record<string, unknown> };
      const now = clock();
      const today = vietnamToday(now);
      const input = {
        ...body,
        child: {
          ...(registered
            ? {
                birthRegistered: registered.birthRegistered,
                ...(registered.specialCircumstances ? { specialCircumstances: registered.specialCircumstances } : {}),
                ...(registered.disability !== undefined ? { disability: registered.disability } : {}),
              }
            : {}),
          ...body.child,
          dateOfBirth: found.child.dateOfBirth,
          sex: found.child.sex,
        },
        today,
      };
      const problems = validateScreeningInput(input);
      if (problems.length > 0) {
        throw new HttpProblem(400, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
      }
      const result = screenChild(input as ScreeningInput);
      const key = request.headers['idempotency-key'];
      const screening: ScreeningRecord = {
        screeningId: key ? idFromIdempotencyKey('screening', found._id, key) : randomUUID(),
        at: now.toISOString(),
        today,
        by: staff.userId,
        ageMonths: result.ageMonths,
        findings: result.findings,
        suggestedReferrals: result.suggestedReferrals,
      };
      const stored = await cases.addScreening(staff.unitCode, found._id, screening, requestFingerprint(request.body), [
        caseScreenedEvent(found, screening, request.id),
      ]);
      if (stored?.created) options.relay.nudge();
      if (!stored) throw new HttpProblem(404, `case ${request.params.caseId} not found`);
      if (!stored.sameRequest) {
        throw new HttpProblem(409, 'this Idempotency-Key was already used for a different screening of this case');
      }
      return reply.status(stored.created ? 201 : 200).send(stored.screening);
    },
  );
};
