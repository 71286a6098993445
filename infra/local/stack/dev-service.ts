import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  describeStack,
  liveRecordedPid,
  localProtectionKeys,
  localSessionSecret,
  portOwner,
  readPidRecord,
  repo,
  serviceEntry,
  servicePidFile,
  stackServiceNames,
  stackStateDir,
  terminate,
  writePidRecord,
  type StackLayout,
  type StackServiceName,
} from './service-processes';

/**
 * `npm run service:dev -- <service>`: runs one service from source with reload on change (tsx
 * watch) against the running `npm start`, in its place: same port, same servers, same databases.
 * The stack's own process of that service is stopped first; Ctrl-C here hands the service back
 * (the runner starts its own process again).
 */
const say = (line: string) => process.stdout.write(`service:dev: ${line}\n`);
function fail(line: string): never {
  process.stderr.write(`service:dev: ${line}\n`);
  process.exit(1);
}

async function main() {
  const name = process.argv[2] as StackServiceName | undefined;
  if (!name || !stackServiceNames.includes(name)) {
    fail(`usage: npm run service:dev -- <${stackServiceNames.join('|')}>`);
  }
  const stateDir = stackStateDir();
  const pidDir = resolve(stateDir, 'pids');
  const runner = liveRecordedPid(resolve(pidDir, 'stack.pid'));
  const layoutFile = resolve(stateDir, 'stack.json');
  if (runner === undefined || !existsSync(layoutFile)) {
    fail('npm start is not running here: start it first (this runs one service in its place)');
  }
  const layout = JSON.parse(readFileSync(layoutFile, 'utf8')) as Omit<StackLayout, 'protectionKeys' | 'sessionSecret'>;
  const spec = describeStack({
    ...layout,
    protectionKeys: localProtectionKeys(stateDir),
    sessionSecret: localSessionSecret(stateDir),
  }).find((s) => s.name === name)!;

  const pidFile = servicePidFile(pidDir, name);
  const stacks = liveRecordedPid(pidFile);
  if (stacks !== undefined) {
    say(`stopping the stack's ${name} (pid ${stacks})`);
    await terminate(stacks);
  }
  const holder = portOwner(spec.port);
  if (holder !== undefined) fail(`port ${spec.port} is held by pid ${holder}; stop it first`);

  // This command stands for the service in the pid file: `npm run infra:down` stops it (and it its child).
  writePidRecord(pidFile, process.pid);
  const child = spawn(
    resolve(repo, 'node_modules/.bin/tsx'),
    ['watch', '--clear-screen=false', '--include', 'packages/*/src/**/*.ts', serviceEntry(name)],
    {
      cwd: repo,
      env: { ...process.env, ...spec.env(layout.infra), PORT: String(spec.port), HOST: '127.0.0.1' },
      stdio: 'inherit',
    },
  );
  say(
    `${name} runs from source on http://127.0.0.1:${spec.port}, reloading on change; Ctrl-C hands it back to npm start`,
  );

  let stopping = false;
  const handBack = async () => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (readPidRecord(pidFile)?.pid === process.pid) rmSync(pidFile, { force: true });
    const stillRunning = liveRecordedPid(resolve(pidDir, 'stack.pid'));
    if (stillRunning !== undefined) {
      process.kill(stillRunning, 'SIGUSR2');
      say(`handed ${name} back to npm start (pid ${stillRunning}), which starts its own process again`);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void handBack());
  process.on('SIGTERM', () => void handBack());
  child.once('exit', () => void handBack());
}

void main();
