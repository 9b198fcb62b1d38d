// DaemonSet: one pod on every node that should run it. A node qualifies by the template's
// nodeSelector and required node affinity, and by its taints against the template's tolerations
// plus the ones every daemon pod gets (not-ready, unreachable, the pressure taints, unschedulable).
// Each pod is pinned to its node through a required `matchFields metadata.name` node affinity, so
// the scheduler places it there. Template versions are ControllerRevisions whose hash labels the
// pods; RollingUpdate replaces old pods within maxUnavailable (or surges within maxSurge), OnDelete
// waits for the learner to delete them (pkg/controller/daemon: daemon_controller.go, update.go,
// util/daemonset_util.go).
import type { Cluster } from '../cluster.js';
import { ApiError } from '../errors.js';
import { TEMPLATE_GENERATION_ANNOTATION } from '../kinds/daemonset.js';
import type { ControllerRevision, DaemonSet, DaemonSetStatus, RollingUpdateDaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, NodeSelector, Pod, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { KindDef, KObject, Stored } from '../kinds/types.js';
import { nodeAffinity, tolerates } from '../scheduler/filters.js';
import { selectorFromLabelSelector, type LabelSelectorMatcher } from '../selectors.js';
import { podTemplateHash } from './deployment.js';
import type { Controller, ControllerContext } from './manager.js';
import { podChangeMatters } from './pod-change.js';
import { keyOf, splitKey } from './manager.js';
import { controllerOf, deleteIfPresent, isPodAvailable, isPodReady, kind, mutate, ownerRef, podFromTemplate, sameJson, writeStatus, type PartialPodTemplate } from './util.js';
import { copyJson } from '../own.js';

type Ds = Stored<DaemonSet>;
type Revision = Stored<ControllerRevision>;

const DAEMONSETS = 'apps/daemonsets';
const REVISIONS = 'apps/controllerrevisions';
const PODS = '/pods';
const NODES = '/nodes';
export const HASH_LABEL = 'controller-revision-hash';
const GENERATION_LABEL = 'pod-template-generation';
const SOURCE = { component: 'daemonset-controller' };
/** How many pods one sync creates or deletes at most (--concurrent burst of the real controller). */
const BURST = 250;
/** Deleting a failed daemon pod backs off from 1 s doubling to 15 min, per node and generation. */
const FAILED_BACKOFF_INITIAL_MS = 1000;
const FAILED_BACKOFF_MAX_MS = 15 * 60 * 1000;

// ---------------------------------------------------------------- pure helpers

/** The tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations), so node trouble never evicts it. */
export function daemonPodTolerations(spec: Pick<PodSpec, 'hostNetwork' | 'tolerations'>): Toleration[] {
  const wanted: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) wanted.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  let list: Toleration[] = [...(spec.tolerations ?? [])];
  for (const t of wanted) {
    // AddOrUpdateTolerationInPodSpec: one that matches key, operator, value and effect is replaced
    // (a tolerationSeconds on it is dropped), otherwise the toleration is appended.
    const same = (x: Toleration) => (x.key ?? '') === t.key && (x.operator ?? 'Equal') === t.operator && (x.value ?? '') === '' && (x.effect ?? '') === t.effect;
    if (list.some(same)) list = list.map((x) => (same(x) ? t : x));
    else list.push(t);
  }
  return list;
}

/** The node a daemon pod is for: its nodeName, or the `metadata.name In [x]` field of its affinity. */
export function targetNodeOf(pod: Stored<Pod>): string | undefined {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  if (spec.nodeName) return spec.nodeName;
  for (const term of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes "this node". */
function pinToNode(spec: PodSpec, node: string): void {
  const required: NodeSelector = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] };
  spec.affinity ??= {};
  spec.affinity.nodeAffinity ??= {};
  spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = required;
}

/**
 * NodeShouldRunDaemonPod: whether a new daemon pod belongs on the node, and whether one already
 * there may stay (an untolerated NoSchedule taint keeps new pods away but evicts nobody).
 */
