// Protobuf request bodies. kubectl 1.32+ sends built-in objects it builds itself (`kubectl create
// namespace|configmap|secret|deployment…`) as Kubernetes protobuf. Field numbers are not in any
// package we can depend on, but every such kubectl carries them: its binary embeds the
// gzipped FileDescriptorProtos of k8s.io/api. We read those from the kubectl on PATH (once) and
// decode the body into the same JSON the kubectl of old would have sent.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CUSTOM_OBJECT_MEDIA_TYPES, unsupportedMediaType } from '../cluster/errors.js';
import { MAX_NESTING } from '../cluster/json-text.js';
import { DecodeFailure } from './decode-failure.js';
import { GROUP_PACKAGES } from '../cluster/api-groups.js';
import { own, setOwn } from '../cluster/own.js';

interface FieldDesc {
  name: string;
  number: number;
  repeated: boolean;
  type: number;
  typeName?: string;
}

interface MessageDesc {
  fields: Map<number, FieldDesc>;
  mapEntry: boolean;
}

// ---- wire format

/** A malformed message, worded as Go's generated protobuf code words it. */
class ProtoError extends Error {}

/** What gogo-generated Unmarshal code answers for a message cut short. */
const UNEXPECTED_EOF = 'unexpected EOF';

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer, readonly end = buf.length) {}
  done(): boolean {
    return this.pos >= this.end;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (shift >= 64n) throw new ProtoError('proto: integer overflow');
      if (this.pos >= this.end) throw new ProtoError(UNEXPECTED_EOF);
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.end) throw new ProtoError(UNEXPECTED_EOF);
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8);
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.advance(4);
    else throw new ProtoError(`proto: illegal wireType ${wire}`);
  }
  /** Moves past `n` bytes that must all be there. */
  advance(n: number): number {
    if (this.pos + n > this.end) throw new ProtoError(UNEXPECTED_EOF);
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

/** Iterates (field number, wire type, reader positioned at the value) over a message. */
function* fieldsOf(buf: Buffer): Generator<[number, number, Reader]> {
  const r = new Reader(buf);
  while (!r.done()) {
    const tag = Number(r.varint());
    yield [tag >> 3, tag & 7, r];
  }
}

// ---- descriptor.proto (its field numbers are part of protobuf itself)

function parseFile(buf: Buffer, into: Map<string, MessageDesc>): void {
  let pkg = '';
  let named = false;
  let messages: Buffer[] = [];
  for (const [num, wire, r] of fieldsOf(buf)) {
    if (num === 1 && wire === 2) {
      // gunzip reads on into a gzip member stored right after this one: a second file's name
      // starts that file, whose messages belong to its own package.
      if (named) for (const m of messages) parseMessage(m, `.${pkg}`, into);
      named = true;
      messages = [];
      r.skip(wire);
    } else if (num === 2 && wire === 2) pkg = r.bytes().toString('utf8');
    else if (num === 4 && wire === 2) messages.push(r.bytes());
    else r.skip(wire);
  }
  for (const m of messages) parseMessage(m, `.${pkg}`, into);
}

function parseMessage(buf: Buffer, scope: string, into: Map<string, MessageDesc>): void {
  let name = '';
  const fields: FieldDesc[] = [];
  const nested: Buffer[] = [];
  let mapEntry = false;
  for (const [num, wire, r] of fieldsOf(buf)) {
    if (num === 1 && wire === 2) name = r.bytes().toString('utf8');
    else if (num === 2 && wire === 2) fields.push(parseField(r.bytes()));
    else if (num === 3 && wire === 2) nested.push(r.bytes());
    else if (num === 7 && wire === 2) {
      for (const [on, ow, or] of fieldsOf(r.bytes())) {
        if (on === 7 && ow === 0) mapEntry = or.varint() === 1n;
        else or.skip(ow);
      }
    } else r.skip(wire);
  }
  const full = `${scope}.${name}`;
  into.set(full, { fields: new Map(fields.map((f) => [f.number, f])), mapEntry });
  for (const n of nested) parseMessage(n, full, into);
}

function parseField(buf: Buffer): FieldDesc {
  const f: FieldDesc = { name: '', number: 0, repeated: false, type: 0 };
  for (const [num, wire, r] of fieldsOf(buf)) {
    if (num === 1 && wire === 2) f.name = r.bytes().toString('utf8');
    else if (num === 3 && wire === 0) f.number = Number(r.varint());
    else if (num === 4 && wire === 0) f.repeated = r.varint() === 3n;
    else if (num === 5 && wire === 0) f.type = Number(r.varint());
    else if (num === 6 && wire === 2) f.typeName = r.bytes().toString('utf8');
    else r.skip(wire);
  }
  return f;
}

// ---- finding the descriptors

let registry: Map<string, MessageDesc> | null | undefined;

/** The kubectl whose descriptors decode protobuf bodies: $KUBEDOJO_KUBECTL, else the one on PATH. */
export function kubectlPath(): string | undefined {
  const explicit = process.env.KUBEDOJO_KUBECTL;
  if (explicit && existsSync(explicit)) return explicit;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'kubectl');
    if (dir && existsSync(p)) return p;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Reads the k8s.io descriptors embedded in a Go binary. */
export function descriptorsFromBinary(file: string): Map<string, MessageDesc> {
  const buf = readFileSync(realpathSync(file));
  const out = new Map<string, MessageDesc>();
  for (let i = buf.indexOf(0x1f); i >= 0 && i < buf.length - 10; i = buf.indexOf(0x1f, i + 1)) {
    if (buf[i + 1] !== 0x8b || buf[i + 2] !== 8) continue;
    let raw: Buffer;
    try {
      raw = gunzipSync(buf.subarray(i, Math.min(buf.length, i + 1_000_000)), { finishFlush: 2 });
    } catch {
      continue;
    }
    if (!raw.includes('k8s.io')) continue;
    try {
      parseFile(raw, out);
    } catch {
      // Not a descriptor after all.
    }
  }
  return out;
}

function descriptors(): Map<string, MessageDesc> | null {
  if (registry === undefined) {
    const bin = kubectlPath();
    registry = bin ? descriptorsFromBinary(bin) : null;
    if (registry && registry.size === 0) registry = null;
  }
  return registry;
}

// ---- decoding into JSON


const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';

/** An RFC 3339 time, or undefined for the zero time (which Go writes as null). */
function timeString(buf: Buffer, micro: boolean): string | undefined {
  let seconds = 0n;
  let nanos = 0;
  for (const [num, wire, r] of fieldsOf(buf)) {
    if (num === 1 && wire === 0) seconds = BigInt.asIntN(64, r.varint());
    else if (num === 2 && wire === 0) nanos = Number(BigInt.asIntN(32, r.varint()));
    else r.skip(wire);
  }
  if (seconds === 0n && nanos === 0) return undefined;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return micro ? iso.replace(/\.\d{3}Z$/, `.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`) : iso.replace(/\.\d{3}Z$/, 'Z');
}

function special(typeName: string, buf: Buffer): { value: unknown } | undefined {
  switch (typeName) {
    case `${META}.Time`:
      return { value: timeString(buf, false) };
    case `${META}.MicroTime`:
      return { value: timeString(buf, true) };
    case '.k8s.io.apimachinery.pkg.api.resource.Quantity':
    case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString': {
      let type = 0;
      let intVal = 0;
      let str = '';
      for (const [num, wire, r] of fieldsOf(buf)) {
        if (num === 1 && wire === 2) str = r.bytes().toString('utf8');
        else if (num === 1 && wire === 0) type = Number(r.varint());
        else if (num === 2 && wire === 0) intVal = Number(BigInt.asIntN(32, r.varint()));
        else if (num === 3 && wire === 2) str = r.bytes().toString('utf8');
        else r.skip(wire);
      }
      if (typeName.endsWith('Quantity')) return { value: str };
      return { value: type === 1 ? str : intVal };
    }
    case '.k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${META}.FieldsV1`: {
      for (const [num, wire, r] of fieldsOf(buf)) {
        if (num === 1 && wire === 2) {
          const raw = r.bytes().toString('utf8');
          try {
            return { value: JSON.parse(raw) };
          } catch {
            return { value: raw };
          }
        }
        r.skip(wire);
      }
      return { value: {} };
    }
    case `${META}.Duration`: {
      for (const [num, wire, r] of fieldsOf(buf)) {
        if (num === 1 && wire === 0) return { value: `${Number(BigInt.asIntN(64, r.varint())) / 1e9}s` };
        r.skip(wire);
      }
      return { value: '0s' };
    }
    default:
      return undefined;
  }
}

