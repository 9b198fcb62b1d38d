// One simulated cluster: its store plus the generic registry logic a real apiserver runs for every
// kind (names, uids, resourceVersions, generation, defaulting, validation, finalizers, deletion and
// garbage collection). Kind-specific behaviour comes from each KindDef; HTTP lives in apiserver/.
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import type { ControlPlane } from './control-plane.js';
import { RealClock, rfc3339 } from './clock.js';
import {
  ApiError,
  STALE_OBJECT,
  alreadyExists,
  badRequest,
  ETCD_MAX_REQUEST_BYTES,
  etcdRequestTooLarge,
  conflict,
  fieldError,
  forbidden,
  NAMESPACE_TERMINATING,
  invalid,
  notFound,
  type FieldError,
} from './errors.js';
import { KindRegistry, resourceKey } from './kinds/registry.js';
import type { KindContext, KindDef, KObject, OwnerReference } from './kinds/types.js';
import { apiVersionOf } from './kinds/types.js';
import { Store, type StoreEvent } from './store.js';
import { decodeContinue, encodeContinue, expiredContinue, ListSnapshots, readPage } from './list-pages.js';
import { parseFieldSelector, parseLabelSelector, wordingForFields } from './selectors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/names.js';
import { applyJsonPatch } from './patch/json-patch.js';
import { applyMergePatch, deepEqual } from './patch/merge-patch.js';
import { applyStrategicMergePatch, goValue } from './patch/strategic-merge-patch.js';
import { applyConfiguration, recordUpdate, typedPatchError } from './patch/server-side-apply.js';
import { MAX_NESTING, stringifyJson } from './json-text.js';
import { jsonDepth, copyJson, own, setOwn } from './own.js';
import { checkFields } from './schema-check.js';
import { definitionName } from './schema/definitions.js';
// Learners' regular expressions (CRD patterns, greps in containers) must not stall the process.
import './learner-regexp.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** Internal writers (bootstrap, controllers) may set status on create. */
  keepStatus?: boolean;
  /** Server-side apply already recorded field ownership. */
  managedFieldsDone?: boolean;
  /**
   * The body is the control plane's own, built from stored objects (which passed the schema when
   * they were written) and fields it sets itself: its fields are not checked again against the
   * schema. Controllers and kubelets write each of 150,000 pods several times. The body is
   * handed over, not copied: it is the caller's own (a status write's may share all but its
   * status with the stored object, since a status write reads nothing else from it).
   */
  fromControlPlane?: boolean;
  /**
   * Refuse, as etcd would, a write whose stored form exceeds etcd's request limit. Set for the
   * API's clients; the control plane's own writes derive from objects that already passed.
   */
  storageLimit?: boolean;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  force?: boolean;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WriteResult {
  object: KObject;
  warnings: string[];
  /** True when a create happened (for 201 vs 200). */
  created?: boolean;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATE_ATTEMPTS = 8;

/** Kinds whose names follow a rule other than an RFC 1123 subdomain. */
const NAME_RULES: Record<string, 'subdomain' | 'label' | 'dns1035' | 'path-segment'> = {
  '/namespaces': 'label',
  '/services': 'dns1035',
  '/nodes': 'subdomain',
  'apps/statefulsets': 'label',
  'rbac.authorization.k8s.io/roles': 'path-segment',
  'rbac.authorization.k8s.io/clusterroles': 'path-segment',
  'rbac.authorization.k8s.io/rolebindings': 'path-segment',
  'rbac.authorization.k8s.io/clusterrolebindings': 'path-segment',
};

export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE';
  def: KindDef;
  /** The object about to be stored; mutating admission may change it in place. */
  object: KObject;
  old?: KObject;
  subresource?: string;
  dryRun: boolean;
}

export interface ClusterOptions {
  clock?: Clock;
  kinds: KindRegistry;
}

export class Cluster {
  readonly store = new Store();
  /** The instants paged lists were read at, for their later pages. */
  private readonly listSnapshots = new ListSnapshots();
  readonly clock: Clock;
  /** Built-in kinds plus this cluster's custom resources. */
  readonly kinds: KindRegistry;
  /** ownerReference uid → dependents, so garbage collection never scans the whole store. */
  private readonly dependents = new Map<string, Set<string>>();
  readonly ctx: KindContext;
  /**
   * Read-only resources computed when read instead of stored (the metrics API: what the kubelets
   * measure now), by store key, listing a namespace or all.
   */
  readonly computed = new Map<string, (namespace?: string) => KObject[]>();
  /** Controllers, scheduler and kubelets, when the cluster runs them (see controllers/). */
  controlPlane?: ControlPlane;

  constructor(opts: ClusterOptions) {
    this.clock = opts.clock ?? new RealClock();
    this.kinds = new KindRegistry([], opts.kinds);
    this.store.subscribe(undefined, (e) => this.indexOwners(e));
    this.ctx = {
      now: () => this.clock.now(),
      get: (resource, group, namespace, name) => this.store.get(`${group}/${resource}`, namespace, name),
      list: (resource, group, namespace) => this.store.list(`${group}/${resource}`, namespace),
    };
  }

