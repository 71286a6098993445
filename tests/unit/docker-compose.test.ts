import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * docker-compose.yml cannot be run on the build machines (no Docker engine), so what can be
 * checked without one is checked here: it covers every service, wires them to each other by
 * compose host names, pins its images, and docker-compose itself accepts it.
 */

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string } | null>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { type?: string; source?: string })[];
}

interface ComposeFile {
  services?: Record<string, ComposeService>;
}

const repo = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(repo, file), 'utf8');

const DOCKERFILE = 'infra/docker/Dockerfile';
// `merge: true`: the file shares the service template through YAML merge keys (`<<: *node-service`).
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const services = compose.services ?? {};
const serviceNames = Object.keys(services);
/** Services built from this repository (the Node services); the rest are pulled images. */
const appServices = Object.entries(services).filter(([, service]) => service.build !== undefined);

/** The Node services of the repository: the workspaces under services/. */
const repoServices = readdirSync(join(repo, 'services'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(repo, 'services', entry.name, 'package.json')))
  .map((entry) => entry.name);

function environment(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** depends_on as service → condition (the short list form means `service_started`). */
function dependsOn(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(deps).map(([name, options]) => [name, options?.condition ?? 'service_started']),
  );
}

function commandOf(service: ComposeService): string[] {
  const command = service.command ?? [];
  return typeof command === 'string' ? command.split(/\s+/).filter(Boolean) : command;
}

/**
 * The repository folder a built service runs, from its command: services/<dir>/src/server.mjs,
 * built from server.ts in the image (infra/docker/build-services.mjs).
 */
function serviceDirOf(service: ComposeService): string | undefined {
  for (const arg of commandOf(service)) {
    const match = /^services\/([^/]+)\/src\/server\.mjs$/.exec(arg);
    if (match) return match[1];
  }
  return undefined;
}

/** host:port or [v6]:port → host */
function hostOf(address: string): string {
  const trimmed = address.trim();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']'));
  return trimmed.split(':')[0] ?? '';
}

/** The environment variables that hold a server address, and the host names in a value. */
const ADDRESS_VARIABLES: Record<string, (value: string) => string[]> = {
  MONGO_URL: (value) => {
    const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(value);
    return match?.[1] ? match[1].split(',').map(hostOf) : [];
  },
  KAFKA_BROKERS: (value) => value.split(',').map(hostOf),
  TEMPORAL_ADDRESS: (value) => [hostOf(value)],
};
const LOOPBACK = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '::']);

/** The address variables a service's config.ts declares (its schema's property names). */
function declaredAddressVariables(dir: string): string[] {
  const source = read(`services/${dir}/src/config.ts`);
  return Object.keys(ADDRESS_VARIABLES).filter((name) => new RegExp(`\\b${name}\\s*:`).test(source));
}

