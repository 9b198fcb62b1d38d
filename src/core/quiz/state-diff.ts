// What differs between two clusters' objects, ignoring what differs between any two runs of the
// same command (uids, resource versions, timestamps, who last applied it). Pure.
import type { Snapshot } from '../hosting/cluster-host.js';
import { copyJson } from '../own.js';

type Obj = Record<string, unknown>;

const VOLATILE_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation', 'selfLink'];
const VOLATILE_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

export function normalise(obj: Obj): Obj {
  // An object's uid shows up in its own labels and selectors too (a Job's controller-uid).
  const uid = (obj.metadata as { uid?: string } | undefined)?.uid;
  // Rewriting the JSON text both replaces the uid wherever it appears and makes the copy.
  const copy = (uid ? JSON.parse(JSON.stringify(obj).split(uid).join('<uid>')) : copyJson(obj)) as Obj & { metadata?: Obj & { annotations?: Record<string, string>; generateName?: string } };
  if (copy.metadata) {
    for (const k of VOLATILE_METADATA) delete copy.metadata[k];
    const ann = copy.metadata.annotations;
    if (ann) {
      for (const k of VOLATILE_ANNOTATIONS) delete ann[k];
      if (!Object.keys(ann).length) delete copy.metadata.annotations;
    }
  }
  stripTimes(copy);
  sortSets(copy);
  // Names made up at random on creation (a generateName, a pod's token volume) differ on every run.
  if (copy.metadata?.generateName && typeof copy.metadata.name === 'string') copy.metadata.name = `${copy.metadata.generateName}*`;
  return JSON.parse(JSON.stringify(copy).replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-*')) as Obj;
}

/** Lists whose order means nothing to the API (an RBAC rule's verbs): compared as sets. */
const UNORDERED = new Set(['verbs', 'resources', 'apiGroups', 'resourceNames', 'nonResourceURLs']);

function sortSets(v: unknown): void {
  if (Array.isArray(v)) v.forEach(sortSets);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (UNORDERED.has(k) && Array.isArray(x) && x.every((e) => typeof e === 'string')) x.sort();
      else sortSets(x);
    }
  }
}

function stripTimes(v: unknown): void {
  if (Array.isArray(v)) v.forEach(stripTimes);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (/(Time|Timestamp)$/.test(k) && typeof x === 'string') delete (v as Obj)[k];
      else stripTimes(x);
    }
  }
}

function keyOf(resource: string, o: Obj): string {
  const md = (o.metadata ?? {}) as { namespace?: string; name?: string };
  const kind = String(o.kind ?? resource).toLowerCase();
  return md.namespace ? `${kind}/${md.name} in ${md.namespace}` : `${kind}/${md.name}`;
}

function index(s: Snapshot): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const [resource, list] of Object.entries(s.objects)) {
    if (resource.includes('events')) continue;
    for (const o of list) out.set(keyOf(resource, o), normalise(o));
  }
  return out;
}

/** Sentences naming what `got` has that `want` lacks, and the reverse, and the fields that differ. */
export function stateDifferences(got: Snapshot, want: Snapshot, limit = 5): string[] {
  const a = index(got);
  const b = index(want);
  const out: string[] = [];
  for (const [key, o] of b) {
    if (!a.has(key)) out.push(`${key} is missing`);
    else {
      const diff = firstDifference(a.get(key), o, '');
      if (diff) out.push(`${key}: ${diff}`);
    }
  }
  for (const key of a.keys()) if (!b.has(key)) out.push(`${key} should not be there`);
  return out.slice(0, limit);
}

function firstDifference(got: unknown, want: unknown, path: string): string | undefined {
  if (JSON.stringify(got) === JSON.stringify(want)) return undefined;
  if (got && want && typeof got === 'object' && typeof want === 'object' && Array.isArray(got) === Array.isArray(want)) {
    const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
    for (const k of keys) {
      const sub = Array.isArray(got) ? `${path}[${k}]` : `${path}.${k}`;
      const d = firstDifference((got as Obj)[k], (want as Obj)[k], sub);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v === undefined ? 'not set' : JSON.stringify(v).slice(0, 80));
  return `${path.replace(/^\./, '') || 'the object'} is ${show(got)}, expected ${show(want)}`;
}
