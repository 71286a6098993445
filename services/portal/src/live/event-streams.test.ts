import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEvent } from '@ecd/contracts';
import { EventStreams } from './event-streams';
import { LiveUpdates, SETTLE_MS } from './live-updates';

const nurse = { userId: 'staff-0003', name: 'Lý Seo Chứ', role: 'health-staff', facilityId: 'TYT-02704' };

const accepted = (caseId: string, padding = '') =>
  createEvent({
    id: `e-${Math.random()}`,
    type: 'referral.started.v1',
    source: 'test',
    subject: caseId,
    data: {
      referralId: `r-${caseId}`,
      caseId,
      sector: 'health',
      urgency: 'routine',
      facilityId: 'TYT-02704',
      fromUnitCode: '02704',
      state: 'IN_SERVICE',
      at: new Date().toISOString(),
      by: { userId: `staff-0003${padding}`, role: 'health-staff' },
    },
  });

/** A real HTTP server whose every request becomes an event stream of `sessionId` (the query string). */
async function streamServer(streams: EventStreams): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    streams.open(new URL(request.url!, 'http://x').searchParams.get('session')!, nurse, response);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Connects and collects what arrives, as text, until the stream ends. */
function connect(url: string, { read = true } = {}) {
  const received: string[] = [];
  let response: IncomingMessage | undefined;
  const ended = new Promise<void>((resolve) => {
    const request = get(url, (r) => {
      response = r;
      if (!read) return r.pause();
      r.on('data', (chunk: Buffer) => received.push(chunk.toString()));
      r.on('end', resolve);
      r.on('close', resolve);
    });
    request.on('error', () => resolve());
  });
  return { received, ended, text: () => received.join(''), response: () => response };
}

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('live update streams', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const step of cleanup.splice(0)) step();
  });

  it('ends every stream of a session at sign-out, and at the next heartbeat once the session expired', async () => {
    const live = new LiveUpdates();
    const alive = new Set(['s1', 's2']);
    const streams = new EventStreams(live, (id) => alive.has(id), {
      perSession: 4,
      heartbeatMs: 100,
      maxBufferedBytes: 64 * 1024,
    });
    const { server, url } = await streamServer(streams);
    cleanup.push(
      () => streams.close(),
      () => server.close(),
    );
    const [a, b, other] = [connect(`${url}/?session=s1`), connect(`${url}/?session=s1`), connect(`${url}/?session=s2`)];
    await until(() => streams.size === 3);
    live.publish(accepted('c1'));
    await until(() => a.text().includes('event: referral') && other.text().includes('event: referral'));
    streams.endSession('s1');
    await Promise.all([a.ended, b.ended]);
    expect(a.text()).toContain('event: session-ended');
    expect(b.text()).toContain('event: session-ended');
    expect(streams.size).toBe(1);
    // Heartbeats keep the other one open until its session expires.
    await until(() => other.text().includes(': heartbeat'));
    alive.delete('s2');
    await other.ended;
    expect(other.text()).toContain('event: session-ended');
    expect(streams.size).toBe(0);
  });

  it('holds at most the cap of streams per session, ending the oldest with a reason not to reconnect', async () => {
    const live = new LiveUpdates();
    const streams = new EventStreams(live, () => true, { perSession: 2, heartbeatMs: 60_000, maxBufferedBytes: 65536 });
    const { server, url } = await streamServer(streams);
    cleanup.push(
      () => streams.close(),
      () => server.close(),
    );
    const first = connect(`${url}/?session=s1`);
    await until(() => streams.size === 1);
    const second = connect(`${url}/?session=s1`);
    await until(() => streams.size === 2);
    const third = connect(`${url}/?session=s1`);
    await first.ended;
    expect(first.text()).toContain('event: too-many-streams');
    await until(() => streams.size === 2 && third.text().includes(': connected'));
    expect(second.text()).not.toContain('too-many-streams');
  });

  it('drops a reader that does not keep up instead of buffering for it', async () => {
    const live = new LiveUpdates();
    const streams = new EventStreams(live, () => true, {
      perSession: 4,
      heartbeatMs: 60_000,
      maxBufferedBytes: 64 * 1024,
    });
    const { server, url } = await streamServer(streams);
    cleanup.push(
      () => streams.close(),
      () => server.close(),
    );
    const slow = connect(`${url}/?session=s1`, { read: false });
    await until(() => streams.size === 1 && slow.response() !== undefined);
    // Far more than the socket buffers hold: the portal must stop at its own limit.
    for (let i = 0; i < 40_000 && streams.size > 0; i++) live.publish(accepted(`c${i}`, 'x'.repeat(50)));
    expect(streams.size).toBe(0);
    slow.response()?.destroy();
  });

  it('tells whether a view changed since a time: an idle view has not, a view an event concerns has', () => {
    const live = new LiveUpdates();
    const now = Date.now();
    expect(live.changedSince(nurse, 'inbox', now)).toBe(false);
    // A time before this process started: it cannot know, so the view is re-read.
    expect(live.changedSince(nurse, 'inbox', live.startedAt - 1)).toBe(true);
    live.publish(accepted('c7'));
    expect(live.changedSince(nurse, 'inbox', now)).toBe(true);
    expect(live.changedSince(nurse, 'case:c7', now)).toBe(true);
    expect(live.changedSince(nurse, 'case:c8', now)).toBe(false);
    // Still "changed" while the read models settle, then no longer.
    expect(live.changedSince(nurse, 'inbox', Date.now() + SETTLE_MS - 1_000)).toBe(true);
    expect(live.changedSince(nurse, 'inbox', Date.now() + SETTLE_MS + 1_000)).toBe(false);
    const otherStation = { ...nurse, facilityId: 'TYT-02701' };
    expect(live.changedSince(otherStation, 'inbox', now)).toBe(false);
  });
});
