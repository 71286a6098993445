// Builds every service for the image: services/<name>/src/server.ts → services/<name>/src/server.mjs,
// one ES module per service with the workspace packages (@ecd/*) compiled in and the npm
// dependencies left as imports (node_modules is in the image). The file sits beside its sources,
// so what a service finds relative to itself (the portal's static/, the Temporal workflows that
// the worker bundles at start) is where it was. Run from the repository root:
//   node infra/docker/build-services.mjs
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const repo = resolve(import.meta.dirname, '../..');
const { dependencies } = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8'));
const services = readdirSync(resolve(repo, 'services')).filter((name) =>
  existsSync(resolve(repo, 'services', name, 'src/server.ts')),
);
for (const name of services) {
  await build({
    entryPoints: [resolve(repo, 'services', name, 'src/server.ts')],
    outfile: resolve(repo, 'services', name, 'src/server.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: 'linked',
    // npm packages stay imports (with their own subpaths); only this repository's code is built in.
    external: Object.keys(dependencies).flatMap((dependency) => [dependency, `${dependency}/*`]),
    logLevel: 'warning',
  });
  console.log(`built services/${name}/src/server.mjs`);
}
