// The scale subresource (autoscaling/v1 Scale) of any kind that declares one: built-in workloads
// and custom resources whose definition names the replicas' paths.
import { badRequest, methodNotAllowed, notFound } from '../../cluster/errors.js';
import type { KindDef, KObject } from '../../cluster/kinds/types.js';
import { at } from '../../cluster/kinds/print.js';
import { labelSelectorAsString } from '../../cluster/selectors.js';
import { applyMergePatch } from '../../cluster/patch/merge-patch.js';
import { applyJsonPatch } from '../../cluster/patch/json-patch.js';
import { setOwn } from '../../cluster/own.js';
import { decodeObject, decodePatch, patchTypeOf, readBody } from '../body.js';
import { writeOptions } from '../query.js';
import type { SubresourceRequest } from './request.js';

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

export async function serveScale(r: SubresourceRequest): Promise<void> {
  const { def, cluster, namespace, name, req, q } = r;
  if (!def.scale) throw notFound({ group: def.group, resource: `${def.plural}/scale` }, name);
  const current = cluster.get(def, namespace, name);
  const method = req.method ?? 'GET';
  if (method === 'GET') return r.json(200, scaleOf(def, current));
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
  r.json(200, scaleOf(def, result.object));
}