  // ---------------------------------------------------------------- reads

  get(def: KindDef, namespace: string | undefined, name: string): KObject {
    const obj = this.read(def, namespace, name);
    if (!obj) throw notFound({ group: def.group, resource: def.plural }, name);
    return obj;
  }

  /** The object or undefined, in the kind's own representation. */
  read(def: KindDef, namespace: string | undefined, name: string): KObject | undefined {
    const computed = this.computed.get(storageKey(def));
    if (computed) return computed(def.namespaced ? namespace : undefined).find((o) => o.metadata.name === name);
    const stored = this.store.get(storageKey(def), def.namespaced ? namespace : undefined, name);
    return stored && present(def, stored);
  }

  list(def: KindDef, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    const matches = this.matcher(def, opts);
    const computed = this.computed.get(storageKey(def));
    const resourceVersion = String(this.store.resourceVersion);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const token = opts.continue ? decodeContinue(opts.continue) : undefined;
    if (computed) {
      const items = computed(def.namespaced ? namespace : undefined).filter(matches);
      let start = token ? items.findIndex((o) => keyOf(o) > token.key) : 0;
      if (start < 0) start = items.length;
      return this.page(items, start, items.length, limit, resourceVersion, (o) => o, () => true, true);
    }
    // A page is read from the store's key order by binary search, so paging through 150,000
    // pods costs each page its own length, not the whole list's. Later pages read the instant
    // the first one did; past the store's log, that instant is gone (410).
    const resource = storageKey(def);
    const ns = def.namespaced ? namespace : undefined;
    const run = `${resource} ${ns ?? ''}`;
    const latest = this.store.resourceVersion;
    const at = token && token.rv > 0 && token.rv < latest ? token.rv : latest;
    const request = { after: token?.key, limit, view: (o: KObject) => present(def, o), matches, countRemaining: !(opts.labelSelector || opts.fieldSelector) };
    const kept = at < latest ? this.listSnapshots.get(run, at) : undefined;
    if (kept) return readPage({ ...kept, from: 0, to: kept.keys.length, then: NOTHING_CHANGED, resourceVersion: at }, request);
    const then = this.store.statesAt(resource, at);
    if (!then) throw expiredContinue(token!.key);
    const { keys, items, from, to } = this.store.sortedRange(resource, ns);
    const page = readPage({ keys, items, from, to, prefix: ns === undefined ? undefined : `${ns}/`, then, resourceVersion: at }, request);
    if (page.continue && at === latest) this.listSnapshots.keep(run, at, keys, items, from, to);
    return page;
  }

  /** Up to `limit` matching items from `start`, with the continue token and, unselected, the count left. */
  private page(items: readonly KObject[], start: number, end: number, limit: number, resourceVersion: string, view: (o: KObject) => KObject, matches: (o: KObject) => boolean, countRemaining: boolean): ListResult {
    const out: KObject[] = [];
    let i = start;
    for (; i < end && out.length < limit; i++) {
      const o = view(items[i]);
      if (matches(o)) out.push(o);
    }
    if (out.length < limit || i >= end) return { items: out, resourceVersion };
    const last = out[out.length - 1];
    return {
      items: out,
      resourceVersion,
      continue: encodeContinue({ key: keyOf(last), rv: Number(resourceVersion) }),
      ...(countRemaining ? { remainingItemCount: end - i } : {}),
    };
  }

  /** A predicate for list and watch, from label and field selectors. */
  matcher(def: KindDef, opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>): (o: KObject) => boolean {
    const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
    let fields: ReturnType<typeof parseFieldSelector> | undefined;
    if (opts.fieldSelector) {
      const supported = ['metadata.name', 'metadata.namespace', ...Object.keys(def.fieldSelectors ?? {})];
      // kubectl wraps this in its own "Unable to find ... that match" sentence. Built-in kinds with
      // no fields of their own fall back to the default conversion, which words it differently.
      fields = parseFieldSelector(opts.fieldSelector, supported, def.crd ? 'field-label-not-supported' : wordingForFields(supported));
    }
    if (!labels && !fields) return () => true;
    return (o) => {
      if (labels && !labels.matches(o.metadata.labels ?? {})) return false;
      if (fields) {
        const get = (field: string): string | undefined => {
          if (field === 'metadata.name') return o.metadata.name;
          if (field === 'metadata.namespace') return o.metadata.namespace ?? '';
          return def.fieldSelectors?.[field]?.(o);
        };
        if (!fields.matches(get)) return false;
      }
      return true;
    };
  }

  // ---------------------------------------------------------------- writes