function scalar(f: FieldDesc, wire: number, r: Reader): unknown {
  switch (f.type) {
    case 9:
      return r.bytes().toString('utf8');
    case 12:
      return r.bytes().toString('base64');
    case 8:
      return r.varint() !== 0n;
    case 1:
      return r.buf.readDoubleLE(r.advance(8));
    case 2:
      return r.buf.readFloatLE(r.advance(4));
    case 5:
    case 14:
      return Number(BigInt.asIntN(32, r.varint()));
    case 3:
      return Number(BigInt.asIntN(64, r.varint()));
    case 17: {
      const v = r.varint();
      return Number((v >> 1n) ^ -(v & 1n));
    }
    default:
      if (wire === 0) return Number(r.varint());
      r.skip(wire);
      return undefined;
  }
}

/** The wire type a field of this descriptor type travels as (repeated scalars may also be packed). */
function wireOf(f: FieldDesc): number {
  switch (f.type) {
    case 1: // double
    case 6: // fixed64
    case 16: // sfixed64
      return 1;
    case 2: // float
    case 7: // fixed32
    case 15: // sfixed32
      return 5;
    case 9: // string
    case 11: // message
    case 12: // bytes
      return 2;
    default:
      return 0;
  }
}

function decodeMessage(reg: Map<string, MessageDesc>, typeName: string, buf: Buffer, depth = 0): unknown {
  // Messages inside messages cost two bytes a level: a 3 MiB body could nest far past the stack.
  if (depth > MAX_NESTING) throw new ProtoError('proto: exceeded maximum recursion depth');
  const sp = special(typeName, buf);
  if (sp) return sp.value;
  const desc = reg.get(typeName);
  if (!desc) throw new Error(`no protobuf description of ${typeName}`);
  const out: Record<string, unknown> = {};
  for (const [num, wire, r] of fieldsOf(buf)) {
    const f = desc.fields.get(num);
    if (!f) {
      r.skip(wire);
      continue;
    }
    if (wire !== wireOf(f) && !(wire === 2 && f.repeated)) {
      throw new ProtoError(`proto: wrong wireType = ${wire} for field ${f.name.charAt(0).toUpperCase()}${f.name.slice(1)}`);
    }
    if (f.type === 11) {
      const child = r.bytes();
      const childDesc = reg.get(f.typeName!);
      if (childDesc?.mapEntry) {
        const entry = decodeMessage(reg, f.typeName!, child, depth + 1) as { key?: unknown; value?: unknown };
        const map = (out[f.name] ??= {}) as Record<string, unknown>;
        // Map keys are the sender's (a ConfigMap's data keys, labels): kept as plain members.
        setOwn(map, String(entry.key ?? ''), entry.value ?? (childDesc.fields.get(2)?.type === 9 ? '' : entry.value));
        continue;
      }
      const value = decodeMessage(reg, f.typeName!, child, depth + 1);
      if (value === undefined) continue;
      // Go structs embedded with `json:",inline"` are a message of their own in protobuf; in
      // JSON their fields sit in the parent (an Ingress rule's http, a volume's configMap).
      if (INLINED.has(f.name) && !f.repeated && typeof value === 'object' && value !== null) {
        for (const [k, v] of Object.entries(value)) setOwn(out, k, v);
        continue;
      }
      if (f.repeated) ((out[f.name] ??= []) as unknown[]).push(value);
      else out[f.name] = value;
      continue;
    }
    if (f.repeated && wire === 2 && f.type !== 9 && f.type !== 12) {
      const packed = new Reader(r.bytes());
      const list = (out[f.name] ??= []) as unknown[];
      while (!packed.done()) list.push(scalar(f, f.type === 1 ? 1 : f.type === 2 ? 5 : 0, packed));
      continue;
    }
    const v = scalar(f, wire, r);
    if (f.repeated) ((out[f.name] ??= []) as unknown[]).push(v);
    // Go writes every non-pointer string, set or not; an empty one means "unset" there, and
    // defaulting must see it as absent. Map values keep their empty strings (handled above).
    else if (desc.mapEntry || (v !== '' && ((v !== 0 && v !== false) || KEEP_ZERO.has(f.name)))) out[f.name] = v;
  }
  return out;
}

