import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This package is imported by Temporal workflow code, which is replayed and must be
 * deterministic. Guard the production sources (tests may use Node).
 */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

const srcDir = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => ({ file, text: withoutComments(readFileSync(join(srcDir, file), 'utf8')) }));

const forbidden: [string, RegExp][] = [
  ['Date.now()', /\bDate\.now\b/],
  ['argument-less new Date()', /new Date\(\s*\)/],
  ['Math.random()', /\bMath\.random\b/],
  ['process', /\bprocess\s*[.[]/],
  ['Intl', /\bIntl\./],
  ['timers', /\b(setTimeout|setInterval|setImmediate)\s*\(/],
];

describe('determinism of the production sources', () => {
  it('finds the sources', () => {
    expect(sources.length).toBeGreaterThan(8);
  });

  it.each(forbidden)('never use %s', (_name, pattern) => {
    expect(sources.filter((s) => pattern.test(s.text)).map((s) => s.file)).toEqual([]);
  });

  it('import only relative modules, typebox and @ecd/contracts', () => {
    const imports = sources.flatMap((s) => [...s.text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!));
    expect(imports.filter((name) => !/^(\.{1,2}\/|typebox$|@ecd\/contracts$)/.test(name))).toEqual([]);
  });
});