export function nodeShouldRun(node: Stored<Node>, ds: Ds): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const template: PodTemplateSpec = ds.spec?.template ?? {};
  const spec: Partial<PodSpec> = { ...(template.spec ?? {}) };
  const name = node.metadata.name!;
  if (spec.nodeName && spec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  spec.tolerations = daemonPodTolerations(spec);
  // Only its namespace and the template's spec matter to the affinity check.
  const pod: KObject = { metadata: { namespace: ds.metadata.namespace }, spec };
  if (nodeAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const untolerated = (effects: string[]) => taints.some((t) => effects.includes(t.effect) && !tolerates(spec.tolerations, t));
  if (untolerated(['NoSchedule', 'NoExecute'])) return { shouldRun: false, shouldContinueRunning: !untolerated(['NoExecute']) };
  return { shouldRun: true, shouldContinueRunning: true };
}

/** An IntOrString against a total, percentages rounded up (GetScaledValueFromIntOrPercent). */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? '0'));
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return Number.parseInt(String(v ?? '0'), 10) || 0;
}

function templateGeneration(ds: KObject): string | undefined {
  const raw = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return raw !== undefined && /^-?\d+$/.test(raw) ? raw : undefined;
}

/** IsPodUpdated: the pod carries the current hash, or the template generation of the old scheme. */
function isUpdated(pod: KObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (!!hash && labels[HASH_LABEL] === hash) || (generation !== undefined && labels[GENERATION_LABEL] === generation);
}

/** What a ControllerRevision of a DaemonSet stores: a patch that puts the template back. */
function revisionData(ds: Ds): { spec: { template: PodTemplateSpec & { $patch: string } } } {
  return { spec: { template: { ...copyJson(ds.spec?.template ?? {}), $patch: 'replace' } } };
}

/** Scheduled pods first, then the oldest, then by name (podByCreationTimestampAndPhase). */
function byAge(a: Stored<Pod>, b: Stored<Pod>): number {
  const sa = a.spec?.nodeName ? 0 : 1;
  const sb = b.spec?.nodeName ? 0 : 1;
  if (sa !== sb) return sa - sb;
  return String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || a.metadata.name!.localeCompare(b.metadata.name!);
}

const isTerminal = (p: Stored<Pod>) => ['Succeeded', 'Failed'].includes(p.status?.phase ?? '');

// ---------------------------------------------------------------- per-cluster memory

interface Backoff {
  delay: number;
  at: number;
}
const failedBackoffs = new WeakMap<Cluster, Map<string, Backoff>>();

function backoffs(cluster: Cluster): Map<string, Backoff> {
  let m = failedBackoffs.get(cluster);
  if (!m) failedBackoffs.set(cluster, (m = new Map()));
  return m;
}

// ---------------------------------------------------------------- the controller

function dsKeysForPod(pod: KObject, ctx: ControllerContext, deleted: boolean): string[] {
  const ref = controllerOf(pod);
  if (ref) return ref.kind === 'DaemonSet' ? [`${pod.metadata.namespace}/${ref.name}`] : [];
  if (deleted) return [];
  return ctx.cluster.store
    .list(DAEMONSETS, pod.metadata.namespace)
    .filter((ds: Ds) => selectorFromLabelSelector(ds.spec?.selector).matches(pod.metadata.labels))
    .map(keyOf);
}

