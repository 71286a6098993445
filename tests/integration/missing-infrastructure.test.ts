import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildIntakeService } from '../../services/intake/src/intake-service';
import { loadIntakeConfig } from '../../services/intake/src/config';
import { buildReferralsService } from '../../services/referrals/src/referrals-service';
import { loadReferralsConfig } from '../../services/referrals/src/config';
import { databaseUrl, infra, testLogger, uniqueName } from '../support/infra';

/** An address where nothing listens: what a stopped server looks like to a client. */
async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

/**
 * A service whose dependency is down refuses to start with a message naming that dependency; it
 * never hangs. The vitest timeout (60 s) is the bound the foundation issue sets.
 */
describe('a stopped dependency is named, quickly', () => {
  it('intake without its database', async () => {
    const { kafkaBrokers } = infra();
    const dead = await deadAddress();
    const started = buildIntakeService(
      loadIntakeConfig({ MONGO_URL: databaseUrl(`mongodb://${dead}`, 'x'), KAFKA_BROKERS: kafkaBrokers }),
      testLogger('intake'),
    );
    await expect(started).rejects.toThrow(new RegExp(`cannot reach the database at mongodb://${dead}`));
  });

  it('intake without Kafka', async () => {
    const { mongoUrl } = infra();
    const dead = await deadAddress();
    const started = buildIntakeService(
      loadIntakeConfig({ MONGO_URL: databaseUrl(mongoUrl, uniqueName('intake')), KAFKA_BROKERS: dead }),
      testLogger('intake'),
    );
    await expect(started).rejects.toThrow(new RegExp(`cannot reach Kafka at ${dead}`));
  });

  it('referrals without Temporal', async () => {
    const { kafkaBrokers, mongoUrl } = infra();
    const dead = await deadAddress();
    const started = buildReferralsService(
      loadReferralsConfig({
        TEMPORAL_ADDRESS: dead,
        KAFKA_BROKERS: kafkaBrokers,
        MONGO_URL: databaseUrl(mongoUrl, uniqueName('referrals')),
      }),
      testLogger('referrals'),
    );
    await expect(started).rejects.toThrow(new RegExp(`cannot reach Temporal at ${dead}`));
  });

  it('a service with a malformed setting names the variable', () => {
    expect(() => loadIntakeConfig({ MONGO_URL: 'postgres://nope', PORT: 'eighty' })).toThrow(
      /intake: invalid configuration: .*PORT.*MONGO_URL|intake: invalid configuration: .*MONGO_URL.*PORT/,
    );
  });
});
