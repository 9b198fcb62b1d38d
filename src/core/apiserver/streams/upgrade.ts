// The apiserver's part of exec, attach and port-forward: find the pod, check the request (RBAC,
// parameters, container) and answer failures as HTTP before anything is upgraded; then hand the
// connection to the transport that plays the kubelet's streaming server.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Cluster } from '../../cluster/cluster.js';
import { badRequest, forbidden } from '../../cluster/errors.js';
import type { KObject } from '../../cluster/kinds/types.js';
import { ADMIN, authorize, deniedReason, rbacObjects, type UserInfo } from '../../cluster/rbac.js';
import type { StreamRuntime } from './runtime.js';
import { writeError } from './http.js';
import { serveRemoteCommand, type RemoteCommandOptions } from './remotecommand.js';
import { servePortForward } from './portforward.js';
import { boolParam } from '../query.js';

export type StreamSubresource = 'exec' | 'attach' | 'portforward';

export const STREAM_SUBRESOURCES: readonly string[] = ['exec', 'attach', 'portforward'];

export interface StreamPath {
  namespace: string;
  pod: string;
  subresource: StreamSubresource;
}

/** Matches /api/v1/namespaces/{ns}/pods/{name}/{exec|attach|portforward} (cluster-relative). */
export function matchStreamPath(path: string): StreamPath | undefined {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/.exec(path);
  if (!m) return undefined;
  return { namespace: decodeURIComponent(m[1]), pod: decodeURIComponent(m[2]), subresource: m[3] as StreamSubresource };
}

export interface StreamRequest extends StreamPath {
  cluster: Cluster;
  /** Whom the request acts as (after impersonation). */
  user: UserInfo;
  runtime: StreamRuntime;
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  query: URLSearchParams;
}

/** Serves one upgrade request to a streaming subresource; never throws. */
export async function serveStream(r: StreamRequest): Promise<void> {
  try {
    await route(r);
  } catch (err) {
    writeError(r.socket, err);
  }
}

async function route(r: StreamRequest): Promise<void> {
  const method = r.req.method ?? 'GET';
  // WebSocket clients must GET; SPDY clients POST (kubectl) or GET.
  if (method !== 'GET' && method !== 'POST') throw badRequest(`the server does not allow this method on the requested resource`);
  authorizeStream(r);
  const podDef = r.cluster.kinds.get('', 'v1', 'pods');
  if (!podDef) throw badRequest('pods are not served by this cluster');
  const pod = r.cluster.get(podDef, r.namespace, r.pod);
  const up = { req: r.req, socket: r.socket, head: r.head };
  if (r.subresource === 'portforward') {
    for (const p of r.query.getAll('ports')) {
      for (const one of p.split(',')) {
        const n = Number(one.trim());
        if (!Number.isInteger(n) || n < 1 || n > 65535) throw badRequest(`invalid port "${one.trim()}"`);
      }
    }
    assignedHost(pod, r.pod);
    servePortForward(up, { runtime: r.runtime, cluster: r.cluster, namespace: r.namespace, pod: r.pod, podUid: String(pod.metadata.uid ?? '') }, r.query);
    return;
  }
  const opts = streamOptions(r.query);
  const container = containerOf(pod, r.pod, r.query.get('container') ?? '');
  assignedHost(pod, r.pod);
  if (r.subresource === 'exec') {
    const command = r.query.getAll('command');
    if (!command.length) throw badRequest('you must specify at least one command for the container');
    await serveRemoteCommand(up, opts, { kind: 'exec', command }, (io) => r.runtime.exec(r.cluster, r.namespace, r.pod, container, command, io));
    return;
  }
  await serveRemoteCommand(up, opts, { kind: 'attach' }, (io) => r.runtime.attach(r.cluster, r.namespace, r.pod, container, io));
}

/** The kubelet's NewOptions: stderr is dropped with a TTY, and one stream at least is needed. */
function streamOptions(q: URLSearchParams): RemoteCommandOptions {
  const tty = boolParam(q, 'tty');
  const opts = { stdin: boolParam(q, 'stdin'), stdout: boolParam(q, 'stdout'), stderr: boolParam(q, 'stderr') && !tty, tty };
  if (!opts.stdin && !opts.stdout && !opts.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return opts;
}

/** The apiserver's streamLocation: without a node there is no kubelet to stream from. */
function assignedHost(pod: KObject, podName: string): void {
  if (!(pod.spec as { nodeName?: string } | undefined)?.nodeName) throw badRequest(`pod ${podName} does not have a host assigned`);
}

/** The apiserver's choice of container (pod strategy streamLocation). */
function containerOf(pod: KObject, podName: string, requested: string): string {
  const spec = (pod.spec ?? {}) as Record<string, Array<{ name: string }> | undefined>;
  const names = (spec.containers ?? []).map((c) => c.name);
  if (!requested) {
    if (names.length === 1) return names[0];
    if (names.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
    const inits = (spec.initContainers ?? []).map((c) => c.name);
    throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`);
  }
  const all = [...names, ...(spec.initContainers ?? []).map((c) => c.name), ...(spec.ephemeralContainers ?? []).map((c) => c.name)];
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

/**
 * The cluster's admin is never restricted; anyone else (a service account's token, a client
 * certificate, whom kubectl --as impersonates) needs RBAC on the subresource. The verb follows the
 * method, as in the apiserver of the version this server reports (1.33): `create` for SPDY's
 * POST, `get` for a WebSocket's GET. kubectl falls back from a refused WebSocket to SPDY, so a
 * user with either verb gets in, and one with neither is told they cannot `create`.
 */
function authorizeStream(r: StreamRequest): void {
  const user = r.user;
  if (user === ADMIN) return;
  const verb = r.req.method === 'GET' ? 'get' : 'create';
  const attrs = { verb, group: '', resource: 'pods', subresource: r.subresource, namespace: r.namespace, name: r.pod };
  const objs = rbacObjects((plural) => r.cluster.store.list(`rbac.authorization.k8s.io/${plural}`));
  if (!authorize(objs, user, attrs).allowed) throw forbidden({ group: '', resource: 'pods' }, r.pod, deniedReason(user, attrs));
}