export const daemonSetController: Controller = {
  name: 'daemonset-controller',
  watches: [
    { resource: DAEMONSETS, keys: (e) => [keyOf(e.object)] },
    {
      resource: PODS,
      keys: (e, ctx) => {
        if (!podChangeMatters(e)) return [];
        const keys = new Set(dsKeysForPod(e.object, ctx, e.type === 'DELETED'));
        if (e.previous) for (const k of dsKeysForPod(e.previous, ctx, true)) keys.add(k);
        return keys;
      },
    },
    {
      resource: NODES,
      keys: (e, ctx) => {
        // Only a change that can move the answer of nodeShouldRun concerns a DaemonSet; the
        // kubelet's heartbeats do not.
        const all = ctx.cluster.store.list(DAEMONSETS);
        if (e.type !== 'MODIFIED' || !e.previous) return all.map(keyOf);
        return all
          .filter((ds) => {
            const before = nodeShouldRun(e.previous!, ds);
            const after = nodeShouldRun(e.object, ds);
            return before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning;
          })
          .map(keyOf);
      },
    },
    {
      resource: REVISIONS,
      keys: (e) => {
        const ref = controllerOf(e.object);
        return ref?.kind === 'DaemonSet' && e.type === 'DELETED' ? [`${e.object.metadata.namespace}/${ref.name}`] : [];
      },
    },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list(DAEMONSETS).map(keyOf),
  reconcile(key, ctx) {
    const [ns, name] = splitKey(key);
    const ds = ctx.cluster.store.get(DAEMONSETS, ns, name);
    // A DaemonSet being deleted is left to the garbage collector: its history may already be gone.
    if (!ds || ds.metadata.deletionTimestamp) return;
    syncDaemonSet(ds, ctx);
  },
};

interface Defs {
  ds: KindDef;
  pod: KindDef;
  rev: KindDef;
}

function syncDaemonSet(ds: Ds, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const defs: Defs = { ds: kind(cluster, 'apps', 'daemonsets'), pod: kind(cluster, '', 'pods'), rev: kind(cluster, 'apps', 'controllerrevisions') };
  const selector = selectorFromLabelSelector(ds.spec?.selector);
  const nodes: Stored<Node>[] = cluster.store.list(NODES);

  const { current, old } = constructHistory(ds, selector, ctx, defs);
  const hash = current.metadata.labels?.[HASH_LABEL] ?? '';
  ds = cluster.store.get(DAEMONSETS, ds.metadata.namespace, ds.metadata.name!) ?? ds;

  const changed = manage(ds, nodes, hash, selector, ctx, defs);
  // As the real controller waits for its expectations, the rolling update looks again only once
  // the creations and deletions it just made are seen (they requeue this DaemonSet).
  if (!changed && ds.spec?.updateStrategy?.type !== 'OnDelete') rollingUpdate(ds, nodes, hash, selector, ctx, defs);
  cleanupHistory(ds, old, selector, ctx, defs);
  updateStatus(ds, nodes, hash, selector, ctx, defs);
}

/** The pods this DaemonSet controls, by target node: owned ones that still match, plus adopted orphans. */
function claimPods(ds: Ds, selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): Map<string, Stored<Pod>[]> {
  const { cluster } = ctx;
  const owned: Stored<Pod>[] = [];
  for (const pod of cluster.dependentsOf(ds.metadata.uid!, PODS)) {
    if (controllerOf(pod)?.uid !== ds.metadata.uid) continue;
    if (selector.matches(pod.metadata.labels)) owned.push(pod);
    else if (!pod.metadata.deletionTimestamp) {
      mutate(cluster, defs.pod, pod, (p) => {
        // Controlled by this DaemonSet, so it has ownerReferences.
        p.metadata.ownerReferences = p.metadata.ownerReferences!.filter((r) => r.uid !== ds.metadata.uid);
        if (!p.metadata.ownerReferences.length) delete p.metadata.ownerReferences;
      });
    }
  }
  for (const pod of ctx.pods.orphansIn(ds.metadata.namespace!)) {
    if (pod.metadata.deletionTimestamp || !selector.matches(pod.metadata.labels)) continue;
    owned.push(mutate(cluster, defs.pod, pod, (p) => (p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), ownerRef(defs.ds, ds)])));
  }
  const byNode = new Map<string, Stored<Pod>[]>();
  for (const pod of owned) {
    const node = targetNodeOf(pod);
    if (!node) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  return byNode;
}

/** podsShouldBeOnNode for every node, then the creations and deletions (manage + syncNodes). */
function manage(ds: Ds, nodes: Stored<Node>[], hash: string, selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): boolean {
  const byNode = claimPods(ds, selector, ctx, defs);
  const surge = allowsSurge(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const now = ctx.now();
  const create: string[] = [];
  const remove: string[] = [];
  for (const node of nodes) {
    const name = node.metadata.name!;
    const { shouldRun, shouldContinueRunning } = nodeShouldRun(node, ds);
    const pods = byNode.get(name);
    if (shouldRun && !pods) {
      create.push(name);
    } else if (shouldContinueRunning && pods) {
      const running: Stored<Pod>[] = [];
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp) continue;
        const phase = pod.status?.phase;
        if (phase === 'Failed') {
          // The kubelet may keep rejecting the pod: delete and recreate it with back-off, not in a hot loop.
          const bkey = `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${name}`;
          const table = backoffs(ctx.cluster);
          const b = table.get(bkey);
          const t = now.getTime();
          if (b && t - b.at < b.delay) {
            ctx.requeueAfter(keyOf(ds), b.delay - (t - b.at));
            continue;
          }
          const expired = !b || t - b.at > 2 * FAILED_BACKOFF_MAX_MS;
          table.set(bkey, { delay: expired ? FAILED_BACKOFF_INITIAL_MS : Math.min(b!.delay * 2, FAILED_BACKOFF_MAX_MS), at: t });
          ctx.events.record(SOURCE, on(ds), 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${name}, will try to kill it`);
          remove.push(pod.metadata.name!);
        } else if (phase === 'Succeeded') {
          ctx.events.record(SOURCE, on(ds), 'Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${name}, will try to delete it`);
          remove.push(pod.metadata.name!);
        } else {
          running.push(pod);
        }
      }
      running.sort(byAge);
      if (!surge) {
        // One pod per node: the oldest stays.
        for (const extra of running.slice(1)) remove.push(extra.metadata.name!);
      } else if (running.length === 0) {
        if (shouldRun) create.push(name);
      } else if (running.length > 1) {
        // Surging: an old and a new pod may share a node until the new one is available.
        let oldestNew: Stored<Pod> | undefined;
        let oldestOld: Stored<Pod> | undefined;
        for (const pod of running) {
          const isNew = pod.metadata.labels?.[HASH_LABEL] === hash;
          if (isNew && !oldestNew) oldestNew = pod;
          else if (!isNew && !oldestOld) oldestOld = pod;
          else remove.push(pod.metadata.name!);
        }
        if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, now))) remove.push(oldestOld.metadata.name!);
      }
    } else if (!shouldContinueRunning && pods) {
      for (const pod of pods) if (!pod.metadata.deletionTimestamp) remove.push(pod.metadata.name!);
    }
  }
  // Pods waiting for a node that no longer exists would never be scheduled; nothing else cleans them up.
  const known = new Set(nodes.map((n) => n.metadata.name!));
  for (const [node, pods] of byNode) {
    if (known.has(node)) continue;
    for (const pod of pods) if (!pod.spec?.nodeName && !pod.metadata.deletionTimestamp) remove.push(pod.metadata.name!);
  }
  return syncNodes(ds, remove, create, hash, ctx, defs);
}

