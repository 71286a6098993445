import * as openid from 'openid-client';

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

/**
 * The identity provider refused or failed: `reason` is safe to show, `detail` is for logs.
 * `invalid-callback`: the browser brought back an answer that does not belong to this sign-in
 * (another issuer, another state): refused before any code is exchanged.
 */
export class SignInFailed extends Error {
  constructor(
    readonly reason: 'refused' | 'provider-unavailable' | 'invalid-response' | 'invalid-callback',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'SignInFailed';
  }
}

/** The access token's lifetime when the provider does not say (oidc-provider always does). */
const DEFAULT_EXPIRES_IN_SECONDS = 300;

export interface OidcClientOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /**
   * Plain-http provider allowed (development and tests run it on http://127.0.0.1). Never in
   * production: there the configuration already refuses an http issuer (ADR 0017).
   */
  allowHttp: boolean;
}

/** What the portal keeps of a token response: the person from the ID token and the tokens. */
export function signedInFrom(
  tokens: { access_token: string; id_token?: string; refresh_token?: string },
  claims: Record<string, unknown> | undefined,
  expiresIn: number | undefined,
  now = Date.now(),
): SignedIn {
  if (!tokens.id_token || !claims || typeof claims.sub !== 'string') {
    throw new SignInFailed('invalid-response', 'the token response carries no ID token');
  }
  const claim = (name: string) => {
    const value = claims[name];
    return typeof value === 'string' ? value : undefined;
  };
  const role = claim('role');
  if (!role) throw new SignInFailed('refused', 'the account has no staff role');
  const unitCode = claim('unit_code');
  const facilityId = claim('facility_id');
  return {
    staff: {
      userId: claims.sub,
      name: claim('name') ?? claim('preferred_username') ?? claims.sub,
      role,
      ...(unitCode ? { unitCode } : {}),
      ...(facilityId ? { facilityId } : {}),
    },
    accessToken: tokens.access_token,
    accessTokenExpiresAt: now + (expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000,
    idToken: tokens.id_token,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
  };
}

/** openid-client's codes for a provider that could not be reached or answered outside the protocol. */
const UNAVAILABLE_CODES = new Set([
  'OAUTH_TIMEOUT',
  'OAUTH_ABORT',
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
]);

/** What went wrong with a call to the provider, in the portal's terms. */
export function classify(error: unknown): SignInFailed['reason'] {
  // The provider answered with an OAuth error (an expired code, a revoked refresh token).
  if (error instanceof openid.ResponseBodyError || error instanceof openid.AuthorizationResponseError) return 'refused';
  // fetch itself failed (nothing listens, DNS, reset).
  if (error instanceof TypeError) return 'provider-unavailable';
  if (error instanceof openid.ClientError) {
    if (error.code && UNAVAILABLE_CODES.has(error.code)) return 'provider-unavailable';
    // The authorization response's own checks (RFC 9207 iss, state) carry the response parameters.
    const checked = error.cause instanceof Error ? error.cause.cause : undefined;
    if (typeof checked === 'object' && checked !== null && 'parameters' in checked) {
      if (checked.parameters instanceof URLSearchParams) return 'invalid-callback';
    }
  }
  return 'invalid-response';
}

const describe = (error: unknown) => {
  if (error instanceof openid.ResponseBodyError)
    return `${error.status} ${error.error}: ${error.error_description ?? ''}`;
  if (error instanceof openid.AuthorizationResponseError) return `${error.error}: ${error.error_description ?? ''}`;
  const cause = error instanceof Error ? error.cause : undefined;
  return `${String(error instanceof Error ? error.message : error)}${cause instanceof Error ? `: ${cause.message}` : ''}`;
};

/**
 * The portal as an OpenID Connect relying party, through openid-client (the certified client):
 * discovery, authorization code + PKCE (S256) with state and nonce, the RFC 9207 `iss` check of
 * the authorization response, ID token validation, refresh, and RP-initiated logout; as the public
 * client `ecd-portal`. The browser only ever carries the code; tokens stay on the server.
 */
export class OidcClient {
  private configuration?: Promise<openid.Configuration>;

  constructor(private readonly options: OidcClientOptions) {}

  /** The provider's metadata, discovered once; a failed discovery is retried at the next use rather than cached. */
  private async provider(): Promise<openid.Configuration> {
    this.configuration ??= openid
      .discovery(new URL(this.options.issuer), this.options.clientId, undefined, openid.None(), {
        ...(this.options.allowHttp ? { execute: [openid.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw new SignInFailed('provider-unavailable', `discovery failed: ${describe(error)}`);
      });
    return this.configuration;
  }

  async authorizationUrl(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const configuration = await this.provider();
    const pending: PendingSignIn = {
      state: openid.randomState(),
      nonce: openid.randomNonce(),
      verifier: openid.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = openid.buildAuthorizationUrl(configuration, {
      redirect_uri: this.options.redirectUri,
      scope: 'openid profile ecd',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await openid.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, pending };
  }

  /**
   * Checks the authorization response the browser brought back (`callbackQuery`: the query of
   * /auth/callback; its state, and its `iss` against the discovered issuer, RFC 9207), exchanges
   * the code with the PKCE verifier, and validates the ID token (signature, issuer, audience,
   * nonce, times).
   */
  async finishSignIn(callbackQuery: Record<string, string | undefined>, pending: PendingSignIn): Promise<SignedIn> {
    const configuration = await this.provider();
    const callback = new URL(this.options.redirectUri);
    for (const [name, value] of Object.entries(callbackQuery)) {
      if (value !== undefined) callback.searchParams.set(name, value);
    }
    const tokens = await openid
      .authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      })
      .catch((error: unknown) => {
        throw new SignInFailed(classify(error), describe(error));
      });
    return signedInFrom(tokens, tokens.claims(), tokens.expiresIn());
  }

  /**
   * A new access token for a signed-in person, without them. Undefined when the provider refuses
   * (their sign-in there ended, or the account was disabled): the person must sign in again.
   */
  async refresh(signedIn: SignedIn): Promise<SignedIn | undefined> {
    if (!signedIn.refreshToken) return undefined;
    const configuration = await this.provider();
    const tokens = await openid.refreshTokenGrant(configuration, signedIn.refreshToken).catch((error: unknown) => {
      // Refused (its sign-in at the provider ended): the person signs in again. Anything else is
      // the provider's failure, shown as such rather than as a sign-out.
      if (classify(error) === 'refused') return undefined;
      throw new SignInFailed('provider-unavailable', `refresh failed: ${describe(error)}`);
    });
    if (!tokens) return undefined;
    const claims = tokens.claims();
    // The provider may leave out a new ID token or refresh token: the earlier ones stay valid. The
    // staff member's role and scope stay those of the sign-in (as before openid-client).
    if (claims && claims.sub !== signedIn.staff.userId) {
      throw new SignInFailed('invalid-response', 'refreshed ID token names another person');
    }
    return {
      ...signedIn,
      accessToken: tokens.access_token,
      accessTokenExpiresAt: Date.now() + (tokens.expiresIn() ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000,
      ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    };
  }

  /** Where to send the browser so the provider ends its own session too (RP-initiated logout). */
  async signOutUrl(idToken: string): Promise<string | undefined> {
    const configuration = await this.provider().catch(() => undefined);
    if (!configuration?.serverMetadata().end_session_endpoint) return undefined;
    return openid.buildEndSessionUrl(configuration, {
      id_token_hint: idToken,
      post_logout_redirect_uri: this.options.postLogoutRedirectUri,
    }).href;
  }
}
