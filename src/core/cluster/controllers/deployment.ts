// Deployment: one ReplicaSet per pod template (named by the template's hash), a rolling update or
// a recreate between them within maxSurge/maxUnavailable, revisions in annotations (so `kubectl
// rollout history|undo` work client-side, as they do on a real cluster), pause, clean-up of old
// ReplicaSets, and the Available/Progressing conditions `kubectl rollout status` and `kubectl wait`
// read (pkg/controller/deployment: sync.go, rolling.go, recreate.go, progress.go).
import { rfc3339 } from '../clock.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetStatus, RollingUpdateDeployment } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { copyJson, own } from '../own.js';
import type { KindDef, KObject, Stored } from '../kinds/types.js';
import { selectorFromLabelSelector } from '../selectors.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { controllerOf, deleteIfPresent, isPodActive, kind, mutate, ownerRef, sameJson, setCondition, writeStatus } from './util.js';

type Dep = Stored<Deployment>;
type RS = Stored<ReplicaSet>;
/** The counts a ReplicaSet's status holds. */
type Count = keyof Pick<ReplicaSetStatus, 'replicas' | 'availableReplicas' | 'readyReplicas'>;

const DEPLOYMENTS = 'apps/deployments';
const REPLICASETS = 'apps/replicasets';
const HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const SOURCE = { component: 'deployment-controller' };

// ---------------------------------------------------------------- pure helpers

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-32a of the template, spelled with rand.SafeEncodeString's alphabet as the real hash is. */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const text = stableJson(template) + (collisionCount ? String(collisionCount) : '');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((d) => SAFE[d.charCodeAt(0) % SAFE.length]).join('');
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => own(v, k) !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(own(v, k))}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Templates equal but for the pod-template-hash label (deploymentutil.EqualIgnoreHash). */
export function sameTemplate(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const c = copyJson<PodTemplateSpec>(t ?? {});
    // A null creationTimestamp is Go's zero time: the same as none.
    if (c.metadata && c.metadata.creationTimestamp === null) {
      // kubernetes-types declares creationTimestamp read-only, so the copy's metadata is rebuilt without it.
      const { creationTimestamp: _zero, ...rest } = c.metadata;
      c.metadata = rest;
    }
    if (c.metadata && !Object.keys(c.metadata).length) delete c.metadata;
    if (c.metadata?.labels) {
      delete c.metadata.labels[HASH_LABEL];
      if (!Object.keys(c.metadata.labels).length) delete c.metadata.labels;
    }
    return c;
  };
  return sameJson(strip(a), strip(b));
}

