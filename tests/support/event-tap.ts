import type { Consumer, Kafka } from 'kafkajs';
import { fromKafkaMessage } from '@ecd/messaging';
import { uniqueName } from './infra';

export interface TappedEvent {
  topic: string;
  key: string | undefined;
  event: { id: string; type: string; subject: string; data: Record<string, unknown>; correlationid?: string };
}

/** Reads what is really on the Kafka topics, from a fresh consumer group, for assertions. */
export class EventTap {
  readonly events: TappedEvent[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: uniqueName('tap') });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    let resolveAssigned!: () => void;
    const assigned = new Promise<void>((r) => (resolveAssigned = r));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolveAssigned());
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        this.events.push({
          topic,
          key: message.key?.toString(),
          event: fromKafkaMessage(message) as TappedEvent['event'],
        });
      },
    });
    await assigned;
  }

  of(subject: string, type?: string): TappedEvent[] {
    return this.events.filter((e) => e.event.subject === subject && (!type || e.event.type === type));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
