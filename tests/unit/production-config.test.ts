import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { loadPortalConfig } from '../../services/portal/src/config';
import { loadProtectionConfig } from '../../services/protection/src/config';

/** What a production deployment gives each service: every secret its own, every public address https. */
const production = {
  portal: {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://cong.treem.laocai.gov.vn',
    OIDC_ISSUER: 'https://dangnhap.laocai.gov.vn',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
  },
  identity: {
    NODE_ENV: 'production',
    ISSUER: 'https://dangnhap.laocai.gov.vn',
    OIDC_SIGNING_JWK: '{"kty":"EC"}',
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    DEMO_STAFF: 'none',
    PORTAL_REDIRECT_URIS: 'https://cong.treem.laocai.gov.vn/auth/callback',
    PORTAL_POST_LOGOUT_REDIRECT_URIS: 'https://cong.treem.laocai.gov.vn/',
  },
  protection: {
    NODE_ENV: 'production',
    OIDC_ISSUER: 'https://dangnhap.laocai.gov.vn',
    PROTECTION_ENCRYPTION_KEYS: `laocai-2026:${randomBytes(32).toString('base64')}`,
    PROTECTION_ENCRYPTION_KEY_ID: 'laocai-2026',
  },
};

const refusal = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    return (error as Error).message;
  }
  return 'started';
};

describe('production mode refuses every unsafe default, naming the variable in one line', () => {
  it('starts each service with production settings, and with the development defaults outside production', () => {
    expect(loadPortalConfig(production.portal).SESSION_SECRET).toBe(production.portal.SESSION_SECRET);
    expect(loadIdentityConfig(production.identity).testsClientSecret).toBeUndefined();
    expect(loadProtectionConfig(production.protection).PROTECTION_ENCRYPTION_KEY_ID).toBe('laocai-2026');
    // Outside production the same conveniences are allowed (npm start, the tests).
    expect(refusal(() => loadPortalConfig({}))).toBe('started');
    expect(loadIdentityConfig({}).testsClientSecret).toBe('ecd-tests-local-secret');
  });

  it.each([
    ['portal', 'SESSION_SECRET', () => loadPortalConfig({ ...production.portal, SESSION_SECRET: undefined })],
    ['portal', 'PUBLIC_URL', () => loadPortalConfig({ ...production.portal, PUBLIC_URL: 'http://127.0.0.1:4000' })],
    ['portal', 'OIDC_ISSUER', () => loadPortalConfig({ ...production.portal, OIDC_ISSUER: 'http://127.0.0.1:4400' })],
    ['identity', 'OIDC_SIGNING_JWK', () => loadIdentityConfig({ ...production.identity, OIDC_SIGNING_JWK: undefined })],
    ['identity', 'COOKIE_KEYS', () => loadIdentityConfig({ ...production.identity, COOKIE_KEYS: undefined })],
    ['identity', 'DEMO_STAFF', () => loadIdentityConfig({ ...production.identity, DEMO_STAFF: undefined })],
    ['identity', 'DEMO_STAFF', () => loadIdentityConfig({ ...production.identity, DEMO_STAFF: 'seed' })],
    [
      'identity',
      'TESTS_CLIENT_SECRET',
      () => loadIdentityConfig({ ...production.identity, TESTS_CLIENT_SECRET: 'ecd-tests-local-secret' }),
    ],
    ['identity', 'ISSUER', () => loadIdentityConfig({ ...production.identity, ISSUER: 'http://127.0.0.1:4400' })],
    [
      'identity',
      'PORTAL_REDIRECT_URIS',
      () => loadIdentityConfig({ ...production.identity, PORTAL_REDIRECT_URIS: 'http://127.0.0.1:4000/auth/callback' }),
    ],
    [
      'protection',
      'PROTECTION_ENCRYPTION_KEYS',
      () =>
        loadProtectionConfig({
          ...production.protection,
          PROTECTION_ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString('base64')}`,
          PROTECTION_ENCRYPTION_KEY_ID: 'dev1',
        }),
    ],
    [
      'protection',
      'OIDC_ISSUER',
      () => loadProtectionConfig({ ...production.protection, OIDC_ISSUER: 'http://127.0.0.1:4400' }),
    ],
  ])('%s refuses an unsafe %s', (service, variable, load) => {
    const message = refusal(load);
    expect(message).toMatch(new RegExp(`^${service}: ${variable} `));
    expect(message).toContain('NODE_ENV=production');
    expect(message).not.toContain('\n');
  });
});
