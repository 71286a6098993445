import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import type { PortalSession } from '../sign-in/session-store';

/** The address of the browser whose request the portal is serving, for the services' audit trails. */
const clientAddress = new AsyncLocalStorage<string>();

/**
 * Makes every service call made while serving a request carry the browser's address in
 * `X-Forwarded-For`; the services trust that header from the portal only (TRUSTED_PROXIES).
 */
export function forwardClientAddress(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    clientAddress.run(request.ip, done);
  });
}

export type ServiceName = 'intake' | 'health' | 'education' | 'protection' | 'welfare';

/** The error body every platform service returns (service-kit). */
export interface ServiceProblem {
  statusCode: number;
  error?: string;
  message: string;
  problems?: { field: string; problem: string }[];
  requestId?: string;
  [extra: string]: unknown;
}

/** The service said the caller's token is no good any more: the portal session is over. */
export class SessionExpired extends Error {
  override name = 'SessionExpired';
}

/** The service refused the caller (403), with its reason. */
export class AccessRefused extends Error {
  override name = 'AccessRefused';
}

/** The service answered 404. */
export class RecordNotFound extends Error {
  override name = 'RecordNotFound';
}

/** The service is down, unreachable or failed (5xx): not the person's fault. */
export class ServiceUnavailable extends Error {
  override name = 'ServiceUnavailable';
  constructor(
    readonly service: ServiceName,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export type ApiResult<T> =
  { ok: true; status: number; body: T } | { ok: false; status: number; problem: ServiceProblem };

/**
 * The gateway half of the portal: calls a platform service on behalf of the signed-in staff
 * member with their access token (which never reaches the browser). 401, 403, 404 and 5xx become
 * exceptions that the error pages explain; other refusals (400, 409) come back for the form to show.
 */
export class ServiceApi {
  constructor(
    private readonly urls: Record<ServiceName, string>,
    // Generous: an action may wait on a Temporal update; a hung service still ends in a clear page.
    private readonly timeoutMs = 30_000,
  ) {}

  async call<T>(
    session: PortalSession,
    service: ServiceName,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; requestId?: string } = {},
  ): Promise<ApiResult<T>> {
    let response: Response;
    const forwardedFor = clientAddress.getStore();
    try {
      response = await fetch(`${this.urls[service]}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${session.accessToken}`,
          accept: 'application/json',
          ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
          ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
          // A body-less POST must not claim JSON (Fastify answers 400 to an empty JSON body).
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ServiceUnavailable(service, `${service} service unreachable: ${(error as Error).message}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return { ok: true, status: response.status, body: body as T };
    const problem: ServiceProblem =
      body && typeof body === 'object' && 'message' in body
        ? (body as ServiceProblem)
        : { statusCode: response.status, message: text.slice(0, 200) || response.statusText };
    if (response.status === 401) throw new SessionExpired(problem.message);
    if (response.status === 403) throw new AccessRefused(problem.message);
    if (response.status === 404 && method === 'GET') throw new RecordNotFound(problem.message);
    if (response.status >= 500) {
      throw new ServiceUnavailable(
        service,
        `${service} answered ${response.status}: ${problem.message}`,
        problem.requestId,
      );
    }
    return { ok: false, status: response.status, problem };
  }

  /**
   * A file the service renders (a printable form): its bytes and type. Refusals become the same
   * exceptions as for pages, so a person who may not read the case gets the refusal page.
   */
  async download(
    session: PortalSession,
    service: ServiceName,
    path: string,
    requestId?: string,
  ): Promise<{ status: number; type: string; body: Buffer; disposition?: string; problem?: ServiceProblem }> {
    let response: Response;
    try {
      response = await fetch(`${this.urls[service]}${path}`, {
        headers: {
          authorization: `Bearer ${session.accessToken}`,
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ServiceUnavailable(service, `${service} service unreachable: ${(error as Error).message}`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    if (response.ok) {
      const disposition = response.headers.get('content-disposition');
      return {
        status: response.status,
        type: response.headers.get('content-type') ?? 'application/octet-stream',
        body,
        ...(disposition ? { disposition } : {}),
      };
    }
    let problem: ServiceProblem = { statusCode: response.status, message: response.statusText };
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (parsed && typeof parsed === 'object' && 'message' in parsed) problem = parsed as ServiceProblem;
    } catch {
      // Not JSON: the status text stands.
    }
    if (response.status === 401) throw new SessionExpired(problem.message);
    if (response.status === 403) throw new AccessRefused(problem.message);
    if (response.status === 404) throw new RecordNotFound(problem.message);
    if (response.status >= 500) throw new ServiceUnavailable(service, `${service} answered ${response.status}`);
    return { status: response.status, type: 'application/json', body, problem };
  }

  /** A GET that must succeed (any refusal is an exception the error pages explain). */
  async get<T>(session: PortalSession, service: ServiceName, path: string, requestId?: string): Promise<T> {
    const result = await this.call<T>(session, service, 'GET', path, requestId ? { requestId } : {});
    if (!result.ok) throw new ServiceUnavailable(service, `${service} refused GET ${path}: ${result.problem.message}`);
    return result.body;
  }
}

/**
 * Read-your-writes for the pages: after an action the services' read models follow their events
 * within moments; the redirect waits (briefly) until the read model shows the change, so the next
 * page shows what the person just did.
 */
export async function untilShown(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