/** An IntOrString against a total: percentages round up for surge, down for unavailable. */
function resolve(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? '0'));
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function surgeAndUnavailable(d: Dep): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const ru: RollingUpdateDeployment = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = resolve(ru.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = resolve(ru.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

const revisionOf = (rs: KObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
const specReplicas = (rs: RS) => rs.spec?.replicas ?? 0;
const st = (rs: RS, f: Count) => rs.status?.[f] ?? 0;

// ---------------------------------------------------------------- the controller

export const deploymentController: Controller = {
  name: 'deployment-controller',
  watches: [
    { resource: DEPLOYMENTS, keys: (e) => [keyOf(e.object)] },
    {
      resource: REPLICASETS,
      keys: (e, ctx) => {
        const ref = controllerOf(e.object);
        if (ref?.kind === 'Deployment') return [`${e.object.metadata.namespace}/${ref.name}`];
        if (ref) return [];
        // An orphaned ReplicaSet may be adopted by a Deployment that selects it.
        return ctx.cluster.store
          .list(DEPLOYMENTS, e.object.metadata.namespace)
          .filter((d: Dep) => selectorFromLabelSelector(d.spec?.selector).matches(e.object.metadata.labels))
          .map(keyOf);
      },
    },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list(DEPLOYMENTS).map(keyOf),
  reconcile(key, ctx) {
    const [ns, name] = splitKey(key);
    const d = ctx.cluster.store.get(DEPLOYMENTS, ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    syncDeployment(d, ctx);
  },
};

function syncDeployment(d: Dep, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const dDef = kind(cluster, 'apps', 'deployments');
  const rsDef = kind(cluster, 'apps', 'replicasets');
  const on = { kind: 'Deployment', apiVersion: 'apps/v1', object: d };
  const selector = selectorFromLabelSelector(d.spec?.selector);

  // The ReplicaSets this Deployment controls: owned ones that still match, plus adopted orphans.
  const all: RS[] = [];
  for (const rs of cluster.dependentsOf(d.metadata.uid!, REPLICASETS)) {
    if (controllerOf(rs)?.uid === d.metadata.uid && selector.matches(rs.metadata.labels)) all.push(rs);
  }
  for (const rs of cluster.store.list(REPLICASETS, d.metadata.namespace)) {
    if (!controllerOf(rs) && !rs.metadata.deletionTimestamp && selector.matches(rs.metadata.labels)) {
      all.push(mutate(cluster, rsDef, rs, (o) => (o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), ownerRef(dDef, d)])));
    }
  }
  all.sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || a.metadata.name!.localeCompare(b.metadata.name!));

  let newRS = all.find((rs) => sameTemplate(rs.spec?.template, d.spec?.template));
  const old = () => all.filter((rs) => rs !== newRS);
  const paused = !!d.spec?.paused;

  if (!paused) newRS = ensureNewReplicaSet(d, newRS, old(), ctx, rsDef);
  if (newRS && !all.includes(newRS)) all.push(newRS);
  else if (newRS) all[all.findIndex((x) => x.metadata.uid === newRS!.metadata.uid)] = newRS;

  const replicas: number = d.spec?.replicas ?? 1;
  const scale = (rs: RS, to: number): RS => {
    const from = specReplicas(rs);
    if (from === to) return rs;
    const { maxSurge } = surgeAndUnavailable(d);
    const next = mutate(cluster, rsDef, rs, (o) => {
      o.spec!.replicas = to;
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [DESIRED]: String(replicas), [MAX_REPLICAS]: String(replicas + maxSurge) };
    });
    ctx.events.record(SOURCE, on, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`);
    all[all.findIndex((x) => x.metadata.uid === rs.metadata.uid)] = next;
    if (newRS?.metadata.uid === rs.metadata.uid) newRS = next;
    return next;
  };

  if (paused || !newRS) {
    // Paused: only keep the size right (proportionally, on the active ReplicaSets), no rollout.
    const active = all.filter((rs) => specReplicas(rs) > 0);
    if (active.length === 1 && specReplicas(active[0]) !== replicas) scale(active[0], replicas);
  } else if (d.spec?.strategy?.type === 'Recreate') {
    for (const rs of old()) if (specReplicas(rs) > 0) scale(rs, 0);
    const oldPodsRunning = old().some((rs) => cluster.dependentsOf(rs.metadata.uid!, '/pods').some((p) => controllerOf(p)?.uid === rs.metadata.uid && (isPodActive(p) || !!p.metadata.deletionTimestamp)));
    if (!oldPodsRunning) scale(newRS, replicas);
  } else {
    rollingUpdate(d, () => newRS!, old, scale, replicas);
  }

  cleanupOldReplicaSets(d, old(), ctx, rsDef);
  updateStatus(cluster.store.get(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!) ?? d, all, newRS, ctx, dDef);
}

function ensureNewReplicaSet(d: Dep, existing: RS | undefined, olds: RS[], ctx: ControllerContext, rsDef: KindDef): RS {
  const { cluster } = ctx;
  const maxOld = Math.max(0, ...olds.map(revisionOf));
  const { maxSurge } = surgeAndUnavailable(d);
  const replicas = d.spec?.replicas ?? 1;
  const changeCause = d.metadata.annotations?.[CHANGE_CAUSE];
  if (existing) {
    // A rollback (or a template that went back to an older one) makes that ReplicaSet the newest revision.
    const rev = revisionOf(existing);
    const next = mutate(cluster, rsDef, existing, (o) => {
      const a = (o.metadata.annotations ??= {});
      if (rev <= maxOld) {
        a[REVISION] = String(maxOld + 1);
        a[REVISION_HISTORY] = [a[REVISION_HISTORY], String(rev)].filter(Boolean).join(',');
      }
      if (changeCause !== undefined) a[CHANGE_CAUSE] = changeCause;
    });
    syncRevisionAnnotation(d, next, ctx);
    return next;
  }
  const template = copyJson<PodTemplateSpec>(d.spec?.template ?? {});
  const collisionCount = d.status?.collisionCount ?? 0;
  const hash = podTemplateHash(template, collisionCount);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
  const selector = copyJson<LabelSelector>(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (k !== 'kubectl.kubernetes.io/last-applied-configuration' && k !== REVISION) annotations[k] = v;
  }
  Object.assign(annotations, { [DESIRED]: String(replicas), [MAX_REPLICAS]: String(replicas + maxSurge), [REVISION]: String(maxOld + 1) });
  const body: RS = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels: template.metadata.labels, annotations, ownerReferences: [ownerRef(kind(cluster, 'apps', 'deployments'), d)] },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const rs = cluster.create(rsDef, d.metadata.namespace, body, { fieldManager: 'kube-controller-manager' }).object;
  syncRevisionAnnotation(d, rs, ctx);
  const now = rfc3339(ctx.now());
  const current: Dep = cluster.store.get(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!)!;
  const conditions = setCondition(current.status?.conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rs.metadata.name}"`, lastUpdateTime: now }, now);
  writeStatus(cluster, kind(cluster, 'apps', 'deployments'), current, { ...(current.status ?? {}), conditions });
  return rs;
}

function syncRevisionAnnotation(d: KObject, rs: KObject, ctx: ControllerContext): void {
  const rev = rs.metadata.annotations?.[REVISION];
  const current = ctx.cluster.store.get(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!);
  if (!current || !rev || current.metadata.annotations?.[REVISION] === rev) return;
  mutate(ctx.cluster, kind(ctx.cluster, 'apps', 'deployments'), current, (o) => (o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: rev }));
}

