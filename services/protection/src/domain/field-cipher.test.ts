import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher, FieldCipherError, parseKeyring } from './field-cipher';

const key = () => randomBytes(32).toString('base64');

describe('FieldCipher', () => {
  const k1 = key();
  const k2 = key();

  it('seals with the active key and opens it again; the ciphertext holds no plaintext', () => {
    const cipher = FieldCipher.fromConfig(`k1:${k1}`, 'k1');
    const sealed = cipher.seal({ description: 'bị đánh bằng roi' }, 'case-1/report');
    expect(sealed.kid).toBe('k1');
    expect(JSON.stringify(sealed)).not.toContain('roi');
    expect(cipher.open(sealed, 'case-1/report')).toEqual({ description: 'bị đánh bằng roi' });
  });

  it('refuses a ciphertext moved to another document or field', () => {
    const cipher = FieldCipher.fromConfig(`k1:${k1}`, 'k1');
    const sealed = cipher.seal('secret', 'case-1/report');
    expect(() => cipher.open(sealed, 'case-2/report')).toThrow(FieldCipherError);
  });

  it('rotates: a new active key seals new values, the old key still opens old ones', () => {
    const before = FieldCipher.fromConfig(`k1:${k1}`, 'k1');
    const old = before.seal('old', 'c/f');
    const after = FieldCipher.fromConfig(`k1:${k1},k2:${k2}`, 'k2');
    expect(after.open(old, 'c/f')).toBe('old');
    expect(after.isStale(old)).toBe(true);
    expect(after.seal('new', 'c/f').kid).toBe('k2');
    // Once the old key is retired, what it sealed can no longer be read: re-encrypt first.
    expect(() => FieldCipher.fromConfig(`k2:${k2}`, 'k2').open(old, 'c/f')).toThrow(/no key k1/);
  });

  it('validates the keyring configuration without printing keys', () => {
    expect(() => parseKeyring('k1:c2hvcnQ=')).toThrow(/k1 is not 32 bytes/);
    expect(() => parseKeyring('')).toThrow(/no encryption key/);
    expect(() => FieldCipher.fromConfig(`k1:${k1}`, 'k9')).toThrow(/k9 is not in the keyring/);
  });
});
