// What the patch engines need to know about a kind's schema, on plain JSON: which OpenAPI
// definition each nested field has, and how its lists merge. The apiserver reads this from the Go
// struct tags (patchStrategy/patchMergeKey for strategic merge patch; listType/listMapKey and
// structType for server-side apply). Here the per-definition list strategies live in
// merge-keys.json (shared with the OpenAPI generator), and the hand-written tree below says which
// definition a field leads to, for the paths that reach a keyed list, a retainKeys map or an
// atomic struct. Fields off the tree have no strategy: maps merge, lists are replaced (SMP) or
// atomic (SSA), which is what Kubernetes does for them too.
import mergeKeysData from './merge-keys.json' with { type: 'json' };

export interface MergeKeyEntry {
  strategy: 'merge' | 'merge,retainKeys' | 'retainKeys';
  key?: string;
}

/** `{ "<definition>": { "<field>": { strategy, key } } }`, exactly as merge-keys.json holds it. */
export type MergeKeys = Record<string, Record<string, MergeKeyEntry>>;

export const MERGE_KEYS: MergeKeys = mergeKeysData as MergeKeys;

import { GROUP_PACKAGES } from '../api-groups.js';
import { hasOwn, own } from '../own.js';

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LABEL_SELECTOR = 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector';
const META_CONDITION = 'io.k8s.apimachinery.pkg.apis.meta.v1.Condition';


export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** True for kinds the apiserver serves from Go types (strategic merge patch works on them). */
export function isBuiltIn(apiVersion: string): boolean {
  return hasOwn(GROUP_PACKAGES, splitApiVersion(apiVersion).group);
}

/** The definition name of a built-in kind (io.k8s.api.apps.v1.Deployment); undefined otherwise. */
export function rootDefinition(apiVersion: string, kind: string): string | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const pkg = own<string>(GROUP_PACKAGES, group);
  return pkg ? `${pkg}.${version}.${kind}` : undefined;
}

const core = (n: string) => `io.k8s.api.core.v1.${n}`;
const apps = (n: string) => `io.k8s.api.apps.v1.${n}`;
const batch = (n: string) => `io.k8s.api.batch.v1.${n}`;

const POD_SPEC = core('PodSpec');
const POD_TEMPLATE_SPEC = core('PodTemplateSpec');
const CONTAINER = core('Container');

const CONTAINER_FIELDS = {
  ports: core('ContainerPort'),
  env: core('EnvVar'),
  volumeMounts: core('VolumeMount'),
  volumeDevices: core('VolumeDevice'),
  resources: core('ResourceRequirements'),
};

