// Nodes that join after bootstrap: the node's kubelet registers it (NotReady, then Ready once
// its network is up), node IPAM gives it a pod CIDR, and the node lifecycle controller keeps the
// not-ready taint in step with the Ready condition. When a node goes away, the pod garbage
// collector removes the pods that were bound to it.
import type { Node, NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../kinds/types.js';
import { registeredNodeStatus } from '../kubelet/node-status.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext } from './manager.js';
import { deleteIfPresent, kind, mutate, writeStatus } from './util.js';

/** How long a joining kind node takes before its CNI is up and it reports Ready. */
export const NODE_READY_MS = 5_000;
const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const CLUSTER_CIDR_BLOCKS = 256;
const KUBELET_LABELS = { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' };

function readyCondition(node: Stored<Node>): NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

const internalIP = (n: Stored<Node>): string | undefined => (n.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
const isNotReadyTaint = (t: Taint) => t.key === NOT_READY_TAINT && t.effect === 'NoSchedule';

/** The first free /24 of kind's 10.244.0.0/16, or undefined when all are taken (CIDRNotAvailable). */
export function nextPodCIDR(used: Set<string>): string | undefined {
  for (let i = 0; i < CLUSTER_CIDR_BLOCKS; i++) {
    const cidr = `10.244.${i}.0/24`;
    if (!used.has(cidr)) return cidr;
  }
  return undefined;
}

/** The first free address on kind's docker network from `start` on, and where to look next time. */
export function nextNodeIP(used: Set<string>, start = 2): [string, number] {
  for (let i = Math.max(2, start); i < 65_280; i++) {
    const ip = `172.18.${Math.floor(i / 256)}.${i % 256}`;
    if (i % 256 !== 0 && i % 256 !== 255 && !used.has(ip)) return [ip, i + 1];
  }
  return ['172.18.255.254', 65_280];
}

/**
 * One per cluster: it remembers which pod CIDRs and node addresses are taken, so that a
 * thousand nodes joining do not each scan all the others.
 */
export class NodeLifecycle implements Controller {
  readonly name = 'node-lifecycle';
  readonly watches = [{ resource: '/nodes', keys: (e: StoreEvent) => this.observe(e) }];
  private cidrs?: Set<string>;
  private ips?: Set<string>;
  private ipCursor = 2;

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.cluster.store.list('/nodes').map((n) => n.metadata.name!);
  }

  private observe(e: StoreEvent): string[] {
    const n: Stored<Node> = e.object;
    if (e.type === 'DELETED') {
      if (n.spec?.podCIDR) this.cidrs?.delete(n.spec.podCIDR);
      const ip = internalIP(n);
      if (ip) this.ips?.delete(ip);
      this.ipCursor = 2;
    } else {
      if (n.spec?.podCIDR) this.cidrs?.add(n.spec.podCIDR);
      const ip = internalIP(n);
      if (ip) this.ips?.add(ip);
    }
    return [n.metadata.name!];
  }

  private taken(ctx: ControllerContext): { cidrs: Set<string>; ips: Set<string> } {
    if (!this.cidrs || !this.ips) {
      this.cidrs = new Set();
      this.ips = new Set();
      const nodes: Stored<Node>[] = ctx.cluster.store.list('/nodes');
      for (const n of nodes) {
        if (n.spec?.podCIDR) this.cidrs.add(n.spec.podCIDR);
        const ip = internalIP(n);
        if (ip) this.ips.add(ip);
      }
    }
    return { cidrs: this.cidrs, ips: this.ips };
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const nodeDef = kind(ctx.cluster, '', 'nodes');
    let node: Stored<Node> | undefined = ctx.cluster.store.get('/nodes', undefined, name);
    if (!node) return collectPods(name, ctx);
    const now = ctx.now();
    if (!node.spec?.podCIDR) {
      const cidr = nextPodCIDR(this.taken(ctx).cidrs);
      if (cidr) {
        this.taken(ctx).cidrs.add(cidr);
        node = mutate(ctx.cluster, nodeDef, node, (n) => {
          n.spec = { ...n.spec, podCIDR: cidr, podCIDRs: [cidr] };
        });
      } else {
        ctx.events.record({ component: 'cidrAllocator' }, { kind: 'Node', apiVersion: 'v1', object: node }, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      }
    }
    const ready = readyCondition(node);
    if (!ready) {
      // Registration: a machine joined and its kubelet posts the first status.
      const { ips } = this.taken(ctx);
      const [ip, next] = nextNodeIP(ips, this.ipCursor);
      this.ipCursor = next;
      ips.add(ip);
      node = mutate(ctx.cluster, nodeDef, node, (n) => {
        // The labels a kubelet registers its node with, and the taint it starts under.
        n.metadata.labels = { ...KUBELET_LABELS, 'kubernetes.io/hostname': name, ...(n.metadata.labels ?? {}) };
        n.spec = { ...n.spec, taints: [...(n.spec?.taints ?? []).filter((t) => t.key !== NOT_READY_TAINT), { key: NOT_READY_TAINT, effect: 'NoSchedule' }] };
      });
      writeStatus(ctx.cluster, nodeDef, node, { ...node.status, ...registeredNodeStatus(name, ip, now, false) });
      const on = { kind: 'Node', apiVersion: 'v1', object: node };
      const kubelet = { component: 'kubelet', host: name };
      ctx.events.record(kubelet, on, 'Normal', 'Starting', 'Starting kubelet.');
      for (const s of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) ctx.events.record(kubelet, on, 'Normal', s, `Node ${name} status is now: ${s}`);
      ctx.events.record({ component: 'node-controller' }, on, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
      ctx.requeueAfter(name, NODE_READY_MS);
      return;
    }
    if (ready.status !== 'True') {
      const since = Date.parse(ready.lastTransitionTime ?? '') || 0;
      const due = since + NODE_READY_MS - now.getTime();
      if (ready.reason === 'KubeletNotReady' && due > 0) return ctx.requeueAfter(name, due);
      if (ready.reason === 'KubeletNotReady') {
        const ip = internalIP(node) ?? '';
        const registered: NodeStatus = registeredNodeStatus(name, ip, now, true);
        const held = node.status?.conditions ?? [];
        const conditions = (registered.conditions ?? []).map((c) => (c.type === 'Ready' ? c : held.find((o) => o.type === c.type) ?? c));
        node = writeStatus(ctx.cluster, nodeDef, node, { ...node.status, conditions });
        ctx.events.record({ component: 'kubelet', host: name }, { kind: 'Node', apiVersion: 'v1', object: node }, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
      }
    }
    // The lifecycle controller's taint follows the Ready condition.
    const isReady = readyCondition(node)?.status === 'True';
    const tainted = (node.spec?.taints ?? []).some(isNotReadyTaint);
    if (isReady && tainted) {
      mutate(ctx.cluster, nodeDef, node, (n) => {
        // A copy of the node just read, which has the taint: spec and taints are there.
        const spec = n.spec!;
        spec.taints = spec.taints!.filter((t) => !isNotReadyTaint(t));
        if (!spec.taints.length) delete spec.taints;
      });
    } else if (!isReady && !tainted) {
      mutate(ctx.cluster, nodeDef, node, (n) => {
        n.spec = { ...n.spec, taints: [...(n.spec?.taints ?? []), { key: NOT_READY_TAINT, effect: 'NoSchedule' }] };
      });
    }
  }
}

/** PodGC: pods bound to a node that no longer exists are deleted at once. */
function collectPods(node: string, ctx: ControllerContext): void {
  const podDef = kind(ctx.cluster, '', 'pods');
  for (const pod of ctx.pods.onNode(node)) {
    deleteIfPresent(ctx.cluster, podDef, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
  }
}