  create(def: KindDef, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): WriteResult {
    const warnings: string[] = [];
    const obj = this.decode(def, body, opts, warnings);
    if (def.namespaced) {
      const ns = obj.metadata.namespace ?? namespace;
      if (namespace && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns ?? 'default';
    } else {
      delete obj.metadata.namespace;
    }
    if (obj.metadata.resourceVersion) {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    const now = this.clock.now();
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = this.generateName(def, obj.metadata.namespace, obj.metadata.generateName);
    }
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = rfc3339(now);
    delete obj.metadata.deletionTimestamp;
    delete obj.metadata.deletionGracePeriodSeconds;
    if (tracksGeneration(def)) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    if (hasStatus(def) && !opts.keepStatus) delete obj.status;
    def.prepareForCreate?.(obj, this.ctx);
    def.defaults?.(obj, this.ctx);
    this.admitNamespace(def, obj);
    for (const admit of this.mutatingAdmission) admit({ operation: 'CREATE', def, object: obj, dryRun: !!opts.dryRun });
    this.validateCreate(def, obj);
    for (const admit of this.validatingAdmission) admit({ operation: 'CREATE', def, object: obj, dryRun: !!opts.dryRun });
    if (this.store.get(storageKey(def), obj.metadata.namespace, obj.metadata.name!)) {
      throw alreadyExists({ group: def.group, resource: def.plural }, obj.metadata.name!);
    }
    // The object is this write's own by now (decoded, or handed over by the control plane).
    const managed = opts.managedFieldsDone ? obj : recordUpdate(undefined, obj, opts.fieldManager ?? 'unknown', 'Update', rfc3339(now), apiVersionOf(def), undefined, true);
    if (opts.dryRun) return { object: managed, warnings, created: true };
    const storable = toStorage(def, managed);
    if (opts.storageLimit) fitsStorage(storable);
    const stored = this.store.put(storageKey(def), storable);
    this.afterWrite(def, stored);
    return { object: present(def, stored), warnings, created: true };
  }

  update(def: KindDef, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions = {}, subresource?: string): WriteResult {
    const warnings: string[] = [];
    const obj = this.decode(def, body, opts, warnings);
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (def.namespaced && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.name = name;
    if (def.namespaced) obj.metadata.namespace = namespace;
    else delete obj.metadata.namespace;
    const old = this.read(def, namespace, name);
    if (!old) throw notFound({ group: def.group, resource: def.plural }, name);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict({ group: def.group, resource: def.plural }, name, STALE_OBJECT);
    }
    return this.commitUpdate(def, old, obj, opts, warnings, subresource);
  }

  patch(
    def: KindDef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: PatchOptions = {},
    subresource?: string,
  ): WriteResult {
    const warnings: string[] = [];
    const old = this.read(def, namespace, name);
    const gr = { group: def.group, resource: def.plural };
    if (type === 'apply') {
      if (!opts.fieldManager) throw badRequest('PATCH /apply requires fieldManager to be set');
      const config = this.decode(def, patch, opts, warnings, 'apply');
      if (config.metadata.name && config.metadata.name !== name) {
        throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
      }
      if (!old) {
        const applied = applyConfiguration(undefined, { ...config, metadata: { ...config.metadata, name } }, opts.fieldManager, !!opts.force, rfc3339(this.clock.now()), apiVersionOf(def), def.kind);
        return this.create(def, namespace, applied, { ...opts, fieldManager: undefined, fieldValidation: 'Ignore', managedFieldsDone: true });
      }
      const merged = applyConfiguration(copyJson(old), config, opts.fieldManager, !!opts.force, rfc3339(this.clock.now()), apiVersionOf(def), def.kind);
      return this.commitUpdate(def, old, merged, { ...opts, fieldValidation: 'Ignore', managedFieldsDone: true }, warnings, subresource);
    }
    if (!old) throw notFound(gr, name);
    let next: unknown;
    try {
      if (type === 'json') next = applyJsonPatch(copyJson(old), patch);
      else if (type === 'merge') next = applyMergePatch(copyJson(old), patch);
      else next = applyStrategicMergePatch(copyJson(old), patch, apiVersionOf(def), def.kind);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw badRequest(err instanceof Error ? err.message : String(err));
    }
    if (jsonDepth(next) > MAX_NESTING) {
      // Decoding the patched object is where the apiserver meets the depth; it reports that as
      // an invalid patch. (Patches on their own are bounded when their bodies are read.)
      const shown = type === 'strategic' ? goValue(patch) : stringifyJson(next);
      throw invalid('', '', '', [fieldError.invalid('patch', shown, "couldn't get version/kind; json parse error: invalid character '{' exceeded max depth")]);
    }
    this.checkPatched(def, type, patch, next, opts.fieldValidation ?? 'Strict', warnings);
    const nextObj = next as KObject;
    if (!nextObj || typeof nextObj !== 'object' || !nextObj.metadata) throw badRequest('the patch produced an object without metadata');
    if (nextObj.metadata.resourceVersion && nextObj.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(gr, name, STALE_OBJECT);
    }
    return this.commitUpdate(def, old, nextObj, { ...opts, fieldValidation: 'Ignore' }, warnings, subresource);
  }

  /**
   * The pods/binding subresource: puts a pending pod on a node (what the scheduler does). A pod
   * already on a node, or one being deleted, cannot be bound again.
   */
  bind(namespace: string, name: string, node: string, opts: { dryRun?: boolean } = {}): KObject {
    const def = this.kinds.byGroupResource('', 'pods')!;
    const gr = { group: '', resource: 'pods' };
    const pod = this.read(def, namespace, name);
    if (!pod) throw notFound(gr, name);
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (spec.nodeName) throw conflict(gr, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    if (pod.metadata.deletionTimestamp) throw conflict(gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (opts.dryRun) return pod;
    // Only spec.nodeName and the condition change: the rest is shared with the stored pod (its
    // managedFields too, which the next write then finds as it wrote them).
    const status = (pod.status ?? {}) as Record<string, unknown>;
    const now = rfc3339(this.clock.now());
    const conditions = ((status.conditions ?? []) as Array<Record<string, unknown>>).filter((c) => c.type !== 'PodScheduled');
    const next: KObject = {
      ...pod,
      spec: { ...(pod.spec as object), nodeName: node },
      status: { ...status, conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] },
    };
    return this.store.put(storageKey(def), next);
  }

  delete(def: KindDef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): WriteResult {
    const gr = { group: def.group, resource: def.plural };
    const old = this.read(def, namespace, name);
    if (!old) throw notFound(gr, name);
    if (opts.preconditions?.uid && opts.preconditions.uid !== old.metadata.uid) {
      throw conflict(gr, name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (opts.preconditions?.resourceVersion && opts.preconditions.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(gr, name, `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
    }
    const policy = opts.propagationPolicy ?? defaultPropagation(def);
    if (opts.dryRun) return { object: old, warnings: [] };
    const finalizers = new Set(old.metadata.finalizers ?? []);
    if (policy === 'Orphan') finalizers.add('orphan');
    if (policy === 'Foreground' && this.hasDependents(old)) finalizers.add('foregroundDeletion');
    if (def.plural === 'namespaces' && !def.group) return { object: this.deleteNamespace(def, old), warnings: [] };
    const grace = def.gracePeriod?.(old, opts.gracePeriodSeconds) ?? 0;
    if (grace > 0) {
      // Graceful: the object stays, marked, until its kubelet has stopped it (or the grace is cut).
      const due = new Date(this.clock.now().getTime() + grace * 1000);
      const current = old.metadata.deletionTimestamp ? Date.parse(old.metadata.deletionTimestamp) : Infinity;
      if (due.getTime() >= current) return { object: old, warnings: [] };
      const marked = copyJson(old);
      marked.metadata.deletionTimestamp = rfc3339(due);
      marked.metadata.deletionGracePeriodSeconds = grace;
      if (finalizers.size) marked.metadata.finalizers = [...finalizers];
      return { object: present(def, this.store.put(storageKey(def), toStorage(def, marked))), warnings: [] };
    }
    if (finalizers.size === 0) {
      const gone = this.store.remove(storageKey(def), old.metadata.namespace, name)!;
      this.collectDependents(gone, 'Background');
      return { object: present(def, gone), warnings: [] };
    }
    if (old.metadata.deletionTimestamp) return { object: old, warnings: [] };
    const marked = copyJson(old);
    marked.metadata.deletionTimestamp = rfc3339(this.clock.now());
    marked.metadata.deletionGracePeriodSeconds = 0;
    marked.metadata.finalizers = [...finalizers];
    const stored = this.store.put(storageKey(def), toStorage(def, marked));
    // The garbage collector's own finalizers are handled here, right away: it is part of the
    // control plane every cluster runs, so a learner sees the same end state as on a real one.
    if (finalizers.has('orphan')) this.collectDependents(stored, 'Orphan');
    if (finalizers.has('foregroundDeletion')) this.collectDependents(stored, 'Foreground');
    const after = this.finishGcFinalizers(def, stored);
    return { object: present(def, after ?? stored), warnings: [] };
  }

  deleteCollection(def: KindDef, namespace: string | undefined, list: ListOptions, opts: DeleteOptions = {}): KObject[] {
    const { items } = this.list(def, namespace, { labelSelector: list.labelSelector, fieldSelector: list.fieldSelector });
    const out: KObject[] = [];
    for (const o of items) {
      try {
        out.push(this.delete(def, o.metadata.namespace, o.metadata.name!, opts).object);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- internals

  private commitUpdate(def: KindDef, old: KObject, body: KObject, opts: WriteOptions, warnings: string[], subresource?: string): WriteResult {
    const gr = { group: def.group, resource: def.plural };
    let obj = body;
    // A status write to a kind with no update preparation of its own keeps the stored object's
    // other parts as they are, shared and frozen, instead of a copy to default and compare again:
    // the apiserver's status strategy also keeps the old spec, and defaulting touches no status.
    const keepsStored = subresource === 'status' && !def.prepareForUpdate;
    if (keepsStored) {
      obj = { ...old, metadata: { ...old.metadata }, status: body.status };
    } else if (subresource === 'status') {
      // A status write changes only status (and the finalizers a controller may drop with it).
      obj = { ...copyKeepingManagedFields(old), status: body.status };
    } else if (hasStatus(def) && subresource === undefined) {
      obj = { ...obj, status: old.status === undefined ? undefined : copyJson(old.status) };
      if (obj.status === undefined) delete obj.status;
    }
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
    // Fields only the server sets.
    obj.metadata = {
      ...obj.metadata,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      resourceVersion: old.metadata.resourceVersion,
    };
    if (old.metadata.deletionTimestamp) {
      obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      obj.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete obj.metadata.deletionTimestamp;
      delete obj.metadata.deletionGracePeriodSeconds;
    }
    if (old.metadata.generation !== undefined) obj.metadata.generation = old.metadata.generation;
    def.prepareForUpdate?.(obj, old, this.ctx);
    if (!keepsStored) def.defaults?.(obj, this.ctx);
    if (tracksGeneration(def) && subresource !== 'status' && specChanged(old, obj)) {
      obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    const errs = [
      ...validateObjectMeta(obj.metadata, def.namespaced, nameRule(def)),
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...(def.validate?.(obj, this.ctx) ?? []),
      ...(def.validateUpdate?.(obj, old, this.ctx) ?? []),
    ];
    if (errs.length) throw invalid(def.group, def.kind, old.metadata.name!, errs);
    for (const admit of this.validatingAdmission) admit({ operation: 'UPDATE', def, object: obj, old, subresource, dryRun: !!opts.dryRun });
    if (!opts.managedFieldsDone) {
      obj = recordUpdate(old, obj, opts.fieldManager ?? 'unknown', 'Update', rfc3339(this.clock.now()), apiVersionOf(def), subresource, true);
    }
    if (sameObject(old, obj)) return { object: old, warnings };
    if (opts.dryRun) return { object: obj, warnings };
    const current = this.store.get(storageKey(def), old.metadata.namespace, old.metadata.name!);
    if (!current || current.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(gr, old.metadata.name!, STALE_OBJECT);
    }
    const storable = toStorage(def, obj);
    if (opts.storageLimit) fitsStorage(storable);
    let stored = this.store.put(storageKey(def), storable);
    // Dropping the last finalizer of an object being deleted completes its deletion; any other
    // update (a kubelet's status of a pod in its grace period) leaves it to its deleter.
    // A namespace also waits on its spec.finalizers (the namespace controller's `kubernetes`).
    const nsFinalizers = def.plural === 'namespaces' && !def.group ? ((stored.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
    const droppedLast = !!old.metadata.finalizers?.length && !stored.metadata.finalizers?.length;
    if (stored.metadata.deletionTimestamp && droppedLast && !nsFinalizers.length) {
      const gone = this.store.remove(storageKey(def), stored.metadata.namespace, stored.metadata.name!)!;
      this.collectDependents(gone, 'Background');
      return { object: present(def, gone), warnings };
    }
    this.afterWrite(def, stored);
    stored = this.store.get(storageKey(def), stored.metadata.namespace, stored.metadata.name!) ?? stored;
    return { object: present(def, stored), warnings };
  }

  /**
   * Turns a request body into a mutable object of this kind, or the error a real server gives.
   * Unknown fields are dropped; whether that is an error, a warning or silent depends on the
   * request's fieldValidation, except for an applied configuration, which the schema must type.
   */
  private decode(def: KindDef, body: unknown, opts: WriteOptions, warnings: string[], how: 'object' | 'apply' = 'object'): KObject {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest(`Object '${def.kind}' is missing in '${stringifyJson(body ?? null).slice(0, 200)}'`);
    }
    const obj = (opts.fromControlPlane ? { ...body } : copyJson(body)) as KObject;
    const expected = apiVersionOf(def);
    const wrongKind = obj.kind !== undefined && obj.kind !== def.kind;
    if (wrongKind || (obj.apiVersion !== undefined && obj.apiVersion !== expected)) this.refuseType(def, obj.apiVersion ?? expected, obj.kind ?? def.kind);
    if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
      throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: json: cannot unmarshal ${jsonTypeName(obj.metadata)} into Go struct field ${def.kind}.metadata of type v1.ObjectMeta`);
    }
    if (!opts.managedFieldsDone && !opts.fromControlPlane) {
      const problems = checkFields(def, obj);
      if (how === 'apply' && !problems.typeErrors.length && problems.unknown.length) {
        throw typedPatchError(obj, expected, def.kind, `.${problems.unknown[0]}: field not declared in schema`);
      }
      this.reportFieldProblems(def, problems, opts.fieldValidation ?? 'Strict', warnings);
    }
    obj.apiVersion = expected;
    obj.kind = def.kind;
    obj.metadata = obj.metadata ?? {};
    return obj;
  }

  /**
   * A body declaring another type than the endpoint's. The decoder first looks the declared
   * type up in the scheme: unknown there, it says so; known but another kind, it fails to convert
   * it into the endpoint's type; the endpoint's kind in another version it serves decodes, and is
   * then refused for its version. Custom resources are decoded without a scheme: only the version
   * check applies.
   */
  private refuseType(def: KindDef, apiVersion: string, kind: string): never {
    const expected = apiVersionOf(def);
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const lead = `${kind} in version "${version}" cannot be handled as a ${def.kind}`;
    if (def.crd || (kind === def.kind && this.kinds.byKind(group, kind)?.version === version)) {
      throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expected})`);
    }
    if (!definitionName(group, version, kind)) {
      throw badRequest(`${lead}: no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
    }
    const internal = def.group ? def.group.split('.')[0] : 'core';
    throw badRequest(`${lead}: converting (${version}.${kind}) to (${internal}.${def.kind}): unknown conversion`);
  }

  /**
   * Field validation of a patch's result (json, merge, strategic). The apiserver decodes the
   * patched object and, under Strict, refuses unknown fields with a 422 naming the patched
   * object (the patch map, for a strategic merge patch), not the create-time 400.
   */
  private checkPatched(def: KindDef, type: PatchType, patch: unknown, next: unknown, mode: FieldValidation, warnings: string[]): void {
    const problems = checkFields(def, next, { prune: false });
    if (problems.typeErrors.length || !problems.unknown.length || mode !== 'Strict') {
      if (problems.unknown.length) checkFields(def, next);
      this.reportFieldProblems(def, problems, mode, warnings);
      return;
    }
    const shown = type === 'strategic' ? goValue(patch) : stringifyJson(next);
    const issues = problems.unknown.map((f) => `unknown field "${f}"`).join(', ');
    throw invalid('', '', '', [fieldError.invalid('patch', shown, `strict decoding error: ${issues}`)]);
  }

  private reportFieldProblems(def: KindDef, problems: { typeErrors: string[]; unknown: string[]; duplicates: string[] }, mode: FieldValidation, warnings: string[]): void {
    const lead = `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}`;
    if (problems.typeErrors.length) throw badRequest(`${lead}: ${problems.typeErrors[0]}`);
    const strictIssues = [...problems.unknown.map((f) => `unknown field "${f}"`), ...problems.duplicates.map((f) => `duplicate field "${f}"`)];
    if (!strictIssues.length || mode === 'Ignore') return;
    if (mode === 'Strict') throw badRequest(`${lead}: strict decoding error: ${strictIssues.join(', ')}`);
    warnings.push(...strictIssues);
  }

  private validateCreate(def: KindDef, obj: KObject): void {
    const errs: FieldError[] = [
      ...validateObjectMeta(obj.metadata, def.namespaced, nameRule(def)),
      ...(def.validate?.(obj, this.ctx) ?? []),
    ];
    if (errs.length) throw invalid(def.group, def.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
  }

  /** The NamespaceLifecycle admission plugin: no new objects in a missing or terminating namespace. */
  private admitNamespace(def: KindDef, obj: KObject): void {
    if (!def.namespaced) return;
    const ns = this.store.get('/namespaces', undefined, obj.metadata.namespace!);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, obj.metadata.namespace!);
    if ((ns.status as { phase?: string } | undefined)?.phase === 'Terminating' || ns.metadata.deletionTimestamp) {
      const why = `unable to create new content in namespace ${obj.metadata.namespace} because it is being terminated`;
      throw forbidden({ group: def.group, resource: def.plural }, obj.metadata.name!, why, [{ reason: NAMESPACE_TERMINATING, message: why, field: 'metadata.namespace' }]);
    }
  }

  private generateName(def: KindDef, namespace: string | undefined, prefix: string): string {
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (let i = 0; i < MAX_GENERATE_ATTEMPTS; i++) {
      let suffix = '';
      for (let j = 0; j < 5; j++) suffix += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
      if (!this.store.get(storageKey(def), namespace, base + suffix)) return base + suffix;
    }
    throw alreadyExists({ group: def.group, resource: def.plural }, `${base}*`);
  }

  private afterWrite(def: KindDef, stored: KObject): void {
    this.writeHooks.forEach((h) => h(def, stored));
  }

  /**
   * Admission plugins, as the apiserver runs them on create (and validating ones on update too):
   * mutating ones after defaulting (LimitRanger's defaults, the ServiceAccount plugin), validating
   * ones after validation (ResourceQuota). They throw an ApiError to refuse the request.
   */
  readonly mutatingAdmission: Array<(req: AdmissionRequest) => void> = [];
  readonly validatingAdmission: Array<(req: AdmissionRequest) => void> = [];

  /** Hooks run after each stored write (custom resource definitions register their kinds here). */
  readonly writeHooks: Array<(def: KindDef, stored: KObject) => void> = [];

  /** Hooks run after the whole state was replaced (a snapshot restored). */
  readonly reloadHooks: Array<() => void> = [];

  /** Rebuilds what is derived from stored objects after a restore. */
  reloaded(): void {
    this.dependents.clear();
    this.listSnapshots.clear();
    for (const resource of this.store.resourcesStored()) {
      for (const o of this.store.list(resource)) this.indexOwners({ type: 'ADDED', resource, object: o, rv: 0 });
    }
    this.reloadHooks.forEach((h) => h());
  }

  private deleteNamespace(def: KindDef, ns: KObject): KObject {
    const name = ns.metadata.name!;
    if (['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(name)) {
      throw forbidden({ group: '', resource: 'namespaces' }, name, `this namespace may not be deleted`);
    }
    if (ns.metadata.deletionTimestamp) return ns;
    const terminating = copyJson(ns);
    terminating.metadata.deletionTimestamp = rfc3339(this.clock.now());
    terminating.metadata.deletionGracePeriodSeconds = 0;
    terminating.status = { ...(terminating.status as object), phase: 'Terminating' };
    const marked = this.store.put(storageKey(def), terminating);
    // The namespace controller (controllers/namespace.ts) empties a terminating namespace, then
    // finalizes it. A bare cluster runs no controllers, so nothing would: empty it here instead.
    if (!this.controlPlane) {
      for (const kind of this.kinds.all()) {
        if (!kind.namespaced || kind.storedAs) continue;
        for (const o of this.store.list(storageKey(kind), name)) this.store.remove(storageKey(kind), name, o.metadata.name!);
      }
      this.finalizeNamespace(name);
    }
    return marked;
  }

  /**
   * PUT namespaces/x/finalize: sets spec.finalizers (by default, drops the namespace controller's
   * `kubernetes`, its last step); a terminating namespace with no finalizers left is removed.
   */
  finalizeNamespace(name: string, finalizers?: string[]): KObject | undefined {
    const ns = this.store.get('/namespaces', undefined, name);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, name);
    if (finalizers === undefined && !ns.metadata.deletionTimestamp) return ns;
    const next = copyJson(ns) as KObject & { spec?: { finalizers?: string[] } };
    const left = finalizers ?? (next.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    next.spec = { ...(next.spec ?? {}), finalizers: left };
    if (!left.length) delete next.spec.finalizers;
    const put = this.store.put('/namespaces', next);
    if (left.length || put.metadata.finalizers?.length || !put.metadata.deletionTimestamp) return put;
    return this.store.remove('/namespaces', undefined, name);
  }

  /** The objects of `resource` whose ownerReferences name `uid` (the garbage collector's index). */
  dependentsOf(uid: string, resource: string): KObject[] {
    const out: KObject[] = [];
    for (const ref of this.dependents.get(uid) ?? []) {
      const [res, key] = splitDependent(ref);
      if (res !== resource) continue;
      const [ns, name] = key.includes('/') ? key.split('/') : [undefined, key];
      const o = this.store.get(res, ns, name);
      if (o) out.push(o);
    }
    return out;
  }

  private hasDependents(owner: KObject): boolean {
    return (this.dependents.get(owner.metadata.uid!)?.size ?? 0) > 0;
  }

  /** The garbage collector's work for one owner, by the owner's deletion policy. */
  private collectDependents(owner: KObject, policy: PropagationPolicy): void {
    const uid = owner.metadata.uid!;
    const deps = this.dependents.get(uid);
    if (!deps) return;
    for (const ref of [...deps]) {
      const [resource, key] = splitDependent(ref);
      const [ns, name] = key.includes('/') ? key.split('/') : [undefined, key];
      const dep = this.store.get(resource, ns, name);
      if (!dep) continue;
      const remaining = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      const liveOwners = remaining.filter((r) => this.ownerExists(r, dep.metadata.namespace));
      if (policy === 'Orphan' || liveOwners.length > 0) {
        const next = copyJson(dep);
        next.metadata.ownerReferences = remaining.length ? remaining : undefined;
        if (!next.metadata.ownerReferences) delete next.metadata.ownerReferences;
        this.store.put(resource, next);
        continue;
      }
      const def = this.kinds.byGroupResource(...groupAndPlural(resource));
      if (!def) {
        this.store.remove(resource, ns, name);
        continue;
      }
      try {
        this.delete(def, ns, name, { propagationPolicy: policy === 'Foreground' ? 'Foreground' : 'Background' });
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
  }

  /** Removes the garbage collector's finalizers once its work is done; returns the final object. */
  private finishGcFinalizers(def: KindDef, stored: KObject): KObject | undefined {
    const fins = stored.metadata.finalizers ?? [];
    const remaining = fins.filter((f) => f !== 'orphan' && (f !== 'foregroundDeletion' || this.hasDependents(stored)));
    if (remaining.length === fins.length) return stored;
    const next = copyJson(stored);
    next.metadata.finalizers = remaining;
    if (!remaining.length) delete next.metadata.finalizers;
    const put = this.store.put(storageKey(def), next);
    if (!remaining.length) {
      return this.store.remove(storageKey(def), put.metadata.namespace, put.metadata.name!);
    }
    return put;
  }

  private ownerExists(ref: OwnerReference, namespace: string | undefined): boolean {
    const [group] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : [''];
    const def = this.kinds.byKind(group, ref.kind);
    if (!def) return false;
    const o = this.store.get(storageKey(def), def.namespaced ? namespace : undefined, ref.name);
    return !!o && o.metadata.uid === ref.uid;
  }

  private indexOwners(e: StoreEvent): void {
    const key = `${e.resource}|${e.object.metadata.namespace ? `${e.object.metadata.namespace}/` : ''}${e.object.metadata.name}`;
    for (const r of e.previous?.metadata.ownerReferences ?? []) this.dependents.get(r.uid)?.delete(key);
    if (e.type === 'DELETED') {
      for (const r of e.object.metadata.ownerReferences ?? []) {
        const set = this.dependents.get(r.uid);
        set?.delete(key);
        if (set && set.size === 0) this.dependents.delete(r.uid);
      }
      return;
    }
    for (const r of e.object.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(r.uid);
      if (!set) this.dependents.set(r.uid, (set = new Set()));
      set.add(key);
    }
    // An owner whose foreground deletion was waiting on this dependent may now finish.
    if (e.type === 'MODIFIED') return;
  }
}

// ---------------------------------------------------------------- helpers

export function storageKey(def: KindDef): string {
  return def.storedAs ? `${def.storedAs.group}/${def.storedAs.plural}` : resourceKey(def);
}

/** etcd's limit on one request, measured on the object's JSON (its protobuf form is no larger). */
function fitsStorage(obj: KObject): void {
  const text = stringifyJson(obj);
  // Cheap first: a string of n UTF-16 units is at least n bytes of UTF-8.
  if (text.length > ETCD_MAX_REQUEST_BYTES || Buffer.byteLength(text) > ETCD_MAX_REQUEST_BYTES) throw etcdRequestTooLarge();
}

/**
 * A mutable copy of a stored object, but for its managedFields, which stay the stored (frozen)
 * ones: a write replaces them, never changes them in place, and they are a good part of a pod.
 */
function copyKeepingManagedFields(o: KObject): KObject {
  const managed = o.metadata.managedFields;
  if (!managed) return copyJson(o);
  const metadata = {} as KObject['metadata'];
  for (const k of Object.keys(o.metadata)) setOwn(metadata, k, k === 'managedFields' ? managed : copyJson(own(o.metadata, k)));
  const out = {} as KObject;
  for (const k of Object.keys(o)) setOwn(out, k, k === 'metadata' ? metadata : copyJson(own(o, k)));
  return out;
}

function toStorage(def: KindDef, obj: KObject): KObject {
  return def.storedAs ? def.storedAs.toStored(obj) : obj;
}

const NOTHING_CHANGED: ReadonlyMap<string, KObject | undefined> = new Map();

function present(def: KindDef, obj: KObject): KObject {
  return def.storedAs ? def.storedAs.fromStored(obj) : obj;
}

function splitDependent(ref: string): [string, string] {
  const i = ref.indexOf('|');
  return [ref.slice(0, i), ref.slice(i + 1)];
}

function groupAndPlural(resource: string): [string, string] {
  const i = resource.lastIndexOf('/');
  return [resource.slice(0, i), resource.slice(i + 1)];
}

function nameRule(def: KindDef): 'subdomain' | 'label' | 'dns1035' | 'path-segment' {
  return NAME_RULES[resourceKey(def)] ?? 'subdomain';
}

function hasStatus(def: KindDef): boolean {
  return def.hasStatus ?? (def.subresources?.includes('status') ?? false);
}

function tracksGeneration(def: KindDef): boolean {
  return def.tracksGeneration ?? hasStatus(def);
}

/** Deployments and the like used to orphan by default in old API versions; in apps/v1 all cascade. */
function defaultPropagation(_def: KindDef): PropagationPolicy {
  return 'Background';
}

function specChanged(old: KObject, next: KObject): boolean {
  const strip = (o: KObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return rest;
  };
  return stringifyJson(strip(old)) !== stringifyJson(strip(next));
}

function sameObject(a: KObject, b: KObject): boolean {
  return deepEqual(a, b);
}

function keyOf(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
}

function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'object';
}

export { fieldError };
