import type { Admin, Consumer, Kafka } from 'kafkajs';
import { Topics } from '@ecd/contracts';
import { fromKafkaMessage } from '@ecd/messaging';

export interface LagSample {
  at: number;
  /** Messages not yet committed per consumer group (summed over partitions of its topics). */
  lag: Record<string, number>;
}

/** Which topics each service's consumer group reads (see each service's wiring). */
export const groupTopics: Record<string, string[]> = {
  referrals: [Topics.cases],
  intake: [Topics.cases, Topics.referrals],
  health: [Topics.referrals],
  education: [Topics.referrals],
  protection: [Topics.referrals, Topics.protection],
  welfare: [Topics.referrals],
};

/** Consumer lag of every service's group over time, through the Kafka admin API, once a second. */
export class ConsumerLagWatch {
  readonly samples: LagSample[] = [];
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly runName: string,
  ) {}

  async start(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.timer = setInterval(() => void this.sample(), 1000);
  }

  private async sample(): Promise<void> {
    if (this.busy || !this.admin) return;
    this.busy = true;
    try {
      const lag: Record<string, number> = {};
      const highs = new Map<string, Map<number, number>>();
      for (const topic of [Topics.cases, Topics.referrals, Topics.protection]) {
        const offsets = await this.admin.fetchTopicOffsets(topic);
        highs.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
      }
      for (const [service, topics] of Object.entries(groupTopics)) {
        const committed = await this.admin.fetchOffsets({ groupId: `${this.runName}_${service}`, topics });
        let total = 0;
        for (const { topic, partitions } of committed) {
          for (const p of partitions) {
            const high = highs.get(topic)?.get(p.partition) ?? 0;
            // -1: nothing committed yet on that partition, so everything in it is still to read.
            total += Math.max(0, high - Math.max(0, Number(p.offset)));
          }
        }
        lag[service] = total;
      }
      this.samples.push({ at: Date.now(), lag });
    } catch {
      // the broker is down (drill): no sample for this second
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.admin?.disconnect().catch(() => undefined);
  }
}

export interface TappedReferralEvent {
  id: string;
  type: string;
  referralId: string;
  data: Record<string, unknown>;
  receivedAt: number;
}

/** Reads every referral event as it is on Kafka (own group, from the beginning). */
export class ReferralEventTap {
  readonly events: TappedReferralEvent[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: this.groupId });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [Topics.referrals], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const event = fromKafkaMessage(message) as { id: string; type: string; data: Record<string, unknown> };
        this.events.push({
          id: event.id,
          type: event.type,
          referralId: String(event.data.referralId),
          data: event.data,
          receivedAt: Date.now(),
        });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}
