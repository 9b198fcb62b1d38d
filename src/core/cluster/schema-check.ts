// Field validation against the kind's OpenAPI schema, as the apiserver's strict decoder does:
// wrong JSON types are always an error; unknown fields are an error, a warning or ignored by
// the request's fieldValidation (kubectl's --validate=strict|warn|false).
import type { KindDef } from './kinds/types.js';
import { definitionName, definitions, resolve, type Schema } from './schema/definitions.js';
import { own } from './own.js';

export interface FieldProblems {
  typeErrors: string[];
  unknown: string[];
  /** Duplicate keys are lost by JSON.parse before we see them; kept for the Status shape. */
  duplicates: string[];
}

const GO_TYPES: Record<string, string> = {
  int32: 'int32',
  int64: 'int64',
  integer: 'int64',
  number: 'float64',
  boolean: 'bool',
  string: 'string',
};

/**
 * Checks `obj` against the kind's schema. Unknown fields are reported and, unless `prune` is
 * false, removed from `obj` (which must then be the caller's own copy), as decoding into a Go
 * struct drops them: under Strict
 * the caller then refuses the request, under Warn it warns, under Ignore it says nothing.
 * Field names are looked up among the schema's own properties only, so `constructor` or
 * `__proto__` are unknown fields like any other.
 */
export function checkFields(def: KindDef, obj: unknown, opts: { prune?: boolean } = {}): FieldProblems {
  const problems: FieldProblems = { typeErrors: [], unknown: [], duplicates: [] };
  if (def.crd) return problems;
  let name: string | undefined;
  try {
    name = definitionName(def.group, def.version, def.kind);
  } catch {
    return problems;
  }
  if (!name) return problems;
  walk(definitions()[name], obj, def.kind, problems, opts.prune ?? true);
  return problems;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/** The Go struct a definition stands for: the last segment of its name. */
function refName(schema: Schema): string | undefined {
  const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0].$ref : undefined);
  return ref ? ref.split('.').pop() : undefined;
}

interface Visit {
  raw: Schema;
  value: unknown;
  path: string;
  owner: string;
}

/** A field the schema does not declare, reported when the walk reaches it (document order). */
interface Unknown {
  unknown: string;
  parent: Record<string, unknown>;
  key: string;
}

/**
 * Visits the value with an explicit stack rather than recursion: a CRD's schema is itself data
 * (JSONSchemaProps nest as deep as the learner wrote them), and must not exhaust the call stack.
 * Problems come out in document order, as the recursive walk of Go's decoder reports them.
 */
function walk(root: Schema, value: unknown, kind: string, out: FieldProblems, prune: boolean): void {
  const stack: Array<Visit | Unknown> = [{ raw: root, value, path: '', owner: kind }];
  while (stack.length) {
    const item = stack.pop()!;
    if ('unknown' in item) {
      out.unknown.push(item.unknown);
      // Decoding into the Go struct drops what it has no field for.
      if (prune) delete item.parent[item.key];
      continue;
    }
    const { raw, value: v, path, owner } = item;
    if (v === null || v === undefined) continue;
    const schema = resolve(raw);
    const here = refName(raw) ?? owner;
    const fmt = schema.format;
    if (fmt === 'int-or-string' || (schema.type === undefined && !schema.properties && !schema.items)) {
      if (fmt === 'int-or-string' && typeof v !== 'string' && typeof v !== 'number') {
        out.typeErrors.push(`json: cannot unmarshal ${jsonType(v)} into Go struct field ${owner}.${path} of type intstr.IntOrString`);
      }
      continue;
    }
    const mismatch = (goType: string) =>
      out.typeErrors.push(`json: cannot unmarshal ${jsonType(v)} into Go struct field ${owner}.${path} of type ${goType}`);
    const children: Array<Visit | Unknown> = [];
    switch (schema.type) {
      case 'string':
        if (typeof v !== 'string') mismatch(fmt === 'byte' ? '[]uint8' : 'string');
        break;
      case 'integer': {
        const goType = own<string>(GO_TYPES, fmt ?? 'integer') ?? 'int64';
        if (typeof v !== 'number') mismatch(goType);
        // Go names the number it could not fit: a fraction, or one past the integer's bits.
        else if (!Number.isInteger(v) || !fitsInt(v, goType)) out.typeErrors.push(`json: cannot unmarshal number ${v} into Go struct field ${owner}.${path} of type ${goType}`);
        break;
      }
      case 'number':
        if (typeof v !== 'number') mismatch('float64');
        break;
      case 'boolean':
        if (typeof v !== 'boolean') mismatch('bool');
        break;
      case 'array':
        if (!Array.isArray(v)) {
          mismatch(`[]${schema.items ? goName(schema.items) : 'interface {}'}`);
          break;
        }
        if (schema.items) v.forEach((item, i) => children.push({ raw: schema.items!, value: item, path: `${path}[${i}]`, owner }));
        break;
      case 'object':
      default: {
        if (typeof v !== 'object' || Array.isArray(v)) {
          mismatch(schema.properties ? `v1.${here}` : 'map[string]string');
          break;
        }
        const obj = v as Record<string, unknown>;
        if (schema.properties) {
          for (const k of Object.keys(obj)) {
            const child = own<Schema>(schema.properties, k);
            const childPath = path ? `${path}.${k}` : k;
            if (!child) {
              children.push({ unknown: childPath, parent: obj, key: k });
              continue;
            }
            children.push({ raw: child, value: obj[k], path: childPath, owner: here });
          }
        } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          const item = schema.additionalProperties;
          for (const k of Object.keys(obj)) children.push({ raw: item, value: obj[k], path: path ? `${path}.${k}` : k, owner });
        }
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/** Whether an integer fits Go's int32 or int64 (numbers past 2^53 are already approximate here). */
function fitsInt(v: number, goType: string): boolean {
  const bits = goType === 'int32' ? 31 : 63;
  return v >= -(2 ** bits) && v < 2 ** bits;
}

function goName(schema: Schema): string {
  return `v1.${refName(schema) ?? 'Object'}`;
}
