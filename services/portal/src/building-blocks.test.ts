import { createConnection } from 'mongoose';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { concerns } from './live/live-updates';
import { PendingSignIns } from './sign-in/pending-sign-ins';
import { SessionStore } from './sign-in/session-store';
import { ageInMonths, formatDate, formatInstant, timeLeft } from './views/format';
import { html } from './views/html';

describe('portal building blocks', () => {
  it('shows dates as dd/mm/yyyy and instants in Vietnam time, whatever the server zone', () => {
    expect(formatDate('2026-03-09')).toBe('09/03/2026');
    // 17:30 UTC on 31/12 is 00:30 on 1/1 in Hà Nội (UTC+7).
    expect(formatInstant('2026-12-31T17:30:00.000Z')).toBe('01/01/2027 00:30');
    expect(ageInMonths('2025-12-17', '2026-11-16')).toBe(10);
    expect(ageInMonths('2025-12-17', '2026-11-17')).toBe(11);
  });

  it('counts down to a deadline and says when it is overdue, in both languages', () => {
    const now = Date.parse('2026-03-01T00:00:00.000Z');
    expect(timeLeft('2026-03-02T02:05:00.000Z', 'vi', now)).toBe('còn 1 ngày 2 giờ 5 phút');
    expect(timeLeft('2026-02-28T23:57:00.000Z', 'en', now)).toBe('3 min overdue');
  });

  it('escapes every interpolated value unless it is already safe HTML', () => {
    const name = '<script>alert("x")</script>';
    expect(html`<p>${name}</p>`.value).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
    const items = [html`<li>${'a&b'}</li>`];
    expect(
      html`<ul>
        ${items}
      </ul>`.value.replace(/\s+/g, ''),
    ).toBe('<ul><li>a&amp;b</li></ul>');
  });

  it('recognises only session cookies it signed', () => {
    // No database is reached: signing and checking cookies is pure (sessions themselves: portal-security.test.ts).
    const store = new SessionStore(
      'a-secret-of-at-least-thirty-two-chars',
      60_000,
      createConnection(),
      pino({ level: 'silent' }),
    );
    const cookie = store.sign('session-id');
    expect(store.unsign(cookie)).toBe('session-id');
    expect(store.unsign('session-id.forged')).toBeUndefined();
    const other = new SessionStore(
      'another-secret-of-thirty-two-chars!!',
      60_000,
      createConnection(),
      pino({ level: 'silent' }),
    );
    expect(other.unsign(cookie)).toBeUndefined();
    store.close();
    other.close();
  });

  it('takes a pending sign-in once, only from the browser that started it, at most three per browser', async () => {
    const signIns = new PendingSignIns('a-secret-of-at-least-thirty-two-chars');
    const start = (state: string) => ({ state, nonce: `n-${state}`, verifier: `v-${state}`, returnTo: '/cases' });
    let cookie = await signIns.add(undefined, start('s1'));
    expect(cookie).not.toContain('v-s1'); // encrypted: the verifier is not readable in the cookie
    const taken = await signIns.take(cookie, 's1');
    expect(taken.pending).toEqual(start('s1'));
    expect(taken.remaining).toBeUndefined();
    // A replayed callback (the cookie as it was before) works once only because the callback
    // replaces the cookie; a callback from another browser (no cookie, or its own) finds nothing.
    expect((await signIns.take(undefined, 's1')).pending).toBeUndefined();
    expect((await signIns.take(await signIns.add(undefined, start('s9')), 's1')).pending).toBeUndefined();
    // Four tabs start signing in: the oldest drops out.
    cookie = await signIns.add(undefined, start('a'));
    for (const state of ['b', 'c', 'd']) cookie = await signIns.add(cookie, start(state));
    expect((await signIns.open(cookie)).map((p) => p.state)).toEqual(['d', 'c', 'b']);
    const { pending, remaining } = await signIns.take(cookie, 'c');
    expect(pending?.state).toBe('c');
    expect((await signIns.open(remaining)).map((p) => p.state)).toEqual(['d', 'b']);
    // A cookie made with another secret, or tampered with, holds nothing.
    expect(await new PendingSignIns('another-secret-of-thirty-two-chars!!').open(cookie)).toEqual([]);
    expect(await signIns.open(`${cookie.slice(0, -2)}xx`)).toEqual([]);
  });

  it('sends a live update only to staff whose views show the referral', () => {
    const update = {
      kind: 'referral.escalated',
      referralId: 'r1',
      caseId: 'c1',
      state: 'REQUESTED',
      facilityId: 'MN-02704',
      fromUnitCode: '02704',
      at: '2026-03-01T00:00:00.000Z',
      responsibleUnitCode: '10',
    };
    expect(concerns({ userId: 'a', name: 'a', role: 'education-staff', facilityId: 'MN-02704' }, update)).toBe(true);
    expect(concerns({ userId: 'b', name: 'b', role: 'health-staff', facilityId: 'TYT-02704' }, update)).toBe(false);
    expect(concerns({ userId: 'c', name: 'c', role: 'protection-officer', unitCode: '02704' }, update)).toBe(true);
    expect(concerns({ userId: 'd', name: 'd', role: 'protection-officer', unitCode: '02701' }, update)).toBe(false);
    expect(concerns({ userId: 'e', name: 'e', role: 'supervisor', unitCode: '10' }, update)).toBe(true);
  });
});
