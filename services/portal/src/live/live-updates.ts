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

type Listener = (update: LiveUpdate) => void;

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
      const update = {
        kind: event.type.replace(/\.v\d+$/, ''),
        protectionCaseId: String(data.protectionCaseId),
        communeCode: String(data.communeCode),
        ...(typeof data.responsibleUnitCode === 'string' ? { responsibleUnitCode: data.responsibleUnitCode } : {}),
        at: String(data.at),
      };
      for (const [listener, staff] of this.listeners) {
        const area = staff.unitCode;
        if (
          staff.role === 'protection-officer' &&
          area &&
          (area === update.communeCode || area === update.responsibleUnitCode)
        ) {
          listener(update as unknown as LiveUpdate);
        }
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
    for (const [listener, staff] of this.listeners) {
      if (concerns(staff, update)) listener(update);
    }
  }
}
