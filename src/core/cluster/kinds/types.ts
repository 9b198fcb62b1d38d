// What one kind is, in one place: how the API names it, how a new object is defaulted and
// validated, which fields are immutable, and how `kubectl get` prints it.
import type { FieldError } from '../errors.js';

/** A Kubernetes object as stored: plain JSON, never mutated once stored. */
/**
 * An object as a client sent it, before validation has said what it holds: the apiserver's
 * unstructured view. Kinds, admission and RBAC read learners' objects through it; code past
 * validation works on the kubernetes-types shapes.
 */
export type Unstructured = Record<string, any>;

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/**
 * A stored object read through its kind's API type from kubernetes-types (`Stored<Pod>`): still a
 * KObject, so it goes back to the store as it is, with `spec` and `status` typed as the API
 * declares them. A KObject from the store is assignable to it without a cast: writes are checked
 * against the OpenAPI schema generated from the same types (schema-check.ts).
 */
export type Stored<T> = KObject & Partial<Omit<T, 'apiVersion' | 'kind' | 'metadata'>>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  /** Null where Go writes a zero time (a ComponentStatus has none). */
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** A column of the server-side Table, as `kubectl get` receives it. */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0: always shown; 1: shown with `-o wide`. */
  priority?: number;
}

/** What a kind's hooks may read besides the object: the clock and other objects. */
export interface KindContext {
  /** Current time of the cluster's clock. */
  now(): Date;
  /** Read another object (e.g. a Service allocating from existing ones); never mutate it. */
  get(resource: string, group: string, namespace: string | undefined, name: string): KObject | undefined;
  list(resource: string, group: string, namespace?: string): KObject[];
}

export interface KindDef {
  group: string;
  version: string;
  kind: string;
  /** The resource name used in URLs: `pods`, `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Defaults to all eight verbs. */
  verbs?: string[];
  /** Subresources served, e.g. ['status', 'scale']. */
  subresources?: string[];
  /** For the scale subresource. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** Kind's table columns (after Name) with cells computed by row(). Name is always first. */
  columns?: Column[];
  /** The NAME cell when it is more than metadata.name (a default StorageClass reads "standard (default)"). */
  nameCell?(obj: KObject): string;
  /** Cells for the columns above (without the name cell). Age cells are strings such as "5m". */
  row?(obj: KObject, ctx: KindContext): unknown[];
  /** Field selectors this kind supports beyond metadata.name and metadata.namespace. */
  fieldSelectors?: Record<string, (obj: KObject) => string | undefined>;
  /**
   * Fill in defaults on a copy the caller owns (mutate it in place), as the apiserver's defaulting
   * does on create and update (and on the object a patch yields).
   */
  defaults?(obj: KObject, ctx: KindContext): void;
  /** Validate a (defaulted) object for create. Return field errors; empty means valid. */
  validate?(obj: KObject, ctx: KindContext): FieldError[];
  /** Validate an update: immutable fields and the like; `validate` runs too. */
  validateUpdate?(obj: KObject, old: KObject, ctx: KindContext): FieldError[];
  /**
   * Prepare a new object before it is stored (e.g. clear status on create, as most kinds do,
   * or allocate a Service's clusterIP). Mutate in place.
   */
  prepareForCreate?(obj: KObject, ctx: KindContext): void;
  /** Prepare an update: e.g. keep status from the old object on a main-resource update. */
  prepareForUpdate?(obj: KObject, old: KObject, ctx: KindContext): void;
  /** True when the kind has a spec whose changes bump metadata.generation (default: has `spec`). */
  tracksGeneration?: boolean;
  /** Whether the kind has a status subresource whose changes are ignored on main updates. */
  hasStatus?: boolean;
  /**
   * A kind that is another group's view of the same stored objects (events.k8s.io Event over
   * core Event): where they are stored and how to convert to and from the stored form.
   */
  storedAs?: { group: string; plural: string; toStored(obj: KObject): KObject; fromStored(obj: KObject): KObject };
  /** A Warning header sent with every answer for this kind (deprecated APIs). */
  deprecationWarning?: string;
  /**
   * Graceful deletion: how many seconds the object lingers with a deletionTimestamp before it is
   * gone (a pod on a node, while its kubelet stops it). 0 deletes at once.
   */
  gracePeriod?(obj: KObject, requested: number | undefined): number;
  /** Custom resources carry their CRD's schema for validation and pruning. */
  crd?: unknown;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(def: Pick<KindDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
