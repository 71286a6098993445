import { describe, expect, it } from 'vitest';
import { idsIn } from './audit-hook';

describe('the ids an audit entry covers', () => {
  it('are every id in the response, never cut short (a search returning 500 children names 500)', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ _id: `child-${i}`, fullName: 'x' }));
    expect(idsIn(JSON.stringify(items))).toHaveLength(500);
    expect(idsIn(JSON.stringify({ items }))).toHaveLength(500);
    expect(idsIn(JSON.stringify({ _id: 'case-1', childId: 'child-1', protectionCaseId: 'p-1' }))).toEqual([
      'case-1',
      'child-1',
      'p-1',
    ]);
  });

  it('are none for a body that is null, a bare value or a list of bare values (the request is still served)', () => {
    expect(idsIn('null')).toEqual([]);
    expect(idsIn('"ok"')).toEqual([]);
    expect(idsIn('[null, 1, {"_id": "case-1"}]')).toEqual(['case-1']);
  });
});
