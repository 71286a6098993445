import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignedIn } from './oidc-client';

export interface PortalSession extends SignedIn {
  id: string;
  /** Sent back in every state-changing form (synchroniser token); SameSite=Lax is the second line. */
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

/**
 * Server-side sessions: the browser holds only a random id with an HMAC signature (httpOnly,
 * SameSite=Lax cookie); the tokens never leave the server. Kept in this process's memory, like the
 * local identity provider's sessions: a restart signs everyone out, and several replicas need
 * sticky sessions or a shared store (docs/adr/0008).
 */
export class SessionStore {
  private readonly sessions = new Map<string, PortalSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly secret: string,
    private readonly idleMs: number,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** `<id>.<signature>`: a cookie that was not issued here is recognised without a lookup. */
  sign(id: string): string {
    return `${id}.${createHmac('sha256', this.secret).update(id).digest('base64url')}`;
  }

  unsign(value: string | undefined): string | undefined {
    if (!value) return undefined;
    const at = value.lastIndexOf('.');
    if (at < 1) return undefined;
    const id = value.slice(0, at);
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(value);
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
  }

  create(signedIn: SignedIn): PortalSession {
    const now = Date.now();
    const session: PortalSession = {
      ...signedIn,
      id: randomBytes(32).toString('base64url'),
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session for a cookie value, if it is signed, known and not idle too long; touches it. */
  find(cookie: string | undefined): PortalSession | undefined {
    const id = this.unsign(cookie);
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return undefined;
    if (Date.now() - session.lastSeenAt > this.idleMs) {
      this.sessions.delete(session.id);
      return undefined;
    }
    session.lastSeenAt = Date.now();
    return session;
  }

  /** Whether the session lives, without counting this as use (an open event stream is not activity). */
  lives(id: string): boolean {
    const session = this.sessions.get(id);
    return !!session && Date.now() - session.lastSeenAt <= this.idleMs;
  }

  /** The session for a cookie value, without counting as use. */
  peek(cookie: string | undefined): PortalSession | undefined {
    const id = this.unsign(cookie);
    return id && this.lives(id) ? this.sessions.get(id) : undefined;
  }

  /** A fresh sign-in for a known session replaces its tokens, keeping its id and CSRF token. */
  refresh(session: PortalSession, signedIn: SignedIn): void {
    Object.assign(session, signedIn, { lastSeenAt: Date.now() });
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (now - s.lastSeenAt > this.idleMs) this.sessions.delete(id);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
