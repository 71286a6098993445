/**
 * A notification about a referral to a facility's queue or an administrative unit (never to a
 * named person: referrals go to queues). The id is deterministic, so a retried delivery is one
 * notification.
 */
export interface ReferralNotification {
  id: string;
  referralId: string;
  caseId: string;
  kind: 'REFERRAL_RECEIVED' | 'REMINDER' | 'ESCALATION' | 'DECLINED' | 'COMPLETED';
  recipient: { facilityId?: string; unitCode?: string };
  at: string;
  message: { vi: string; en: string };
}

/**
 * Where notifications go. The default stores in-app notifications; an SMS, Zalo or e-mail
 * channel is another implementation of this interface.
 */
export interface NotificationChannel {
  deliver(notification: ReferralNotification): Promise<void>;
}
