import { describe, expect, it } from 'vitest';
import type { TSchema } from 'typebox';
import { EventCatalog, type EventType } from '@ecd/contracts';
import {
  CreateFacilityBody,
  DeclineBody,
  FacilityStatusBody,
  ReferralParams,
  UpdateFacilityBody,
  completeBody,
} from '@ecd/facility-inbox';
import {
  CaseReferralParams,
  RequestReferralBody,
  WithdrawReferralBody,
} from '../../services/intake/src/routes/referral-routes';
import { CloseCaseBody, OpenCaseBody } from '../../services/intake/src/routes/case-schemas';
import { CorrectChildBody, TransferChildBody } from '../../services/intake/src/routes/child-record-schemas';
import {
  CaseReferralBody,
  ClosureBody,
  PlanBody,
  ReportBody,
} from '../../services/protection/src/routes/protection-case-schemas';
import { AcknowledgeBody, ResolveBody } from '../../services/protection/src/routes/board-routes';
import { healthRecordKinds } from '../../services/health/src/domain/health-services';
import { welfareRecordDetails, welfareServiceRecordKinds } from '../../services/welfare/src/domain/welfare-desks';

/** Reads a JSON Schema keyword off a TypeBox schema (they are plain JSON Schema objects). */
const keyword = (schema: object, name: string): unknown => (name in schema ? Reflect.get(schema, name) : undefined);

/** The schema of a dotted field path inside an object schema. */
function fieldOf(schema: TSchema, path: string): TSchema {
  let current: unknown = schema;
  for (const part of path.split('.')) {
    const properties = typeof current === 'object' && current !== null ? keyword(current, 'properties') : undefined;
    const next = typeof properties === 'object' && properties !== null ? keyword(properties, part) : undefined;
    if (typeof next !== 'object' || next === null) throw new Error(`no field ${path} in the schema`);
    current = next;
  }
  if (typeof current !== 'object' || current === null) throw new Error(`no field ${path}`);
  return current;
}

/** Route patterns known to accept a subset of an event's pattern (a commune is one unit level). */
const narrowerPatterns: [route: string, event: string][] = [['^[0-9]{5}$', '^[0-9]{2,5}$']];
/** Lengths a format implies. */
const formatLength: Record<string, [number, number]> = { uuid: [36, 36] };

/** What the route accepts and the event does not: an empty list when the event can carry all of it. */
function widerThan(route: TSchema, event: TSchema): string[] {
  const problems: string[] = [];
  const num = (s: TSchema, k: string) => {
    const v = keyword(s, k);
    return typeof v === 'number' ? v : undefined;
  };
  const routeType = keyword(route, 'type');
  const eventType = keyword(event, 'type');
  if (eventType !== undefined && routeType !== eventType)
    problems.push(`type ${String(routeType)} ≠ ${String(eventType)}`);
  const implied = formatLength[String(keyword(route, 'format'))];
  const routeMax = num(route, 'maxLength') ?? implied?.[1] ?? Infinity;
  const eventMax = num(event, 'maxLength') ?? Infinity;
  if (routeMax > eventMax) problems.push(`maxLength ${routeMax} > the event's ${eventMax}`);
  const routeMin = num(route, 'minLength') ?? implied?.[0] ?? 0;
  const eventMin = num(event, 'minLength') ?? 0;
  if (routeMin < eventMin) problems.push(`minLength ${routeMin} < the event's ${eventMin}`);
  for (const k of ['pattern', 'format']) {
    const e = keyword(event, k);
    const r = keyword(route, k);
    if (e === undefined || r === e) continue;
    if (k === 'pattern' && narrowerPatterns.some(([rp, ep]) => rp === r && ep === e)) continue;
    problems.push(`${k} ${String(r)} ≠ ${String(e)}`);
  }
  const eventEnum = keyword(event, 'enum');
  const routeEnum = keyword(route, 'enum');
  if (Array.isArray(eventEnum)) {
    if (!Array.isArray(routeEnum)) problems.push('the route takes any value; the event an enum');
    else
      for (const v of routeEnum) if (!eventEnum.includes(v)) problems.push(`enum value ${String(v)} not in the event`);
  }
  return problems;
}

interface Flow {
  route: string;
  body: TSchema;
  /** Route body field → the event types and their field it travels to. */
  fields: Record<string, [EventType, string][]>;
}

/**
 * Every route whose body reaches an event, and where each field goes. A new field or route that
 * feeds an event belongs here; the test then proves the event can carry anything the edge accepts.
 */
const directoryFields = (type: 'facility.registered.v1' | 'facility.updated.v1'): Flow['fields'] =>
  Object.fromEntries(
    ['name', 'sectors', 'services', 'unitCode', 'level', 'catchmentUnitCodes', 'hours', 'capacityNotes'].map(
      (field) => [field, [[type, field]]],
    ),
  );