/** Message fields that stand for an embedded, inlined Go struct (see decodeMessage). */
const INLINED = new Set(['ingressRuleValue', 'volumeSource', 'persistentVolumeSource', 'handler', 'ephemeralContainerCommon']);

/**
 * Go also writes non-pointer numbers and booleans when zero, where JSON would omit them; these
 * are the pointer fields whose explicit 0 or false means something and must be kept.
 */
const KEEP_ZERO = new Set([
  'replicas', 'parallelism', 'completions', 'backoffLimit', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds',
  'runAsUser', 'runAsGroup', 'fsGroup', 'revisionHistoryLimit', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit',
  'defaultMode', 'mode', 'startingDeadlineSeconds', 'ttlSecondsAfterFinished', 'tolerationSeconds', 'priority', 'value',
  'automountServiceAccountToken', 'immutable', 'suspend', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem',
  'runAsNonRoot', 'privileged', 'enableServiceLinks', 'allowVolumeExpansion', 'optional', 'minReadySeconds',
  'expirationSeconds', 'gracePeriodSeconds', 'orphanDependents', 'globalDefault', 'minReplicas', 'maxReplicas',
]);

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/**
 * Decodes a `application/vnd.kubernetes.protobuf` body into the object's JSON form. A body the
 * protobuf serializer refuses is a DecodeFailure: before the envelope's apiVersion and kind are
 * read, it names neither; after, it names both.
 */
