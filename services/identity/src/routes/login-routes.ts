import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errors, type Interaction } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { LoginThrottle } from '../login-throttle';
import type { StaffAccounts } from '../staff-accounts';
import { loginPage, messagePage } from './pages';

export interface LoginRoutesOptions {
  provider: Provider;
  staff: StaffAccounts;
  /** Wrong passwords per account (username) and per address (the client's IP). */
  throttle: { account: LoginThrottle; address: LoginThrottle };
  /** Shown on the form: which application the person is signing in to. */
  clientNames: Record<string, string>;
}

const UidParams = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 64 }) });
type UidParams = Type.Static<typeof UidParams>;

const wrongCredentials = {
  vi: 'Sai tên đăng nhập hoặc mật khẩu.',
  en: 'Wrong username or password.',
};

const lockedOut = (seconds: number) => ({
  vi: `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${seconds} giây.`,
  en: `Too many wrong passwords. Try again in ${seconds} s.`,
});

const expiredPage = () =>
  messagePage({ vi: 'Phiên đăng nhập đã hết hạn', en: 'The sign-in has expired' }, [
    'Trang đăng nhập này đã hết hạn hoặc đã được dùng. Hãy quay lại ứng dụng và đăng nhập lại.',
    'This sign-in page has expired or was already used. Go back to the application and sign in again.',
  ]);

/**
 * The login interaction of the provider: oidc-provider sends the browser to /interaction/:uid when
 * it needs the person to sign in; the form posts back here, and the provider resumes the
 * authorization (code + PKCE) once the password is right. Consent is never asked (first-party
 * clients, see loadExistingGrant).
 */
export const loginRoutes: FastifyPluginAsync<LoginRoutesOptions> = async (
  fastify,
  { provider, staff, throttle, clientNames },
) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // The sign-in pages are never framed (clickjacking), cached, or allowed to load anything.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-frame-options', 'DENY');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  });

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 8 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  /** The interaction this browser is in (from its signed cookie), or undefined once expired/used. */
  async function currentInteraction(
    request: { raw: FastifyRequest['raw']; params: UidParams },
    reply: FastifyReply,
  ): Promise<Interaction | undefined> {
    try {
      const interaction = await provider.interactionDetails(request.raw, reply.raw);
      return interaction.uid === request.params.uid ? interaction : undefined;
    } catch (error) {
      if (error instanceof errors.SessionNotFound) return undefined;
      throw error;
    }
  }

  const formFor = (interaction: Interaction, extra: { username?: string; error?: { vi: string; en: string } } = {}) =>
    loginPage({
      action: `/interaction/${interaction.uid}/login`,
      abortUrl: `/interaction/${interaction.uid}/abort`,
      clientName: clientNames[String(interaction.params.client_id)] ?? String(interaction.params.client_id),
      ...extra,
    });

  app.get('/interaction/:uid', { schema: { hide: true, params: UidParams } }, async (request, reply) => {
    const interaction = await currentInteraction(request, reply);
    if (!interaction) return reply.status(400).type('text/html').send(expiredPage());
    if (interaction.prompt.name !== 'login') {
      request.log.error(
        { prompt: interaction.prompt },
        'provider asked for an interaction this service does not offer',
      );
      return reply
        .status(500)
        .type('text/html')
        .send(messagePage({ vi: 'Lỗi máy chủ đăng nhập', en: 'Sign-in server error' }, [interaction.prompt.name]));
    }
    return reply.type('text/html').send(formFor(interaction));
  });

  app.post('/interaction/:uid/login', { schema: { hide: true, params: UidParams } }, async (request, reply) => {
    const interaction = await currentInteraction(request, reply);
    if (!interaction) return reply.status(400).type('text/html').send(expiredPage());
    const form = (request.body ?? {}) as Record<string, unknown>;
    const username = typeof form.username === 'string' ? form.username : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const accountKey = `account:${username.trim().toLowerCase()}`;
    const addressKey = `address:${request.ip}`;
    // Locked (too many wrong passwords): not even the right password is tried until the time is up.
    const tooMany = (seconds: number) => {
      request.log.warn(
        { username, ip: request.ip, waitSeconds: seconds },
        'sign-in refused: locked after wrong passwords',
      );
      return reply
        .status(429)
        .header('retry-after', String(seconds))
        .type('text/html')
        .send(formFor(interaction, { username, error: lockedOut(seconds) }));
    };
    const wait = Math.max(throttle.account.waitSeconds(accountKey), throttle.address.waitSeconds(addressKey));
    if (wait > 0) return tooMany(wait);
    const account = await staff.authenticate(username, password);
    if (!account) {
      request.log.info({ username, uid: interaction.uid }, 'sign-in refused: wrong username or password');
      const locked = Math.max(throttle.account.failed(accountKey), throttle.address.failed(addressKey));
      if (locked > 0) return tooMany(locked);
      return reply
        .status(401)
        .type('text/html')
        .send(formFor(interaction, { username, error: wrongCredentials }));
    }
    throttle.account.succeeded(accountKey);
    request.log.info({ userId: account.id, role: account.role, uid: interaction.uid }, 'signed in');
    const returnTo = await provider.interactionResult(
      request.raw,
      reply.raw,
      { login: { accountId: account.id, amr: ['pwd'] } },
      { mergeWithLastSubmission: false },
    );
    return reply.redirect(returnTo, 303);
  });

  app.get('/interaction/:uid/abort', { schema: { hide: true, params: UidParams } }, async (request, reply) => {
    const interaction = await currentInteraction(request, reply);
    if (!interaction) return reply.status(400).type('text/html').send(expiredPage());
    const returnTo = await provider.interactionResult(
      request.raw,
      reply.raw,
      { error: 'access_denied', error_description: 'the person cancelled the sign-in' },
      { mergeWithLastSubmission: false },
    );
    return reply.redirect(returnTo, 303);
  });
};
