import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggableUrl, redactedPaths, requestSerializer } from './logger';

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

describe('request logs', () => {
  it('keep the path and the names of query parameters, never their values (a search by name)', () => {
    expect(loggableUrl('/children?q=Nguy%E1%BB%85n%20Th%E1%BB%8B%20Ho%C3%A0&limit=5')).toBe(
      '/children?q=[redacted]&limit=[redacted]',
    );
    expect(loggableUrl('/cases/1234')).toBe('/cases/1234');
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino(
      { redact: { paths: redactedPaths, censor: '[redacted]' }, serializers: { req: requestSerializer } },
      sink,
    );
    logger.info({ req: { method: 'GET', url: '/children?q=Vàng Thị Súa', ip: '10.0.0.7' } }, 'incoming request');
    logger.info(
      { event: { data: { reason: 'Trẻ bị suy dinh dưỡng nặng', referralId: 'r-1' } }, reason: 'invalid event' },
      'dead-lettered',
    );
    const line = lines.join('');
    expect(line).not.toContain('Vàng');
    expect(line).not.toContain('suy dinh dưỡng');
    expect(line).toContain('/children?q=[redacted]');
    expect(line).toContain('r-1');
    expect(line).toContain('invalid event');
  });
});
