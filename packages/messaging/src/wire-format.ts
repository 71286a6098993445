import type { IHeaders, Message } from 'kafkajs';
import type { CloudEvent } from '@ecd/contracts';

/**
 * CloudEvents Kafka protocol binding, binary mode: attributes travel as `ce_*` headers, the
 * value is the JSON data, the key is the case id.
 */
export function toKafkaMessage(event: CloudEvent): Message {
  const headers: IHeaders = {
    ce_specversion: event.specversion,
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_time: event.time,
    ce_subject: event.subject,
    'content-type': event.datacontenttype,
  };
  if (event.correlationid) headers.ce_correlationid = event.correlationid;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Reads an envelope back off the wire without validating it (the caller validates). */
export function fromKafkaMessage(message: { headers?: IHeaders; value: Buffer | null }): unknown {
  let data: unknown;
  try {
    data = message.value ? JSON.parse(message.value.toString('utf8')) : undefined;
  } catch {
    data = { unparseable: message.value?.toString('utf8').slice(0, 200) };
  }
  const envelope: Record<string, unknown> = {
    specversion: header(message.headers, 'ce_specversion'),
    id: header(message.headers, 'ce_id'),
    source: header(message.headers, 'ce_source'),
    type: header(message.headers, 'ce_type'),
    time: header(message.headers, 'ce_time'),
    subject: header(message.headers, 'ce_subject'),
    datacontenttype: header(message.headers, 'content-type'),
    data,
  };
  const correlationid = header(message.headers, 'ce_correlationid');
  if (correlationid) envelope.correlationid = correlationid;
  return envelope;
}
