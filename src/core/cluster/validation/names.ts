// Names, label keys and values, and object metadata, validated with apimachinery's own words
// (k8s.io/apimachinery/pkg/util/validation, pkg/apis/meta/v1/validation and
// pkg/api/validation/objectmeta.go), so `kubectl apply` of a bad manifest reads as on a real cluster.
import { fieldError, type FieldError } from '../errors.js';
import type { ObjectMeta } from '../kinds/types.js';
import { validateNonnegative } from './ports.js';

/**
 * Go's len(): limits count UTF-8 bytes, so `é` costs two (a lone surrogate three, as encoded).
 * Counted without encoding: every label and annotation of every write is measured.
 */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** validation.RegexError. The doubled space in `'MyName',  or` is Go's, kept on purpose. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** validation.MaxLenError. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** validation.EmptyError. */
export const EMPTY_ERROR = 'must be non-empty';

export const FIELD_IMMUTABLE = 'field is immutable';

const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME = new RegExp(`^${QNAME_FMT}$`);
const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QNAME_MAX = 63;
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/** validation.IsDNS1123Label: namespaces, container names, most label-like names. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL.test(value)) errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  return errs;
}

/** validation.IsDNS1123Subdomain: the name rule of most kinds. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** validation.IsDNS1035Label: Service names, which become DNS names that must start with a letter. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** validation.IsQualifiedName: label and annotation keys and finalizers, `app` or `example.com/tier`. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [`a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (byteLength(name) > QNAME_MAX) errs.push(`name part ${maxLenError(QNAME_MAX)}`);
  if (!QNAME.test(name)) errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** validation.IsValidLabelValue: may be empty; otherwise like a qualified name's name part. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** path.IsValidPathSegmentName: RBAC names may be almost anything but '/', '%', '.' and '..'. */
export function isValidPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return isValidPathSegmentPrefix(value);
}

