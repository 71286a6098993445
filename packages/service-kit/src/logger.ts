import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Personal data of children (Decree 13/2023, Decree 56/2017 Art. 33) never reaches the logs:
 * these paths are replaced wherever they appear in a logged object.
 */
const childPersonalFields = [
  'fullName',
  'dateOfBirth',
  'phone',
  'address',
  'caregivers',
  'village',
  'nationalId',
  'details',
  'narrative',
];
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...childPersonalFields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  return pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...options,
  });
}
