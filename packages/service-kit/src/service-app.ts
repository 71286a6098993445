import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { TSchema } from 'typebox';
import { Registry, collectDefaultMetrics, Histogram } from 'prom-client';
import { findProblems } from '@ecd/contracts';
import { errorHandler } from './errors';
import { ErrorResponse } from './schemas';

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export type ReadinessCheck = () => Promise<unknown>;

export interface ServiceAppOptions {
  name: string;
  version?: string;
  description?: string;
  logger: Logger;
  /** Dependencies `/readyz` checks, by the name it reports (e.g. `mongodb`, `kafka`, `temporal`). */
  readiness?: Record<string, ReadinessCheck>;
  bodyLimit?: number;
  /**
   * Proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`: the portal); none by
   * default, so `request.ip` is the socket's address.
   */
  trustedProxies?: string;
  /** Answers unknown routes instead of the JSON 404 (the portal answers with a page). */
  notFoundHandler?: (request: FastifyRequest, reply: FastifyReply) => unknown;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const keywordOf = (schema: unknown, name: string): unknown =>
  typeof schema === 'object' && schema !== null && name in schema ? Reflect.get(schema, name) : undefined;

/** One query or path value: exactly a number, or `true`/`false`, becomes one; anything else stays text. */
function convertExactValue(schema: unknown, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => convertExactValue(keywordOf(schema, 'items') ?? schema, item));
  if (typeof value !== 'string') return value;
  const type = keywordOf(schema, 'type');
  if (type === 'integer' && /^-?(0|[1-9][0-9]*)$/.test(value)) return Number(value);
  if (type === 'number' && /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'array') return [convertExactValue(keywordOf(schema, 'items'), value)];
  return value;
}

/** Converts the properties of a query string, path or headers object by their schema, without guessing. */
function convertExactText(schema: unknown, data: unknown): unknown {
  const properties = keywordOf(schema, 'properties');
  if (typeof data !== 'object' || data === null || typeof properties !== 'object' || properties === null) return data;
  return Object.fromEntries(
    Object.entries(data).map(([name, value]) => [name, convertExactValue(keywordOf(properties, name), value)]),
  );
}

/**
 * The Fastify app every service starts from: request ids, schema validation with one error shape,
 * health, readiness, metrics and OpenAPI docs. Routes are added by the service's own plugins.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // Long path ids reach the schema, which refuses them with 400 naming the parameter, instead
    // of the router's undocumented 414.
    routerOptions: { maxParamLength: 2048 },
    ...(options.trustedProxies
      ? {
          trustProxy: options.trustedProxies
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
        }
      : {}),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ServiceApp;

  // One validator for HTTP and events (TypeBox); query strings and path params arrive as strings
  // and only text that is exactly a number or a boolean is converted (`limit=true` stays a string
  // and is refused); bodies are taken exactly as sent (no coercion, no silent stripping).
  app.setValidatorCompiler(({ schema, httpPart }) => {
    return (data: unknown) => {
      const value = httpPart === 'body' ? data : convertExactText(schema, data);
      const problems = findProblems(schema as TSchema, value);
      if (problems.length === 0) return { value };
      const error = new Error('validation failed') as Error & { problems: typeof problems };
      error.problems = problems;
      return { error };
    };
  });
  // The APIs speak JSON only; any other body is refused with 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(
    options.notFoundHandler ??
      ((request, reply) =>
        reply.status(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no route ${request.method} ${request.url.split('?')[0]}`,
          requestId: request.id,
        })),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const registry = new Registry();
  registry.setDefaultLabels({ service: options.name });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.decorate('metrics', registry);

  await app.register(swagger, {
    openapi: {
      info: { title: `${options.name} API`, version: options.version ?? '0.1.0', description: options.description },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', service: options.name }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks = Object.entries(options.readiness ?? {});
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000, name);
          return { name, ok: true as const };
        } catch (error) {
          return { name, ok: false as const, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const failing = results.filter((r) => !r.ok);
    return reply.status(failing.length ? 503 : 200).send({
      status: failing.length ? 'unavailable' : 'ready',
      checks: Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : r.error])),
    });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  app.addSchema({ $id: 'ErrorResponse', ...ErrorResponse });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}