/** field → definition of its value (for a list: of its elements). `metadata` is always ObjectMeta. */
const CHILDREN: Record<string, Record<string, string>> = {
  // core/v1
  [core('Pod')]: { spec: POD_SPEC, status: core('PodStatus') },
  [core('PodTemplate')]: { template: POD_TEMPLATE_SPEC },
  [POD_TEMPLATE_SPEC]: { spec: POD_SPEC },
  [POD_SPEC]: {
    containers: CONTAINER,
    initContainers: CONTAINER,
    ephemeralContainers: core('EphemeralContainer'),
    volumes: core('Volume'),
    imagePullSecrets: core('LocalObjectReference'),
    hostAliases: core('HostAlias'),
    topologySpreadConstraints: core('TopologySpreadConstraint'),
    schedulingGates: core('PodSchedulingGate'),
    resourceClaims: core('PodResourceClaim'),
    tolerations: core('Toleration'),
  },
  [CONTAINER]: CONTAINER_FIELDS,
  [core('EphemeralContainer')]: CONTAINER_FIELDS,
  [core('TopologySpreadConstraint')]: { labelSelector: LABEL_SELECTOR },
  [core('PodStatus')]: { conditions: core('PodCondition'), podIPs: core('PodIP'), hostIPs: core('HostIP') },
  [core('ReplicationController')]: { spec: core('ReplicationControllerSpec'), status: core('ReplicationControllerStatus') },
  [core('ReplicationControllerSpec')]: { template: POD_TEMPLATE_SPEC },
  [core('ReplicationControllerStatus')]: { conditions: core('ReplicationControllerCondition') },
  [core('Service')]: { spec: core('ServiceSpec'), status: core('ServiceStatus') },
  [core('ServiceSpec')]: { ports: core('ServicePort') },
  [core('ServiceStatus')]: { conditions: META_CONDITION },
  [core('Node')]: { spec: core('NodeSpec'), status: core('NodeStatus') },
  [core('NodeStatus')]: { conditions: core('NodeCondition'), addresses: core('NodeAddress') },
  [core('Namespace')]: { status: core('NamespaceStatus') },
  [core('NamespaceStatus')]: { conditions: core('NamespaceCondition') },
  [core('PersistentVolumeClaim')]: { spec: core('PersistentVolumeClaimSpec'), status: core('PersistentVolumeClaimStatus') },
  [core('PersistentVolumeClaimSpec')]: { selector: LABEL_SELECTOR },
  [core('PersistentVolumeClaimStatus')]: { conditions: core('PersistentVolumeClaimCondition') },
  [core('PersistentVolume')]: { spec: core('PersistentVolumeSpec'), status: core('PersistentVolumeStatus') },
  [core('ServiceAccount')]: { secrets: core('ObjectReference') },
  // apps/v1
  [apps('Deployment')]: { spec: apps('DeploymentSpec'), status: apps('DeploymentStatus') },
  [apps('DeploymentSpec')]: { template: POD_TEMPLATE_SPEC, strategy: apps('DeploymentStrategy'), selector: LABEL_SELECTOR },
  [apps('DeploymentStatus')]: { conditions: apps('DeploymentCondition') },
  [apps('ReplicaSet')]: { spec: apps('ReplicaSetSpec'), status: apps('ReplicaSetStatus') },
  [apps('ReplicaSetSpec')]: { template: POD_TEMPLATE_SPEC, selector: LABEL_SELECTOR },
  [apps('ReplicaSetStatus')]: { conditions: apps('ReplicaSetCondition') },
  [apps('DaemonSet')]: { spec: apps('DaemonSetSpec'), status: apps('DaemonSetStatus') },
  [apps('DaemonSetSpec')]: { template: POD_TEMPLATE_SPEC, selector: LABEL_SELECTOR },
  [apps('DaemonSetStatus')]: { conditions: apps('DaemonSetCondition') },
  [apps('StatefulSet')]: { spec: apps('StatefulSetSpec'), status: apps('StatefulSetStatus') },
  [apps('StatefulSetSpec')]: { template: POD_TEMPLATE_SPEC, selector: LABEL_SELECTOR, volumeClaimTemplates: core('PersistentVolumeClaim') },
  [apps('StatefulSetStatus')]: { conditions: apps('StatefulSetCondition') },
  // batch/v1
  [batch('Job')]: { spec: batch('JobSpec'), status: batch('JobStatus') },
  [batch('JobSpec')]: { template: POD_TEMPLATE_SPEC, selector: LABEL_SELECTOR },
  [batch('JobStatus')]: { conditions: batch('JobCondition') },
  [batch('CronJob')]: { spec: batch('CronJobSpec'), status: batch('CronJobStatus') },
  [batch('CronJobSpec')]: { jobTemplate: batch('JobTemplateSpec') },
  [batch('JobTemplateSpec')]: { spec: batch('JobSpec') },
  // others with keyed lists or selectors
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler': { status: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus' },
  'io.k8s.api.policy.v1.PodDisruptionBudget': {
    spec: 'io.k8s.api.policy.v1.PodDisruptionBudgetSpec',
    status: 'io.k8s.api.policy.v1.PodDisruptionBudgetStatus',
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { selector: LABEL_SELECTOR },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: META_CONDITION },
  'io.k8s.api.networking.v1.NetworkPolicy': { spec: 'io.k8s.api.networking.v1.NetworkPolicySpec' },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { podSelector: LABEL_SELECTOR },
  'io.k8s.api.storage.v1.CSINode': { spec: 'io.k8s.api.storage.v1.CSINodeSpec' },
  'io.k8s.api.flowcontrol.v1.FlowSchema': { status: 'io.k8s.api.flowcontrol.v1.FlowSchemaStatus' },
  'io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration': { status: 'io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationStatus' },
};

/**
 * The definition a field of `def` holds (of its elements, for a list); undefined when unknown.
 * Field names come from learners' objects, so every table here is read by own keys only.
 */
export function childDefinition(def: string | undefined, field: string): string | undefined {
  if (!def) return undefined;
  const child = own<string>(own(CHILDREN, def), field);
  if (child) return child;
  // Every built-in object and object template embeds ObjectMeta under `metadata`.
  if (field === 'metadata' && def !== OBJECT_META) return OBJECT_META;
  return undefined;
}

export interface FieldPatchMeta {
  /** The non-retainKeys part of the strategy: 'merge' merges a list, 'replace' replaces a map. */
  strategy: '' | 'merge' | 'replace';
  retainKeys: boolean;
  key?: string;
}

/**
 * Strategies Go types declare but merge-keys.json's shape cannot hold: the PodDisruptionBudget
 * selector is `patchStrategy:"replace"`, so a patch replaces it rather than merging into it.
 */
const EXTRA_STRATEGIES: Record<string, Record<string, FieldPatchMeta>> = {
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { selector: { strategy: 'replace', retainKeys: false } },
};

