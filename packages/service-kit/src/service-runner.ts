import type { Logger } from 'pino';
import type { ServiceApp } from './service-app';
import { createLogger } from './logger';

export interface RunServiceOptions {
  app: ServiceApp;
  host: string;
  port: number;
  logger: Logger;
  /** Background work (consumers, relays, workers) started after the server listens. */
  start?: () => Promise<void>;
  /** Stops everything, the app included: stop taking work, finish in-flight messages, commit, close. */
  stop: () => Promise<void>;
  shutdownTimeoutMs?: number;
}

/** Listens, starts background work, and on SIGTERM/SIGINT shuts everything down in order. */
export async function runService(options: RunServiceOptions): Promise<void> {
  const { app, logger } = options;
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, options.shutdownTimeoutMs ?? 15_000);
    try {
      await options.stop();
      clearTimeout(timer);
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ host: options.host, port: options.port });
  await options.start?.();
  logger.info({ port: options.port }, 'ready');
}

/** Runs `main`, and on a start-up failure prints one clear line and exits non-zero. */
export function startOrExit(service: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${service}: failed to start: ${message}\n`);
    process.exit(1);
  });
}

/** What every service's server.ts does: validate config, log as the service, build, serve. */
export function serve<C extends { HOST: string; PORT: number }>(
  name: string,
  loadServiceConfig: () => C,
  build: (config: C, logger: Logger) => Promise<{ app: ServiceApp; start(): Promise<void>; stop(): Promise<void> }>,
): void {
  startOrExit(name, async () => {
    const config = loadServiceConfig();
    const logger = createLogger(name);
    const service = await build(config, logger);
    await runService({
      app: service.app,
      host: config.HOST,
      port: config.PORT,
      logger,
      start: () => service.start(),
      stop: () => service.stop(),
    });
  });
}
