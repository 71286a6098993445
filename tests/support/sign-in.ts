import { createHash, randomBytes } from 'node:crypto';

/**
 * Signs a staff member in the way the portal will: authorization code + PKCE against the identity
 * service, with its real login form, over plain HTTP (fetch, manual redirects, a cookie jar), no
 * browser. Returns the access token (a JWT for the platform APIs).
 *
 *   const token = await signIn(identityUrl, 'canbo.yty', 'yty-intake-01');
 *   await fetch(`${intakeUrl}/cases`, { headers: { authorization: `Bearer ${token}` } });
 *
 * By default it signs in through the confidential client `ecd-tests` (its redirect URI is never
 * served; the code is read from the redirect). Pass the portal's client to drive that one instead.
 */

export interface SignInClient {
  clientId: string;
  /** Omit for a public client (the portal). */
  clientSecret?: string;
  redirectUri: string;
}

export const testsClient: SignInClient = {
  clientId: 'ecd-tests',
  clientSecret: process.env.ECD_TESTS_CLIENT_SECRET ?? 'ecd-tests-local-secret',
  redirectUri: 'http://127.0.0.1/ecd-tests/callback',
};

export const portalClient: SignInClient = {
  clientId: 'ecd-portal',
  redirectUri: 'http://127.0.0.1:4000/auth/callback',
};

export interface SignInOptions {
  client?: SignInClient;
  scope?: string;
}

export interface StaffTokens {
  accessToken: string;
  idToken: string;
  expiresIn: number;
}

/** The sign-in did not end with a code: `status` and `page` are what the provider answered. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly page: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

const base64url = (buffer: Buffer) => buffer.toString('base64url');

/** Cookies by name; enough for one provider on one host (paths are not tracked). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', attributeValue = ''] = a.split('=');
        const k = key.trim().toLowerCase();
        return (
          (k === 'max-age' && Number(attributeValue) <= 0) ||
          (k === 'expires' && Date.parse(attributeValue) <= Date.now())
        );
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Text of the page's error box (role="alert"), tags removed. */
function pageError(html: string): string | undefined {
  const match = /<p class="error" role="alert">([\s\S]*?)<\/p>/.exec(html);
  return match?.[1]
    ?.replace(/<br>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function signIn(
  identityUrl: string,
  username: string,
  password: string,
  options: SignInOptions = {},
): Promise<string> {
  return (await signInForTokens(identityUrl, username, password, options)).accessToken;
}

export async function signInForTokens(
  identityUrl: string,
  username: string,
  password: string,
  { client = testsClient, scope = 'openid profile ecd' }: SignInOptions = {},
): Promise<StaffTokens> {
  const jar = new CookieJar();
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(16));
  const nonce = base64url(randomBytes(16));

  const request = async (url: URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const cookie = jar.header();
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(response);
    return response;
  };

  /** Follows redirects inside the provider; stops at a page, or at the client's redirect URI. */
  const follow = async (first: Response, from: URL): Promise<{ response: Response; url: URL }> => {
    let response = first;
    let url = from;
    for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
      const location = response.headers.get('location');
      if (!location || hops > 10)
        throw new SignInError(`sign-in: redirect loop or no Location at ${url}`, response.status, '');
      url = new URL(location, url);
      if (url.href.startsWith(client.redirectUri)) return { response, url };
      await response.body?.cancel();
      response = await request(url);
    }
    return { response, url };
  };

  // 1. Discovery, then the authorization request: the provider sends the browser to its login form.
  const discovery = await fetch(new URL('/.well-known/openid-configuration', identityUrl));
  if (!discovery.ok) throw new SignInError(`sign-in: no discovery document at ${identityUrl}`, discovery.status, '');
  const endpoints = (await discovery.json()) as { authorization_endpoint: string; token_endpoint: string };
  const authorize = new URL(endpoints.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const formPage = await follow(await request(authorize), authorize);
  const formHtml = await formPage.response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(formHtml)?.[1];
  if (formPage.response.status !== 200 || !action) {
    throw new SignInError(
      `sign-in: expected the login form, got ${formPage.response.status} at ${formPage.url}`,
      formPage.response.status,
      formHtml,
    );
  }

  // 2. The login form, as a browser submits it.
  const loginUrl = new URL(action.replace(/&amp;/g, '&'), formPage.url);
  const submitted = await request(loginUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (submitted.status < 300 || submitted.status >= 400) {
    const page = await submitted.text();
    throw new SignInError(
      `sign-in as ${username} refused (${submitted.status}): ${pageError(page) ?? 'no message on the page'}`,
      submitted.status,
      page,
    );
  }

  // 3. Back to the authorization endpoint, which redirects to the client with a code.
  const callback = await follow(submitted, loginUrl);
  if (!callback.url.href.startsWith(client.redirectUri)) {
    const page = await callback.response.text();
    throw new SignInError(
      `sign-in: no redirect to ${client.redirectUri}; ended at ${callback.url}`,
      callback.response.status,
      page,
    );
  }
  const params = callback.url.searchParams;
  if (params.get('error')) {
    throw new SignInError(`sign-in: ${params.get('error')}: ${params.get('error_description') ?? ''}`, 302, '');
  }
  if (params.get('state') !== state) throw new SignInError('sign-in: state mismatch in the redirect', 302, '');
  const code = params.get('code');
  if (!code) throw new SignInError(`sign-in: no code in ${callback.url}`, 302, '');

  // 4. Code + verifier for tokens, authenticating the client if it is confidential.
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri,
    code_verifier: verifier,
  });
  if (client.clientSecret === undefined) {
    form.set('client_id', client.clientId);
  } else {
    const credentials = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const tokenResponse = await fetch(endpoints.token_endpoint, { method: 'POST', headers, body: form.toString() });
  const body = (await tokenResponse.json()) as Record<string, unknown>;
  if (!tokenResponse.ok || typeof body.access_token !== 'string') {
    throw new SignInError(
      `sign-in: token endpoint answered ${tokenResponse.status}: ${JSON.stringify(body)}`,
      tokenResponse.status,
      '',
    );
  }
  return { accessToken: body.access_token, idToken: String(body.id_token), expiresIn: Number(body.expires_in) };
}
