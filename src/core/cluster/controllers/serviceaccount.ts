// ServiceAccounts: every active namespace gets a `default` one (serviceaccounts-controller); a
// Secret of type kubernetes.io/service-account-token is filled with a token, the CA and the
// namespace, and goes when its ServiceAccount goes (tokens-controller). Short-lived bound tokens
// (`kubectl create token`) are the API server's: apiserver/subresources/token.ts.
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../kinds/types.js';
import type { Controller } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { isTerminatingNamespace } from './namespace.js';
import { deleteIfPresent, kind, mutate } from './util.js';
import { legacyToken } from '../service-account-tokens.js';

export const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME = 'kubernetes.io/service-account.name';
const SA_UID = 'kubernetes.io/service-account.uid';

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

const isTokenSecret = (o: Stored<Secret> | undefined): boolean => o?.type === TOKEN_SECRET_TYPE;

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
    const secret: Stored<Secret> | undefined = cluster.store.get('/secrets', ns, name);
    if (!secret || !isTokenSecret(secret) || secret.metadata.deletionTimestamp) return;
    const def = kind(cluster, '', 'secrets');
    const sa = cluster.store.get('/serviceaccounts', ns, secret.metadata.annotations?.[SA_NAME] ?? '');
    const boundUid = secret.metadata.annotations?.[SA_UID];
    if (!sa || (boundUid && boundUid !== sa.metadata.uid)) {
      deleteIfPresent(cluster, def, ns, name);
      return;
    }
    const ca: Stored<ConfigMap> | undefined = cluster.store.get('/configmaps', ns, 'kube-root-ca.crt') ?? cluster.store.get('/configmaps', 'kube-system', 'kube-root-ca.crt');
    const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    mutate(cluster, def, secret, (s) => {
      s.metadata.annotations = { ...(s.metadata.annotations ?? {}), [SA_UID]: sa.metadata.uid! };
      s.data = { ...(s.data ?? {}) };
      if (!s.data.token) s.data.token = enc(legacyToken(cluster, sa, name!));
      if (!s.data['ca.crt']) s.data['ca.crt'] = enc(ca?.data?.['ca.crt'] ?? '');
      if (!s.data.namespace) s.data.namespace = enc(ns!);
    });
  },
};
