// APIService (apiregistration.k8s.io/v1): the kube-aggregator's record of who serves each API
// group/version. A real cluster has one for every group/version the apiserver serves itself
// ("Local", always available), made at start-up, and one per CRD group/version; extension API
// servers (metrics-server and the like) add their own, pointing at a Service. Here the local ones
// are derived from the kinds the cluster serves, so they never drift from discovery; those a
// learner creates are stored, and never proxied to: their Available condition says why.
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import type { KindDef, KObject, Unstructured } from './types.js';


export const APISERVICE_GROUP = 'apiregistration.k8s.io';

/**
 * The priorities kube-apiserver 1.33 gives the groups it serves (its aggregator table): the group's
 * minimum, and the version's rank inside it. A served group/version missing here gets the
 * defaults CRD groups get.
 */
const PRIORITIES: Record<string, [group: number, version: number]> = {
  'v1': [18000, 1],
  'apiregistration.k8s.io/v1': [18000, 15],
  'events.k8s.io/v1': [17750, 15],
  'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15],
  'certificates.k8s.io/v1': [17300, 15],
  'rbac.authorization.k8s.io/v1': [17000, 15],
  'apiextensions.k8s.io/v1': [16700, 15],
  'admissionregistration.k8s.io/v1': [16700, 15],
  'coordination.k8s.io/v1': [16500, 15],
  'discovery.k8s.io/v1': [16200, 15],
  'flowcontrol.apiserver.k8s.io/v1': [16100, 21],
  'apps/v1': [17800, 15],
  'autoscaling/v1': [17500, 15],
  'autoscaling/v2': [17500, 30],
  'batch/v1': [17400, 15],
  'networking.k8s.io/v1': [17200, 15],
  'policy/v1': [17100, 15],
  'storage.k8s.io/v1': [16800, 15],
  'scheduling.k8s.io/v1': [16600, 15],
  'node.k8s.io/v1': [16300, 15],
  // metrics-server registers its group at 100 / 100.
  'metrics.k8s.io/v1beta1': [100, 100],
};

/** What the CRD registration controller gives a custom resource's group/version. */
const CRD_PRIORITY: [number, number] = [1000, 100];

/** The apiserver's label on the APIServices it made itself: `onstart` built-in, `true` for CRDs. */
export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';

/** `v1` for the core group, `apps/v1` otherwise. */
function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Each group/version the kinds serve, once, in the order discovery lists them. */
export function servedGroupVersions(kinds: readonly KindDef[]): Array<{ group: string; version: string; custom: boolean }> {
  const seen = new Set<string>();
  const out: Array<{ group: string; version: string; custom: boolean }> = [];
  for (const k of kinds) {
    const gv = groupVersion(k.group, k.version);
    if (seen.has(gv)) continue;
    seen.add(gv);
    out.push({ group: k.group, version: k.version, custom: !!k.crd });
  }
  return out;
}

/** `v1.` for the core group, `v1.apps` for the others: how an APIService must be named. */
export function apiServiceName(group: string, version: string): string {
  return `${version}.${group}`;
}

/**
 * The APIServices the apiserver keeps for what it serves itself, as the autoregister controllers
 * make them. `since` stamps them (the cluster's birth), `uid` names each one stably.
 */
export function localApiServices(kinds: readonly KindDef[], since: string, uid: (name: string) => string): KObject[] {
  return servedGroupVersions(kinds).map(({ group, version, custom }) => {
    const name = apiServiceName(group, version);
    const [groupPriorityMinimum, versionPriority] = custom ? CRD_PRIORITY : (PRIORITIES[groupVersion(group, version)] ?? CRD_PRIORITY);
    return {
      apiVersion: `${APISERVICE_GROUP}/v1`,
      kind: 'APIService',
      metadata: { name, uid: uid(name), resourceVersion: '1', creationTimestamp: since, labels: { [AUTOMANAGED_LABEL]: custom ? 'true' : 'onstart' } },
      spec: { group, version, groupPriorityMinimum, versionPriority, service: null },
      status: { conditions: [{ type: 'Available', status: 'True', lastTransitionTime: since, reason: 'Local', message: 'Local APIServices are always available' }] },
    };
  });
}

