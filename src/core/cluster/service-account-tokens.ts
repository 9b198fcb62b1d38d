// Service account tokens: real JWTs signed with the process's own RSA key, so they decode and
// verify as a cluster's do. The tokens controller puts legacy ones in Secrets; the API server's
// TokenRequest (serviceaccounts/token) issues short-lived bound ones.
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { KObject } from './kinds/types.js';

/** kind's apiserver issues and accepts tokens for this audience. */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

let signingKey: { key: KeyObject; kid: string } | undefined;

/** One RSA key per process, made on first use (a token is rarely needed, so startup pays nothing). */
function key(): { key: KeyObject; kid: string } {
  if (!signingKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    signingKey = { key: privateKey, kid: createHash('sha256').update(der).digest('base64url') };
  }
  return signingKey;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function signJwt(claims: Record<string, unknown>): string {
  const { key: k, kid } = key();
  const body = `${b64({ alg: 'RS256', kid })}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(k).toString('base64url');
  return `${body}.${signature}`;
}

/** The claims of a legacy, never-expiring Secret token (serviceaccount.LegacyClaims). */
export function legacyToken(sa: KObject, secretName: string): string {
  return signJwt({
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': sa.metadata.namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': sa.metadata.name,
    'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
    sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
  });
}
