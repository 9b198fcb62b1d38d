// Subresources other than status: scale here; the kubelet's (log, exec, attach, port-forward)
// and the scheduler's (binding, eviction) answer as a cluster with no kubelet yet would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, methodNotAllowed, notFound } from '../cluster/errors.js';
import type { KindDef, KObject } from '../cluster/kinds/types.js';
import { at } from '../cluster/kinds/print.js';
import { labelSelectorAsString } from '../cluster/selectors.js';
import { applyMergePatch } from '../cluster/patch/merge-patch.js';
import { applyJsonPatch } from '../cluster/patch/json-patch.js';
import { decodeObject, decodePatch, patchTypeOf, readBody } from './body.js';
import { format as formatLogLine } from '../cluster/kubelet/logs.js';
import { tokenRequest } from '../cluster/controllers/serviceaccount.js';
import { evictPod } from '../cluster/controllers/disruption.js';
import type { ApiServer, HostedCluster } from './server.js';
import { writeOptions } from './server.js';
import { proxySubresource } from './proxy.js';
import { setOwn } from '../cluster/own.js';

export interface SubresourceRequest {
  server: ApiServer;
  hosted: HostedCluster;
  def: KindDef;
  namespace: string | undefined;
  name: string;
  subresource: string;
  rest: string[];
  req: IncomingMessage;
  res: ServerResponse;
  q: URLSearchParams;
}

export async function handleSubresource(r: SubresourceRequest): Promise<void> {
  if (r.subresource === 'scale') return scale(r);
  if (r.subresource === 'proxy' && (r.def.kind === 'Service' || r.def.kind === 'Pod')) return proxySubresource(r);
  const cluster = r.hosted.cluster;
  const obj = cluster.get(r.def, r.namespace, r.name);
  if (r.subresource === 'eviction' && r.def.kind === 'Pod' && r.req.method === 'POST') return evict(r, obj);
  if (r.subresource === 'log' && r.def.kind === 'Pod' && r.req.method === 'GET') return podLog(r, obj);
  if (r.subresource === 'finalize' && r.def.kind === 'Namespace' && r.req.method === 'PUT') {
    const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], 'Namespace') as { spec?: { finalizers?: string[] } } | undefined;
    const result = cluster.finalizeNamespace(r.name, body?.spec?.finalizers ?? []);
    return r.server.json(r.res, 200, result ?? obj);
  }
  if (r.subresource === 'token' && r.def.kind === 'ServiceAccount' && r.req.method === 'POST') {
    const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], 'TokenRequest') as Record<string, any> | undefined;
    return r.server.json(r.res, 201, tokenRequest(cluster, obj, body));
  }
  if (r.subresource === 'binding' && r.def.kind === 'Pod' && r.req.method === 'POST') {
    const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], 'Binding') as { target?: { name?: string } };
    if (!body?.target?.name) throw badRequest('Binding.target.name: Required value');
    cluster.bind(r.namespace!, r.name, body.target.name, { dryRun: r.q.has('dryRun') });
    return r.server.json(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }
  throw badRequest(`${r.subresource} is not available for ${r.def.plural} "${r.name}" yet: the pod has no running container`);
}

