import { describe, expect, it } from 'vitest';
import { returnTarget } from '../../services/portal/src/sign-in/return-target';
import { openRedirectPayloads } from '../support/open-redirect-payloads';

const origin = 'https://portal.example.vn';

/** Where a browser would go with this Location: it drops tabs and newlines, then resolves. */
const followed = (location: string) => new URL(location.replace(/[\t\n\r]/g, ''), `${origin}/children`);

describe('return targets after sign-in and language switch', () => {
  it.each(openRedirectPayloads.map((payload) => [JSON.stringify(payload), payload]))(
    'keeps %s on the portal',
    (_name, payload) => {
      const target = returnTarget(payload, origin);
      expect(target.startsWith('/')).toBe(true);
      expect(target.startsWith('//')).toBe(false);
      expect(followed(target).origin).toBe(origin);
    },
  );

  it('keeps a path of the portal with its query and fragment', () => {
    expect(returnTarget('/cases/3f1c?done=screened#screening', origin)).toBe('/cases/3f1c?done=screened#screening');
    expect(returnTarget('/children?q=Gi%C3%A0ng', origin)).toBe('/children?q=Gi%C3%A0ng');
  });

  it('sends anything else home, and never echoes the raw input', () => {
    expect(returnTarget(undefined, origin)).toBe('/');
    expect(returnTarget(['/children'], origin)).toBe('/');
    expect(returnTarget('https://evil.example', origin)).toBe('/');
    expect(returnTarget('/\t/evil.example', origin)).toBe('/');
    expect(returnTarget(`/${'a'.repeat(2001)}`, origin)).toBe('/');
    // Removed whitespace inside a path of the portal leaves the path, encoded.
    expect(returnTarget('/chil\tdren', origin)).toBe('/children');
  });
});
