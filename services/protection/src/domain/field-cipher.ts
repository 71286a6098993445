import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A field encrypted at rest: AES-256-GCM with a fresh 96-bit IV, the id of the key that sealed it
 * (so keys can rotate while old documents stay readable), and the authentication tag.
 */
export interface SealedField {
  /** Format marker, so a future algorithm can sit beside this one. */
  alg: 'A256GCM';
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

export class FieldCipherError extends Error {
  override name = 'FieldCipherError';
}

/**
 * Parses `PROTECTION_ENCRYPTION_KEYS`: comma-separated `<key id>:<base64 of 32 bytes>`. Fails fast
 * with a message that names the key id, never the key.
 */
export function parseKeyring(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    const kid = entry.slice(0, at);
    if (at < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(kid)) {
      throw new FieldCipherError('each encryption key must be "<key id>:<base64 key>" with a short id');
    }
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (key.length !== 32)
      throw new FieldCipherError(`encryption key ${kid} is not 32 bytes (base64 of 32 random bytes)`);
    if (keys.has(kid)) throw new FieldCipherError(`encryption key ${kid} is listed twice`);
    keys.set(kid, key);
  }
  if (keys.size === 0) throw new FieldCipherError('no encryption key given');
  return keys;
}

/**
 * Encrypts and decrypts protection details field by field. New values are sealed with the active
 * key; any key of the keyring opens what it sealed. The associated data binds a value to its
 * document and field, so a ciphertext copied into another case or field does not open.
 */
export class FieldCipher {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    if (!keys.has(activeKeyId)) {
      throw new FieldCipherError(`the active encryption key ${activeKeyId} is not in the keyring`);
    }
  }

  static fromConfig(keys: string, activeKeyId: string): FieldCipher {
    return new FieldCipher(parseKeyring(keys), activeKeyId);
  }

  seal(value: unknown, context: string): SealedField {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return {
      alg: 'A256GCM',
      kid: this.activeKeyId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ct: ct.toString('base64'),
    };
  }

  open<T = unknown>(sealed: SealedField, context: string): T {
    const key = this.keys.get(sealed.kid);
    if (!key) throw new FieldCipherError(`no key ${sealed.kid} in the keyring: it was removed before re-encryption`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    } catch (error) {
      throw new FieldCipherError(`cannot decrypt a field sealed with key ${sealed.kid}: ${(error as Error).message}`);
    }
  }

  /** True when the value was sealed with an older key and should be re-encrypted. */
  isStale(sealed: SealedField): boolean {
    return sealed.kid !== this.activeKeyId;
  }
}
