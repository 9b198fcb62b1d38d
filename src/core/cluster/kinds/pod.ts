// Pod: defaults and admission (service account token volume, default tolerations), the
// immutability of a running pod's spec, and the printer's READY/STATUS/RESTARTS logic.
import { randomBytes } from 'node:crypto';
import type { KindDef, KObject, Unstructured } from './types.js';
import { fieldError } from '../errors.js';
import { AGE_COLUMN, creationAge, humanDuration } from './print.js';
import { defaultPodSpec, validatePodSpec } from './pod-spec.js';
import { copyJson } from '../own.js';


const SA_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export function qosClass(spec: Unstructured): string {
  const containers: Unstructured[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) if (lim[r] === undefined || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The printer's STATUS cell and restart count: Running, Pending, ContainerCreating, CrashLoopBackOff, Completed, Init:0/1, Terminating… */
export function podStatusCell(pod: KObject, now: Date): { ready: string; status: string; restarts: string } {
  const spec = (pod.spec ?? {}) as Unstructured;
  const status = (pod.status ?? {}) as Unstructured;
  let reason: string = status.reason || status.phase || 'Pending';
  let restarts = 0;
  let lastRestart: Date | undefined;
  // Sidecars (init containers with restartPolicy Always) run beside the app containers, and count with them.
  const sidecars = new Set(((spec.initContainers ?? []) as Unstructured[]).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = (spec.containers ?? []).length + sidecars.size;
  let readyCount = 0;
  let initializing = false;
  let sidecarRestarts = 0;
  let sidecarLastRestart: Date | undefined;
  const inits: Unstructured[] = status.initContainerStatuses ?? [];
  const later = (a: Date | undefined, c: Unstructured) => {
    const finished = c.lastState?.terminated?.finishedAt;
    return finished && (!a || new Date(finished) > a) ? new Date(finished) : a;
  };
  const noteRestart = (c: Unstructured) => {
    lastRestart = later(lastRestart, c);
  };
  // The first init container that has not completed (or, a sidecar, started) says where initialization is.
  for (const [i, c] of inits.entries()) {
    restarts += c.restartCount ?? 0;
    noteRestart(c);
    if (sidecars.has(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      sidecarLastRestart = later(sidecarLastRestart, c);
    }
    if (c.state?.terminated?.exitCode === 0) continue;
    if (sidecars.has(c.name) && c.started) {
      if (c.ready) readyCount++;
      continue;
    }
    if (c.state?.terminated) {
      reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : c.state.terminated.signal ? `Init:Signal:${c.state.terminated.signal}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initialized = (status.conditions ?? []).some((c: Unstructured) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    // Once initialized, the app containers' and sidecars' restarts are what counts.
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    let hasRunning = false;
    const cs: Unstructured[] = [...(status.containerStatuses ?? [])].reverse();
    for (const c of cs) {
      restarts += c.restartCount ?? 0;
      noteRestart(c);
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = (status.conditions ?? []).find((c: Unstructured) => c.type === 'Ready');
      reason = readyCond?.status === 'True' ? 'Running' : 'NotReady';
    }
  }
  // A pod that has ended shows how, even while it is being deleted.
  const ended = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !ended) reason = 'Terminating';
  let restartCell = String(restarts);
  if (restarts > 0 && lastRestart) restartCell = `${restarts} (${humanDuration(now.getTime() - lastRestart.getTime())} ago)`;
  return { ready: `${readyCount}/${total}`, status: reason, restarts: restartCell };
}

function randomSuffix(): string {
  const b = randomBytes(5);
  return [...b].map((x) => SA_CHARS[x % SA_CHARS.length]).join('');
}

/** A fresh name for a pod's service-account token volume, random per pod as the apiserver makes it. */
export const tokenVolumeName = (): string => `kube-api-access-${randomSuffix()}`;

export const pod: KindDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'resize', 'status'],
  columns: [
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.' },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.' },
    { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.' },
    AGE_COLUMN,
    { name: 'IP', type: 'string', priority: 1, description: 'The IP address assigned to the pod.' },
    { name: 'Node', type: 'string', priority: 1, description: 'The name of the node the pod is scheduled onto.' },
    { name: 'Nominated Node', type: 'string', priority: 1, description: 'The name of the node where the pod is nominated to run.' },
    { name: 'Readiness Gates', type: 'string', priority: 1, description: 'The readiness gates of the pod.' },
  ],
  row(obj, ctx) {
    const s = podStatusCell(obj, ctx.now());
    const status = (obj.status ?? {}) as Unstructured;
    const spec = (obj.spec ?? {}) as Unstructured;
    const gates: Unstructured[] = spec.readinessGates ?? [];
    const gateCell = gates.length
      ? `${gates.filter((g) => (status.conditions ?? []).some((c: Unstructured) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`
      : '<none>';
    return [s.ready, s.status, s.restarts, creationAge(obj, ctx.now()), status.podIP || '<none>', spec.nodeName || '<none>', status.nominatedNodeName || '<none>', gateCell];
  },
  fieldSelectors: {
    'spec.nodeName': (o) => (o.spec as Unstructured)?.nodeName ?? '',
    'spec.restartPolicy': (o) => (o.spec as Unstructured)?.restartPolicy ?? '',
    'spec.schedulerName': (o) => (o.spec as Unstructured)?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => (o.spec as Unstructured)?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(!!(o.spec as Unstructured)?.hostNetwork),
    'status.phase': (o) => (o.status as Unstructured)?.phase ?? '',
    'status.podIP': (o) => (o.status as Unstructured)?.podIP ?? '',
    'status.nominatedNodeName': (o) => (o.status as Unstructured)?.nominatedNodeName ?? '',
  },
  prepareForCreate(obj) {
    const spec = (obj.spec ??= {}) as Unstructured;
    const mirror = !!obj.metadata.annotations?.['kubernetes.io/config.mirror'];
    // The ServiceAccount admission plugin: every pod runs as a service account, with its token
    // mounted, unless it is a static pod's mirror or opts out.
    if (!mirror) {
      spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
      spec.serviceAccount = spec.serviceAccountName;
      if (spec.automountServiceAccountToken !== false && !(spec.volumes ?? []).some((v: Unstructured) => String(v.name).startsWith('kube-api-access-'))) {
        const name = tokenVolumeName();
        spec.volumes = [
          ...(spec.volumes ?? []),
          {
            name,
            projected: {
              sources: [
                { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
              ],
              defaultMode: 420,
            },
          },
        ];
        for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
          c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }];
        }
      }
      // The DefaultTolerationSeconds admission plugin.
      const tol: Unstructured[] = spec.tolerations ?? [];
      for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
        if (!tol.some((t) => t.key === key || (t.operator === 'Exists' && !t.key))) tol.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
      }
      spec.tolerations = tol;
    }
    spec.priority ??= 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    defaultPodSpec(spec);
    obj.status = { ...(obj.status as Unstructured | undefined), phase: (obj.status as Unstructured | undefined)?.phase ?? 'Pending', qosClass: qosClass(spec) };
  },
  defaults(obj) {
    defaultPodSpec((obj.spec ??= {}) as Unstructured);
  },
  validate(obj) {
    return validatePodSpec(obj.spec, 'spec');
  },
  gracePeriod(obj, requested) {
    const spec = (obj.spec ?? {}) as Unstructured;
    const phase = (obj.status as Unstructured | undefined)?.phase;
    // A pod no kubelet runs (not scheduled, or finished) has nothing to stop.
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return Math.max(0, requested ?? spec.terminationGracePeriodSeconds ?? 30);
  },
  validateUpdate(obj, old) {
    // A status write keeps the stored spec itself.
    if (obj.spec === old.spec) return [];
    const strip = (spec: Unstructured) => {
      const copy = copyJson(spec ?? {});
      for (const c of [...(copy.containers ?? []), ...(copy.initContainers ?? [])]) delete c.image;
      delete copy.activeDeadlineSeconds;
      delete copy.tolerations;
      delete copy.terminationGracePeriodSeconds;
      return JSON.stringify(copy);
    };
    if (strip(obj.spec as Unstructured) !== strip(old.spec as Unstructured)) {
      return [
        fieldError.forbidden(
          'spec',
          'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        ),
      ];
    }
    return [];
  },
};
