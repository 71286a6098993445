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
  // Free text a person wrote about a child: outcomes, notes, forms.
  'outcome',
  'note',
  'notes',
  'description',
  'findings',
  'minutes',
];
/**
 * Free text whose key is also used for operators' messages (`reason` of a refusal or a dead
 * letter): redacted inside event data and request bodies, where it is what a person wrote.
 */
const nestedFreeText = ['reason', 'summary'].flatMap((f) => [
  `data.${f}`,
  `*.data.${f}`,
  `body.${f}`,
  `*.body.${f}`,
  `input.${f}`,
  `*.input.${f}`,
]);
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...childPersonalFields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  ...nestedFreeText,
];

/**
 * A URL as it may be logged: the path, and the names of its query parameters but not their values
 * (a search for a child by name puts the name in the query string).
 */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${url.slice(0, at)}?${names.join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
  id?: string;
}

/** Fastify's request serializer, with the query string's values left out. */
export const requestSerializer = (req: LoggedRequest) => ({
  method: req.method,
  url: req.url === undefined ? undefined : loggableUrl(req.url),
  remoteAddress: req.ip ?? req.socket?.remoteAddress,
  remotePort: req.socket?.remotePort,
});

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  return pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { req: requestSerializer },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...options,
  });
}
