// What a pod asks of a node: the sum of its containers' requests (or the largest init container's,
// when that is larger), as the scheduler's NodeResourcesFit computes it.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../kinds/types.js';
import { quantityFromJSON, quantityMilliValue, quantityValue } from '../validation/quantity.js';
import { dict } from '../own.js';

export interface Resources {
  milliCPU: number;
  memory: number;
  pods: number;
  /** Other named resources (ephemeral-storage, nvidia.com/gpu…), in their units. */
  other: Record<string, number>;
}

// `other` is keyed by the resource names pods and nodes declare, so it has no prototype.
export const zero = (): Resources => ({ milliCPU: 0, memory: 0, pods: 0, other: dict<number>() });

/** A quantity as JSON carries it: kubernetes-types says string, but a number is accepted too. */
function amount(name: string, q: unknown): number {
  try {
    const parsed = quantityFromJSON(q);
    return name === 'cpu' ? quantityMilliValue(parsed) : quantityValue(parsed);
  } catch {
    return 0;
  }
}

/** Adds a ResourceList (requests, overhead, allocatable). */
function addList(into: Resources, list: Record<string, unknown> | undefined, sign = 1): void {
  for (const [name, q] of Object.entries(list ?? {})) {
    const v = amount(name, q) * sign;
    if (name === 'cpu') into.milliCPU += v;
    else if (name === 'memory') into.memory += v;
    else if (name === 'pods') into.pods += v;
    else into.other[name] = (into.other[name] ?? 0) + v;
  }
}

function max(a: Resources, b: Resources): Resources {
  const other: Record<string, number> = Object.assign(dict<number>(), a.other);
  for (const [k, v] of Object.entries(b.other)) other[k] = Math.max(other[k] ?? 0, v);
  return { milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory), pods: Math.max(a.pods, b.pods), other };
}

/** resourcehelper.PodRequests: containers summed, init containers maxed, overhead added. */
export function podRequests(pod: Stored<Pod>): Resources {
  const spec = pod.spec;
  const sum = zero();
  for (const c of spec?.containers ?? []) addList(sum, c.resources?.requests);
  let init = zero();
  for (const c of spec?.initContainers ?? []) {
    const one = zero();
    addList(one, c.resources?.requests);
    init = max(init, one);
  }
  const total = max(sum, init);
  addList(total, spec?.overhead);
  total.pods = 1;
  return total;
}

export function nodeAllocatable(node: Stored<Node>): Resources {
  const r = zero();
  addList(r, node.status?.allocatable);
  return r;
}

export function add(a: Resources, b: Resources, sign = 1): void {
  a.milliCPU += b.milliCPU * sign;
  a.memory += b.memory * sign;
  a.pods += b.pods * sign;
  for (const [k, v] of Object.entries(b.other)) a.other[k] = (a.other[k] ?? 0) + v * sign;
}
