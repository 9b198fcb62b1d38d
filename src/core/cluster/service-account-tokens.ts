// Service account tokens: JWTs signed (ES256) with the cluster's own key (cluster-keys.ts), so
// they decode as a cluster's do and open only the cluster that issued them. The tokens controller
// puts legacy ones in Secrets; the API server's TokenRequest (serviceaccounts/token) issues
// short-lived bound ones; both authenticate as the service account while what they name exists.
import { createSign, createVerify, randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { clusterKeys } from './cluster-keys.js';
import type { KObject, Unstructured } from './kinds/types.js';
import type { UserInfo } from './rbac.js';


/** kind's apiserver issues and accepts tokens for this audience, and names itself so. */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
/** The issuer of legacy Secret tokens. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function signJwt(cluster: Cluster, claims: Record<string, unknown>): string {
  const { privateKey, id } = clusterKeys(cluster).serviceAccount;
  const body = `${b64({ alg: 'ES256', kid: id })}.${b64(claims)}`;
  const signature = createSign('SHA256').update(body).sign({ key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `${body}.${signature}`;
}

/** The claims of a legacy, never-expiring Secret token (serviceaccount.LegacyClaims). */
export function legacyToken(cluster: Cluster, sa: KObject, secretName: string): string {
  return signJwt(cluster, {
    iss: LEGACY_ISSUER,
    'kubernetes.io/serviceaccount/namespace': sa.metadata.namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': sa.metadata.name,
    'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
    sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
  });
}

/** The key id a JWT's header names, if the text is a JWT at all: how a request finds its cluster. */
export function tokenKeyId(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    const kid = (header as Unstructured | null)?.kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a token this cluster signed; undefined when the signature is not its own. */
function verifiedClaims(cluster: Cluster, token: string): Unstructured | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const { publicKey, id } = clusterKeys(cluster).serviceAccount;
  if (tokenKeyId(token) !== id) return undefined;
  const ok = createVerify('SHA256').update(`${parts[0]}.${parts[1]}`).verify({ key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
  if (!ok) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Unstructured) : undefined;
  } catch {
    return undefined;
  }
}

/** The user a service account's name stands for (serviceaccount.UserInfo). */
function serviceAccountUser(namespace: string, name: string, uid: string, extra: Record<string, string[]>): UserInfo {
  return {
    name: `system:serviceaccount:${namespace}:${name}`,
    uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

/**
 * Who a bearer token is, if it is a service account token of this cluster that still holds: not
 * expired, its service account (and the pod or secret it is bound to) still the one it named.
 * Anything else is undefined, which the API server answers with 401, as the token authenticator
 * refuses a token that does not validate.
 */
export function authenticateServiceAccountToken(cluster: Cluster, token: string): UserInfo | undefined {
  const claims = verifiedClaims(cluster, token);
  if (!claims) return undefined;
  const get = (resource: string, namespace: string, name: unknown) => (typeof name === 'string' && name ? (cluster.store.get(resource, namespace, name) as Unstructured | undefined) : undefined);
  if (claims.iss === LEGACY_ISSUER) {
    const ns = claims['kubernetes.io/serviceaccount/namespace'];
    if (typeof ns !== 'string') return undefined;
    const secret = get('/secrets', ns, claims['kubernetes.io/serviceaccount/secret.name']);
    const sa = get('/serviceaccounts', ns, claims['kubernetes.io/serviceaccount/service-account.name']);
    if (!secret || !sa || secret.metadata.deletionTimestamp || secret.type !== TOKEN_SECRET_TYPE) return undefined;
    if (secret.metadata.annotations?.['kubernetes.io/service-account.name'] !== sa.metadata.name) return undefined;
    if (sa.metadata.uid !== claims['kubernetes.io/serviceaccount/service-account.uid']) return undefined;
    // A token no longer in its Secret was replaced or removed: it no longer opens the cluster.
    if (Buffer.from(String(secret.data?.token ?? ''), 'base64').toString('utf8') !== token) return undefined;
    return serviceAccountUser(ns, sa.metadata.name, sa.metadata.uid, {});
  }
  if (claims.iss !== API_AUDIENCE) return undefined;
  const now = Math.floor(cluster.clock.now().getTime() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now || (typeof claims.nbf === 'number' && claims.nbf > now)) return undefined;
  const audiences = ([] as unknown[]).concat(claims.aud ?? []);
  if (!audiences.includes(API_AUDIENCE)) return undefined;
  const k8s = (claims['kubernetes.io'] ?? {}) as Unstructured;
  const ns = k8s.namespace;
  if (typeof ns !== 'string') return undefined;
  const sa = get('/serviceaccounts', ns, k8s.serviceaccount?.name);
  if (!sa || sa.metadata.deletionTimestamp || sa.metadata.uid !== k8s.serviceaccount?.uid) return undefined;
  const extra: Record<string, string[]> = {};
  for (const [kind, resource] of [['pod', '/pods'], ['secret', '/secrets']] as const) {
    if (k8s[kind] === undefined) continue;
    const bound = get(resource, ns, k8s[kind]?.name);
    if (!bound || bound.metadata.deletionTimestamp || bound.metadata.uid !== k8s[kind]?.uid) return undefined;
    if (kind === 'pod') {
      extra['authentication.kubernetes.io/pod-name'] = [bound.metadata.name];
      extra['authentication.kubernetes.io/pod-uid'] = [bound.metadata.uid];
    }
  }
  if (k8s.node?.name) {
    extra['authentication.kubernetes.io/node-name'] = [String(k8s.node.name)];
    if (k8s.node.uid) extra['authentication.kubernetes.io/node-uid'] = [String(k8s.node.uid)];
  }
  if (typeof claims.jti === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  return serviceAccountUser(ns, sa.metadata.name, sa.metadata.uid, extra);
}

/**
 * The token the kubelet projects into a pod (its kube-api-access volume): bound to the pod, its
 * service account and its node, signed by the cluster, so a program in the pod authenticates as
 * its service account for as long as the pod lives. The kubelet's TokenRequest asks for 3607
 * seconds; signing is cheap (ECDSA), so every pod may have one.
 */
export function projectedServiceAccountToken(cluster: Cluster, pod: KObject, nowMs: number, expirationSeconds = 3607): string {
  const spec = (pod.spec ?? {}) as Unstructured;
  const ns = pod.metadata.namespace!;
  const name = spec.serviceAccountName ?? 'default';
  const sa = cluster.store.get('/serviceaccounts', ns, name);
  const node = spec.nodeName ? cluster.store.get('/nodes', undefined, spec.nodeName) : undefined;
  const iat = Math.floor(nowMs / 1000);
  return signJwt(cluster, {
    aud: [API_AUDIENCE],
    exp: iat + expirationSeconds,
    iat,
    iss: API_AUDIENCE,
    jti: randomUUID(),
    'kubernetes.io': {
      namespace: ns,
      ...(node ? { node: { name: node.metadata.name, uid: node.metadata.uid } } : {}),
      pod: { name: pod.metadata.name, uid: pod.metadata.uid },
      serviceaccount: { name, uid: sa?.metadata.uid ?? '' },
    },
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${name}`,
  });
}
