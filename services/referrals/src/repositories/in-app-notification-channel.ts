import { Schema, type Connection, type Model } from 'mongoose';
import type { NotificationChannel, ReferralNotification } from '../domain/notification-channel';

type NotificationDocument = Omit<ReferralNotification, 'id'> & { _id: string; readAt?: string };

/** The default channel: notifications stored for the portal's inboxes, one per id. */
export class InAppNotificationChannel implements NotificationChannel {
  readonly model: Model<NotificationDocument>;

  constructor(connection: Connection) {
    const schema = new Schema<NotificationDocument>(
      {
        _id: String,
        referralId: { type: String, index: true },
        caseId: String,
        kind: String,
        recipient: { facilityId: { type: String, index: true }, unitCode: { type: String, index: true } },
        at: String,
        message: { vi: String, en: String },
        readAt: String,
      },
      { collection: 'notifications', versionKey: false },
    );
    this.model = connection.model<NotificationDocument>('Notification', schema);
  }

  async deliver(notification: ReferralNotification): Promise<void> {
    const { id, ...rest } = notification;
    // Upsert by id: a retried activity delivers the same notification once.
    await this.model.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true });
  }
}
