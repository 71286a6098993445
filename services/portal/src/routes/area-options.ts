import type { Logger } from 'pino';
import Type from 'typebox';
import type { SessionStore } from '../sign-in/session-store';
import type { ServiceApi } from './service-api';

/** What every area of the portal (intake, facility, protection, supervisor) is given. */
export interface AreaOptions {
  sessions: SessionStore;
  api: ServiceApi;
  logger: Logger;
}

/**
 * An HTML form as @fastify/formbody parses it: each field a string, or a list when repeated.
 * The services validate the content; this bounds the size and shape.
 */
export const FormBody = Type.Record(
  Type.String({ maxLength: 100 }),
  Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 60 })]),
  { maxProperties: 150 },
);
export type FormFields = Record<string, string | string[]>;

export const field = (form: FormFields, name: string): string | undefined => {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
};

export const list = (form: FormFields, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => x !== '');
};

/** Each form carries a key made when it was shown: a double submit is one request (Idempotency-Key). */
export const RequestKey = Type.String({ pattern: '^[A-Za-z0-9_:-]{8,128}$' });
