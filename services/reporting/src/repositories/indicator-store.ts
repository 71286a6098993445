import type { Connection, mongo } from 'mongoose';
import { toLocalDate, type EscalationLadder, type LocalDate } from '@ecd/referral-policy';
import { monthsBefore, type ChildFacts, type ProtectionCaseFacts } from '../domain/indicator-formulas';
import {
  countChange,
  membershipsOf,
  type IndicatorCounts,
  type Memberships,
  type SubjectFacts,
} from '../domain/indicator-memberships';
import { periodsOfYear, type ReportingPeriod } from '../domain/reporting-periods';

interface ChildDoc {
  _id: string;
  communeCode?: string;
  /** When the commune was last set: a later case moves the child, an older redelivered one does not. */
  communeSince?: string;
  registeredOn?: LocalDate;
  bornOn?: LocalDate;
  screenedOn?: LocalDate[];
  /** Referral id → the day it was requested, and the day it was completed (maps: one field per referral, set atomically). */
  referralRequestedOn?: Record<string, LocalDate>;
  referralCompletedOn?: Record<string, LocalDate>;
}
interface LinkDoc {
  _id: string;
  childId: string;
}
interface ProtectionCaseDoc {
  _id: string;
  communeCode: string;
  reportedOn?: LocalDate;
  planApprovedOn?: LocalDate;
}
/** Where one subject counts in one period, and under which units: what the aggregates already hold. */
interface MembershipDoc {
  _id: string;
  periodId: string;
  rev: number;
  unitCodes: string[];
  memberships: Memberships;
}
interface AggregateDoc {
  _id: string;
  periodId: string;
  unitCode: string;
  indicatorKey: string;
  numerator: number;
  denominator: number;
}

/** Local date of an event's instant (Vietnam time). */
export const localDateOf = (instant: string) => toLocalDate(new Date(instant));

/**
 * The indicator read model: facts per child and protection case from events, where each one
 * counts per period, and the counts per unit × period × indicator kept by increments (docs/adr/0023).
 * Never reads another service's database and never replays history: each event changes one
 * subject, whose change in membership is added to the counts of its commune and every unit above.
 */
export class IndicatorStore {
  readonly #children: mongo.Collection<ChildDoc>;
  readonly #caseLinks: mongo.Collection<LinkDoc>;
  readonly #referralLinks: mongo.Collection<LinkDoc>;
  readonly #protectionCases: mongo.Collection<ProtectionCaseDoc>;
  readonly #memberships: mongo.Collection<MembershipDoc>;
  readonly #aggregates: mongo.Collection<AggregateDoc>;

  constructor(
    connection: Connection,
    private readonly ladder: EscalationLadder,
  ) {
    const db: mongo.Db | undefined = connection.db;
    if (!db) throw new Error('the reporting database is not connected');
    this.#children = db.collection<ChildDoc>('child_facts');
    this.#caseLinks = db.collection<LinkDoc>('case_links');
    this.#referralLinks = db.collection<LinkDoc>('referral_links');
    this.#protectionCases = db.collection<ProtectionCaseDoc>('protection_case_facts');
    this.#memberships = db.collection<MembershipDoc>('indicator_memberships');
    this.#aggregates = db.collection<AggregateDoc>('indicator_aggregates');
  }

  async init(): Promise<void> {
    await this.#aggregates.createIndex({ periodId: 1, unitCode: 1 });
  }

