// The keys that make a cluster's identities its own: one signs its service account tokens, one is
// the CA of the client certificates its signer issues. Hosted clusters derive both from the API
// server's secret and the cluster's id, so a cluster kept on disk opens to the same tokens and
// certificates after a restart, and no cluster accepts what another issued.
import { createECDH, createHash, createPrivateKey, createPublicKey, hkdfSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Cluster } from './cluster.js';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The private key as a JWK, for Web Crypto (which signs certificates). */
  jwk: JsonWebKey;
  /** SHA-256 of the public key (base64url): a token's `kid`. */
  id: string;
}

export interface ClusterKeys {
  /** Signs service account tokens (ES256). */
  serviceAccount: KeyPair;
  /** The cluster CA for client certificates (kube-apiserver-client signers). */
  clientCa: KeyPair;
}

/** The name the cluster CA signs as, as kubeadm names its CA. */
export const CLIENT_CA_NAME = 'CN=kubernetes';

const keys = new WeakMap<Cluster, ClusterKeys>();

/** A P-256 key pair whose private scalar comes from `seed` (32 bytes). */
function ecKeyPair(seed: Buffer): KeyPair {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(seed);
  const point = ecdh.getPublicKey();
  const pub: JsonWebKey = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
  const jwk: JsonWebKey = { ...pub, d: seed.toString('base64url') };
  const publicKey = createPublicKey({ key: pub, format: 'jwk' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey: createPrivateKey({ key: jwk, format: 'jwk' }), publicKey, jwk, id: createHash('sha256').update(spki).digest('base64url') };
}

/** A key pair derived from a secret; a seed outside the curve's order (one in 2^32) moves on to the next. */
function derivedKeyPair(secret: string | Buffer, info: string): KeyPair {
  for (let n = 0; ; n++) {
    const seed = Buffer.from(hkdfSync('sha256', secret, 'kubedojo cluster keys', `${info}#${n}`, 32));
    try {
      return ecKeyPair(seed);
    } catch {
      // Not a valid private scalar: derive the next one.
    }
  }
}

/** The keys of the cluster hosted as `id` by a server holding `secret`. */
export function deriveClusterKeys(secret: string | Buffer, id: string): ClusterKeys {
  return { serviceAccount: derivedKeyPair(secret, `serviceaccount:${id}`), clientCa: derivedKeyPair(secret, `client-ca:${id}`) };
}

export function setClusterKeys(cluster: Cluster, k: ClusterKeys): void {
  keys.set(cluster, k);
}

/** The cluster's keys; a cluster nobody hosts gets fresh random ones on first use. */
export function clusterKeys(cluster: Cluster): ClusterKeys {
  let k = keys.get(cluster);
  if (!k) {
    k = deriveClusterKeys(randomBytes(32), 'unhosted');
    keys.set(cluster, k);
  }
  return k;
}