/** path.IsValidPathSegmentPrefix: a generateName for such kinds may be '.', just not contain '/' or '%'. */
export function isValidPathSegmentPrefix(value: string): string[] {
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (value.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

function sortedEntries(map: object): Array<[string, unknown]> {
  return Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * metav1validation.ValidateLabels: keys and values of a label map found at `field`. Go walks the
 * map in random order; sorting keys makes the order of several errors stable.
 */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels || typeof labels !== 'object') return errs;
  for (const [k, v] of sortedEntries(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(fieldError.invalid(field, k, msg));
    for (const msg of isValidLabelValue(String(v))) errs.push(fieldError.invalid(field, v, msg));
  }
  return errs;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/**
 * apivalidation.ValidateAnnotations: keys are qualified names compared case-insensitively, and
 * keys plus values together may take at most 256 KiB (which is why `kubectl apply` of a huge
 * object fails on its last-applied-configuration annotation).
 */
export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!annotations || typeof annotations !== 'object') return errs;
  let size = 0;
  for (const [k, v] of sortedEntries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldError.invalid(field, k, msg));
    size += byteLength(k) + byteLength(typeof v === 'string' ? v : String(v ?? ''));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fieldError.tooLong(field, '', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

interface OwnerRefLike {
  apiVersion?: unknown;
  kind?: unknown;
  name?: unknown;
  uid?: unknown;
  controller?: unknown;
}

/** schema.ParseGroupVersion's version part; an apiVersion with two slashes has none. */
function versionOf(apiVersion: string): string {
  const slashes = apiVersion.split('/').length - 1;
  if (slashes === 0) return apiVersion;
  if (slashes === 1) return apiVersion.slice(apiVersion.indexOf('/') + 1);
  return '';
}

/**
 * apivalidation.ValidateOwnerReferences. Errors name `metadata.ownerReferences.kind`, not an
 * indexed path, exactly as apimachinery does.
 */
export function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(refs)) return errs;
  let firstController = '';
  for (const raw of refs as OwnerRefLike[]) {
    const ref = raw ?? {};
    const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
    const kind = typeof ref.kind === 'string' ? ref.kind : '';
    const name = typeof ref.name === 'string' ? ref.name : '';
    const uid = typeof ref.uid === 'string' ? ref.uid : '';
    const version = versionOf(apiVersion);
    if (!version) errs.push(fieldError.invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!kind) errs.push(fieldError.invalid(`${field}.kind`, kind, 'must not be empty'));
    if (!name) errs.push(fieldError.invalid(`${field}.name`, name, 'must not be empty'));
    if (!uid) errs.push(fieldError.invalid(`${field}.uid`, uid, 'must not be empty'));
    // BannedOwners: core Events may not own anything, since they are garbage themselves.
    if (apiVersion === 'v1' && kind === 'Event') errs.push(fieldError.invalid(field, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller === true) {
      const current = `${kind}/${name}`;
      if (firstController) {
        errs.push(fieldError.invalid(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`));
      } else firstController = current;
    }
  }
  return errs;
}

/**
 * apivalidation.ValidateFinalizers: each a qualified name (reported on `metadata.finalizers`
 * itself, not an index), and never both orphan and foregroundDeletion.
 */
export function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(finalizers)) return errs;
  for (const f of finalizers) {
    const s = typeof f === 'string' ? f : String(f);
    for (const msg of isQualifiedName(s)) errs.push(fieldError.invalid(field, s, msg));
  }
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(fieldError.invalid(field, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/**
 * Which rule a kind's names follow: most are subdomains; namespaces and some workloads are
 * labels; Services are DNS-1035 labels; RBAC objects are path segments.
 */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

/**
 * apivalidation.maskTrailingDash: a generateName may end in '-' since random characters follow.
 * Go replaces the last two characters with "a" (not just the dash), so the length stays checked.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** The ValidateNameFunc for a rule: problems with a name, or with a generateName when `prefix`. */
export function validateName(rule: NameRule, name: string, prefix = false): string[] {
  if (rule === 'path-segment') return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
  const v = prefix ? maskTrailingDash(name) : name;
  switch (rule) {
    case 'label':
      return isDNS1123Label(v);
    case 'dns1035':
      return isDNS1035Label(v);
    default:
      return isDNS1123Subdomain(v);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * apivalidation.ValidateObjectMeta, for an object about to be created (after generateName has
 * produced a name; a bad generateName then earns errors on both fields, as on a real cluster).
 *
 * A cluster-scoped object carrying metadata.namespace is not an error here: the apiserver clears
 * the namespace of cluster-scoped objects before validation ever sees it.
 * managedFields are not checked: the server writes them itself.
 */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean, rule: NameRule): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = str(meta.generateName);
  const name = str(meta.name);
  if (generateName) {
    for (const msg of validateName(rule, generateName, true)) errs.push(fieldError.invalid('metadata.generateName', generateName, msg));
  }
  if (!name) errs.push(fieldError.required('metadata.name', 'name or generateName is required'));
  else for (const msg of validateName(rule, name)) errs.push(fieldError.invalid('metadata.name', name, msg));
  if (namespaced) {
    const ns = str(meta.namespace);
    if (!ns) errs.push(fieldError.required('metadata.namespace'));
    else for (const msg of validateName('label', ns)) errs.push(fieldError.invalid('metadata.namespace', ns, msg));
  }
  if (typeof meta.generation === 'number') errs.push(...validateNonnegative('metadata.generation', meta.generation));
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return errs;
}

/**
 * Go's time.Time.String() of an RFC 3339 timestamp: how a metav1.Time appears inside an error
 * (`2024-05-01 10:00:00 +0000 UTC`), unquoted because Go prints it through its Stringer.
 */
function goTimeString(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(rfc3339);
  return m ? `${m[1]} ${m[2]} +0000 UTC` : rfc3339;
}

/** apivalidation.ValidateImmutableField for a string-valued field. */
export function validateImmutableField(next: unknown, old: unknown, field: string): FieldError[] {
  return next === old ? [] : [fieldError.invalid(field, next, FIELD_IMMUTABLE)];
}

function immutableTime(next: unknown, old: unknown, field: string, pointer: boolean): FieldError[] {
  const n = str(next);
  const o = str(old);
  if (n === o) return [];
  // A nil *metav1.Time prints as the quoted string "null"; a zero metav1.Time as Go's zero time.
  if (!n) return [fieldError.invalid(field, pointer ? 'null' : '0001-01-01 00:00:00 +0000 UTC', FIELD_IMMUTABLE)];
  return [{ type: 'FieldValueInvalid', field, value: n, hasValue: false, detail: `${goTimeString(n)}: ${FIELD_IMMUTABLE}` }];
}

/**
 * The update-only part of apivalidation.ValidateObjectMetaUpdate: what may never change once an
 * object exists. Labels, annotations, ownerReferences and finalizer names are left to
 * validateObjectMeta, which the registry runs on updates too, so they are not reported twice.
 * resourceVersion is not required here: the registry fills it in for unconditional updates.
 */
export function validateObjectMetaUpdate(next: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const before = new Set(Array.isArray(old.finalizers) ? old.finalizers : []);
    const added = [...new Set((Array.isArray(next.finalizers) ? next.finalizers : []).filter((f) => !before.has(f)))].sort();
    if (added.length) {
      errs.push(fieldError.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`));
    }
  }
  const nextGen = typeof next.generation === 'number' ? next.generation : 0;
  const oldGen = typeof old.generation === 'number' ? old.generation : 0;
  if (nextGen < oldGen) errs.push(fieldError.invalid('metadata.generation', nextGen, 'must not be decremented'));
  errs.push(...validateImmutableField(str(next.name), str(old.name), 'metadata.name'));
  errs.push(...validateImmutableField(str(next.namespace), str(old.namespace), 'metadata.namespace'));
  errs.push(...validateImmutableField(str(next.uid), str(old.uid), 'metadata.uid'));
  errs.push(...immutableTime(next.creationTimestamp, old.creationTimestamp, 'metadata.creationTimestamp', false));
  errs.push(...immutableTime(next.deletionTimestamp, old.deletionTimestamp, 'metadata.deletionTimestamp', true));
  const nextGrace = next.deletionGracePeriodSeconds ?? null;
  const oldGrace = old.deletionGracePeriodSeconds ?? null;
  if (nextGrace !== oldGrace) {
    errs.push(fieldError.invalid('metadata.deletionGracePeriodSeconds', nextGrace === null ? 'null' : nextGrace, FIELD_IMMUTABLE));
  }
  return errs;
}