/** Creates daemon pods on the given nodes and deletes the given pods; true when anything changed. */
function syncNodes(ds: Ds, remove: string[], create: string[], hash: string, ctx: ControllerContext, defs: Defs): boolean {
  const { cluster } = ctx;
  const ns = ds.metadata.namespace!;
  const template: PartialPodTemplate = copyJson<PodTemplateSpec>(ds.spec?.template ?? {});
  template.spec = { ...(template.spec ?? {}), tolerations: daemonPodTolerations(template.spec ?? {}) };
  const generation = templateGeneration(ds);
  const labels: Record<string, string> = { ...(generation !== undefined ? { [GENERATION_LABEL]: generation } : {}), ...(hash ? { [HASH_LABEL]: hash } : {}) };
  let changed = false;
  for (const node of create.slice(0, BURST)) {
    const pod = podFromTemplate(template, ds, defs.ds, { labels });
    // podFromTemplate always gives the pod a spec.
    pinToNode(pod.spec!, node);
    try {
      const created = cluster.create(defs.pod, ns, pod, { fieldManager: 'kube-controller-manager' }).object;
      ctx.events.record(SOURCE, on(ds), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      changed = true;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.events.record(SOURCE, on(ds), 'Warning', 'FailedCreate', `Error creating: ${err.status.message}`);
      // Slow start: one failure stops this batch; quota or admission may allow it later.
      ctx.requeueAfter(keyOf(ds), 10_000);
      break;
    }
  }
  for (const name of [...new Set(remove)].slice(0, BURST)) {
    deleteIfPresent(cluster, defs.pod, ns, name);
    ctx.events.record(SOURCE, on(ds), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    changed = true;
  }
  return changed;
}

function allowsSurge(ds: Ds): boolean {
  const s = ds.spec?.updateStrategy;
  return s?.type === 'RollingUpdate' && scaled(s.rollingUpdate?.maxSurge, 1) > 0;
}

/** The surge and unavailability budgets against the nodes that should run a pod (updatedDesiredNodeCounts). */
function budgets(ds: Ds, nodes: Stored<Node>[], byNode: Map<string, Stored<Pod>[]>): { maxSurge: number; maxUnavailable: number; desired: number } {
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRun(node, ds).shouldRun) continue;
    desired++;
    if (!byNode.has(node.metadata.name!)) byNode.set(node.metadata.name!, []);
  }
  const ru: RollingUpdateDaemonSet = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  let maxUnavailable = scaled(ru.maxUnavailable, desired);
  const maxSurge = scaled(ru.maxSurge, desired);
  // An impossible configuration falls back to one node at a time.
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desired };
}

