import type { CloudEvent } from '@ecd/contracts';
import type { StaffMember } from '../sign-in/oidc-client';
import { facilityRoles } from '../views/labels';

/** What a browser is told: which referral (or protection case) moved, never who the child is. */
export interface LiveUpdate {
  kind: string;
  referralId: string;
  caseId: string;
  state: string;
  facilityId: string;
  fromUnitCode: string;
  level?: number;
  at: string;
}

type Listener = (update: LiveUpdate | ProtectionUpdate) => void;

/** A protection case moved: no child data at all; only protection officers' views show it. */
export interface ProtectionUpdate {
  kind: string;
  protectionCaseId: string;
  communeCode: string;
  responsibleUnitCode?: string;
  at: string;
}

type Recorded =
  | { receivedAt: number; protection: ProtectionUpdate }
  | { receivedAt: number; referral: LiveUpdate & { responsibleUnitCode?: string } };

/** How many recent events are kept to answer "has this view changed since?" (a few minutes' worth). */
const RECENT_EVENTS = 5_000;
/**
 * The services' read models follow an event within moments (seconds on a busy server): a view
 * counts as changed for this long after an event that concerns it, so the browser's re-reads
 * after the event still see the change land.
 */
export const SETTLE_MS = 15_000;

const protectionConcerns = (staff: StaffMember, update: ProtectionUpdate) =>
  staff.role === 'protection-officer' &&
  !!staff.unitCode &&
  (staff.unitCode === update.communeCode || staff.unitCode === update.responsibleUnitCode);

/** Whether a staff member's views show this referral: their facility's queue, or their commune's. */
export function concerns(staff: StaffMember, update: LiveUpdate & { responsibleUnitCode?: string }): boolean {
  if (facilityRoles[staff.role]) return staff.facilityId === update.facilityId;
  if (!staff.unitCode) return false;
  return staff.unitCode === update.fromUnitCode || staff.unitCode === update.responsibleUnitCode;
}

/**
 * Referral events from Kafka, fanned out to the browsers of the staff they concern, as
 * server-sent events. The browser then re-reads its view from the services' read models (built
 * from the same events), so what it shows is always what the service says.
 */
export class LiveUpdates {
  private readonly listeners = new Map<Listener, StaffMember>();
  /** Recent events, oldest first (a ring of RECENT_EVENTS). */
  private readonly recent: Recorded[] = [];
  /** Before this, this process saw nothing: a view rendered earlier may have missed a change. */
  readonly startedAt = Date.now();

  /**
   * Whether the view `view` (the page's `data-live`, e.g. `case:<id>`, `inbox`, `board`) of this
   * staff member may have changed since `since` (ms, this portal's clock): an event that concerns
   * it arrived after `since` − SETTLE_MS, or this process cannot tell (it started later, or the
   * events of that time are no longer kept). An unchanged view is not re-read, so an idle tab
   * neither loads the services nor writes audit entries.
   */
  changedSince(staff: StaffMember, view: string, since: number): boolean {
    const oldest = this.recent[0]?.receivedAt ?? Date.now();
    if (since < this.startedAt || (this.recent.length >= RECENT_EVENTS && since - SETTLE_MS < oldest)) return true;
    const caseId = view.startsWith('case:') ? view.slice(5) : undefined;
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const entry = this.recent[i]!;
      if (entry.receivedAt <= since - SETTLE_MS) break;
      if ('protection' in entry) {
        if (view === 'board' && protectionConcerns(staff, entry.protection)) return true;
      } else if (caseId ? entry.referral.caseId === caseId : concerns(staff, entry.referral)) {
        return true;
      }
    }
    return false;
  }

  private record(entry: Recorded): void {
    this.recent.push(entry);
    if (this.recent.length > RECENT_EVENTS) this.recent.shift();
  }

  get connections(): number {
    return this.listeners.size;
  }

  subscribe(staff: StaffMember, listener: Listener): () => void {
    this.listeners.set(listener, staff);
    return () => this.listeners.delete(listener);
  }

  publish(event: CloudEvent): void {
    const data = event.data as Record<string, unknown>;
    if (event.type.startsWith('protection.')) {
      // Protection events carry no child data at all; only protection officers' views show them.
      const update: ProtectionUpdate = {
        kind: event.type.replace(/\.v\d+$/, ''),
        protectionCaseId: String(data.protectionCaseId),
        communeCode: String(data.communeCode),
        ...(typeof data.responsibleUnitCode === 'string' ? { responsibleUnitCode: data.responsibleUnitCode } : {}),
        at: String(data.at),
      };
      this.record({ receivedAt: Date.now(), protection: update });
      for (const [listener, staff] of this.listeners) {
        if (protectionConcerns(staff, update)) listener(update);
      }
      return;
    }
    const update: LiveUpdate & { responsibleUnitCode?: string } = {
      kind: event.type.replace(/\.v\d+$/, ''),
      referralId: String(data.referralId),
      caseId: String(data.caseId),
      state: String(data.state),
      facilityId: String(data.facilityId),
      fromUnitCode: String(data.fromUnitCode),
      ...(typeof data.level === 'number' ? { level: data.level } : {}),
      ...(typeof data.responsibleUnitCode === 'string' ? { responsibleUnitCode: data.responsibleUnitCode } : {}),
      at: String(data.at),
    };
    this.record({ receivedAt: Date.now(), referral: update });
    for (const [listener, staff] of this.listeners) {
      if (concerns(staff, update)) listener(update);
    }
  }
}
