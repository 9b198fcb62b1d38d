// Field validation against the kind's OpenAPI schema, as the apiserver's strict decoder does:
// wrong JSON types are always an error; unknown fields are an error, a warning or ignored by
// the request's fieldValidation (kubectl's --validate=strict|warn|false).
import type { KindDef } from './kinds/types.js';
import { definitionName, definitions, resolve, type Schema } from './schema/definitions.js';

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

export function checkFields(def: KindDef, obj: unknown): FieldProblems {
  const problems: FieldProblems = { typeErrors: [], unknown: [], duplicates: [] };
  if (def.crd) return problems;
  let name: string | undefined;
  try {
    name = definitionName(def.group, def.version, def.kind);
  } catch {
    return problems;
  }
  if (!name) return problems;
  walk(definitions()[name], obj, '', def.kind, problems);
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

function walk(raw: Schema, value: unknown, path: string, owner: string, out: FieldProblems): void {
  if (value === null || value === undefined) return;
  const schema = resolve(raw);
  const here = refName(raw) ?? owner;
  const fmt = schema.format;
  if (fmt === 'int-or-string' || schema.type === undefined && !schema.properties && !schema.items) {
    if (fmt === 'int-or-string' && typeof value !== 'string' && typeof value !== 'number') {
      out.typeErrors.push(`json: cannot unmarshal ${jsonType(value)} into Go struct field ${owner}.${path} of type intstr.IntOrString`);
    }
    return;
  }
  const mismatch = (goType: string) =>
    out.typeErrors.push(`json: cannot unmarshal ${jsonType(value)} into Go struct field ${owner}.${path} of type ${goType}`);
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') mismatch(fmt === 'byte' ? '[]uint8' : 'string');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) mismatch(GO_TYPES[fmt ?? 'integer'] ?? 'int64');
      return;
    case 'number':
      if (typeof value !== 'number') mismatch('float64');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch('bool');
      return;
    case 'array':
      if (!Array.isArray(value)) {
        mismatch(`[]${schema.items ? goName(schema.items) : 'interface {}'}`);
        return;
      }
      if (schema.items) value.forEach((item, i) => walk(schema.items!, item, `${path}[${i}]`, owner, out));
      return;
    case 'object':
    default: {
      if (typeof value !== 'object' || Array.isArray(value)) {
        mismatch(schema.properties ? `v1.${here}` : 'map[string]string');
        return;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (schema.properties) {
        for (const [k, v] of entries) {
          const child = schema.properties[k];
          const childPath = path ? `${path}.${k}` : k;
          if (!child) {
            out.unknown.push(childPath);
            continue;
          }
          walk(child, v, childPath, here, out);
        }
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        for (const [k, v] of entries) walk(schema.additionalProperties, v, path ? `${path}.${k}` : k, owner, out);
      }
    }
  }
}

function goName(schema: Schema): string {
  return `v1.${refName(schema) ?? 'Object'}`;
}
