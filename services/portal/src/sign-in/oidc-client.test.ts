import * as openid from 'openid-client';
import { describe, expect, it } from 'vitest';
import { SignInFailed, classify, signedInFrom } from './oidc-client';

describe('the portal as relying party (openid-client)', () => {
  const now = Date.parse('2026-12-01T08:00:00.000Z');

  it('keeps the staff member from the ID token claims and the tokens, with when the access token ends', () => {
    const signedIn = signedInFrom(
      { access_token: 'at', id_token: 'it', refresh_token: 'rt' },
      { sub: 'staff-0001', name: 'Nguyễn Thị Hoa', role: 'intake-staff', unit_code: '11', facility_id: 7 },
      900,
      now,
    );
    expect(signedIn).toEqual({
      staff: { userId: 'staff-0001', name: 'Nguyễn Thị Hoa', role: 'intake-staff', unitCode: '11' },
      accessToken: 'at',
      accessTokenExpiresAt: now + 900_000,
      idToken: 'it',
      refreshToken: 'rt',
    });
    // No name: the username, then the subject; no expires_in: five minutes.
    const bare = signedInFrom({ access_token: 'at', id_token: 'it' }, { sub: 's', role: 'supervisor' }, undefined, now);
    expect(bare.staff.name).toBe('s');
    expect(bare.accessTokenExpiresAt).toBe(now + 300_000);
    expect(bare).not.toHaveProperty('refreshToken');
  });

  it('refuses an account without a staff role, and a response without an ID token', () => {
    expect(() => signedInFrom({ access_token: 'at', id_token: 'it' }, { sub: 's' }, 60, now)).toThrow(
      expect.objectContaining({ reason: 'refused' }),
    );
    expect(() => signedInFrom({ access_token: 'at' }, undefined, 60, now)).toThrow(SignInFailed);
  });

  it('tells a forged callback from a provider that is down or refuses', () => {
    const parameters = new URLSearchParams({ iss: 'https://evil.example' });
    const wrongIssuer = new openid.ClientError('invalid response encountered', {
      cause: Object.assign(new Error('unexpected "iss" (issuer) response parameter value'), {
        cause: { expected: 'https://id.example.vn', parameters },
      }),
    });
    expect(classify(wrongIssuer)).toBe('invalid-callback');
    expect(classify(new TypeError('fetch failed'))).toBe('provider-unavailable');
    expect(classify(Object.assign(new openid.ClientError('operation timed out'), { code: 'OAUTH_TIMEOUT' }))).toBe(
      'provider-unavailable',
    );
    expect(classify(new openid.ClientError('unexpected JWT claim value encountered'))).toBe('invalid-response');
  });
});
