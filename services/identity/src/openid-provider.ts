import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import Provider, { errors, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { splitList, type LoadedIdentityConfig } from './config';
import { createMemoryStore } from './memory-store';
import { escapeHtml, messagePage } from './routes/pages';
import type { SigningKey } from './signing-key';
import { staffClaims, type StaffAccounts } from './staff-accounts';

/** The resource indicator of the platform's APIs; its tokens carry `aud` = API_AUDIENCE. */
export const API_RESOURCE = 'urn:ecd:api';
export const PORTAL_CLIENT_ID = 'ecd-portal';
export const TESTS_CLIENT_ID = 'ecd-tests';
/** Never served: tests and tools read the code from this redirect without following it. */
export const TESTS_REDIRECT_URI = 'http://127.0.0.1/ecd-tests/callback';
/** What staff sign-ins ask for: ID token with name (profile) and role/scope claims (ecd). */
export const STAFF_SCOPE = 'openid profile ecd';

/** The endpoints the provider serves itself (everything else is this service's Fastify routes). */
export const providerRoutes = {
  authorization: '/auth',
  token: '/token',
  jwks: '/jwks',
  userinfo: '/me',
  end_session: '/session/end',
  introspection: '/token/introspection',
  revocation: '/token/revocation',
  pushed_authorization_request: '/request',
} as const;

export interface OpenIdProviderOptions {
  config: LoadedIdentityConfig;
  staff: StaffAccounts;
  signingKey: SigningKey;
  logger: Logger;
}

function clients(config: LoadedIdentityConfig, alg: string): ClientMetadata[] {
  const portal: ClientMetadata = {
    // The portal: a public client (no secret to keep), authorization code + PKCE; refresh tokens
    // so its server refreshes access tokens without sending the person back through the form.
    client_id: PORTAL_CLIENT_ID,
    client_name: 'Cổng thông tin mạng lưới chuyển tuyến (ECD portal)',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: splitList(config.PORTAL_REDIRECT_URIS),
    post_logout_redirect_uris: splitList(config.PORTAL_POST_LOGOUT_REDIRECT_URIS),
    id_token_signed_response_alg: alg,
  };
  if (!config.testsClientSecret) return [portal];
  // Never in production (config.ts refuses TESTS_CLIENT_SECRET there).
  const tests: ClientMetadata = {
    // Tests and tools: a staff member's token through the same code + PKCE flow, driven over
    // HTTP (tests/support/sign-in.ts); client credentials for calls made as no one in particular.
    client_id: TESTS_CLIENT_ID,
    client_secret: config.testsClientSecret,
    client_name: 'ECD tests and tools',
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'client_credentials'],
    response_types: ['code'],
    redirect_uris: [TESTS_REDIRECT_URI],
    id_token_signed_response_alg: alg,
  };
  return [portal, tests];
}

/**
 * The OpenID provider (panva/oidc-provider): clients, the signing key, JWT access tokens for the
 * platform APIs carrying the staff member's role and scope, and our own pages. Its login
 * interaction is served by routes/login-routes.ts.
 */