/** At most one new and one old live pod on the node; undefined when there are more (findUpdatedPodsOnNode). */
function newAndOld(pods: Stored<Pod>[], hash: string, generation: string | undefined): { newPod?: Stored<Pod>; oldPod?: Stored<Pod> } | undefined {
  let newPod: Stored<Pod> | undefined;
  let oldPod: Stored<Pod> | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isUpdated(pod, hash, generation)) {
      if (newPod) return undefined;
      newPod = pod;
    } else {
      if (oldPod) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

/** update.go rollingUpdate: old pods give way within maxUnavailable, or new ones surge within maxSurge. */
function rollingUpdate(ds: Ds, nodes: Stored<Node>[], hash: string, selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): void {
  const byNode = claimPods(ds, selector, ctx, defs);
  const { maxSurge, maxUnavailable, desired } = budgets(ds, nodes, byNode);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const now = ctx.now();
  const generation = templateGeneration(ds);
  const available = (p: KObject) => isPodAvailable(p, minReady, now);
  const nodeNames = [...byNode.keys()].sort();

  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: string[] = [];
    const candidates: string[] = [];
    for (const node of nodeNames) {
      const found = newAndOld(byNode.get(node)!, hash, generation);
      if (!found) {
        unavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
      else if (newPod) {
        if (!available(newPod)) unavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          // An old pod that is not available anyway costs nothing to replace.
          replace.push(oldPod.metadata.name!);
          unavailable++;
        } else if (unavailable < maxUnavailable) {
          candidates.push(oldPod.metadata.name!);
        }
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    syncNodes(ds, [...replace, ...candidates.slice(0, room)], [], hash, ctx, defs);
    return;
  }

  let surging = 0;
  let availableNodes = 0;
  const deletions: string[] = [];
  const misplaced: string[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  for (const node of nodeNames) {
    const found = newAndOld(byNode.get(node)!, hash, generation);
    if (!found) {
      surging++;
      continue;
    }
    const { newPod, oldPod } = found;
    if ((oldPod && available(oldPod)) || (newPod && available(newPod))) availableNodes++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        const n = nodeByName.get(node);
        if (!n || !nodeShouldRun(n, ds).shouldRun) misplaced.push(oldPod.metadata.name!);
        else allowed.push(node);
      } else if (surging < maxSurge) {
        candidates.push(node);
      }
    } else if (!available(newPod)) {
      surging++;
    } else {
      deletions.push(oldPod.metadata.name!);
    }
  }
  // With maxSurge the owner expects full availability: a pod on a node that no longer qualifies
  // goes only once as many pods are available as are wanted.
  if (availableNodes - desired >= 0) deletions.push(...misplaced);
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  syncNodes(ds, deletions, [...allowed, ...candidates.slice(0, room)], hash, ctx, defs);
}

// ---------------------------------------------------------------- history

/** constructHistory: find or create the revision of the current template, number it last. */
function constructHistory(ds: Ds, selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): { current: Revision; old: Revision[] } {
  const { cluster } = ctx;
  const histories = controlledHistories(ds, selector, ctx, defs);
  const data = revisionData(ds);
  const matching: Revision[] = [];
  const old: Revision[] = [];
  for (let h of histories) {
    // A stored revision has a name.
    if (!h.metadata.labels?.[HASH_LABEL]) h = mutate(cluster, defs.rev, h, (o) => (o.metadata.labels = { ...(o.metadata.labels ?? {}), [HASH_LABEL]: o.metadata.name! }));
    if (sameJson(h.data, data)) matching.push(h);
    else old.push(h);
  }
  const next = Math.max(0, ...old.map((h) => Number(h.revision ?? 0))) + 1;
  if (!matching.length) return { current: snapshot(ds, next, ctx, defs), old };
  // Duplicates keep the highest revision.
  matching.sort((a, b) => Number(b.revision ?? 0) - Number(a.revision ?? 0));
  for (const dup of matching.slice(1)) deleteIfPresent(cluster, defs.rev, dup.metadata.namespace, dup.metadata.name!);
  let current = matching[0];
  if (Number(current.revision ?? 0) < next) current = mutate(cluster, defs.rev, current, (o) => (o.revision = next));
  return { current, old };
}

function controlledHistories(ds: Ds, selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): Revision[] {
  const { cluster } = ctx;
  const out: Revision[] = cluster.dependentsOf(ds.metadata.uid!, REVISIONS).filter((h) => controllerOf(h)?.uid === ds.metadata.uid);
  for (const h of cluster.store.list(REVISIONS, ds.metadata.namespace)) {
    if (controllerOf(h) || h.metadata.deletionTimestamp || !selector.matches(h.metadata.labels)) continue;
    out.push(mutate(cluster, defs.rev, h, (o) => (o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), ownerRef(defs.ds, ds)])));
  }
  return out;
}

