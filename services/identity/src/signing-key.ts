import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { ConfigError } from '@ecd/service-kit';

export interface SigningKey {
  alg: 'RS256' | 'ES256';
  /** The private JWK with kid, alg and use set, as the provider's keystore wants it. */
  jwk: JWK & { kid: string; kty: string };
  /** True when generated at start (lives only as long as the process). */
  generated: boolean;
}

function algorithmOf(jwk: JWK): SigningKey['alg'] | undefined {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  return undefined;
}

/**
 * The key tokens are signed with: the private JWK given in OIDC_SIGNING_JWK, or a fresh ES256 key.
 * Nothing is written anywhere; a generated key (and every token it signed) dies with the process.
 */
export async function loadSigningKey(configured: string | undefined): Promise<SigningKey> {
  if (configured === undefined) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    return { alg: 'ES256', jwk: { ...jwk, kty: jwk.kty!, kid, alg: 'ES256', use: 'sig' }, generated: true };
  }

  let jwk: JWK;
  try {
    jwk = JSON.parse(configured) as JWK;
  } catch {
    throw new ConfigError('identity: OIDC_SIGNING_JWK is not JSON; give a private JSON Web Key');
  }
  const alg = typeof jwk === 'object' && jwk !== null ? algorithmOf(jwk) : undefined;
  if (!alg) throw new ConfigError('identity: OIDC_SIGNING_JWK must be an RSA or EC P-256 key (RS256 or ES256)');
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw new ConfigError(`identity: OIDC_SIGNING_JWK has alg ${jwk.alg}; only ${alg} fits this key type`);
  }
  if (typeof jwk.d !== 'string')
    throw new ConfigError('identity: OIDC_SIGNING_JWK is a public key; a private key is required');
  try {
    await importJWK(jwk, alg);
  } catch (error) {
    throw new ConfigError(`identity: OIDC_SIGNING_JWK is not a usable ${alg} key: ${(error as Error).message}`);
  }
  const kid = jwk.kid ?? (await calculateJwkThumbprint(jwk));
  return { alg, jwk: { ...jwk, kty: jwk.kty!, kid, alg, use: 'sig' }, generated: false };
}
