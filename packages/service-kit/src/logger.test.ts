import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { redactedPaths } from './logger';

describe('log redaction', () => {
  it('never writes a child’s personal fields or credentials', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: redactedPaths, censor: '[redacted]' } }, sink);
    logger.info(
      {
        child: { fullName: 'Nguyễn Thị Hoà', dateOfBirth: '2024-05-14', communeCode: '02704' },
        body: { case: { caregivers: [{ phone: '0912345678' }] } },
        req: { headers: { authorization: 'Bearer abc.def.ghi' } },
      },
      'case opened',
    );
    const line = lines.join('');
    for (const secret of ['Nguyễn', '2024-05-14', '0912345678', 'abc.def.ghi']) expect(line).not.toContain(secret);
    expect(line).toContain('02704');
    expect(line).toContain('[redacted]');
  });
});
