import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Logger } from 'pino';
import type { SignedIn, StaffMember } from './oidc-client';

export interface PortalSession extends SignedIn {
  id: string;
  createdAt: number;
  lastSeenAt: number;
}

interface SessionDocument {
  _id: string;
  staff: StaffMember;
  accessToken: string;
  accessTokenExpiresAt: number;
  idToken: string;
  refreshToken?: string;
  createdAt: number;
  lastSeenAt: number;
  /** lastSeenAt + the idle limit: FerretDB has no TTL index, so expiry is checked and swept here. */
  expiresAt: number;
}

/** A session's "last seen" is written back at most this often (every request would be a write). */
const TOUCH_WRITE_MS = 60_000;
/** Sessions loaded for requests are forgotten after this; the database is the truth. */
const CACHE_MS = 30_000;

const fromDocument = ({ _id, expiresAt: _expiresAt, ...rest }: SessionDocument): PortalSession => ({
  id: _id,
  ...rest,
});

/**
 * Server-side sessions in the portal's own database (collection `portal_sessions`): the browser
 * holds only a random id with an HMAC signature (httpOnly, SameSite=Lax cookie); the tokens never
 * leave the server. A restart keeps everyone signed in, and every portal process behind one
 * address serves every session. Each request's session is loaded once (`load`, an onRequest hook)
 * so the page code reads it synchronously (`find`); a session ends after the idle limit (checked
 * on load, swept every few minutes: no TTL index on FerretDB) or at sign-out.
 */
export class SessionStore {
  readonly #sessions: Model<SessionDocument>;
  /** Sessions of requests in flight, by id, with when they were loaded. */
  private readonly loaded = new Map<
    string,
    { session: PortalSession; loadedAt: number; storedLastSeenAt: number; requests: number }
  >();
  private readonly sweeper: NodeJS.Timeout;
  private sweeps = 0;

  constructor(
    private readonly secret: string,
    private readonly idleMs: number,
    connection: Connection,
    private readonly logger: Logger,
  ) {
    this.#sessions = connection.model<SessionDocument>(
      'PortalSession',
      new Schema<SessionDocument>(
        {
          _id: String,
          staff: { type: Schema.Types.Mixed, required: true },
          accessToken: { type: String, required: true },
          accessTokenExpiresAt: { type: Number, required: true },
          idToken: { type: String, required: true },
          refreshToken: String,
          createdAt: { type: Number, required: true },
          lastSeenAt: { type: Number, required: true },
          expiresAt: { type: Number, required: true, index: true },
        },
        { collection: 'portal_sessions', versionKey: false },
      ),
    );
    this.sweeper = setInterval(() => void this.sweep(), 60_000);
    this.sweeper.unref();
  }

  init(): Promise<unknown> {
    return this.#sessions.init();
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

  /** Reads the session of a cookie from the database for this request (before any handler runs). */
  async load(cookie: string | undefined): Promise<void> {
    const id = this.unsign(cookie);
    if (!id) return;
    const document = await this.#sessions.findById(id).lean<SessionDocument>();
    if (!document || document.expiresAt <= Date.now()) {
      this.loaded.delete(id);
      if (document) await this.#sessions.deleteOne({ _id: id });
      return;
    }
    const requests = (this.loaded.get(id)?.requests ?? 0) + 1;
    this.loaded.set(id, {
      session: fromDocument(document),
      loadedAt: Date.now(),
      storedLastSeenAt: document.lastSeenAt,
      requests,
    });
  }

  async create(signedIn: SignedIn): Promise<PortalSession> {
    const now = Date.now();
    const session: PortalSession = {
      ...signedIn,
      id: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    const { id, ...rest } = session;
    await this.#sessions.create({ _id: id, ...rest, expiresAt: now + this.idleMs });
    this.loaded.set(id, { session, loadedAt: now, storedLastSeenAt: now, requests: 1 });
    return session;
  }

  /** The session for a cookie value (as loaded for this request), if signed, known and not idle too long; touches it. */
  find(cookie: string | undefined): PortalSession | undefined {
    const id = this.unsign(cookie);
    const entry = id ? this.loaded.get(id) : undefined;
    if (!entry) return undefined;
    const now = Date.now();
    if (now - entry.session.lastSeenAt > this.idleMs) return undefined;
    entry.session.lastSeenAt = now;
    if (now - entry.storedLastSeenAt > TOUCH_WRITE_MS) {
      entry.storedLastSeenAt = now;
      this.#sessions
        .updateOne({ _id: entry.session.id }, { $set: { lastSeenAt: now, expiresAt: now + this.idleMs } })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not record session use'));
    }
    return entry.session;
  }

  /** The session for a cookie, without counting as use. */
  peek(cookie: string | undefined): PortalSession | undefined {
    const id = this.unsign(cookie);
    const entry = id ? this.loaded.get(id) : undefined;
    return entry && Date.now() - entry.session.lastSeenAt <= this.idleMs ? entry.session : undefined;
  }

  /** Whether the session lives (in the database), without counting as use. */
  async lives(id: string): Promise<boolean> {
    return (await this.#sessions.exists({ _id: id, expiresAt: { $gt: Date.now() } })) !== null;
  }

  /** New tokens for a session (a fresh sign-in or a refresh), keeping its id (and so its CSRF tokens). */
  async refresh(session: PortalSession, signedIn: SignedIn): Promise<void> {
    const now = Date.now();
    Object.assign(session, signedIn, { lastSeenAt: now });
    await this.#sessions.updateOne(
      { _id: session.id },
      {
        $set: { ...signedIn, lastSeenAt: now, expiresAt: now + this.idleMs },
        ...(signedIn.refreshToken ? {} : { $unset: { refreshToken: 1 } }),
      },
    );
  }

  async destroy(id: string): Promise<void> {
    this.loaded.delete(id);
    await this.#sessions.deleteOne({ _id: id });
  }

  /** The request is answered: its session need not stay in memory once no request uses it. */
  release(cookie: string | undefined): void {
    const id = this.unsign(cookie);
    const entry = id ? this.loaded.get(id) : undefined;
    if (entry && --entry.requests <= 0) this.loaded.delete(id!);
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [id, entry] of this.loaded) if (now - entry.loadedAt > CACHE_MS) this.loaded.delete(id);
    if (++this.sweeps % 5 !== 0) return; // the database every fifth minute
    await this.#sessions
      .deleteMany({ expiresAt: { $lte: now } })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not sweep expired sessions'));
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