function imageTag(image: string): string | undefined {
  const name = image.split('@')[0] ?? '';
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

describe('docker-compose.yml', () => {
  it('has a block for every service under services/, each running its own server.ts', () => {
    expect(repoServices.length).toBeGreaterThan(0);
    const run = Object.fromEntries(appServices.map(([name, service]) => [serviceDirOf(service), name]));
    for (const dir of repoServices) {
      expect(run[dir], `services/${dir} has no block in docker-compose.yml that runs its server.ts`).toBeDefined();
    }
    for (const [name, service] of appServices) {
      const dir = serviceDirOf(service);
      expect(dir, `${name}: command must be services/<dir>/src/server.mjs (built from server.ts)`).toBeDefined();
      expect(existsSync(join(repo, `services/${dir}/src/server.ts`)), `${name}: services/${dir}/src/server.ts`).toBe(
        true,
      );
    }
  });

  it('builds every Node service from infra/docker/Dockerfile, which exists', () => {
    expect(existsSync(join(repo, DOCKERFILE))).toBe(true);
    expect(read('.dockerignore')).toMatch(/node_modules/);
    expect(appServices.length).toBeGreaterThan(0);
    for (const [name, service] of appServices) {
      const build = typeof service.build === 'string' ? { context: service.build } : (service.build ?? {});
      expect(build.context, `${name}: build context`).toBe('.');
      expect(build.dockerfile, `${name}: dockerfile`).toBe(DOCKERFILE);
    }
  });

  it('points every address variable of a service at a service of the file, never at loopback', () => {
    for (const [name, service] of appServices) {
      const env = environment(service);
      const deps = dependsOn(service);
      for (const [variable, hostsIn] of Object.entries(ADDRESS_VARIABLES)) {
        const value = env[variable];
        if (value === undefined) continue;
        const hosts = hostsIn(value);
        expect(hosts.length, `${name}: ${variable}=${value} names no host`).toBeGreaterThan(0);
        for (const host of hosts) {
          expect(LOOPBACK.has(host), `${name}: ${variable}=${value} points at loopback inside a container`).toBe(false);
          expect(serviceNames, `${name}: ${variable}=${value}: no service named '${host}'`).toContain(host);
          // Start after the server it talks to, and after it is healthy when it can tell.
          const expected = services[host]?.healthcheck?.test ? 'service_healthy' : 'service_started';
          expect(deps[host], `${name}: depends_on ${host}`).toBe(expected);
        }
      }
    }
  });

  it('gives each service the address variables its config.ts declares, and listens on all interfaces', () => {
    for (const [name, service] of appServices) {
      const dir = serviceDirOf(service);
      if (!dir) continue; // reported by the first test
      const env = environment(service);
      const declared = declaredAddressVariables(dir);
      for (const variable of declared) {
        expect(env[variable], `${name}: services/${dir}/src/config.ts declares ${variable}; set it`).toBeTruthy();
      }
      for (const variable of Object.keys(ADDRESS_VARIABLES)) {
        if (env[variable] !== undefined) {
          expect(declared, `${name}: ${variable} is set but services/${dir}/src/config.ts does not read it`).toContain(
            variable,
          );
        }
      }
      // The config default (127.0.0.1) would be unreachable from the other containers.
      expect(env.HOST, `${name}: HOST`).toBe('0.0.0.0');
      expect(env.PORT, `${name}: PORT (the health check reads it)`).toMatch(/^\d+$/);
    }
  });

  it('gives each service its own database on the MongoDB replica set', () => {
    const mongoCommand = commandOf(services.mongo ?? {}).join(' ');
    expect(mongoCommand).toMatch(/--replSet rs0\b/);
    const databases = new Map<string, string>();
    for (const [name, service] of appServices) {
      const url = environment(service).MONGO_URL;
      if (url === undefined) continue;
      const parsed = new URL(url);
      const database = parsed.pathname.replace(/^\//, '');
      expect(database, `${name}: MONGO_URL names no database`).not.toBe('');
      expect(databases.get(database), `${name} shares database ${database}`).toBeUndefined();
      databases.set(database, name);
      expect(parsed.searchParams.get('replicaSet'), `${name}: MONGO_URL replicaSet`).toBe('rs0');
    }
  });

  it('checks the health of each service on /healthz, with the image it has (no curl)', () => {
    for (const [name, service] of appServices) {
      const test = service.healthcheck?.test;
      const text = Array.isArray(test) ? test.join(' ') : (test ?? '');
      expect(text, `${name}: healthcheck`).toContain('/healthz');
      expect(text, `${name}: healthcheck`).not.toMatch(/\b(curl|wget)\b/);
    }
  });

  it('mounts only files that exist in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        // Named volumes have no path; bind mounts are relative to the repository root.
        if (!source || !/^[./~]/.test(source)) continue;
        expect(source, `${name}: bind mounts must be relative to the repository`).toMatch(/^\.\//);
        expect(existsSync(join(repo, source)), `${name}: ${source} does not exist`).toBe(true);
      }
    }
  });

  it('pins every image to a tag other than latest', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image === undefined) {
        expect(service.build, `${name}: neither image nor build`).toBeDefined();
        continue;
      }
      expect(service.image, `${name}: image must not be interpolated`).not.toContain('$');
      const tag = imageTag(service.image);
      expect(tag, `${name}: ${service.image} has no tag`).toBeTruthy();
      expect(tag, `${name}: ${service.image}`).not.toBe('latest');
    }
  });

  it('runs Kafka on the version line of the local infrastructure (infra/local/versions.env)', () => {
    const localVersion = /^KAFKA_VERSION=(\S+)$/m.exec(read('infra/local/versions.env'))?.[1];
    expect(localVersion).toBeDefined();
    const kafkaImages = Object.values(services)
      .map((service) => service.image ?? '')
      .filter((image) => image.startsWith('apache/kafka:'));
    expect(kafkaImages).toHaveLength(1);
    const line = (version: string) => version.split('.').slice(0, 2).join('.');
    expect(line(imageTag(kafkaImages[0]!) ?? '')).toBe(line(localVersion!));
  });

  it('is accepted by docker-compose config', { timeout: 60_000 }, () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 50_000,
    });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error(
        'docker-compose is not on PATH, so docker-compose.yml cannot be validated. Install it: ' +
          '`apt-get install --no-install-recommends docker-compose` (Debian package, v1.29; no Docker engine needed). ' +
          '`npm test` does this itself when run as root (infra/local/bin/install).',
      );
    }
    expect(result.error).toBeUndefined();
    expect(result.status, `docker-compose config failed:\n${result.stderr}`).toBe(0);
  });
});
