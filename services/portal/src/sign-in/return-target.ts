/** Where every doubtful return target goes: the home page (which sends staff to their own). */
export const HOME = '/';

/**
 * Browsers remove tabs and newlines anywhere in a URL and trim other control characters and spaces
 * at its ends before following it, so `/\t/evil.example` becomes `//evil.example`. Remove the same
 * (and every other whitespace) first, so what is judged is what the browser would follow.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const ignoredByBrowsers = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

/**
 * A return target (after signing in, after switching language) that stays on this portal: only a
 * path of the portal itself, resolved against its own origin; anything else (another host, a
 * scheme, a protocol-relative or backslashed form, something that normalises to one) goes home.
 * The answer is the resolved path, query and fragment, never the raw input.
 */
export function returnTarget(value: unknown, origin: string): string {
  if (typeof value !== 'string' || value.length > 2000) return HOME;
  const cleaned = value.replace(ignoredByBrowsers, '');
  // Relative to the path only: `evil.example`, `javascript:…`, `https://…` and `//…` are out.
  if (!cleaned.startsWith('/') || cleaned.startsWith('//') || cleaned.includes('\\')) return HOME;
  const resolved = URL.parse(cleaned, origin);
  if (!resolved || resolved.origin !== origin) return HOME;
  const target = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // Dot segments can normalise `/.//evil.example` into `//evil.example`: check the result again.
  if (!target.startsWith('/') || target.startsWith('//') || target.includes('\\')) return HOME;
  return target;
}
