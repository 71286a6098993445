import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  createAuthenticator,
  createServiceApp,
  requireRole,
  signedInStaff,
  type AuthenticatorOptions,
  type ServiceApp,
} from '@ecd/service-kit';
import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { SignInError, portalClient, signIn, signInForTokens, testsClient } from '../support/sign-in';
import { testLogger, identityDatabase } from '../support/infra';

/**
 * The local OpenID provider end to end: staff sign in through the real authorization code + PKCE
 * flow and login form (no browser), and a service verifies the JWT access tokens with the
 * service-kit authenticator against the provider's published keys.
 */
describe('identity: staff sign in, services verify their access tokens', () => {
  const ISSUER = 'http://identity.test';
  const OTHER_ISSUER = 'http://identity-short-lived.test';
  let identity: IdentityService;
  let identityUrl: string;
  /** A second provider: other issuer, other key, 2-second access tokens. */
  let shortLived: IdentityService;
  let shortLivedUrl: string;
  let api: ServiceApp;

  /** A tiny service: the same protected routes behind differently configured authenticators. */
  async function buildApi(): Promise<ServiceApp> {
    const app = await createServiceApp({ name: 'protected-api', logger: testLogger('protected-api') });
    const trusting = (prefix: string, options: AuthenticatorOptions) => {
      const authenticate = createAuthenticator(options);
      app.get(`${prefix}/whoami`, { onRequest: authenticate }, async (request) => signedInStaff(request));
      app.get(
        `${prefix}/cases`,
        { onRequest: [authenticate, requireRole('intake-staff', 'protection-officer')] },
        async (request) => ({ unitCode: request.staff?.unitCode }),
      );
    };
    trusting('', { issuer: ISSUER, audience: 'ecd-api', jwksUrl: `${identityUrl}/jwks` });
    trusting('/reports-api', { issuer: ISSUER, audience: 'ecd-reports', jwksUrl: `${identityUrl}/jwks` });
    trusting('/short-lived', { issuer: OTHER_ISSUER, audience: 'ecd-api', jwksUrl: `${shortLivedUrl}/jwks` });
    // Fetches the second provider's keys but expects the first one's issuer.
    trusting('/mixed-up', { issuer: ISSUER, audience: 'ecd-api', jwksUrl: `${shortLivedUrl}/jwks` });
    return app;
  }

  const call = (url: string, token?: string) =>
    api.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    identity = await buildIdentityService(
      loadIdentityConfig({ PORT: '0', MONGO_URL: identityDatabase(), ISSUER }),
      testLogger('identity'),
    );
    await identity.start();
    identityUrl = await identity.app.listen({ host: '127.0.0.1', port: 0 });
    shortLived = await buildIdentityService(
      loadIdentityConfig({
        PORT: '0',
        MONGO_URL: identityDatabase(),
        ISSUER: OTHER_ISSUER,
        ACCESS_TOKEN_TTL_SECONDS: '2',
      }),
      testLogger('identity-short-lived'),
    );
    await shortLived.start();
    shortLivedUrl = await shortLived.app.listen({ host: '127.0.0.1', port: 0 });
    api = await buildApi();
  });

  afterAll(async () => {
    await api?.close();
    await shortLived?.stop();
    await identity?.stop();
  });

  it('publishes discovery and public keys only (no private key material), and answers /healthz', async () => {
    const discovery = (await (await fetch(`${identityUrl}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery.issuer).toBe(ISSUER);
    expect(discovery.jwks_uri).toBe(`${identityUrl}/jwks`);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = (await (await fetch(`${identityUrl}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect((await fetch(`${identityUrl}/healthz`)).status).toBe(200);
  });

  it('signs in commune intake staff (code + PKCE, client ecd-tests): a JWT for ecd-api with role and commune', async () => {
    const token = await signIn(identityUrl, 'canbo.yty', 'yty-intake-01');
    expect(decodeProtectedHeader(token)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    expect(decodeJwt(token)).toMatchObject({
      iss: ISSUER,
      aud: 'ecd-api',
      sub: 'staff-0001',
      role: 'intake-staff',
      unit_code: '02704',
      name: 'Chu Thị Sa',
    });

    const whoami = await call('/whoami', token);
    expect(whoami.statusCode).toBe(200);
    expect(whoami.json()).toEqual({
      userId: 'staff-0001',
      role: 'intake-staff',
      unitCode: '02704',
      name: 'Chu Thị Sa',
    });
    const cases = await call('/cases', token);
    expect(cases.statusCode).toBe(200);
    expect(cases.json()).toEqual({ unitCode: '02704' });
  });

  it('signs in health station staff through the portal client (public, PKCE); requireRole refuses them with 403', async () => {
    const tokens = await signInForTokens(identityUrl, 'yte.yty', 'yty-health-01', { client: portalClient });

    const whoami = await call('/whoami', tokens.accessToken);
    expect(whoami.statusCode).toBe(200);
    expect(whoami.json()).toEqual({
      userId: 'staff-0003',
      role: 'health-staff',
      facilityId: 'TYT-02704',
      name: 'Lý Seo Chứ',
    });

    const cases = await call('/cases', tokens.accessToken);
    expect(cases.statusCode).toBe(403);
    expect(cases.json().message).toBe(
      "role 'health-staff' may not do this; it needs 'intake-staff' or 'protection-officer'",
    );

    // The portal learns who signed in from the ID token (for itself, not for the APIs).
    const { payload } = await jwtVerify(tokens.idToken, createRemoteJWKSet(new URL(`${identityUrl}/jwks`)), {
      issuer: ISSUER,
      audience: 'ecd-portal',
    });
    expect(payload).toMatchObject({ sub: 'staff-0003', role: 'health-staff', facility_id: 'TYT-02704' });
    const asAccessToken = await call('/whoami', tokens.idToken);
    expect(asAccessToken.statusCode).toBe(401);
  });

  it('401 without a bearer token, with a challenge header', async () => {
    const response = await call('/whoami');
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/^missing bearer token/);
    expect(response.headers['www-authenticate']).toBe('Bearer');

    const basic = await api.inject({ method: 'GET', url: '/whoami', headers: { authorization: 'Basic YTpi' } });
    expect(basic.statusCode).toBe(401);
    expect(basic.json().message).toMatch(/^missing bearer token/);
  });

  it('401 for a tampered token (one character of the signature changed)', async () => {
    const token = await signIn(identityUrl, 'baove.yty', 'yty-protection-01');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // A character in the middle: the last one may only carry padding bits.
    const flipped = signature.slice(0, 20) + (signature[20] === 'A' ? 'B' : 'A') + signature.slice(21);
    const response = await call('/whoami', `${header}.${payload}.${flipped}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/^invalid signature/);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);

    // The claims changed, the signature kept: also refused.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, unit_code: '02701' })).toString('base64url');
    const forgedResponse = await call('/cases', `${header}.${forged}.${signature}`);
    expect(forgedResponse.statusCode).toBe(401);
    expect(forgedResponse.json().message).toMatch(/^invalid signature/);
  });

  it('401 for a token for another audience', async () => {
    const token = await signIn(identityUrl, 'canbo.batxat', 'batxat-intake-01');
    const response = await call('/reports-api/whoami', token);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toBe(`wrong audience: token is for "ecd-api", this service accepts 'ecd-reports'`);
  });

  it('401 for a token from another issuer (other keys, or trusted keys with the wrong iss)', async () => {
    const token = await signIn(shortLivedUrl, 'canbo.yty', 'yty-intake-01');
    const unknownKey = await call('/whoami', token);
    expect(unknownKey.statusCode).toBe(401);
    expect(unknownKey.json().message).toMatch(/^invalid signature: the token is signed with a key/);

    const wrongIssuer = await call('/mixed-up/whoami', token);
    expect(wrongIssuer.statusCode).toBe(401);
    expect(wrongIssuer.json().message).toBe(
      `wrong issuer: token was issued by "${OTHER_ISSUER}", this service trusts '${ISSUER}'`,
    );
  });

  it('401 for an expired token (2 s lifetime, 5 s clock tolerance)', async () => {
    const token = await signIn(shortLivedUrl, 'chutich.yty', 'yty-chairman-01');
    const fresh = await call('/short-lived/whoami', token);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toMatchObject({ role: 'commune-chairman', unitCode: '02704' });

    const { exp } = decodeJwt(token);
    expect(exp! - decodeJwt(token).iat!).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (exp! + 5) * 1000 + 1000 - Date.now())));
    const expired = await call('/short-lived/whoami', token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toMatch(/^token expired \(at .+\); sign in again$/);
  });

  it('client credentials (ecd-tests, no person): a JWT for ecd-api that staff routes refuse with 403', async () => {
    const response = await fetch(`${identityUrl}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${testsClient.clientId}:${testsClient.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    expect(response.status).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    expect(decodeJwt(token)).toMatchObject({ iss: ISSUER, aud: 'ecd-api', sub: 'ecd-tests' });
    const refused = await call('/whoami', token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('the access token names no staff role (role claim)');
  });

  it('the login form refuses a wrong password and an unknown user, in Vietnamese first, keeping the form', async () => {
    for (const [username, password] of [
      ['canbo.yty', 'not-the-password'],
      ['khongco.yty', 'yty-intake-01'],
    ] as const) {
      const refusal = await signIn(identityUrl, username, password).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(SignInError);
      const { status, page, message } = refusal as SignInError;
      expect(status).toBe(401);
      expect(message).toContain('Sai tên đăng nhập hoặc mật khẩu. Wrong username or password.');
      expect(page).toContain('<form method="post" action="/interaction/');
      expect(page).toContain(`value="${username}"`);
      expect(page.indexOf('Tên đăng nhập')).toBeLessThan(page.indexOf('Username'));
    }
    // The same person with the right password still gets in.
    await expect(signIn(identityUrl, 'canbo.yty', 'yty-intake-01')).resolves.toMatch(/^ey/);
  });
});
