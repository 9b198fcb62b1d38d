// kube-scheduler for one simulated cluster: each pending pod is filtered against the nodes (a
// sample of them on a large cluster, as percentageOfNodesToScore does), the feasible ones scored
// (least allocated, spreading a workload's pods), and the pod bound to the best. A pod that fits
// nowhere gets a FailedScheduling event and waits until nodes or pods change.
import type { Node, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { rfc3339 } from '../clock.js';
import type { Stored } from '../kinds/types.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext } from '../controllers/manager.js';
import { keyOf, splitKey } from '../controllers/manager.js';
import { controllerOf, kind, setCondition, writeStatus } from '../controllers/util.js';
import { fitErrorMessage, hostPorts, NOT_NAMED_BY_AFFINITY, wantedHostPorts, preFilterNodeNames, interPodAffinity, nodeAffinity, nodeUnschedulable, resourcesFit, taintToleration, type NodeInfo, type Rejection } from './filters.js';
import { add, nodeAllocatable, podRequests, zero, type Resources } from './resources.js';

export const SCHEDULER_NAME = 'default-scheduler';
const SOURCE_NAME = 'default-scheduler';
/** How long an unschedulable pod waits before it is tried again without any cluster change. */
const UNSCHEDULABLE_RETRY_MS = 5 * 60 * 1000;

const isTerminal = (p: Stored<Pod>) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const nodeOf = (p: Stored<Pod> | undefined) => p?.spec?.nodeName;

/** framework.numFeasibleNodesToFind with the adaptive percentage. */
export function feasibleNodesToFind(n: number): number {
  if (n < 100) return n;
  const pct = Math.max(5, 50 - Math.floor(n / 125));
  return Math.max(100, Math.floor((n * pct) / 100));
}

const plainNode = (node: Stored<Node>) => !node.spec?.unschedulable && !node.spec?.taints?.length;

/**
 * A class, not an object literal: a literal with a getter is a slow dictionary object, and every
 * pod reads hundreds of these.
 */
class SchedulerNodeInfo implements NodeInfo {
  readonly podMap = new Map<string, Stored<Pod>>();
  readonly requested: Resources = zero();
  allocatable: Resources;
  /** Schedulable and untainted: only resources can keep a pod that asks nothing else off it. */
  plain: boolean;

  constructor(public node: Stored<Node>) {
    this.allocatable = nodeAllocatable(node);
    this.plain = plainNode(node);
  }

  get pods(): Stored<Pod>[] {
    return [...this.podMap.values()];
  }
}

/** What a pod asks of every node it is checked against. */
interface Asks {
  request: Resources;
  /** The names in request.other. */
  others: string[];
  ports: ReadonlySet<string>;
  /** No node selector, node affinity, pod (anti-)affinity or host port: a plain node checks resources alone. */
  plain: boolean;
}

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  private readonly infos = new Map<string, SchedulerNodeInfo>();
  /**
   * For each controlling owner's uid, how many of its pods each node holds: a workload is spread
   * by reading its own small map, not a map on each of the hundreds of nodes a pod is scored on.
   */
  private readonly owned = new Map<string, Map<SchedulerNodeInfo, number>>();
  private nodes?: Stored<Node>[];
  /** Beside `nodes`, the info of each one looked at since: a pod is checked against hundreds. */
  private nodeInfos: Array<SchedulerNodeInfo | undefined> = [];
  private readonly unschedulable = new Set<string>();
  private nextStart = 0;
  readonly watches;

  constructor() {
    this.watches = [
      { resource: '/pods', keys: (e: StoreEvent) => this.onPod(e) },
      { resource: '/nodes', keys: (e: StoreEvent) => this.onNode(e) },
      { resource: '/persistentvolumeclaims', keys: () => [...this.unschedulable] },
    ];
  }

  initialKeys(ctx: ControllerContext): string[] {
    this.infos.clear();
    this.owned.clear();
    this.nodes = undefined;
    return ctx.cluster.store.list('/pods').filter((p) => this.wants(p)).map(keyOf);
  }

  private wants(p: Stored<Pod>): boolean {
    return !p.spec?.nodeName && !p.metadata.deletionTimestamp && (p.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME;
  }

  private onPod(e: StoreEvent): string[] {
    // Keep each node's requested resources current by the change alone: never recount a node.
    if (e.previous) this.account(e.previous, -1);
    if (e.type !== 'DELETED') this.account(e.object, 1);
    else if (!e.previous) this.account(e.object, -1);
    if (e.type === 'DELETED') {
      this.unschedulable.delete(keyOf(e.object));
      // Freed room may let a waiting pod in.
      return nodeOf(e.object) ? [...this.unschedulable] : [];
    }
    if (this.wants(e.object)) {
      // Its own status write (the Unschedulable condition) is no reason to try again.
      const p = e.previous;
      const o = e.object;
      if (p && this.unschedulable.has(keyOf(o)) && JSON.stringify([p.spec, p.metadata.labels]) === JSON.stringify([o.spec, o.metadata.labels])) return [];
      return [keyOf(e.object)];
    }
    if (nodeOf(e.object) && isTerminal(e.object) && !(e.previous && isTerminal(e.previous))) return [...this.unschedulable];
    return [];
  }

  /** Adds (sign 1) or removes (-1) a pod's requests on its node's info, when that info exists. */
  private account(pod: Stored<Pod>, sign: 1 | -1): void {
    const node = nodeOf(pod);
    if (!node) return;
    const info = this.infos.get(node);
    if (!info) return;
    const key = keyOf(pod);
    if (sign < 0) {
      const had = info.podMap.get(key);
      if (!had) return;
      info.podMap.delete(key);
      add(info.requested, podRequests(had), -1);
      this.countOwner(info, had, -1);
    } else {
      if (isTerminal(pod)) return;
      const had = info.podMap.get(key);
      if (had) {
        add(info.requested, podRequests(had), -1);
        this.countOwner(info, had, -1);
      }
      info.podMap.set(key, pod);
      add(info.requested, podRequests(pod));
      this.countOwner(info, pod, 1);
    }
  }

  private countOwner(info: SchedulerNodeInfo, pod: Stored<Pod>, sign: 1 | -1): void {
    const uid = controllerOf(pod)?.uid;
    if (!uid) return;
    let nodes = this.owned.get(uid);
    const n = (nodes?.get(info) ?? 0) + sign;
    if (n > 0) {
      if (!nodes) this.owned.set(uid, (nodes = new Map()));
      nodes.set(info, n);
    } else if (nodes) {
      nodes.delete(info);
      if (!nodes.size) this.owned.delete(uid);
    }
  }

  private onNode(e: StoreEvent): string[] {
    this.nodes = undefined;
    const info = this.infos.get(e.object.metadata.name!);
    if (info && e.type !== 'DELETED') {
      info.node = e.object;
      info.allocatable = nodeAllocatable(e.object);
      info.plain = plainNode(e.object);
    } else if (e.type === 'DELETED' && info) {
      this.infos.delete(e.object.metadata.name!);
      for (const [uid, nodes] of this.owned) if (nodes.delete(info) && !nodes.size) this.owned.delete(uid);
    }
    const o: Stored<Node> = e.object;
    const p: Stored<Node> | undefined = e.previous;
    const relevant = !p || e.type === 'DELETED' || JSON.stringify([o.spec, o.metadata.labels, o.status?.allocatable]) !== JSON.stringify([p.spec, p.metadata.labels, p.status?.allocatable]);
    return relevant ? [...this.unschedulable] : [];
  }

  private nodeList(ctx: ControllerContext): Stored<Node>[] {
    if (!this.nodes) {
      this.nodes = ctx.cluster.store.list('/nodes');
      this.nodeInfos = [];
    }
    return this.nodes;
  }

  private info(ctx: ControllerContext, node: Stored<Node>): SchedulerNodeInfo {
    const name = node.metadata.name!;
    let info = this.infos.get(name);
    if (!info) {
      info = new SchedulerNodeInfo(node);
      this.infos.set(name, info);
      for (const p of ctx.pods.onNode(name)) this.account(p, 1);
    }
    return info;
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const [ns, name] = splitKey(key);
    const pod = ctx.cluster.store.get('/pods', ns, name);
    if (!pod || !this.wants(pod)) {
      this.unschedulable.delete(key);
      return;
    }
    const problem = this.volumeProblem(pod, ctx);
    const nodes = this.nodeList(ctx);
    if (problem) return this.fail(pod, ctx, `0/${nodes.length} nodes are available: ${problem}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`);
    // What the filters read of the pod alone is read once here, not once per node.
    const spec = (pod as Stored<Pod>).spec;
    const affinity = spec?.affinity;
    const asks: Asks = { request: podRequests(pod), others: [], ports: wantedHostPorts(pod), plain: false };
    asks.others = Object.keys(asks.request.other);
    asks.plain = !spec?.nodeSelector && !affinity?.nodeAffinity && !affinity?.podAffinity && !affinity?.podAntiAffinity && !asks.ports.size;
    const request = asks.request;
    const feasible: SchedulerNodeInfo[] = [];
    const rejections: Rejection[][] = [];
    const named = preFilterNodeNames(pod);
    if (named) {
      // A pod pinned to named nodes (a DaemonSet's) is checked against those alone.
      const candidates = [...named].map((n) => ctx.cluster.store.get('/nodes', undefined, n)).filter((n): n is Stored<Node> => !!n);
      for (const node of candidates) {
        const info = this.info(ctx, node);
        const why = this.filter(pod, info, asks, ctx);
        if (why.length) rejections.push(why);
        else feasible.push(info);
      }
      for (let i = candidates.length; i < nodes.length; i++) rejections.push([NOT_NAMED_BY_AFFINITY]);
    } else {
      const want = feasibleNodesToFind(nodes.length);
      const start = nodes.length ? this.nextStart % nodes.length : 0;
      let checked = 0;
      for (; checked < nodes.length && feasible.length < want; checked++) {
        const i = (start + checked) % nodes.length;
        const info = (this.nodeInfos[i] ??= this.info(ctx, nodes[i]));
        const why = this.filter(pod, info, asks, ctx);
        if (why.length) rejections.push(why);
        else feasible.push(info);
      }
      this.nextStart = start + checked;
    }
    if (!feasible.length) return this.fail(pod, ctx, fitErrorMessage(nodes.length, rejections));
    const best = this.pick(pod, feasible, request);
    this.bindTo(pod, best, ctx);
  }

  private filter(pod: Stored<Pod>, info: SchedulerNodeInfo, asks: Asks, ctx: ControllerContext): Rejection[] {
    if (asks.plain && info.plain) return resourcesFit(pod, info, asks.request, asks.others);
    // The default profile's order; a node is rejected by the first filter that fails.
    const single = nodeUnschedulable(pod, info.node) ?? taintToleration(pod, info.node) ?? nodeAffinity(pod, info.node) ?? hostPorts(pod, info, asks.ports);
    if (single) return [single];
    const fit = resourcesFit(pod, info, asks.request, asks.others);
    if (fit.length) return fit;
    const affinity = pod.spec?.affinity;
    if (affinity?.podAffinity || affinity?.podAntiAffinity) {
      const domainPods = (key: string, value: string) => this.nodeList(ctx).filter((n) => n.metadata.labels?.[key] === value).flatMap((n) => this.info(ctx, n).pods);
      const anyPodMatches = () => this.nodeList(ctx).some((n) => this.info(ctx, n).pods.length > 0);
      const why = interPodAffinity(pod, info.node, domainPods, anyPodMatches);
      if (why) return [why];
    }
    return fit;
  }

  /** Least allocated, then fewer pods of the same workload (the default topology spreading). */
  private pick(pod: Stored<Pod>, feasible: SchedulerNodeInfo[], request: Resources): SchedulerNodeInfo {
    const owner = controllerOf(pod)?.uid;
    const siblingsOn = owner ? this.owned.get(owner) : undefined;
    const cpu = request.milliCPU || 100;
    const mem = request.memory || 200 * 1024 * 1024;
    let best = feasible[0];
    let bestScore = -Infinity;
    for (const info of feasible) {
      const a = info.allocatable;
      const free = (a.milliCPU ? (a.milliCPU - info.requested.milliCPU - cpu) / a.milliCPU : 0) + (a.memory ? (a.memory - info.requested.memory - mem) / a.memory : 0);
      const siblings = siblingsOn ? (siblingsOn.get(info) ?? 0) : 0;
      const score = free * 50 - siblings * 100;
      if (score > bestScore) {
        best = info;
        bestScore = score;
      }
    }
    return best;
  }

  private bindTo(pod: Stored<Pod>, info: SchedulerNodeInfo, ctx: ControllerContext): void {
    const node = info.node.metadata.name!;
    this.claimVolumes(pod, node, ctx);
    const bound = ctx.cluster.bind(pod.metadata.namespace!, pod.metadata.name!, node);
    this.unschedulable.delete(keyOf(pod));
    ctx.events.record({ component: SOURCE_NAME, action: 'Binding' }, { kind: 'Pod', apiVersion: 'v1', object: bound }, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`);
  }

  private fail(pod: Stored<Pod>, ctx: ControllerContext, message: string): void {
    const key = keyOf(pod);
    this.unschedulable.add(key);
    const now = rfc3339(ctx.now());
    const podDef = kind(ctx.cluster, '', 'pods');
    const conditions = setCondition(pod.status?.conditions, { type: 'PodScheduled', status: 'False', lastProbeTime: null, reason: 'Unschedulable', message }, now);
    writeStatus(ctx.cluster, podDef, pod, { ...pod.status, conditions });
    ctx.events.record({ component: SOURCE_NAME, action: 'Scheduling' }, { kind: 'Pod', apiVersion: 'v1', object: pod }, 'Warning', 'FailedScheduling', message);
    ctx.requeueAfter(key, UNSCHEDULABLE_RETRY_MS);
  }

  /** Claims a pod uses must exist; an Immediate one must be bound before the pod is placed. */
  private volumeProblem(pod: Stored<Pod>, ctx: ControllerContext): string | undefined {
    for (const v of pod.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc: Stored<PersistentVolumeClaim> | undefined = ctx.cluster.store.get('/persistentvolumeclaims', pod.metadata.namespace, claim);
      if (!pvc) return `persistentvolumeclaim "${claim}" not found`;
      if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${claim}" is being deleted`;
      if (pvc.status?.phase === 'Bound') continue;
      const scName = pvc.spec?.storageClassName;
      const sc: Stored<StorageClass> | undefined = scName ? ctx.cluster.store.get('storage.k8s.io/storageclasses', undefined, scName) : undefined;
      if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return 'pod has unbound immediate PersistentVolumeClaims';
    }
    return undefined;
  }

  /** WaitForFirstConsumer claims learn the chosen node, so the provisioner makes the volume there. */
  private claimVolumes(pod: Stored<Pod>, node: string, ctx: ControllerContext): void {
    const pvcDef = ctx.cluster.kinds.byGroupResource('', 'persistentvolumeclaims');
    if (!pvcDef) return;
    for (const v of pod.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      const pvc: Stored<PersistentVolumeClaim> | undefined = claim ? ctx.cluster.store.get('/persistentvolumeclaims', pod.metadata.namespace, claim) : undefined;
      if (!claim || !pvc || pvc.status?.phase === 'Bound' || pvc.metadata.annotations?.['volume.kubernetes.io/selected-node']) continue;
      ctx.cluster.patch(pvcDef, pod.metadata.namespace, claim, 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': node } } }, { fieldManager: 'kube-scheduler' });
    }
  }
}
