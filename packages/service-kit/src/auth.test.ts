import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { pino } from 'pino';
import { createAuthenticator, requireRole, signedInStaff } from './auth';
import { createServiceApp, type ServiceApp } from './service-app';

/**
 * The authenticator's answers, with tokens signed here against a local key set (the integration
 * test tests/integration/identity.test.ts does the same against the real identity service).
 */
describe('createAuthenticator / requireRole', () => {
  const issuer = 'http://identity.test';
  const audience = 'ecd-api';
  let key: CryptoKey;
  let otherKey: CryptoKey;
  let app: ServiceApp;

  const token = (claims: JWTPayload, options: { signWith?: CryptoKey; typ?: string; expiresIn?: number } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const defaults = { iss: issuer, aud: audience, sub: 'staff-0001', role: 'intake-staff', unit_code: '02704' };
    return new SignJWT({ ...defaults, name: 'Chu Thị Sa', ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: options.typ ?? 'at+jwt', kid: 'k1' })
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 300))
      .sign(options.signWith ?? key);
  };

  const get = async (url: string, authorization?: string) => {
    const response = await app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });
    return { status: response.statusCode, message: response.json().message as string, body: response.json() };
  };

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] });
    const authenticate = createAuthenticator({ issuer, audience, jwksUrl: 'http://unused.test/jwks', keys: jwks });
    const unreachable = createAuthenticator({ issuer, audience, jwksUrl: 'http://127.0.0.1:9/jwks' });

    app = await createServiceApp({ name: 'auth-test', logger: pino({ level: 'silent' }) });
    app.get('/me', { onRequest: authenticate }, async (request) => signedInStaff(request));
    app.get('/protection', { onRequest: [authenticate, requireRole('protection-officer')] }, async () => ({}));
    app.get('/unreachable', { onRequest: unreachable }, async () => ({}));
    app.get('/open', { onRequest: requireRole('supervisor') }, async () => ({}));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sets request.staff from a valid token', async () => {
    const { status, body } = await get('/me', `Bearer ${await token({ facility_id: 'TYT-02704' })}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      userId: 'staff-0001',
      role: 'intake-staff',
      unitCode: '02704',
      facilityId: 'TYT-02704',
      name: 'Chu Thị Sa',
    });
  });

  it('says what is wrong with a refused token (401)', async () => {
    expect(await get('/me')).toMatchObject({ status: 401, message: expect.stringMatching(/^missing bearer token/) });
    expect(await get('/me', 'Token abc')).toMatchObject({
      status: 401,
      message: expect.stringMatching(/^missing bearer/),
    });
    expect(await get('/me', 'Bearer not-a-jwt')).toMatchObject({
      status: 401,
      message: 'malformed token: not a valid JWT',
    });
    expect(await get('/me', `Bearer ${await token({}, { expiresIn: -60 })}`)).toMatchObject({
      status: 401,
      message: expect.stringMatching(/^token expired/),
    });
    expect(await get('/me', `Bearer ${await token({ aud: 'ecd-reports' })}`)).toMatchObject({
      status: 401,
      message: `wrong audience: token is for "ecd-reports", this service accepts 'ecd-api'`,
    });
    expect(await get('/me', `Bearer ${await token({ iss: 'http://elsewhere.test' })}`)).toMatchObject({
      status: 401,
      message: `wrong issuer: token was issued by "http://elsewhere.test", this service trusts 'http://identity.test'`,
    });
    expect(await get('/me', `Bearer ${await token({}, { signWith: otherKey })}`)).toMatchObject({
      status: 401,
      message: 'invalid signature: the token was altered',
    });
    expect(await get('/me', `Bearer ${await token({}, { typ: 'JWT' })}`)).toMatchObject({
      status: 401,
      message: expect.stringMatching(/^wrong token type/),
    });
  });

  it('refuses a valid token that names no known staff role (403)', async () => {
    expect(await get('/me', `Bearer ${await token({ role: undefined })}`)).toMatchObject({
      status: 403,
      message: 'the access token names no staff role (role claim)',
    });
    expect(await get('/me', `Bearer ${await token({ role: 'admin' })}`)).toMatchObject({
      status: 403,
      message: "unknown role 'admin' in the access token",
    });
  });

  it('requireRole: 403 naming the roles needed; 401 when no authenticator ran', async () => {
    expect(await get('/protection', `Bearer ${await token({})}`)).toMatchObject({
      status: 403,
      message: "role 'intake-staff' may not do this; it needs 'protection-officer'",
    });
    expect(await get('/protection', `Bearer ${await token({ role: 'protection-officer' })}`)).toMatchObject({
      status: 200,
    });
    expect((await get('/open')).status).toBe(401);
  });

  it('503 (not 401) when the provider keys cannot be fetched', async () => {
    expect((await get('/unreachable', `Bearer ${await token({})}`)).status).toBe(503);
  });
});
