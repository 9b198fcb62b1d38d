// ServiceAccounts: every active namespace gets a `default` one (serviceaccounts-controller); a
// Secret of type kubernetes.io/service-account-token is filled with a token, the CA and the
// namespace, and goes when its ServiceAccount goes (tokens-controller); and the TokenRequest API
// (`kubectl create token`) issues short-lived bound tokens. Tokens are real JWTs signed with the
// process's own RSA key, so they decode and verify as a cluster's do.
import { createHash, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { Cluster } from '../cluster.js';
import { fieldError, invalid } from '../errors.js';
import type { KObject } from '../kinds/types.js';
import type { Controller } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { isTerminatingNamespace } from './namespace.js';
import { deleteIfPresent, kind, mutate } from './util.js';

type Obj = Record<string, any>;

export const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME = 'kubernetes.io/service-account.name';
const SA_UID = 'kubernetes.io/service-account.uid';
/** kind's apiserver issues and accepts tokens for this audience. */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;

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

export function signJwt(claims: Obj): string {
  const { key: k, kid } = key();
  const body = `${b64({ alg: 'RS256', kid })}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(k).toString('base64url');
  return `${body}.${signature}`;
}

/** The claims of a legacy, never-expiring Secret token (serviceaccount.LegacyClaims). */
function legacyToken(sa: KObject, secretName: string): string {
  return signJwt({
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': sa.metadata.namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': sa.metadata.name,
    'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
    sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
  });
}

/**
 * serviceaccounts/token: a TokenRequest answered with a bound token (serviceaccount.Claims).
 * `now` is the cluster's clock, so tokens issued in a test carry the simulated time.
 */
export function tokenRequest(cluster: Cluster, sa: KObject, body: Obj | undefined): Obj {
  const spec = (body?.spec ?? {}) as Obj;
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
    throw invalid('authentication.k8s.io', 'TokenRequest', sa.metadata.name!, [fieldError.invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes')]);
  }
  const audiences: string[] = spec.audiences?.length ? spec.audiences : [API_AUDIENCE];
  const now = Math.floor(cluster.clock.now().getTime() / 1000);
  const exp = now + expirationSeconds;
  const k8s: Obj = { namespace: sa.metadata.namespace, serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid } };
  const bound = spec.boundObjectRef as Obj | undefined;
  if (bound?.kind === 'Pod' || bound?.kind === 'Secret') {
    const obj = cluster.store.get(bound.kind === 'Pod' ? '/pods' : '/secrets', sa.metadata.namespace, bound.name) as Obj | undefined;
    if (obj) k8s[bound.kind.toLowerCase()] = { name: obj.metadata.name, uid: obj.metadata.uid };
    const node = obj?.spec?.nodeName && (cluster.store.get('/nodes', undefined, obj.spec.nodeName) as Obj | undefined);
    if (node) k8s.node = { name: node.metadata.name, uid: node.metadata.uid };
  }
  const token = signJwt({
    aud: audiences,
    exp,
    iat: now,
    iss: API_AUDIENCE,
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: now,
    sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: bound ?? null },
    status: { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
}

/** serviceaccounts-controller: a `default` ServiceAccount in every active namespace. */
export const serviceAccountController: Controller = {
  name: 'serviceaccount-controller',
  watches: [
    { resource: '/namespaces', keys: (e) => (e.type === 'DELETED' ? [] : [e.object.metadata.name!]) },
    { resource: '/serviceaccounts', keys: (e) => (e.type === 'DELETED' && e.object.metadata.name === 'default' ? [e.object.metadata.namespace!] : []) },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list('/namespaces').map((n) => n.metadata.name!),
  reconcile(ns, ctx) {
    const { cluster } = ctx;
    if (isTerminatingNamespace(cluster, ns) || cluster.store.get('/serviceaccounts', ns, 'default')) return;
    cluster.create(kind(cluster, '', 'serviceaccounts'), ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } }, { fieldManager: 'kube-controller-manager' });
  },
};

const isTokenSecret = (o: KObject | Obj | undefined): boolean => (o as Obj | undefined)?.type === TOKEN_SECRET_TYPE;

/** tokens-controller: fills token Secrets and removes those whose ServiceAccount is gone. */
export const tokensController: Controller = {
  name: 'tokens-controller',
  watches: [
    { resource: '/secrets', keys: (e) => (e.type !== 'DELETED' && isTokenSecret(e.object) ? [keyOf(e.object)] : []) },
    {
      resource: '/serviceaccounts',
      keys: (e, ctx) =>
        ctx.cluster.store
          .list('/secrets', e.object.metadata.namespace)
          .filter((s) => isTokenSecret(s) && s.metadata.annotations?.[SA_NAME] === e.object.metadata.name)
          .map(keyOf),
    },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list('/secrets').filter(isTokenSecret).map(keyOf),
  reconcile(key, ctx) {
    const { cluster } = ctx;
    const [ns, name] = splitKey(key);
    const secret = cluster.store.get('/secrets', ns, name) as Obj | undefined;
    if (!secret || !isTokenSecret(secret) || secret.metadata.deletionTimestamp) return;
    const def = kind(cluster, '', 'secrets');
    const sa = cluster.store.get('/serviceaccounts', ns, secret.metadata.annotations?.[SA_NAME] ?? '');
    const boundUid = secret.metadata.annotations?.[SA_UID];
    if (!sa || (boundUid && boundUid !== sa.metadata.uid)) {
      deleteIfPresent(cluster, def, ns, name);
      return;
    }
    const ca = (cluster.store.get('/configmaps', ns, 'kube-root-ca.crt') ?? cluster.store.get('/configmaps', 'kube-system', 'kube-root-ca.crt')) as Obj | undefined;
    const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    mutate(cluster, def, secret as KObject, (s) => {
      s.metadata.annotations = { ...(s.metadata.annotations ?? {}), [SA_UID]: sa.metadata.uid };
      s.data = { ...(s.data ?? {}) };
      if (!s.data.token) s.data.token = enc(legacyToken(sa, name!));
      if (!s.data['ca.crt']) s.data['ca.crt'] = enc(ca?.data?.['ca.crt'] ?? '');
      if (!s.data.namespace) s.data.namespace = enc(ns!);
    });
  },
};
