import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DemoLoadFailure, describeDemoReport, emptyDemoReport, loadDemoData } from '../../infra/local/stack/demo-data';

/** What `npm start` prints about the demo data, and how a service that does not answer fails it (issue 16). */
describe('demo data report', () => {
  it('says what was added, what was there, and each record kept as people left it', () => {
    const report = emptyDemoReport();
    report.added.children = 2;
    report.alreadyThere.cases = 5;
    report.alreadyThere.facilityActions = 3;
    report.kept.push(
      { kind: 'cases', demo: 'demo-case-0036', id: 'c-1', found: 'closed (no-needs-found)' },
      { kind: 'referrals', demo: 'demo-referral-0012', id: 'r-1', found: 'ACCEPTED (the demo leaves it REQUESTED)' },
    );
    expect(describeDemoReport(report)).toEqual([
      'added: 2 children',
      'already there: 5 cases, 3 facility actions',
      'kept because people changed them: 2',
      '  case c-1: closed (no-needs-found)',
      '  referral r-1: ACCEPTED (the demo leaves it REQUESTED)',
    ]);
    expect(describeDemoReport(emptyDemoReport())).toEqual([
      'added: nothing',
      'already there: nothing',
      'kept because people changed them: none',
    ]);
  });

  it('a service that does not answer is a failure naming its address, not a conflict', async () => {
    // A port that was free a moment ago and is closed again: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const failure = await loadDemoData({ intakeUrl: url, identityUrl: url }, 3).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DemoLoadFailure);
    expect(failure).toMatchObject({ url, message: expect.stringContaining('signing in canbo.yty failed') });
  });
});