/** rolling.go: surge the new ReplicaSet up, then scale old ones down within maxUnavailable. */
function rollingUpdate(dep: Dep, newRS: () => RS, olds: () => RS[], scale: (rs: RS, to: number) => RS, replicas: number): void {
  const { maxSurge, maxUnavailable } = surgeAndUnavailable(dep);
  const total = () => specReplicas(newRS()) + olds().reduce((n, rs) => n + specReplicas(rs), 0);
  // Up.
  const n = newRS();
  if (specReplicas(n) > replicas) scale(n, replicas);
  else if (specReplicas(n) < replicas) {
    const room = replicas + maxSurge - total();
    if (room > 0) scale(n, specReplicas(n) + Math.min(room, replicas - specReplicas(n)));
  }
  // Down.
  const oldTotal = olds().reduce((x, rs) => x + specReplicas(rs), 0);
  if (oldTotal === 0) return;
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = specReplicas(newRS()) - st(newRS(), 'availableReplicas');
  let budget = total() - minAvailable - newUnavailable;
  if (budget <= 0) return;
  // First the old pods that are not available anyway: removing them costs no availability.
  for (const rs of olds()) {
    if (budget <= 0) break;
    const unhealthy = specReplicas(rs) - st(rs, 'availableReplicas');
    const cut = Math.min(unhealthy, budget);
    if (cut > 0) {
      scale(rs, specReplicas(rs) - cut);
      budget -= cut;
    }
  }
  const available = st(newRS(), 'availableReplicas') + olds().reduce((x, rs) => x + Math.min(st(rs, 'availableReplicas'), specReplicas(rs)), 0);
  let down = Math.min(available - minAvailable, olds().reduce((x, rs) => x + specReplicas(rs), 0));
  for (const rs of olds()) {
    if (down <= 0) break;
    const cut = Math.min(specReplicas(rs), down);
    if (cut > 0) {
      scale(rs, specReplicas(rs) - cut);
      down -= cut;
    }
  }
}