/** How strategic merge patch treats `field` of `def`. */
export function fieldPatchMeta(def: string | undefined, field: string): FieldPatchMeta {
  if (!def) return { strategy: '', retainKeys: false };
  const extra = own<FieldPatchMeta>(own(EXTRA_STRATEGIES, def), field);
  if (extra) return extra;
  const entry = own<MergeKeyEntry>(own(MERGE_KEYS, def), field);
  if (!entry) return { strategy: '', retainKeys: false };
  const parts = entry.strategy.split(',');
  const retainKeys = parts.includes('retainKeys');
  const other = parts.find((p) => p !== 'retainKeys');
  return {
    strategy: other === 'merge' ? 'merge' : other === 'replace' ? 'replace' : '',
    retainKeys,
    ...(entry.key ? { key: entry.key } : {}),
  };
}

// ---- server-side apply (structured-merge-diff) ----

export type ListType =
  | { type: 'atomic' }
  | { type: 'set' }
  | { type: 'map'; keys: string[]; defaults: Record<string, unknown> };

/**
 * Associative lists whose `+listMapKey`s differ from the patch merge key, or that have no patch
 * strategy at all. Keys missing from an item take the schema default (protocol: TCP), which is
 * why a port applied without protocol is owned as `k:{"containerPort":80,"protocol":"TCP"}`.
 */
const SSA_LIST_KEYS: Record<string, Record<string, { keys: string[]; defaults?: Record<string, unknown> }>> = {
  [CONTAINER]: { ports: { keys: ['containerPort', 'protocol'], defaults: { protocol: 'TCP' } } },
  [core('EphemeralContainer')]: { ports: { keys: ['containerPort', 'protocol'], defaults: { protocol: 'TCP' } } },
  [core('ServiceSpec')]: { ports: { keys: ['port', 'protocol'], defaults: { protocol: 'TCP' } } },
  [POD_SPEC]: { topologySpreadConstraints: { keys: ['topologyKey', 'whenUnsatisfiable'] } },
  [core('ResourceRequirements')]: { claims: { keys: ['name'] } },
};

/** How server-side apply treats the list `field` of `def`: granular by key, a set, or atomic. */
export function listType(def: string | undefined, field: string): ListType {
  if (!def) return { type: 'atomic' };
  const ssa = own<{ keys: string[]; defaults?: Record<string, unknown> }>(own(SSA_LIST_KEYS, def), field);
  if (ssa) return { type: 'map', keys: [...ssa.keys].sort(), defaults: ssa.defaults ?? {} };
  const meta = fieldPatchMeta(def, field);
  if (meta.strategy !== 'merge') return { type: 'atomic' };
  return meta.key ? { type: 'map', keys: [meta.key], defaults: {} } : { type: 'set' };
}

/** Maps that server-side apply owns as one value (`+mapType=atomic`). */
const ATOMIC_MAP_FIELDS: Record<string, string[]> = {
  [core('ServiceSpec')]: ['selector'],
};

/** Structs declared `+structType=atomic`: owned and replaced as one value. */
const ATOMIC_STRUCTS = new Set([LABEL_SELECTOR]);

/** True when the object under `field` of `def` is owned as a whole by server-side apply. */
export function isAtomicMap(def: string | undefined, field: string): boolean {
  if (!def) return false;
  if (own<string[]>(ATOMIC_MAP_FIELDS, def)?.includes(field)) return true;
  const child = childDefinition(def, field);
  return child !== undefined && ATOMIC_STRUCTS.has(child);
}

/** Built-in kinds with a status subresource: their main resource ignores status writes. */
const STATUS_KINDS = new Set([
  'v1/Pod', 'v1/Node', 'v1/Namespace', 'v1/Service', 'v1/PersistentVolume', 'v1/PersistentVolumeClaim',
  'v1/ReplicationController', 'v1/ResourceQuota',
  'apps/Deployment', 'apps/ReplicaSet', 'apps/DaemonSet', 'apps/StatefulSet',
  'batch/Job', 'batch/CronJob',
  'autoscaling/HorizontalPodAutoscaler', 'policy/PodDisruptionBudget',
  'networking.k8s.io/Ingress', 'certificates.k8s.io/CertificateSigningRequest',
  'apiextensions.k8s.io/CustomResourceDefinition', 'storage.k8s.io/VolumeAttachment',
  'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'apiregistration.k8s.io/APIService', 'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
]);

/**
 * True when the kind resets `status` on writes to its main resource (and `spec` on writes to its
 * status subresource), so managedFields never attribute those fields to such writes.
 */
export function resetsStatus(apiVersion: string, kind: string): boolean {
  const { group } = splitApiVersion(apiVersion);
  return STATUS_KINDS.has(`${group || 'v1'}/${kind}`);
}
