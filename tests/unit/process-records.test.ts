import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  liveRecordedPid,
  processIdentity,
  readPidRecord,
  repo,
  terminate,
  writePidRecord,
} from '../../infra/local/stack/service-processes';

/**
 * The pid files of `npm start` and `infra` (issue 16): the shell side (infra/local/lib/common.sh)
 * and the runner (service-processes.ts) write and read one format, and a pid that no longer is
 * the recorded process is never taken for ours.
 */
describe('pid records', () => {
  const dir = mkdtempSync(resolve(tmpdir(), 'ecd-pids-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const shell = (script: string) =>
    execFileSync('bash', ['-c', `source "${repo}/infra/local/lib/common.sh"; ${script}`], {
      encoding: 'utf8',
      env: { ...process.env, ECD_INFRA_STATE: dir },
    }).trim();

  it('the shell and the runner tell the same identity of a process', () => {
    expect(shell(`process_identity ${process.pid}`)).toBe(processIdentity(process.pid));
    expect(processIdentity(process.pid)).toMatch(/^[0-9a-f-]{36}\/\d+$/);
  });

  it('a pid file written by one side is read by the other', () => {
    shell(`record_pid probe ${process.pid}`);
    expect(readPidRecord(resolve(dir, 'pids/probe.pid'))).toEqual({
      pid: process.pid,
      identity: processIdentity(process.pid),
    });
    writePidRecord(resolve(dir, 'pids/runner.pid'), process.pid);
    expect(shell('running_pid runner')).toBe(String(process.pid));
  });

  it('a recorded pid whose identity differs (reused after a crash or a reboot) is not ours', () => {
    const file = resolve(dir, 'pids/reused.pid');
    writeFileSync(file, `${process.pid} ${processIdentity(process.pid)!.replace(/\d+$/, '1')}\n`);
    expect(liveRecordedPid(file)).toBeUndefined();
    // The shell side forgets it rather than stopping it.
    expect(() => shell('running_pid reused')).toThrow();
    expect(() => readFileSync(file)).toThrow();
  });

  it('terminate stops a recorded process and waits until it is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const file = resolve(dir, 'pids/sleeper.pid');
    writePidRecord(file, child.pid!);
    expect(liveRecordedPid(file)).toBe(child.pid);
    await terminate(child.pid!, 5_000);
    await exited;
    expect(liveRecordedPid(file)).toBeUndefined();
  });
});
