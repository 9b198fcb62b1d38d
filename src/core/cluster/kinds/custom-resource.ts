// The kinds a CRD defines: one per served version, with the CRD's names, scope, printer
// columns and subresources, validated and pruned against the version's OpenAPI v3 schema.
import type { Column, KindDef, KObject, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { copyJson, hasOwn, own, setOwn } from '../own.js';
import { compile } from '../learner-regexp.js';


/** A small JSONPath evaluator for printer columns: `.spec.replicas`, `.status.conditions[0].type`. */
export function simpleJsonPath(obj: unknown, path: string): unknown {
  const clean = path.replace(/^\{|\}$/g, '').replace(/^\$/, '');
  let cur: unknown = obj;
  for (const m of clean.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = m[1] !== undefined ? own(cur, m[1]) : own(cur, Number(m[2]));
  }
  return cur;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Validates and prunes `value` against a structural schema; returns the pruned value. */
function check(schema: Unstructured | undefined, value: unknown, path: string, errs: FieldError[]): unknown {
  if (!schema || value === undefined) return value;
  if (value === null) return schema.nullable ? null : undefined;
  const want = schema.type as string | undefined;
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) errs.push(fieldError.invalid(path, value, `${path} in body must be of type integer,string: "${typeOf(value)}"`));
    return value;
  }
  const actual = typeOf(value);
  if (want && !(want === actual || (want === 'number' && actual === 'integer'))) {
    errs.push({ type: "FieldValueTypeInvalid", field: path, value: actual, detail: `${path} in body must be of type ${want}: "${actual}"` });
    return value;
  }
  if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    errs.push(fieldError.notSupported(path, value, schema.enum.map(String)));
  }
  if (typeof value === 'string') {
    // A pattern JavaScript cannot read (RE2-only syntax) is not checked, rather than failing the write.
    const re = typeof schema.pattern === 'string' ? compile(schema.pattern) : undefined;
    if (re && !re.test(value)) errs.push(fieldError.invalid(path, value, `${path} in body should match '${schema.pattern}'`));
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errs.push(fieldError.tooLong(path, value, schema.maxLength));
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errs.push(fieldError.invalid(path, value, `${path} in body should be greater than or equal to ${schema.minimum}`));
    if (schema.maximum !== undefined && value > schema.maximum) errs.push(fieldError.invalid(path, value, `${path} in body should be less than or equal to ${schema.maximum}`));
  }
  if (Array.isArray(value)) return value.map((v, i) => check(schema.items, v, `${path}[${i}]`, errs));
  if (actual === 'object') {
    const obj = value as Unstructured;
    const out: Unstructured = {};
    for (const req of schema.required ?? []) if (own(obj, req) === undefined) errs.push(fieldError.required(path ? `${path}.${req}` : req, ''));
    for (const [k, v] of Object.entries(obj)) {
      const child = own<Unstructured>(schema.properties, k) ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      const keep = child || schema['x-kubernetes-preserve-unknown-fields'] || schema.additionalProperties === true;
      if (!keep) continue; // pruned, as the apiserver drops unknown fields of structural schemas
      setOwn(out, k, child ? check(child, v, path ? `${path}.${k}` : k, errs) : v);
    }
    for (const [k, p] of Object.entries((schema.properties ?? {}) as Record<string, Unstructured>)) {
      if (own(out, k) === undefined && hasOwn(p, 'default') && p.default !== undefined) setOwn(out, k, copyJson(p.default));
    }
    return out;
  }
  return value;
}

export function kindsFromCrd(crd: KObject): KindDef[] {
  const spec = (crd.spec ?? {}) as Unstructured;
  const names = spec.names ?? {};
  return ((spec.versions ?? []) as Unstructured[])
    .filter((v) => v.served !== false)
    .map((v) => {
      const schema = v.schema?.openAPIV3Schema as Unstructured | undefined;
      const extra: Unstructured[] = v.additionalPrinterColumns ?? [];
      const columns: Column[] = extra.length
        ? extra.map((c) => ({ name: c.name, type: c.type ?? 'string', format: c.format, description: c.description ?? '', priority: c.priority ?? 0 }))
        : [AGE_COLUMN];
      const sub = v.subresources ?? {};
      const def: KindDef = {
        group: spec.group,
        version: v.name,
        kind: names.kind,
        plural: names.plural,
        singular: names.singular ?? String(names.kind).toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: names.shortNames,
        categories: names.categories,
        subresources: [...(sub.status ? ['status'] : []), ...(sub.scale ? ['scale'] : [])],
        scale: sub.scale ? { specReplicasPath: sub.scale.specReplicasPath, statusReplicasPath: sub.scale.statusReplicasPath, labelSelectorPath: sub.scale.labelSelectorPath } : undefined,
        tracksGeneration: true,
        crd,
        columns,
        row(obj, ctx) {
          if (!extra.length) return [creationAge(obj, ctx.now())];
          return extra.map((c) => {
            const val = simpleJsonPath(obj, c.jsonPath);
            if (c.type === 'date' && typeof val === 'string') return val;
            if (val === undefined || val === null) return '<none>';
            return typeof val === 'object' ? JSON.stringify(val) : val;
          });
        },
        defaults(obj) {
          if (!schema) return;
          const { apiVersion, kind, metadata } = obj;
          const errs: FieldError[] = [];
          const pruned = check({ ...schema, properties: { ...(schema.properties ?? {}), apiVersion: {}, kind: {}, metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }, obj, '', errs) as Unstructured;
          for (const k of Object.keys(obj)) delete (obj as Unstructured)[k];
          for (const [k, v] of Object.entries(pruned)) setOwn(obj, k, v);
          Object.assign(obj, { apiVersion, kind, metadata });
        },
        validate(obj) {
          if (!schema) return [];
          const errs: FieldError[] = [];
          const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
          check({ ...schema, required: (schema.required ?? []).filter((r: string) => !['apiVersion', 'kind', 'metadata'].includes(r)) }, rest, '', errs);
          return errs;
        },
      };
      return def;
    });
}
