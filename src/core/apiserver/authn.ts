// Authentication: who a request is, and which hosted cluster it is for. As the apiserver's union
// of authenticators: a client certificate the cluster's CA signed (x509: CN the user, O the
// groups), then a bearer token (the cluster's admin token, or a service account token the
// cluster signed). A credential that is present but does not hold is 401 Unauthorized; none at
// all reads only health and version. A credential opens the cluster that issued it and no other.
// @peculiar/x509 uses decorators that need the Reflect metadata API loaded first.
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { timingSafeEqual, X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { Cluster } from '../cluster/cluster.js';
import { CLIENT_CA_NAME, clusterKeys } from '../cluster/cluster-keys.js';
import { forbidden, unauthorized } from '../cluster/errors.js';
import { ADMIN, authorize, deniedReason, rbacObjects, withImplicitGroups, type ResourceAttributes, type UserInfo } from '../cluster/rbac.js';
import { authenticateServiceAccountToken, tokenKeyId } from '../cluster/service-account-tokens.js';

export interface HostedCluster {
  id: string;
  token: string;
  cluster: Cluster;
}

export interface Authenticated {
  hosted: HostedCluster;
  /** Undefined for an anonymous request (allowed on the public paths only). */
  user: UserInfo | undefined;
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/** Paths anyone may read, as a default apiserver's system:public-info-viewer allows. */
export function isPublicPath(path: string): boolean {
  return /^\/(version|healthz|livez|readyz)(\/.*)?$/.test(path);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

function peerCertificate(req: IncomingMessage): NodeX509 | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  return socket.getPeerX509Certificate?.() ?? undefined;
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The user a client certificate names, if this cluster's CA signed it, it is valid now (by the
 * cluster's clock) and it may be used for client authentication; undefined otherwise.
 */
export function certificateUser(cluster: Cluster, cert: NodeX509): UserInfo | undefined {
  if (cert.issuer !== CLIENT_CA_NAME) return undefined;
  if (!cert.verify(clusterKeys(cluster).clientCa.publicKey)) return undefined;
  const now = cluster.clock.now().getTime();
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return undefined;
  const parsed = new x509.X509Certificate(cert.raw);
  const eku = parsed.getExtension(x509.ExtendedKeyUsageExtension);
  if (eku && !eku.usages.some((u) => u === CLIENT_AUTH || u === ANY_EXTENDED_KEY_USAGE)) return undefined;
  const name = parsed.subjectName.getField('CN')[0];
  if (!name) return undefined;
  return { name, groups: [...parsed.subjectName.getField('O'), 'system:authenticated'] };
}

export class Authenticator {
  constructor(private readonly clusters: ReadonlyMap<string, HostedCluster>) {}

  /**
   * The cluster a path without /clusters/<id> is for (kubectl drops the server URL's path for
   * `get --raw` and `proxy`): the one whose credential the request carries.
   */
  clusterFor(req: IncomingMessage): HostedCluster | undefined {
    const token = bearerToken(req);
    if (token !== undefined) {
      for (const hosted of this.clusters.values()) if (sameToken(token, hosted.token)) return hosted;
      const kid = tokenKeyId(token);
      if (kid !== undefined) {
        for (const hosted of this.clusters.values()) if (clusterKeys(hosted.cluster).serviceAccount.id === kid) return hosted;
      }
    }
    const cert = peerCertificate(req);
    if (cert) for (const hosted of this.clusters.values()) if (certificateUser(hosted.cluster, cert)) return hosted;
    return undefined;
  }

  /** Who the request is on cluster `id`; throws 401 when it carries no credential that holds there. */
  authenticate(req: IncomingMessage, id: string, path: string): Authenticated {
    const hosted = this.clusters.get(id);
    if (!hosted) throw unauthorized();
    const cert = peerCertificate(req);
    const fromCert = cert && certificateUser(hosted.cluster, cert);
    if (fromCert) return { hosted, user: fromCert };
    const token = bearerToken(req);
    if (token !== undefined) {
      if (sameToken(token, hosted.token)) return { hosted, user: ADMIN };
      const sa = authenticateServiceAccountToken(hosted.cluster, token);
      if (sa) return { hosted, user: sa };
      throw unauthorized();
    }
    if (cert || !isPublicPath(path)) throw unauthorized();
    return { hosted, user: undefined };
  }
}

/**
 * Whom a request acts as: its own user, or whom it impersonates (--as, --as-group). The cluster's
 * admin may impersonate anyone; anyone else needs RBAC's `impersonate` on that user, group or
 * service account, as the apiserver's impersonation filter asks.
 */
export function effectiveUser(req: IncomingMessage, user: UserInfo, cluster: Cluster): UserInfo {
  const as = req.headers['impersonate-user'];
  const groups = ([] as string[]).concat(req.headers['impersonate-group'] ?? []);
  if (typeof as !== 'string' || !as) return user;
  if (user !== ADMIN) {
    const objs = rbacObjects((plural) => cluster.store.list(`rbac.authorization.k8s.io/${plural}`));
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(as);
    const wanted: ResourceAttributes[] = [
      sa ? { verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: sa[1], name: sa[2] } : { verb: 'impersonate', group: '', resource: 'users', name: as },
      ...groups.map((g) => ({ verb: 'impersonate', group: '', resource: 'groups', name: g })),
    ];
    for (const attrs of wanted) {
      if (!authorize(objs, user, attrs).allowed) throw forbidden({ group: '', resource: attrs.resource! }, attrs.name!, deniedReason(user, attrs));
    }
  }
  return withImplicitGroups(as, groups);
}
