import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { PendingSignIn } from './oidc-client';

/** The cookie that carries this browser's sign-ins in progress; only the callback needs it. */
export const PENDING_SIGN_IN_COOKIE = 'ecd_sign_in';
export const PENDING_SIGN_IN_PATH = '/auth/callback';
/** A person takes a minute or two at the provider's form; five is generous. */
export const PENDING_SIGN_IN_SECONDS = 5 * 60;
/** Tabs of one browser that may be signing in at the same time (each keeps its own state). */
export const PENDING_SIGN_INS_PER_BROWSER = 3;
/** A return target longer than this is not kept (the person lands on their home page). */
const MAX_RETURN_LENGTH = 600;

interface Sealed {
  signIns: (PendingSignIn & { startedAt: number })[];
}

/**
 * Sign-ins in progress live in the browser that started them, not in the portal: an encrypted,
 * HttpOnly cookie (JWE, A256GCM, key derived from SESSION_SECRET) holding at most
 * PENDING_SIGN_INS_PER_BROWSER of them for PENDING_SIGN_IN_SECONDS. So an anonymous flood of
 * sign-in starts costs the portal no memory, and a callback is accepted only from the browser that
 * began it (no login CSRF: an attacker's link carries a state this browser never saw). Encrypted,
 * not only signed, because the PKCE verifier and nonce are in it.
 */
export class PendingSignIns {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new Uint8Array(hkdfSync('sha256', secret, 'ecd-portal', 'pending sign-ins', 32));
  }

  /** What this browser's cookie holds, the expired ones left out; nothing for a cookie not made here. */
  async open(cookie: string | undefined): Promise<Sealed['signIns']> {
    if (!cookie) return [];
    try {
      const { payload } = await jwtDecrypt<Partial<Sealed>>(cookie, this.key, { issuer: 'ecd-portal' });
      const now = Date.now();
      return (Array.isArray(payload.signIns) ? payload.signIns : []).filter(
        (p) => typeof p?.state === 'string' && now - p.startedAt < PENDING_SIGN_IN_SECONDS * 1000,
      );
    } catch {
      return [];
    }
  }

  /** The cookie value after adding a new sign-in (the oldest drops out beyond the cap). */
  async add(cookie: string | undefined, pending: PendingSignIn): Promise<string> {
    const kept = (await this.open(cookie)).slice(0, PENDING_SIGN_INS_PER_BROWSER - 1);
    const returnTo = pending.returnTo.length > MAX_RETURN_LENGTH ? '/' : pending.returnTo;
    return this.seal([{ ...pending, returnTo, startedAt: Date.now() }, ...kept]);
  }

  /**
   * The sign-in this browser started with `state`, once: the cookie value that remains (undefined:
   * clear it). A replayed callback, or one from another browser, finds nothing.
   */
  async take(cookie: string | undefined, state: string): Promise<{ pending?: PendingSignIn; remaining?: string }> {
    const all = await this.open(cookie);
    const found = all.find((p) => p.state === state);
    const rest = all.filter((p) => p !== found);
    const remaining = rest.length ? await this.seal(rest) : undefined;
    if (!found) return { ...(remaining ? { remaining } : {}) };
    const { startedAt: _startedAt, ...pending } = found;
    return { pending, ...(remaining ? { remaining } : {}) };
  }

  private seal(signIns: Sealed['signIns']): Promise<string> {
    return new EncryptJWT({ signIns })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuer('ecd-portal')
      .setIssuedAt()
      .setExpirationTime(`${PENDING_SIGN_IN_SECONDS}s`)
      .encrypt(this.key);
  }
}