/** pods/log: what the node's kubelet kept of a container's output. */
function podLog(r: SubresourceRequest, pod: KObject): void {
  const spec = (pod.spec ?? {}) as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
  const names = (spec.containers ?? []).map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  let container = r.q.get('container') ?? '';
  if (!container) {
    if (names.length !== 1) {
      throw badRequest(`a container name must be specified for pod ${r.name}, choose one of: [${names.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`);
    }
    container = names[0];
  } else if (!names.includes(container) && !inits.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${r.name}`);
  }
  const kubelet = r.hosted.cluster.controlPlane?.kubelet;
  const found = kubelet?.logOf(pod as never, container, r.q.get('previous') === 'true');
  if (!found) throw badRequest(`container "${container}" in pod "${r.name}" is waiting to start: ContainerCreating`);
  if ('error' in found) throw badRequest(found.error);
  const now = r.hosted.cluster.clock.now().getTime();
  const num = (k: string) => (r.q.has(k) && /^-?\d+$/.test(r.q.get(k)!) ? Number(r.q.get(k)) : undefined);
  const sinceSeconds = num('sinceSeconds');
  const sinceTime = r.q.get('sinceTime') ? Date.parse(r.q.get('sinceTime')!) : sinceSeconds !== undefined ? now - sinceSeconds * 1000 : undefined;
  const timestamps = r.q.get('timestamps') === 'true';
  const text = found.log.read({ tailLines: num('tailLines'), sinceTime, timestamps, limitBytes: num('limitBytes') });
  const res = r.res;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  if (r.q.get('follow') !== 'true' || !found.running()) {
    res.end(text);
    return;
  }
  // Follow: stream new lines until the container stops or the client goes away.
  res.write(text);
  const stop = found.log.follow((line) => res.write(formatLogLine(line, timestamps)));
  const watchEnd = r.hosted.cluster.store.subscribe('/pods', () => {
    if (!found.running()) finish();
  });
  const finish = () => {
    stop();
    watchEnd();
    res.end();
  };
  r.req.on('close', () => {
    stop();
    watchEnd();
  });
}

/**
 * The eviction API: a pod leaves unless a PodDisruptionBudget covering it allows no more
 * disruptions, in which case the answer is 429, as `kubectl drain` expects and retries.
 */
async function evict(r: SubresourceRequest, pod: KObject): Promise<void> {
  const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], 'Eviction') as { deleteOptions?: { gracePeriodSeconds?: number; dryRun?: string[] } };
  evictPod(r.hosted.cluster, pod, { gracePeriodSeconds: body?.deleteOptions?.gracePeriodSeconds, dryRun: !!body?.deleteOptions?.dryRun?.length || r.q.has('dryRun') });
  r.server.json(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** A Scale's status.selector: the string form of a LabelSelector or of a plain map selector. */
function selectorString(selector: unknown): string {
  if (typeof selector === 'string') return selector;
  const sel = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  if (sel.matchLabels || sel.matchExpressions) return labelSelectorAsString(sel as never);
  return Object.entries(selector as Record<string, string>).map(([k, v]) => `${k}=${v}`).sort().join(',');
}

function scaleOf(def: KindDef, obj: KObject): KObject {
  const cfg = def.scale!;
  const selector = cfg.labelSelectorPath ? at(obj, cfg.labelSelectorPath.replace(/^\./, '')) : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: (at(obj, cfg.specReplicasPath.replace(/^\./, '')) as number | undefined) ?? 0 },
    status: {
      replicas: (at(obj, cfg.statusReplicasPath.replace(/^\./, '')) as number | undefined) ?? 0,
      ...(selector ? { selector: selectorString(selector) } : {}),
    },
  };
}

async function scale(r: SubresourceRequest): Promise<void> {
  const { def, hosted, namespace, name, req, res, q } = r;
  if (!def.scale) throw notFound({ group: def.group, resource: `${def.plural}/scale` }, name);
  const cluster = hosted.cluster;
  const current = cluster.get(def, namespace, name);
  const method = req.method ?? 'GET';
  if (method === 'GET') return r.server.json(res, 200, scaleOf(def, current));
  let wanted: KObject;
  if (method === 'PUT') {
    wanted = decodeObject(await readBody(req), req.headers['content-type'], 'Scale') as KObject;
  } else if (method === 'PATCH') {
    const type = patchTypeOf(req.headers['content-type'], !!def.crd);
    const patch = decodePatch(await readBody(req), type);
    wanted = (type === 'json' ? applyJsonPatch(scaleOf(def, current), patch) : applyMergePatch(scaleOf(def, current), patch)) as KObject;
  } else {
    throw methodNotAllowed();
  }
  const replicas = (wanted?.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw badRequest(`Scale in version "v1" cannot be handled as a Scale: spec.replicas must be an integer`);
  }
  const rv = wanted.metadata?.resourceVersion;
  const path = def.scale.specReplicasPath.replace(/^\./, '').split('.');
  const patch: Record<string, unknown> = {};
  let cur = patch;
  path.forEach((p, i) => {
    // The path is the CRD author's: each step is a plain member, whatever it is named.
    const next = i === path.length - 1 ? replicas : {};
    setOwn(cur, p, next);
    cur = next as Record<string, unknown>;
  });
  if (rv) (patch as { metadata?: unknown }).metadata = { resourceVersion: rv };
  const result = cluster.patch(def, namespace, name, 'merge', patch, writeOptions(req, q));
  r.server.json(res, 200, scaleOf(def, result.object));
}
