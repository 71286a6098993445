import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { assertValidEvent, topicOf, type CloudEvent } from '@ecd/contracts';
import { toKafkaMessage } from './wire-format';

/**
 * Idempotent producer (acks=all, one in-flight request): a retried send is written once by the
 * broker. Every event is validated against its schema before it leaves the process.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  /** Publishes events in order; resolves once every one is acknowledged by all in-sync replicas. */
  async publish(events: CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const event of events) assertValidEvent(event);
    await this.connect();
    const byTopic = new Map<string, CloudEvent[]>();
    for (const event of events) {
      const topic = topicOf(event.type);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list.map(toKafkaMessage) })),
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
