import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** Who signed in, from the ID token: what the portal shows and routes by. */
export interface StaffMember {
  userId: string;
  name: string;
  role: string;
  unitCode?: string;
  facilityId?: string;
}

/** One sign-in in progress: what the callback must see again (state) and prove (verifier, nonce). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export interface SignedIn {
  staff: StaffMember;
  accessToken: string;
  /** When the access token expires (ms since epoch). */
  accessTokenExpiresAt: number;
  idToken: string;
  /** Refreshes the access token without the person (ends with their sign-in at the provider). */
  refreshToken?: string;
}

/** The identity provider refused or failed: `reason` is safe to show, `detail` is for logs. */
export class SignInFailed extends Error {
  constructor(
    readonly reason: 'refused' | 'provider-unavailable' | 'invalid-response',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'SignInFailed';
  }
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
}

const random = () => randomBytes(32).toString('base64url');

/**
 * The portal as an OpenID Connect relying party: authorization code + PKCE (S256), as the public
 * client `ecd-portal`. The browser only ever carries the code; tokens stay on the server.
 */
export class OidcClient {
  private discovery?: Promise<Discovery>;
  private keys?: JWTVerifyGetKey;

  constructor(
    private readonly options: { issuer: string; clientId: string; redirectUri: string; postLogoutRedirectUri: string },
  ) {}

  private async endpoints(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const response = await fetch(new URL('/.well-known/openid-configuration', this.options.issuer)).catch(
        (error: unknown) => {
          throw new SignInFailed('provider-unavailable', `identity provider unreachable: ${(error as Error).message}`);
        },
      );
      if (!response.ok) throw new SignInFailed('provider-unavailable', `discovery answered ${response.status}`);
      const document = (await response.json()) as Discovery;
      this.keys = createRemoteJWKSet(new URL(document.jwks_uri));
      return document;
    })();
    // A failed discovery is retried at the next sign-in rather than cached.
    return this.discovery.catch((error: unknown) => {
      this.discovery = undefined;
      throw error;
    });
  }

  async authorizationUrl(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const { authorization_endpoint } = await this.endpoints();
    const pending: PendingSignIn = { state: random(), nonce: random(), verifier: random(), returnTo };
    const url = new URL(authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.options.clientId,
      response_type: 'code',
      redirect_uri: this.options.redirectUri,
      scope: 'openid profile ecd',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.href, pending };
  }

  /** Exchanges the code for tokens and verifies the ID token (signature, issuer, audience, nonce). */
  async finishSignIn(code: string, pending: PendingSignIn): Promise<SignedIn> {
    const { token_endpoint } = await this.endpoints();
    const response = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.options.redirectUri,
        code_verifier: pending.verifier,
        client_id: this.options.clientId,
      }).toString(),
    }).catch((error: unknown) => {
      throw new SignInFailed('provider-unavailable', `token endpoint unreachable: ${(error as Error).message}`);
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
      throw new SignInFailed('refused', `token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
    }
    const { payload } = await jwtVerify(body.id_token, this.keys!, {
      issuer: this.options.issuer,
      audience: this.options.clientId,
      algorithms: ['RS256', 'ES256'],
      clockTolerance: 5,
    }).catch((error: unknown) => {
      throw new SignInFailed('invalid-response', `ID token rejected: ${(error as Error).message}`);
    });
    if (payload.nonce !== pending.nonce) throw new SignInFailed('invalid-response', 'ID token nonce mismatch');
    const claim = (name: string) => (typeof payload[name] === 'string' ? (payload[name] as string) : undefined);
    const role = claim('role');
    if (!role) throw new SignInFailed('refused', 'the account has no staff role');
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 300;
    return {
      staff: {
        userId: payload.sub!,
        name: claim('name') ?? claim('preferred_username') ?? payload.sub!,
        role,
        ...(claim('unit_code') ? { unitCode: claim('unit_code') } : {}),
        ...(claim('facility_id') ? { facilityId: claim('facility_id') } : {}),
      },
      accessToken: body.access_token,
      accessTokenExpiresAt: Date.now() + expiresIn * 1000,
      idToken: body.id_token,
      ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    };
  }

  /**
   * A new access token for a signed-in person, without them. Undefined when the provider refuses
   * (their sign-in there ended, or the account was disabled): the person must sign in again.
   */
  async refresh(signedIn: SignedIn): Promise<SignedIn | undefined> {
    if (!signedIn.refreshToken) return undefined;
    const { token_endpoint } = await this.endpoints();
    const response = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: signedIn.refreshToken,
        client_id: this.options.clientId,
      }).toString(),
    }).catch((error: unknown) => {
      throw new SignInFailed('provider-unavailable', `token endpoint unreachable: ${(error as Error).message}`);
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 400 || response.status === 401) return undefined;
    if (!response.ok || typeof body.access_token !== 'string') {
      throw new SignInFailed(
        'provider-unavailable',
        `token endpoint answered ${response.status}: ${JSON.stringify(body)}`,
      );
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 300;
    return {
      ...signedIn,
      accessToken: body.access_token,
      accessTokenExpiresAt: Date.now() + expiresIn * 1000,
      ...(typeof body.id_token === 'string' ? { idToken: body.id_token } : {}),
      ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    };
  }

  /** Where to send the browser so the provider ends its own session too. */
  async signOutUrl(idToken: string): Promise<string | undefined> {
    const { end_session_endpoint } = await this.endpoints().catch(() => ({ end_session_endpoint: undefined }));
    if (!end_session_endpoint) return undefined;
    const url = new URL(end_session_endpoint);
    url.search = new URLSearchParams({
      id_token_hint: idToken,
      post_logout_redirect_uri: this.options.postLogoutRedirectUri,
      client_id: this.options.clientId,
    }).toString();
    return url.href;
  }
}
