// serviceaccounts/token: the TokenRequest API behind `kubectl create token`, answered with a
// bound token (serviceaccount.Claims) that expires. The time is the cluster's clock, so tokens
// issued in a test carry the simulated time.
import { randomUUID } from 'node:crypto';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { Cluster } from '../../cluster/cluster.js';
import { conflict, fieldError, invalid, notFound } from '../../cluster/errors.js';
import type { KObject, Unstructured } from '../../cluster/kinds/types.js';
import { API_AUDIENCE, signJwt } from '../../cluster/service-account-tokens.js';
import { decodeObject, readBody } from '../body.js';
import type { SubresourceRequest } from './request.js';


const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;

export async function serveTokenRequest(r: SubresourceRequest, sa: KObject): Promise<void> {
  const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], 'TokenRequest') as TokenRequest | undefined;
  r.json(201, tokenRequest(r.cluster, sa, body));
}

/** The TokenRequest answered: the asked spec with its defaults, and the token in its status. */
export function tokenRequest(cluster: Cluster, sa: KObject, body: TokenRequest | undefined): Unstructured {
  const spec: Partial<TokenRequest['spec']> = body?.spec ?? {};
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
    throw invalid('authentication.k8s.io', 'TokenRequest', sa.metadata.name!, [fieldError.invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes')]);
  }
  const audiences: string[] = spec.audiences?.length ? spec.audiences : [API_AUDIENCE];
  const now = Math.floor(cluster.clock.now().getTime() / 1000);
  const exp = now + expirationSeconds;
  const k8s: Unstructured = { namespace: sa.metadata.namespace, serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid } };
  const bound = spec.boundObjectRef;
  if (bound?.kind === 'Pod' || bound?.kind === 'Secret') {
    const resource = bound.kind === 'Pod' ? 'pods' : 'secrets';
    const obj = cluster.store.get(`/${resource}`, sa.metadata.namespace, bound.name ?? '') as Unstructured | undefined;
    // A token bound to nothing would outlive what it was meant for: the apiserver refuses it.
    if (!obj) throw notFound({ group: '', resource }, bound.name ?? '');
    if (bound.uid && bound.uid !== obj.metadata.uid) {
      throw conflict({ group: '', resource: bound.kind }, bound.name ?? '', `the UID in the bound object reference (${bound.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    k8s[bound.kind.toLowerCase()] = { name: obj.metadata.name, uid: obj.metadata.uid };
    const node = obj?.spec?.nodeName && (cluster.store.get('/nodes', undefined, obj.spec.nodeName) as Unstructured | undefined);
    if (node) k8s.node = { name: node.metadata.name, uid: node.metadata.uid };
  }
  const token = signJwt(cluster, {
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
