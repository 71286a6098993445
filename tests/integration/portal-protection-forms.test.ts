import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { ProtectionService } from '../../services/protection/src/protection-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { uniqueName } from '../support/infra';
import { startProtection } from '../support/protection';
import { signIn } from '../support/sign-in';
import { startIdentity, startReferrals } from '../support/stack';

/**
 * The printable Decree 56 forms at the protection service's API (the portal passes them through):
 * who may print (the case's team and the commune chairman), a form whose step is not done, bad
 * input, and the printout log that records every request, refusals included.
 */
describe('printed Decree 56 forms', () => {
  let identity: { identity: IdentityService; url: string };
  let referrals: ReferralsService;
  let protection: ProtectionService;
  let raw: Connection;
  const tokens: Record<string, string> = {};
  const name = 'Vừ Thị Chở';

  beforeAll(async () => {
    identity = await startIdentity();
    const taskQueue = uniqueName('referrals');
    referrals = await startReferrals(taskQueue);
    let url: string;
    ({ protection, databaseUrl: url } = await startProtection(identity.url, {
      TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue,
    }));
    raw = await mongoose.createConnection(url).asPromise();
    const accounts: Record<string, [string, string]> = {
      officer: ['baove.yty', 'yty-protection-01'],
      colleague: ['phobaove.yty', 'yty-protection-02'],
      otherOfficer: ['baove.batxat', 'batxat-protection-01'],
      chairman: ['chutich.yty', 'yty-chairman-01'],
      nurse: ['yte.yty', 'yty-health-01'],
      intake: ['canbo.yty', 'yty-intake-01'],
    };
    for (const [who, [user, password]] of Object.entries(accounts))
      tokens[who] = await signIn(identity.url, user, password);
  }, 180_000);

  afterAll(async () => {
    await raw?.close();
    await protection?.stop();
    await referrals?.stop();
    await identity?.identity.stop();
  });

  const get = (url: string, who: string) =>
    protection.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[who]}` } });

  it('prints form 01 for the team and the chairman only, refuses a step not done, and audits every request', async () => {
    const opened = await protection.app.inject({
      method: 'POST',
      url: '/protection-cases',
      headers: { authorization: `Bearer ${tokens.officer}` },
      payload: {
        source: 'hotline-111',
        seriousRisk: false,
        child: { fullName: name, sex: 'female' },
        reporter: { name: 'Tổng đài 111' },
        report: { description: 'Trẻ bị bỏ mặc ở nhà một mình nhiều ngày' },
      },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json()._id as string;
    // The clocks are on the stored case from the start (the case list shows them).
    expect(opened.json().clocks.map((c: { step: string }) => c.step)).toEqual(['INITIAL_ASSESSMENT', 'PLAN']);

    for (const who of ['officer', 'chairman']) {
      const pdf = await get(`/protection-cases/${id}/forms/01`, who);
      expect(pdf.statusCode, who).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="mau-01-/);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf.rawPayload, encoding: 'utf8' });
      expect(text).toContain(name);
      expect(text).toContain('bỏ mặc ở nhà một mình');
    }
    // Not on the team, another commune, other roles: refused, and nothing of the case in the answer.
    for (const [who, status] of [
      ['colleague', 403],
      ['otherOfficer', 404],
      ['nurse', 403],
      ['intake', 403],
    ] as const) {
      const refused = await get(`/protection-cases/${id}/forms/01`, who);
      expect(refused.statusCode, who).toBe(status);
      expect(refused.body).not.toContain(name);
    }
    // Form 02 records a step not done yet.
    const early = await get(`/protection-cases/${id}/forms/02`, 'officer');
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('riskAssessment');
    // Bad input names the field.
    const bad = await get(`/protection-cases/${id}/forms/07`, 'officer');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('form');

    const log = await raw.collection('printout_log').find({ protectionCaseId: id }).toArray();
    const seen = log.map((e) => `${e.actor.userId}:${e.form}:${e.status}`).sort();
    expect(seen).toEqual(
      [
        'staff-0009:01:200',
        'staff-0011:01:200',
        'staff-0018:01:403',
        'staff-0010:01:404',
        'staff-0003:01:403',
        'staff-0001:01:403',
        'staff-0009:02:409',
      ].sort(),
    );
  });
});