/** Keeps revisionHistoryLimit old ReplicaSets with no pods; deletes older ones. */
function cleanupOldReplicaSets(dep: Dep, olds: RS[], ctx: ControllerContext, rsDef: KindDef): void {
  const limit = dep.spec?.revisionHistoryLimit ?? 10;
  const idle = olds.filter((rs) => specReplicas(rs) === 0 && st(rs, 'replicas') === 0 && !rs.metadata.deletionTimestamp);
  if (idle.length <= limit) return;
  idle.sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, idle.length - limit)) deleteIfPresent(ctx.cluster, rsDef, rs.metadata.namespace, rs.metadata.name!);
}

function updateStatus(d: Dep, all: RS[], newRS: RS | undefined, ctx: ControllerContext, dDef: KindDef): void {
  const now = ctx.now();
  const nowText = rfc3339(now);
  const fresh: RS[] = all.map((rs) => ctx.cluster.store.get(REPLICASETS, rs.metadata.namespace, rs.metadata.name!)).filter((rs): rs is KObject => !!rs);
  const nrs: RS | undefined = newRS && ctx.cluster.store.get(REPLICASETS, newRS.metadata.namespace, newRS.metadata.name!);
  const sum = (f: Count) => fresh.reduce((n, rs) => n + st(rs, f), 0);
  const replicas = d.spec?.replicas ?? 1;
  const { maxUnavailable } = surgeAndUnavailable(d);
  const available = sum('availableReplicas');
  const updated = nrs ? st(nrs, 'replicas') : 0;
  const total = sum('replicas');
  const old: DeploymentStatus = d.status ?? {};
  let conditions: DeploymentCondition[] = old.conditions ?? [];
  conditions = setCondition(
    conditions,
    available >= replicas - maxUnavailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: nowText }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: nowText },
    nowText,
  );
  // Available comes first in the list, as a real Deployment shows it.
  conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
  const progressing = conditions.find((c) => c.type === 'Progressing');
  const name = nrs?.metadata.name;
  if (d.spec?.paused) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused', lastUpdateTime: nowText }, nowText);
  } else if (nrs) {
    const complete = updated === replicas && st(nrs, 'availableReplicas') === replicas && total === replicas;
    const oldReady = old.updatedReplicas !== updated || old.availableReplicas !== available || old.replicas !== total || progressing?.reason === 'DeploymentPaused';
    if (complete) {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.`, lastUpdateTime: progressing?.reason === 'NewReplicaSetAvailable' ? progressing.lastUpdateTime : nowText }, nowText);
    } else if (oldReady || !progressing) {
      const reason = progressing?.reason === 'NewReplicaSetCreated' && !oldReady ? 'NewReplicaSetCreated' : 'ReplicaSetUpdated';
      const message = reason === 'NewReplicaSetCreated' ? progressing!.message : `ReplicaSet "${name}" is progressing.`;
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason, message, lastUpdateTime: nowText }, nowText);
    } else if (progressing && progressing.status === 'True') {
      const deadline = (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
      const since = Date.parse(progressing.lastUpdateTime ?? progressing.lastTransitionTime ?? '');
      if (since + deadline <= now.getTime()) {
        conditions = setCondition(conditions, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.`, lastUpdateTime: nowText }, nowText);
      } else {
        ctx.requeueAfter(keyOf(d), since + deadline - now.getTime());
      }
    }
  }
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: total,
    updatedReplicas: updated,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
    conditions,
    ...(old.collisionCount !== undefined ? { collisionCount: old.collisionCount } : {}),
  };
  for (const f of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const) if (!status[f]) delete status[f];
  writeStatus(ctx.cluster, dDef, d, status);
}
