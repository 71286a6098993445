import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpProblem, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import { specialCircumstanceGroups } from '@ecd/screening';
import { checkGroup, specialCircumstanceSubGroups } from '../domain/special-circumstances';
import { CareStatuses, type SpecialCircumstanceRegister } from '../repositories/special-circumstance-register';
import { RequiredIdempotencyHeaders } from './protection-case-schemas';
import { idFromKey } from './protection-case-routes';
import { caseReaderGuard, caseWorkerGuard, communeStaff, security, summaryGuard, unitStaff } from './access';

export interface RegisterRoutesOptions {
  authenticate: AuthHook;
  register: SpecialCircumstanceRegister;
  /** The communes within a unit (the unit itself when it is a commune), from the administrative data. */
  communesIn: (unitCode: string) => Promise<string[]>;
}

const GroupCode = Type.String({ pattern: '^[0-9]{2}$', description: 'Law on Children Art. 10(1) item, 01–14' });
const Group = Type.Object(
  { code: GroupCode, subGroup: Type.Optional(Type.String({ pattern: '^[0-9]{2}\\.[a-z]$' })) },
  { additionalProperties: false },
);
const CareDetails = Type.Object(
  {
    provider: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    measures: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const Care = Type.Object(
  { status: Type.Enum(CareStatuses), since: Type.String({ format: 'date' }), details: Type.Optional(CareDetails) },
  { additionalProperties: false },
);
const AddEntryBody = Type.Object(
  {
    child: Type.Object(
      {
        fullName: Type.String({ minLength: 1, maxLength: 120, pattern: "^[\\p{L}\\p{M}][\\p{L}\\p{M} '\\-]*$" }),
        dateOfBirth: Type.String({ format: 'date' }),
        sex: Type.Enum(['female', 'male']),
        village: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
        childId: Type.Optional(Type.String({ format: 'uuid' })),
      },
      { additionalProperties: false },
    ),
    groups: Type.Array(Group, { minItems: 1, maxItems: 14 }),
    care: Care,
  },
  { additionalProperties: false },
);
const EntryParams = Type.Object({ registerEntryId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const ListQuery = Type.Object(
  { group: Type.Optional(GroupCode), status: Type.Optional(Type.Enum(CareStatuses)) },
  { additionalProperties: false },
);
const EntryView = Type.Object({
  _id: Type.String(),
  communeCode: Type.String(),
  childId: Type.Optional(Type.String()),
  birthYear: Type.Integer(),
  sex: Type.String(),
  child: Type.Object({
    fullName: Type.String(),
    dateOfBirth: Type.String(),
    village: Type.Optional(Type.String()),
  }),
  groups: Type.Array(Type.Object({ code: Type.String(), subGroup: Type.Optional(Type.String()) })),
  care: Type.Object({ status: Type.String(), since: Type.String() }),
  careDetails: Type.Optional(CareDetails),
  recordedBy: Type.String(),
  updatedAt: Type.String(),
});
const Summary = Type.Object({
  unitCode: Type.String(),
  children: Type.Integer(),
  receivingCare: Type.Integer(),
  caredForShare: Type.Union([Type.Number(), Type.Null()]),
  groups: Type.Array(Type.Object({ code: Type.String(), children: Type.Integer(), receivingCare: Type.Integer() })),
  communes: Type.Optional(
    Type.Array(
      Type.Object({
        unitCode: Type.String(),
        children: Type.Integer(),
        receivingCare: Type.Integer(),
        caredForShare: Type.Union([Type.Number(), Type.Null()]),
      }),
      { description: 'Above a commune (a province supervisor): the same figures per commune' },
    ),
  ),
});

/** The special-circumstances register of the caller's commune, and its care indicator by area. */
export const registerRoutes: FastifyPluginAsync<RegisterRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { register } = options;

  app.get(
    '/special-circumstances/groups',
    {
      ...summaryGuard(options.authenticate),
      schema: {
        summary: 'The 14 groups (Law on Children Art. 10) and their sub-groups',
        tags: ['register'],
        security,
        response: {
          200: Type.Object({ groups: Type.Array(Type.Unknown()), subGroups: Type.Array(Type.Unknown()) }),
          ...standardErrorResponses,
        },
      },
    },
    async () => ({ groups: [...specialCircumstanceGroups], subGroups: [...specialCircumstanceSubGroups] }),
  );

  app.post(
    '/special-circumstances',
    {
      ...caseWorkerGuard(options.authenticate),
      config: { audit: { action: 'create', resource: 'register-entry' } },
      schema: {
        summary: 'Add a child in special circumstances to your commune’s register',
        description:
          'The entry id comes from the commune and the Idempotency-Key header: a retry with the same key and ' +
          'body answers 200 with the entry as it is now; the same key with another body answers 409.',
        tags: ['register'],
        security,
        headers: RequiredIdempotencyHeaders,
        body: AddEntryBody,
        response: { 201: EntryView, 200: EntryView, ...standardErrorResponses },
      },
    },
    async (request, reply) => {
      const staff = communeStaff(request);
      const { child, groups, care } = request.body;
      const problems = groups.flatMap((g, i) => checkGroup(g.code, g.subGroup, `groups.${i}`));
      if (problems.length > 0) throw new HttpProblem(400, 'invalid groups', problems);
      const id = idFromKey(`special-circumstances:${staff.unitCode}`, request.headers['idempotency-key']);
      const fingerprint = createHash('sha256').update(JSON.stringify(request.body)).digest('hex');
      const { details, ...status } = care;
      const { created, sameRequest } = await register.add(
        {
          _id: id,
          communeCode: staff.unitCode,
          ...(child.childId ? { childId: child.childId } : {}),
          birthYear: Number(child.dateOfBirth.slice(0, 4)),
          sex: child.sex,
          groups,
          care: status,
          recordedBy: staff.userId,
          updatedAt: new Date().toISOString(),
        },
        {
          fullName: child.fullName,
          dateOfBirth: child.dateOfBirth,
          ...(child.village ? { village: child.village } : {}),
        },
        details,
        fingerprint,
      );
      if (!sameRequest) throw new HttpProblem(409, 'this Idempotency-Key was already used for a different entry');
      return reply.status(created ? 201 : 200).send((await register.find(staff.unitCode, id))!);
    },
  );

  app.post(
    '/special-circumstances/:registerEntryId/care',
    {
      ...caseWorkerGuard(options.authenticate),
      config: { audit: { action: 'update', resource: 'register-entry', param: 'registerEntryId' } },
      schema: {
        summary: 'Record whether the child is receiving care or support now',
        tags: ['register'],
        security,
        params: EntryParams,
        body: Care,
        response: { 200: EntryView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = communeStaff(request);
      const { details, ...status } = request.body;
      if (!(await register.updateCare(staff.unitCode, request.params.registerEntryId, status, details))) {
        throw new HttpProblem(404, `register entry ${request.params.registerEntryId} not found in your commune`);
      }
      return (await register.find(staff.unitCode, request.params.registerEntryId))!;
    },
  );

  app.get(
    '/special-circumstances',
    {
      ...caseReaderGuard(options.authenticate),
      config: { audit: { action: 'search', resource: 'register-entry' } },
      schema: {
        summary: 'Your commune’s register, optionally by group or care status',
        tags: ['register'],
        security,
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(EntryView) }), ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = communeStaff(request);
      return {
        items: await register.list(staff.unitCode, {
          ...(request.query.group ? { group: request.query.group } : {}),
          ...(request.query.status ? { status: request.query.status } : {}),
        }),
      };
    },
  );

  app.get(
    '/special-circumstances/summary',
    {
      ...summaryGuard(options.authenticate),
      schema: {
        summary: 'Children in special circumstances in your area, and how many receive care, per group (no names)',
        tags: ['register'],
        security,
        response: { 200: Summary, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = unitStaff(request);
      const communes = await options.communesIn(staff.unitCode);
      const whole = await register.summary(communes);
      if (communes.length === 1 && communes[0] === staff.unitCode) return { unitCode: staff.unitCode, ...whole };
      const perCommune = await Promise.all(
        communes.map(async (unitCode) => {
          const { children, receivingCare, caredForShare } = await register.summary([unitCode]);
          return { unitCode, children, receivingCare, caredForShare };
        }),
      );
      return { unitCode: staff.unitCode, ...whole, communes: perCommune };
    },
  );
};
