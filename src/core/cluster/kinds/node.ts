// Node: cluster-scoped; STATUS from the Ready condition (plus SchedulingDisabled when
// cordoned), ROLES from node-role.kubernetes.io/* labels.
import type { KindDef, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { rfc3339 } from '../clock.js';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function nodeStatusCell(node: Unstructured): string {
  const ready = (node.status?.conditions ?? []).find((c: Unstructured) => c.type === 'Ready');
  let s = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown';
  if (node.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

export function nodeRoles(node: Unstructured): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  if (node.metadata?.labels?.['kubernetes.io/role']) roles.push(node.metadata.labels['kubernetes.io/role']);
  return roles.length ? [...new Set(roles)].sort().join(',') : '<none>';
}

/**
 * The apiserver records when each NoExecute taint was added (tolerationSeconds count from then);
 * a taint that was already there keeps its time.
 */
function stampNoExecuteTaints(node: Unstructured, old: Unstructured | undefined, now: Date): void {
  for (const t of (node.spec?.taints ?? []) as Unstructured[]) {
    if (t.effect !== 'NoExecute' || t.timeAdded) continue;
    const before = ((old?.spec?.taints ?? []) as Unstructured[]).find((o) => o.key === t.key && o.value === t.value && o.effect === t.effect);
    t.timeAdded = before?.timeAdded ?? rfc3339(now);
  }
}

export const node: KindDef = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['proxy', 'status'],
  tracksGeneration: false,
  prepareForCreate(obj, ctx) {
    stampNoExecuteTaints(obj as Unstructured, undefined, ctx.now());
  },
  prepareForUpdate(obj, old, ctx) {
    stampNoExecuteTaints(obj as Unstructured, old as Unstructured, ctx.now());
  },
  columns: [
    { name: 'Status', type: 'string', description: 'The status of the node' },
    { name: 'Roles', type: 'string', description: 'The roles of the node' },
    AGE_COLUMN,
    { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.' },
    { name: 'Internal-IP', type: 'string', priority: 1, description: 'List of addresses reachable to the node.' },
    { name: 'External-IP', type: 'string', priority: 1, description: 'List of addresses reachable to the node.' },
    { name: 'OS-Image', type: 'string', priority: 1, description: 'OS Image reported by the node from /etc/os-release.' },
    { name: 'Kernel-Version', type: 'string', priority: 1, description: "Kernel Version reported by the node from 'uname -r'." },
    { name: 'Container-Runtime', type: 'string', priority: 1, description: 'Container runtime version reported by the node.' },
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    const addr = (t: string) => (o.status?.addresses ?? []).find((a: Unstructured) => a.type === t)?.address ?? '<none>';
    const info = o.status?.nodeInfo ?? {};
    return [nodeStatusCell(o), nodeRoles(o), creationAge(obj, ctx.now()), info.kubeletVersion ?? '', addr('InternalIP'), addr('ExternalIP'), info.osImage ?? '<unknown>', info.kernelVersion ?? '<unknown>', info.containerRuntimeVersion ?? '<unknown>'];
  },
  fieldSelectors: { 'spec.unschedulable': (o) => String(!!(o.spec as Unstructured)?.unschedulable) },
  validate(obj) {
    const errs: FieldError[] = [];
    ((obj.spec as Unstructured)?.taints ?? []).forEach((t: Unstructured, i: number) => {
      if (!t.key) errs.push(fieldError.required(`spec.taints[${i}].key`, ''));
      if (!t.effect) errs.push(fieldError.required(`spec.taints[${i}].effect`, ''));
      else if (!EFFECTS.includes(t.effect)) errs.push(fieldError.notSupported(`spec.taints[${i}].effect`, t.effect, EFFECTS));
    });
    return errs;
  },
};