function snapshot(ds: Ds, revision: number, ctx: ControllerContext, defs: Defs): Revision {
  const { cluster } = ctx;
  const data = revisionData(ds);
  for (let attempt = 0; ; attempt++) {
    const fresh: Ds = cluster.store.get(DAEMONSETS, ds.metadata.namespace, ds.metadata.name!) ?? ds;
    const collisions = fresh.status?.collisionCount ?? 0;
    const hash = podTemplateHash(ds.spec?.template ?? {}, collisions);
    const name = `${ds.metadata.name}-${hash}`;
    const existing: Revision | undefined = cluster.store.get(REVISIONS, ds.metadata.namespace, name);
    if (existing) {
      if (sameJson(existing.data, data)) return existing;
      // A different template already owns this name: count the collision and hash again.
      if (attempt > 5) throw new Error(`hash collision for DaemonSet ${keyOf(ds)} did not resolve`);
      writeStatus(cluster, defs.ds, fresh, { ...(fresh.status ?? {}), collisionCount: collisions + 1 });
      continue;
    }
    const annotations = { ...(ds.metadata.annotations ?? {}) };
    const body: Revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: ds.metadata.namespace,
        labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash },
        ...(Object.keys(annotations).length ? { annotations } : {}),
        ownerReferences: [ownerRef(defs.ds, ds)],
      },
      data,
      revision,
    };
    return cluster.create(defs.rev, ds.metadata.namespace, body, { fieldManager: 'kube-controller-manager' }).object;
  }
}

/** Keeps revisionHistoryLimit old revisions, never one that live pods still carry. */
function cleanupHistory(ds: Ds, old: Revision[], selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): void {
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  let excess = old.length - limit;
  if (excess <= 0) return;
  const live = new Set<string>();
  for (const pods of claimPods(ds, selector, ctx, defs).values()) for (const p of pods) if (p.metadata.labels?.[HASH_LABEL]) live.add(p.metadata.labels[HASH_LABEL]);
  for (const h of [...old].sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0))) {
    if (excess <= 0) break;
    if (live.has(h.metadata.labels?.[HASH_LABEL] ?? '')) continue;
    deleteIfPresent(ctx.cluster, defs.rev, h.metadata.namespace, h.metadata.name!);
    excess--;
  }
}

// ---------------------------------------------------------------- status

function updateStatus(ds: Ds, nodes: Stored<Node>[], hash: string, selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): void {
  const fresh: Ds | undefined = ctx.cluster.store.get(DAEMONSETS, ds.metadata.namespace, ds.metadata.name!);
  if (!fresh) return;
  const byNode = claimPods(fresh, selector, ctx, defs);
  const minReady = fresh.spec?.minReadySeconds ?? 0;
  const now = ctx.now();
  const generation = templateGeneration(fresh);
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let updated = 0;
  let available = 0;
  for (const node of nodes) {
    // A deleted pod that has finished no longer counts as scheduled.
    const pods = (byNode.get(node.metadata.name!) ?? []).filter((p) => !(isTerminal(p) && p.metadata.deletionTimestamp));
    const scheduled = pods.length > 0;
    if (nodeShouldRun(node, fresh).shouldRun) {
      desired++;
      if (!scheduled) continue;
      current++;
      const pod = [...pods].sort(byAge)[0];
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
      }
      if (isUpdated(pod, hash, generation)) updated++;
    } else if (scheduled) {
      misscheduled++;
    }
  }
  const old: Partial<DaemonSetStatus> = fresh.status ?? {};
  const status: DaemonSetStatus = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: fresh.metadata.generation ?? 1,
    ...(updated ? { updatedNumberScheduled: updated } : {}),
    ...(available ? { numberAvailable: available } : {}),
    ...(desired - available ? { numberUnavailable: desired - available } : {}),
    ...(old.collisionCount !== undefined ? { collisionCount: old.collisionCount } : {}),
    ...(old.conditions?.length ? { conditions: old.conditions } : {}),
  };
  writeStatus(ctx.cluster, defs.ds, fresh, status);
  // Availability after minReadySeconds comes from time passing, not from an event.
  if (minReady > 0 && ready !== available) ctx.requeueAfter(keyOf(fresh), minReady * 1000);
}

function on(ds: KObject) {
  return { kind: 'DaemonSet', apiVersion: 'apps/v1', object: ds };
}
