import type { Logger } from 'pino';
import { connectDatabase, createServiceApp, pingDatabase, type ServiceApp } from '@ecd/service-kit';
import type { LoadedIdentityConfig } from './config';
import { demoUsers } from './demo-users';
import { PORTAL_CLIENT_ID, TESTS_CLIENT_ID, createOpenIdProvider } from './openid-provider';
import { loginRoutes } from './routes/login-routes';
import { providerRoutesPlugin } from './routes/provider-routes';
import { loadSigningKey } from './signing-key';
import { LoginThrottle } from './login-throttle';
import { accountRoutes } from './routes/account-routes';
import { StaffAccounts } from './staff-accounts';

export interface IdentityService {
  app: ServiceApp;
  /** The issuer tokens carry (`iss`), as configured. */
  issuer: string;
  /** The audience of its access tokens (`aud`). */
  audience: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the local OpenID provider: demo staff, signing key, oidc-provider behind the service's
 * Fastify app (health, metrics, docs like every service), and the login form.
 */
export async function buildIdentityService(config: LoadedIdentityConfig, logger: Logger): Promise<IdentityService> {
  const db = await connectDatabase(config.MONGO_URL, logger);
  const staff = new StaffAccounts(db);
  await staff.init();
  if (config.DEMO_STAFF === 'seed') {
    const added = await staff.seed(demoUsers);
    if (added) logger.info({ added }, 'demo staff seeded (development and tests only)');
  }
  const signingKey = await loadSigningKey(config.OIDC_SIGNING_JWK);
  const provider = createOpenIdProvider({ config, staff, signingKey, logger: logger.child({ component: 'oidc' }) });

  const app = await createServiceApp({
    name: 'identity',
    description:
      'Local OpenID Connect provider: staff sign-in (authorization code + PKCE), JWT access tokens with role and ' +
      'scope, JWKS and discovery at /.well-known/openid-configuration.',
    logger,
    readiness: { database: () => pingDatabase(db) },
  });
  await app.register(providerRoutesPlugin, { provider });
  await app.register(loginRoutes, {
    provider,
    staff,
    throttle: {
      account: new LoginThrottle({
        maxFailures: config.LOGIN_MAX_FAILURES,
        lockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
      }),
      address: new LoginThrottle({
        maxFailures: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
        lockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
      }),
    },
    clientNames: {
      [PORTAL_CLIENT_ID]: 'Cổng thông tin mạng lưới chuyển tuyến',
      [TESTS_CLIENT_ID]: 'ECD tests',
    },
  });
  await app.register(accountRoutes, { staff, issuer: config.ISSUER, audience: config.API_AUDIENCE, signingKey });
  logger.info(
    { issuer: config.ISSUER, alg: signingKey.alg, kid: signingKey.jwk.kid, generatedKey: signingKey.generated },
    'identity provider configured',
  );

  return {
    app,
    issuer: config.ISSUER,
    audience: config.API_AUDIENCE,
    async start() {
      // Nothing runs in the background: sessions and codes live in memory, keys are loaded.
    },
    async stop() {
      await app.close();
      await db.close();
    },
  };
}