const flows: Flow[] = [
  {
    route: 'health/education POST /facilities',
    body: CreateFacilityBody,
    fields: { facilityId: [['facility.registered.v1', 'facilityId']], ...directoryFields('facility.registered.v1') },
  },
  {
    route: 'health/education PUT /facilities/:facilityId',
    body: UpdateFacilityBody,
    fields: { ...directoryFields('facility.updated.v1'), revision: [['facility.updated.v1', 'revision']] },
  },
  {
    route: 'health/education POST /facilities/:facilityId/status',
    body: FacilityStatusBody,
    fields: { active: [['facility.updated.v1', 'active']] },
  },
  {
    route: 'intake POST /cases',
    body: OpenCaseBody,
    fields: { concerns: [['case.opened.v1', 'concerns']], 'child.communeCode': [['case.opened.v1', 'communeCode']] },
  },
  {
    route: 'intake POST /cases/:caseId/close',
    body: CloseCaseBody,
    fields: { reason: [['case.closed.v1', 'reason']] },
  },
  {
    route: 'intake POST /cases/:caseId/referrals',
    body: RequestReferralBody,
    fields: {
      sector: [['referral.requested.v1', 'sector']],
      urgency: [['referral.requested.v1', 'urgency']],
      facilityId: [['referral.requested.v1', 'facilityId']],
      reason: [['referral.requested.v1', 'reason']],
    },
  },
  {
    route: 'intake POST /cases/:caseId/referrals/:referralId/withdraw',
    body: WithdrawReferralBody,
    fields: { reason: [['referral.withdrawn.v1', 'reason']] },
  },
  {
    route: 'intake POST /children/:childId/corrections',
    body: CorrectChildBody,
    fields: { reason: [['child.corrected.v1', 'reason']] },
  },
  {
    route: 'intake POST /children/:childId/transfers',
    body: TransferChildBody,
    fields: {
      toCommuneCode: [
        ['child.transferred.v1', 'toCommuneCode'],
        // The receiving commune becomes the bottom of each moved referral's ladder.
        ['referral.transferred.v1', 'fromUnitCode'],
      ],
    },
  },
  {
    route: 'health/education POST /inbox/:referralId/decline',
    body: DeclineBody,
    fields: { reason: [['referral.declined.v1', 'reason']] },
  },
  {
    route: 'health/education POST /inbox/:referralId/complete',
    body: completeBody(healthRecordKinds),
    fields: { summary: [['referral.completed.v1', 'outcome']] },
  },
  {
    route: 'welfare POST /inbox/:referralId/decline',
    body: DeclineBody,
    fields: { reason: [['referral.declined.v1', 'reason']] },
  },
  {
    route: 'welfare POST /inbox/:referralId/complete',
    body: completeBody(welfareServiceRecordKinds, welfareRecordDetails),
    fields: { summary: [['referral.completed.v1', 'outcome']] },
  },
  {
    route: 'protection POST /protection-cases',
    body: ReportBody,
    fields: {
      source: [['protection.case_reported.v1', 'source']],
      receivedAt: [['protection.case_reported.v1', 'receivedAt']],
      'child.childId': [['protection.case_reported.v1', 'childId']],
    },
  },
  {
    route: 'protection POST /protection-cases/:caseId/plan',
    body: PlanBody,
    fields: { reviewBy: [['protection.plan_drafted.v1', 'reviewBy']] },
  },
  {
    route: 'protection POST /protection-cases/:caseId/closure',
    body: ClosureBody,
    fields: { riskAtClosure: [['protection.case_closed.v1', 'riskAtClosure']] },
  },
  {
    route: 'protection POST /protection-cases/:caseId/referrals',
    body: CaseReferralBody,
    fields: {
      sector: [['referral.requested.v1', 'sector']],
      urgency: [['referral.requested.v1', 'urgency']],
      facilityId: [['referral.requested.v1', 'facilityId']],
      reason: [['referral.requested.v1', 'reason']],
    },
  },
  {
    route: 'protection POST /board/:entryId/acknowledge',
    body: AcknowledgeBody,
    fields: { note: [['referral.escalation_acknowledged.v1', 'note']] },
  },
  {
    route: 'protection POST /board/:entryId/resolve',
    body: ResolveBody,
    fields: {
      // A redirect's reason is also the new referral's reason.
      reason: [
        ['referral.redirected.v1', 'reason'],
        ['referral.requested.v1', 'reason'],
        ['referral.deadline_extended.v1', 'reason'],
        ['referral.closed_unresolved.v1', 'reason'],
      ],
      toFacilityId: [
        ['referral.redirected.v1', 'toFacilityId'],
        ['referral.requested.v1', 'facilityId'],
      ],
      newDeadline: [['referral.deadline_extended.v1', 'extendedTo']],
    },
  },
];

describe('one contract from the HTTP edge to the event', () => {
  for (const flow of flows) {
    it(`${flow.route}: the event can carry everything the route accepts`, () => {
      const found: Record<string, string[]> = {};
      for (const [field, targets] of Object.entries(flow.fields)) {
        for (const [type, eventField] of targets) {
          const problems = widerThan(fieldOf(flow.body, field), fieldOf(EventCatalog[type].schema, eventField));
          if (problems.length > 0) found[`${field} → ${type} ${eventField}`] = problems;
        }
      }
      expect(found).toEqual({});
    });
  }

  it('every free-text field of a referral event is fed by some route with the same limits', () => {
    // The free texts people type: if an event gains one, a route must be mapped to it above.
    const fed = new Set(
      flows.flatMap((f) =>
        Object.values(f.fields)
          .flat()
          .map(([t, field]) => `${t} ${field}`),
      ),
    );
    const freeTexts = Object.entries(EventCatalog)
      .filter(([type]) => type.startsWith('referral.'))
      .flatMap(([type, { schema }]) =>
        ['reason', 'outcome', 'note']
          .filter((f) => {
            const properties = keyword(schema, 'properties');
            const field = typeof properties === 'object' && properties !== null ? keyword(properties, f) : undefined;
            return typeof field === 'object' && field !== null && keyword(field, 'type') === 'string';
          })
          .map((f) => `${type} ${f}`),
      );
    expect(freeTexts.filter((f) => !fed.has(f))).toEqual([]);
  });

  it('a referral id has one format on every route that names one', () => {
    expect(fieldOf(CaseReferralParams, 'referralId')).toEqual(fieldOf(ReferralParams, 'referralId'));
  });
});