export function decodeProtobufObject(body: Buffer): unknown {
  const reg = descriptors();
  // Without kubectl's descriptors there is no reading protobuf: only JSON and YAML are taken.
  if (!reg) throw unsupportedMediaType(CUSTOM_OBJECT_MEDIA_TYPES);
  if (body.length === 0) throw new DecodeFailure('empty data');
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw new DecodeFailure(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`);
  }
  if (body.length === 4) throw new DecodeFailure('empty body');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  try {
    for (const [num, wire, r] of fieldsOf(body.subarray(4))) {
      if (num === 1 && wire === 2) {
        for (const [tn, tw, tr] of fieldsOf(r.bytes())) {
          if (tn === 1 && tw === 2) apiVersion = tr.bytes().toString('utf8');
          else if (tn === 2 && tw === 2) kind = tr.bytes().toString('utf8');
          else tr.skip(tw);
        }
      } else if (num === 2 && wire === 2) raw = r.bytes();
      else r.skip(wire);
    }
  } catch (err) {
    if (err instanceof ProtoError) throw new DecodeFailure(err.message);
    throw err;
  }
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  // The protobuf package is the Go package: io.k8s.api.apps → k8s.io.api.apps.
  const pkg = own<string>(GROUP_PACKAGES, group)?.replace(/^io\.k8s\.api\./, '');
  const typeName = `.k8s.io.api.${pkg}.${version}.${kind}`;
  if (!reg.has(typeName)) throw unsupportedMediaType(CUSTOM_OBJECT_MEDIA_TYPES);
  try {
    const obj = decodeMessage(reg, typeName, raw ?? Buffer.alloc(0)) as Record<string, unknown>;
    return { apiVersion, kind, ...obj };
  } catch (err) {
    // A RangeError is a value JavaScript cannot hold (a time past year 275760): refused, not a 500.
    if (err instanceof ProtoError || err instanceof RangeError) throw new DecodeFailure(err.message, { kind, version });
    throw err;
  }
}