export function createOpenIdProvider({ config, staff, signingKey, logger }: OpenIdProviderOptions): Provider {
  const cookieKeys = config.COOKIE_KEYS ? splitList(config.COOKIE_KEYS) : [randomBytes(32).toString('base64url')];

  const configuration: Configuration = {
    adapter: createMemoryStore(),
    clients: clients(config, signingKey.alg),
    jwks: { keys: [signingKey.jwk] },
    cookies: {
      keys: cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: { ...providerRoutes },
    responseTypes: ['code'],
    scopes: ['openid', 'profile', 'ecd'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      ecd: ['role', 'unit_code', 'facility_id'],
    },
    // The portal reads who signed in from the ID token itself: its access token is for the APIs,
    // not for /me.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // Browsers may call the token endpoint only from the origin of a public client's redirect URI.
    clientBasedCORS(_ctx, origin, client) {
      if (client.clientAuthMethod !== 'none' || origin === 'null') return false;
      return client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin);
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      registration: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = messagePage(
            { vi: 'Đăng xuất?', en: 'Sign out?' },
            [`Đăng xuất khỏi ${ctx.host}? / Sign out of ${ctx.host}?`],
            `${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Đăng xuất / Sign out</button>
<button class="secondary" type="submit" form="op.logoutForm">Ở lại / Stay signed in</button>`,
          );
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = messagePage({ vi: 'Đã đăng xuất', en: 'Signed out' }, [
            'Bạn đã đăng xuất. / You have signed out.',
          ]);
        },
      },
      resourceIndicators: {
        enabled: true,
        // Every authorization asks for the APIs, so every access token is a JWT for them.
        async defaultResource() {
          return API_RESOURCE;
        },
        async useGrantedResource() {
          return true;
        },
        async getResourceServerInfo(_ctx, resourceIndicator) {
          if (resourceIndicator !== API_RESOURCE) {
            throw new errors.InvalidTarget(`unknown resource indicator; this provider serves ${API_RESOURCE}`);
          }
          return {
            scope: '',
            audience: config.API_AUDIENCE,
            accessTokenTTL: config.ACCESS_TOKEN_TTL_SECONDS,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: signingKey.alg } },
          };
        },
      },
    },
    // The portal's refresh token stays on its server (never in a browser) and ends with the sign-in
    // at the provider (no offline_access): issued without asking, and not rotated, so two portal
    // processes refreshing one session at once do not trip the reuse detection and revoke it.
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    rotateRefreshToken: false,
    async findAccount(_ctx, sub) {
      const account = await staff.findById(sub);
      if (!account) return undefined;
      return { accountId: account.id, claims: () => ({ sub: account.id, ...staffClaims(account) }) };
    },
    // Role and scope ride in the access token, so each service authorises without calling back.
    async extraTokenClaims(_ctx, token) {
      const account = token.accountId ? await staff.findById(token.accountId) : undefined;
      if (!account) return undefined;
      const { preferred_username: _username, ...claims } = staffClaims(account);
      return claims;
    },
    // Every client is the platform's own: staff are not asked to consent to it. (The library's
    // documented recipe for first-party clients.)
    async loadExistingGrant(ctx) {
      const { client, session, result } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(STAFF_SCOPE);
      grant.addResourceScope(API_RESOURCE, '');
      await grant.save();
      return grant;
    },
    async renderError(ctx: KoaContextWithOIDC, out, error) {
      logger.info({ err: error, ...out }, 'sign-in request refused');
      ctx.type = 'html';
      ctx.body = messagePage(
        { vi: 'Không thể đăng nhập', en: 'Cannot sign in' },
        [
          'Yêu cầu đăng nhập không hợp lệ hoặc đã hết hạn. Hãy quay lại ứng dụng và đăng nhập lại.',
          'The sign-in request is invalid or has expired. Go back to the application and sign in again.',
        ],
        `<p class="note">${Object.entries(out)
          .map(([key, value]) => `${escapeHtml(key)}: ${escapeHtml(value)}`)
          .join('<br>')}</p>`,
      );
    },
    ttl: {
      AccessToken: config.ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: config.ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: config.ID_TOKEN_TTL_SECONDS,
      Interaction: config.LOGIN_FORM_TTL_SECONDS,
      Session: config.SESSION_TTL_SECONDS,
      Grant: config.SESSION_TTL_SECONDS,
      RefreshToken: config.SESSION_TTL_SECONDS,
    },
  };

  const provider = new Provider(config.ISSUER, configuration);
  provider.on('server_error', (_ctx: unknown, error: Error) => logger.error({ err: error }, 'provider error'));
  for (const event of ['authorization.error', 'grant.error', 'introspection.error', 'revocation.error']) {
    provider.on(event, (_ctx: unknown, error: Error) => logger.info({ err: error, event }, 'request refused'));
  }
  return provider;
}
