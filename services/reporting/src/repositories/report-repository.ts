import type { Connection, mongo } from 'mongoose';
import type { ReportState } from '../domain/report-cycle';

export interface Narrative {
  /** Kết quả đạt được */
  results: string;
  /** Khó khăn, vướng mắc */
  difficulties: string;
  /** Đề xuất, kiến nghị */
  proposals: string;
}

/** One indicator's figures as submitted: frozen with the report, never recomputed. */
export interface FrozenValue {
  indicatorId: string;
  version: number;
  numerator: number;
  denominator: number;
  /** Percent, or null when nobody is in the denominator. */
  value: number | null;
  target2025: string;
  target2030: string;
}

export interface ReportHistoryEntry {
  at: string;
  action: 'opened' | 'edit' | 'submit' | 'approve' | 'return' | 'unapprove';
  by?: { userId: string; role: string; unitCode?: string };
  reason?: string;
}

export interface ReportAlert {
  kind: 'reminder' | 'escalation';
  /** When the workflow's timer fired (Temporal's clock). */
  at: string;
  workingDaysBefore?: number;
  /** Escalation: the unit one level up that now answers for the late report. */
  toUnitCode?: string;
}

export interface ReportRecord {
  _id: string;
  periodId: string;
  unitCode: string;
  unitName: string;
  level: string;
  parentUnitCode?: string;
  provinceCode: string;
  state: ReportState;
  dueDate: string;
  dueOn: string;
  dueAt: string;
  narrative: Narrative;
  activities: string;
  values?: FrozenValue[];
  submittedAt?: string;
  approvedAt?: string;
  returnReason?: string;
  history: ReportHistoryEntry[];
  alerts: ReportAlert[];
  rev: number;
}

/** Empty lists are not kept by every MongoDB-protocol database (FerretDB drops them from an upsert's insert). */
const withLists = (report: ReportRecord): ReportRecord => ({
  ...report,
  history: report.history ?? [],
  alerts: report.alerts ?? [],
});

export const reportIdOf = (periodId: string, unitCode: string) => `${periodId}_${unitCode}`;

/** Reports of units × periods, each changed only by a swap on its revision (two approvers cannot both win). */
export class ReportRepository {
  readonly #reports: mongo.Collection<ReportRecord>;

  constructor(connection: Connection) {
    const db: mongo.Db | undefined = connection.db;
    if (!db) throw new Error('the reporting database is not connected');
    this.#reports = db.collection<ReportRecord>('reports');
  }

  async init(): Promise<void> {
    await this.#reports.createIndex({ periodId: 1, provinceCode: 1 });
  }

  /** Creates the report if it does not exist yet; an existing report is left as it is. */
  async open(report: ReportRecord): Promise<boolean> {
    const result = await this.#reports.updateOne({ _id: report._id }, { $setOnInsert: report }, { upsert: true });
    return result.upsertedCount === 1;
  }

  async get(id: string): Promise<ReportRecord | null> {
    const report = await this.#reports.findOne({ _id: id });
    return report && withLists(report);
  }

  /** Every report of a period within the given units. */
  inUnits(periodId: string, unitCodes: readonly string[]): Promise<ReportRecord[]> {
    return this.#reports
      .find({ periodId, unitCode: { $in: [...unitCodes] } })
      .sort({ unitCode: 1 })
      .toArray()
      .then((list) => list.map(withLists));
  }

  /** Applies a change if the report is still at revision `rev`; false when someone changed it first. */
  async change(
    id: string,
    rev: number,
    set: Partial<Omit<ReportRecord, '_id' | 'history' | 'alerts' | 'rev'>>,
    entry: ReportHistoryEntry,
    unset: ('returnReason' | 'approvedAt')[] = [],
  ): Promise<boolean> {
    const result = await this.#reports.updateOne(
      { _id: id, rev },
      {
        $set: set,
        $inc: { rev: 1 },
        $push: { history: entry },
        ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((f) => [f, ''])) } : {}),
      },
    );
    return result.modifiedCount === 1;
  }

  /** Records a reminder or an escalation once (an activity retried after a crash adds nothing). */
  async alert(id: string, alert: ReportAlert): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const report = await this.get(id);
      if (!report) return;
      const recorded = report.alerts.some(
        (a) =>
          a.kind === alert.kind && a.workingDaysBefore === alert.workingDaysBefore && a.toUnitCode === alert.toUnitCode,
      );
      if (recorded) return;
      const result = await this.#reports.updateOne(
        { _id: id, rev: report.rev },
        { $push: { alerts: alert }, $inc: { rev: 1 } },
      );
      if (result.modifiedCount === 1) return;
    }
    throw new Error(`report ${id} kept changing while its alert was recorded`);
  }
}
