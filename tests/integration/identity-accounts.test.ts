import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { SignInError, signIn } from '../support/sign-in';
import { identityDatabase, testLogger } from '../support/infra';

/** The sign-in's refusal (status and the page's message), or 'signed in'. */
async function attempt(url: string, username: string, password: string) {
  try {
    await signIn(url, username, password);
    return { status: 200, message: 'signed in' };
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    return { status: error.status, message: error.message, page: error.page };
  }
}

async function startProvider(settings: Record<string, string>): Promise<{ identity: IdentityService; url: string }> {
  const identity = await buildIdentityService(
    loadIdentityConfig({ PORT: '0', ISSUER: 'http://identity.test', MONGO_URL: identityDatabase(), ...settings }),
    testLogger('identity'),
  );
  await identity.start();
  return { identity, url: await identity.app.listen({ host: '127.0.0.1', port: 0 }) };
}

/**
 * Staff accounts from the identity provider's own database: scrypt-hashed passwords, demo staff
 * only when seeding is asked for, wrong passwords throttled per account and per address, and an
 * administrator who creates, disables, resets and assigns accounts, each change audited.
 */
describe('identity: staff accounts, throttled sign-in, administration', () => {
  let provider: { identity: IdentityService; url: string };

  beforeAll(async () => {
    provider = await startProvider({
      LOGIN_MAX_FAILURES: '3',
      LOGIN_LOCKOUT_SECONDS: '2',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
    });
  });
  afterAll(async () => {
    await provider?.identity.stop();
  });

  it('locks an account after the configured wrong passwords, says how long to wait, and lets the right password in after', async () => {
    const { url } = provider;
    expect((await attempt(url, 'yte.yty', 'wrong-1')).status).toBe(401);
    expect((await attempt(url, 'yte.yty', 'wrong-2')).status).toBe(401);
    const third = await attempt(url, 'yte.yty', 'wrong-3');
    expect(third.status).toBe(429);
    expect(third.message).toMatch(/thử lại sau \d+ giây/i);
    // While locked, not even the right password is tried.
    const during = await attempt(url, 'yte.yty', 'yty-health-01');
    expect(during.status).toBe(429);
    expect(during.message).toMatch(/Try again in [12] s/);
    // Another account is not affected.
    expect((await attempt(url, 'canbo.yty', 'yty-intake-01')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await attempt(url, 'yte.yty', 'yty-health-01')).status).toBe(200);
    // The count started again: one wrong password is just wrong.
    expect((await attempt(url, 'yte.yty', 'wrong-4')).status).toBe(401);
  });

  it('locks an address that tries many accounts, and seeds no demo staff when told not to', async () => {
    const other = await startProvider({
      LOGIN_MAX_FAILURES_PER_ADDRESS: '4',
      LOGIN_LOCKOUT_SECONDS: '60',
      DEMO_STAFF: 'none',
    });
    try {
      // No demo staff: their passwords are wrong like any other.
      const statuses = [];
      for (const username of ['canbo.yty', 'yte.yty', 'baove.yty', 'chutich.yty', 'giamsat.laocai']) {
        statuses.push((await attempt(other.url, username, 'guess')).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await other.identity.stop();
    }
  });

  it('lets an administrator create, disable, enable, reset and assign accounts, every change audited', async () => {
    const { url } = provider;
    const admin = await signIn(url, 'quantri.laocai', 'laocai-accounts-01');
    const call = async (method: string, path: string, body?: unknown, token = admin) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const username = `canbo.test${Date.now().toString(36)}`;
    const created = await call('POST', '/accounts', {
      username,
      name: 'Lò Thị Test',
      role: 'intake-staff',
      unitCode: '02707',
      password: 'first-password-01',
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('passwordHash');
    const id = String(created.body.id);
    expect(decodeJwt(await signIn(url, username, 'first-password-01'))).toMatchObject({
      role: 'intake-staff',
      unit_code: '02707',
    });

    // Bad input names the field and writes nothing; a taken username is a conflict.
    const badScope = await call('POST', '/accounts', {
      username: `${username}x`,
      name: 'X',
      role: 'health-staff',
      unitCode: '02707',
      password: 'first-password-01',
    });
    expect(badScope.status).toBe(400);
    expect(JSON.stringify(badScope.body)).toContain('facilityId');
    expect((await call('POST', '/accounts', { ...created.body, password: 'another-password' })).status).toBe(400);
    const taken = await call('POST', '/accounts', {
      username,
      name: 'Y',
      role: 'intake-staff',
      unitCode: '02707',
      password: 'first-password-01',
    });
    expect(taken.status).toBe(409);
    expect((await call('POST', '/accounts', { username: 'ab', password: 'short' })).status).toBe(400);

    expect((await call('POST', `/accounts/${id}/disable`)).body.disabled).toBe(true);
    expect((await attempt(url, username, 'first-password-01')).status).toBe(401);
    expect((await call('POST', `/accounts/${id}/enable`)).body.disabled).toBe(false);
    expect((await call('POST', `/accounts/${id}/password`, { password: 'second-password-02' })).status).toBe(200);
    expect((await attempt(url, username, 'first-password-01')).status).toBe(401);
    const assigned = await call('PUT', `/accounts/${id}/assignment`, { role: 'health-staff', facilityId: 'TYT-02707' });
    expect(assigned.body).toMatchObject({ role: 'health-staff', facilityId: 'TYT-02707' });
    expect(assigned.body).not.toHaveProperty('unitCode');
    expect(decodeJwt(await signIn(url, username, 'second-password-02'))).toMatchObject({
      role: 'health-staff',
      facility_id: 'TYT-02707',
    });

    const trail = await fetch(`${url}/accounts/${id}/audit`, { headers: { authorization: `Bearer ${admin}` } });
    const entries = (await trail.json()) as { action: string; actor: { userId: string }; changes: unknown }[];
    expect(entries.map((e) => e.action)).toEqual(['assign', 'reset-password', 'enable', 'disable', 'create']);
    expect(new Set(entries.map((e) => e.actor.userId))).toEqual(new Set(['staff-0019']));
    expect(JSON.stringify(entries)).not.toMatch(/password-0|scrypt\$/);

    // Only administrators: an intake officer's token is refused.
    const staffToken = await signIn(url, 'canbo.yty', 'yty-intake-01');
    expect((await call('GET', '/accounts', undefined, staffToken)).status).toBe(403);
    expect((await fetch(`${url}/accounts`)).status).toBe(401);
  });
});
