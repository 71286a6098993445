import type { ServerResponse } from 'node:http';
import type { StaffMember } from '../sign-in/oidc-client';
import type { LiveUpdates } from './live-updates';

export interface EventStreamLimits {
  /** Streams one session may hold open (tabs); the oldest is closed beyond it. */
  perSession: number;
  /** A comment line this often keeps proxies from closing an idle stream; the session is checked then too. */
  heartbeatMs: number;
  /** A reader this far behind (bytes not yet taken by the network) is dropped, not buffered for. */
  maxBufferedBytes: number;
}

export const defaultStreamLimits: EventStreamLimits = {
  perSession: 4,
  heartbeatMs: 20_000,
  maxBufferedBytes: 64 * 1024,
};

interface Stream {
  sessionId: string;
  response: ServerResponse;
  unsubscribe: () => void;
  openedAt: number;
}

/**
 * The open server-sent-event streams of this portal process. A stream lives no longer than its
 * session: it ends at sign-out at once, and at the next heartbeat once the session has expired
 * (the browser is told `session-ended` and stops reconnecting). A session holds at most
 * `perSession` streams, and a reader that does not keep up is dropped rather than buffered for
 * without limit; the browser reconnects and re-reads its view.
 */
export class EventStreams {
  private readonly streams = new Set<Stream>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly live: LiveUpdates,
    /** Whether the session still lives, without counting as use (an open tab is not activity). */
    private readonly sessionLives: (sessionId: string) => boolean | Promise<boolean>,
    private readonly limits: EventStreamLimits = defaultStreamLimits,
  ) {
    this.heartbeat = setInterval(() => void this.beat(), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  open(sessionId: string, staff: StaffMember, response: ServerResponse): void {
    const ofSession = [...this.streams].filter((s) => s.sessionId === sessionId);
    for (const oldest of ofSession.slice(0, Math.max(0, ofSession.length - this.limits.perSession + 1))) {
      this.end(oldest, 'too-many-streams');
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const stream: Stream = { sessionId, response, unsubscribe: () => undefined, openedAt: Date.now() };
    this.streams.add(stream);
    this.write(stream, 'retry: 3000\n: connected\n\n');
    stream.unsubscribe = this.live.subscribe(staff, (update) => {
      const name = update.kind.startsWith('protection.') ? 'protection' : 'referral';
      this.write(stream, `event: ${name}\ndata: ${JSON.stringify(update)}\n\n`);
    });
    response.on('close', () => this.forget(stream));
  }

  /** Sign-out: every stream of the session ends now. */
  endSession(sessionId: string): void {
    for (const stream of this.streams) if (stream.sessionId === sessionId) this.end(stream, 'session-ended');
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const stream of this.streams) this.end(stream, 'server-closing');
  }

  private async beat(): Promise<void> {
    const lives = new Map<string, boolean>();
    for (const stream of [...this.streams]) {
      if (!lives.has(stream.sessionId)) {
        lives.set(stream.sessionId, await Promise.resolve(this.sessionLives(stream.sessionId)).catch(() => true));
      }
      if (!lives.get(stream.sessionId)) this.end(stream, 'session-ended');
      else this.write(stream, ': heartbeat\n\n');
    }
  }

  /** Writes, or drops a reader that lets more than maxBufferedBytes pile up. */
  private write(stream: Stream, text: string): void {
    if (!this.streams.has(stream)) return;
    if (stream.response.writableLength + Buffer.byteLength(text) > this.limits.maxBufferedBytes) {
      this.forget(stream);
      stream.response.destroy();
      return;
    }
    stream.response.write(text);
  }

  private end(stream: Stream, reason: 'session-ended' | 'too-many-streams' | 'server-closing'): void {
    // Named reasons tell the browser not to reconnect (a closing server lets it come back elsewhere).
    if (reason !== 'server-closing') this.write(stream, `event: ${reason}\ndata: {}\n\n`);
    this.forget(stream);
    stream.response.end();
  }

  private forget(stream: Stream): void {
    if (!this.streams.delete(stream)) return;
    stream.unsubscribe();
  }
}