  async caseOpened(data: {
    caseId: string;
    childId: string;
    communeCode: string;
    childAgeMonths: number;
    openedAt: string;
  }) {
    await this.#caseLinks.updateOne({ _id: data.caseId }, { $set: { childId: data.childId } }, { upsert: true });
    const openedOn = localDateOf(data.openedAt);
    await this.#ensureChild(data.childId);
    await this.#children.updateOne(
      { _id: data.childId },
      { $min: { registeredOn: openedOn }, $max: { bornOn: monthsBefore(openedOn, data.childAgeMonths) } },
    );
    await this.#children.updateOne(
      { _id: data.childId, $or: [{ communeSince: { $exists: false } }, { communeSince: { $lte: data.openedAt } }] },
      { $set: { communeCode: data.communeCode, communeSince: data.openedAt } },
    );
    await this.#recountChild(data.childId, openedOn);
  }

  async caseScreened(data: { caseId: string; screenedAt: string }) {
    const link = await this.#caseLinks.findOne({ _id: data.caseId });
    if (!link) return false;
    const on = localDateOf(data.screenedAt);
    await this.#children.updateOne({ _id: link.childId }, { $addToSet: { screenedOn: on } });
    await this.#recountChild(link.childId, on);
    return true;
  }

  async referralRequested(data: { referralId: string; childId: string; at: string }) {
    await this.#referralLinks.updateOne(
      { _id: data.referralId },
      { $set: { childId: data.childId } },
      { upsert: true },
    );
    await this.#ensureChild(data.childId);
    const on = localDateOf(data.at);
    await this.#children.updateOne({ _id: data.childId }, { $min: { [`referralRequestedOn.${data.referralId}`]: on } });
    await this.#recountChild(data.childId, on);
  }

  async referralCompleted(data: { referralId: string; at: string }) {
    const link = await this.#referralLinks.findOne({ _id: data.referralId });
    if (!link) return false;
    const on = localDateOf(data.at);
    await this.#children.updateOne({ _id: link.childId }, { $min: { [`referralCompletedOn.${data.referralId}`]: on } });
    await this.#recountChild(link.childId, on);
    return true;
  }

  async protectionCaseReported(data: { protectionCaseId: string; communeCode: string; receivedAt: string }) {
    const on = localDateOf(data.receivedAt);
    await this.#protectionCases.updateOne(
      { _id: data.protectionCaseId },
      { $set: { communeCode: data.communeCode, reportedOn: on } },
      { upsert: true },
    );
    await this.#recountProtectionCase(data.protectionCaseId, on);
  }

  async protectionPlanApproved(data: { protectionCaseId: string; communeCode: string; at: string }) {
    const on = localDateOf(data.at);
    await this.#protectionCases.updateOne(
      { _id: data.protectionCaseId },
      { $min: { planApprovedOn: on }, $setOnInsert: { communeCode: data.communeCode } },
      { upsert: true },
    );
    await this.#recountProtectionCase(data.protectionCaseId, on);
  }

  /** Whether the case.opened of a case has been counted (how a test knows the consumer caught up). */
  async knowsCase(caseId: string): Promise<boolean> {
    return (await this.#caseLinks.countDocuments({ _id: caseId })) === 1;
  }

  /** The counts of a unit for a period, by indicator key (`id@version`). */
  async countsFor(periodId: string, unitCode: string): Promise<IndicatorCounts> {
    const rows = await this.#aggregates.find({ periodId, unitCode }).toArray();
    return Object.fromEntries(
      rows.map((r) => [r.indicatorKey, { numerator: r.numerator, denominator: r.denominator }]),
    );
  }

  async #ensureChild(childId: string) {
    await this.#children.updateOne({ _id: childId }, { $setOnInsert: { screenedOn: [] } }, { upsert: true });
  }

  /** The commune and every unit above it (only the commune when the ladder does not know it). */
  #unitsOf(communeCode: string): string[] {
    try {
      return [communeCode, ...this.ladder.stepsAbove(communeCode).map((u) => u.code)];
    } catch {
      return [communeCode];
    }
  }

  /**
   * Periods a subject's change may touch: every year its facts name, and the year after the
   * event (a child registered this year is in next year's denominators too).
   */
  #periodsFor(dates: LocalDate[], eventOn: LocalDate): ReportingPeriod[] {
    const years = new Set([...dates, eventOn].map((d) => Number(d.slice(0, 4))));
    years.add(Number(eventOn.slice(0, 4)) + 1);
    return [...years].sort().flatMap(periodsOfYear);
  }

  async #recountChild(childId: string, eventOn: LocalDate) {
    await this.#recount(`child:${childId}`, eventOn, async () => {
      const doc = await this.#children.findOne({ _id: childId });
      // Until its case.opened arrives (another topic), a child has no commune or age: it counts nowhere yet.
      if (!doc?.communeCode || !doc.registeredOn || !doc.bornOn) return undefined;
      // Arrays are absent until the first screening or referral ($setOnInsert of an empty array is not kept everywhere).
      const facts: ChildFacts = {
        childId,
        communeCode: doc.communeCode,
        registeredOn: doc.registeredOn,
        bornOn: doc.bornOn,
        screenedOn: doc.screenedOn ?? [],
        referrals: Object.entries(doc.referralRequestedOn ?? {}).map(([referralId, requestedOn]) => {
          const completedOn = doc.referralCompletedOn?.[referralId];
          return { referralId, requestedOn, ...(completedOn ? { completedOn } : {}) };
        }),
      };
      const dates = [
        doc.registeredOn,
        ...facts.screenedOn,
        ...facts.referrals.flatMap((r) => [r.requestedOn, r.completedOn ?? r.requestedOn]),
      ];
      return { subject: { kind: 'child', facts }, communeCode: doc.communeCode, dates };
    });
  }

  async #recountProtectionCase(protectionCaseId: string, eventOn: LocalDate) {
    await this.#recount(`protection:${protectionCaseId}`, eventOn, async () => {
      const doc = await this.#protectionCases.findOne({ _id: protectionCaseId });
      if (!doc?.reportedOn) return undefined;
      const facts: ProtectionCaseFacts = {
        protectionCaseId,
        communeCode: doc.communeCode,
        reportedOn: doc.reportedOn,
        ...(doc.planApprovedOn ? { planApprovedOn: doc.planApprovedOn } : {}),
      };
      return {
        subject: { kind: 'protection-case', facts },
        communeCode: doc.communeCode,
        dates: [doc.reportedOn, ...(doc.planApprovedOn ? [doc.planApprovedOn] : [])],
      };
    });
  }

  /**
   * For each period: the subject's memberships now, against what the counts already hold; the
   * membership record is swapped by revision (a concurrent event on another partition re-reads
   * the facts and tries again), then only the difference is added to the counts.
   */
  async #recount(
    subjectKey: string,
    eventOn: LocalDate,
    read: () => Promise<{ subject: SubjectFacts; communeCode: string; dates: LocalDate[] } | undefined>,
  ) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await read();
      if (!current) return;
      const unitCodes = this.#unitsOf(current.communeCode);
      let conflict = false;
      for (const period of this.#periodsFor(current.dates, eventOn)) {
        const id = `${period.id}|${subjectKey}`;
        const stored = await this.#memberships.findOne({ _id: id });
        const after = membershipsOf(current.subject, period);
        const before = stored?.memberships ?? {};
        const beforeUnits = stored?.unitCodes ?? [];
        const sameUnits = beforeUnits.join() === unitCodes.join();
        if (sameUnits && Object.keys(countChange(before, after)).length === 0) continue;
        const swapped = stored
          ? (
              await this.#memberships.updateOne(
                { _id: id, rev: stored.rev },
                { $set: { unitCodes, memberships: after }, $inc: { rev: 1 } },
              )
            ).modifiedCount === 1
          : await this.#memberships
              .insertOne({ _id: id, periodId: period.id, rev: 1, unitCodes, memberships: after })
              .then(() => true)
              .catch((error: unknown) => {
                if (error instanceof Error && 'code' in error && error.code === 11000) return false;
                throw error;
              });
        if (!swapped) {
          conflict = true;
          break;
        }
        if (sameUnits) {
          await this.#add(period.id, unitCodes, countChange(before, after));
        } else {
          // A child who moved: out of the old units' counts, into the new ones'.
          await this.#add(period.id, beforeUnits, countChange(before, {}));
          await this.#add(period.id, unitCodes, countChange({}, after));
        }
      }
      if (!conflict) return;
    }
    throw new Error(`indicator memberships of ${subjectKey} kept changing under concurrent events`);
  }

  async #add(periodId: string, unitCodes: string[], change: IndicatorCounts) {
    for (const unitCode of unitCodes) {
      for (const [indicatorKey, { numerator, denominator }] of Object.entries(change)) {
        await this.#aggregates.updateOne(
          { _id: `${periodId}|${unitCode}|${indicatorKey}` },
          { $inc: { numerator, denominator }, $setOnInsert: { periodId, unitCode, indicatorKey } },
          { upsert: true },
        );
      }
    }
  }
}