/**
 * The Available condition of an APIService a learner created. A local one (no service) is
 * available, as the aggregator serves it from its own handlers. One naming a Service is never
 * reached: this cluster forwards nothing to extension API servers, so it reads as one whose
 * server cannot be reached (or whose Service is missing), and requests for its group answer 503.
 */
export function availability(obj: KObject, serviceIP: (namespace: string, name: string) => string | undefined): Unstructured {
  const spec = ((obj as Unstructured).spec ?? {}) as Unstructured;
  const since = obj.metadata.creationTimestamp ?? null;
  const svc = spec.service as Unstructured | null | undefined;
  if (!svc) return { type: 'Available', status: 'True', lastTransitionTime: since, reason: 'Local', message: 'Local APIServices are always available' };
  const ip = serviceIP(svc.namespace, svc.name);
  if (ip === undefined) {
    return { type: 'Available', status: 'False', lastTransitionTime: since, reason: 'ServiceNotFound', message: `service/${svc.name} in "${svc.namespace}" is not present` };
  }
  const url = `https://${ip}:${svc.port ?? 443}/apis/${spec.group}/${spec.version}`;
  return {
    type: 'Available',
    status: 'False',
    lastTransitionTime: since,
    reason: 'FailedDiscoveryCheck',
    message: `failing or missing response from ${url}: this simulated cluster does not forward requests to extension API servers`,
  };
}

export const apiService: KindDef = {
  group: APISERVICE_GROUP,
  version: 'v1',
  kind: 'APIService',
  plural: 'apiservices',
  singular: 'apiservice',
  namespaced: false,
  categories: ['api-extensions'],
  subresources: ['status'],
  hasStatus: true,
  // Local APIServices are computed when read, so a watch would miss them.
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
  columns: [
    { name: 'Service', type: 'string', description: 'The reference to the service that hosts this API endpoint.' },
    { name: 'Available', type: 'string', description: 'Whether this service is available.' },
    AGE_COLUMN,
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    const svc = o.spec?.service as Unstructured | null | undefined;
    const cond = ((o.status?.conditions ?? []) as Unstructured[]).find((c) => c.type === 'Available');
    const available = !cond ? 'Unknown' : cond.status === 'True' || !cond.reason ? String(cond.status) : `${cond.status} (${cond.reason})`;
    return [svc ? `${svc.namespace}/${svc.name}` : 'Local', available, creationAge(obj, ctx.now())];
  },
  defaults(obj) {
    const svc = (obj as Unstructured).spec?.service as Unstructured | null | undefined;
    if (svc && typeof svc === 'object') svc.port ??= 443;
  },
  validate(obj) {
    const o = obj as Unstructured;
    const spec = (o.spec ?? {}) as Unstructured;
    const errs: FieldError[] = [];
    const group = typeof spec.group === 'string' ? spec.group : '';
    const version = typeof spec.version === 'string' ? spec.version : '';
    const required = `${version}.${group}`;
    if (o.metadata.name !== required) errs.push(fieldError.invalid('metadata.name', o.metadata.name, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(required)}`));
    if (!group && version !== 'v1') errs.push(fieldError.required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(version)) errs.push(fieldError.invalid('spec.version', version, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
    const gp = spec.groupPriorityMinimum;
    if (typeof gp !== 'number' || gp <= 0 || gp > 20000) errs.push(fieldError.invalid('spec.groupPriorityMinimum', gp ?? 0, 'must be positive and less than 20000'));
    const vp = spec.versionPriority;
    if (typeof vp !== 'number' || vp <= 0 || vp > 1000) errs.push(fieldError.invalid('spec.versionPriority', vp ?? 0, 'must be positive and less than 1000'));
    const svc = spec.service as Unstructured | null | undefined;
    if (svc) {
      if (!svc.namespace) errs.push(fieldError.required('spec.service.namespace', ''));
      if (!svc.name) errs.push(fieldError.required('spec.service.name', ''));
    }
    return errs;
  },
  prepareForCreate(obj) {
    // Status is the availability controller's, filled in when read.
    delete (obj as Unstructured).status;
  },
};
