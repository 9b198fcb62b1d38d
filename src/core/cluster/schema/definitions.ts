// The OpenAPI definitions generated at build time from kubernetes-types (scripts/gen-openapi.mjs).
// Loaded once, on first use, so a process that never validates or serves OpenAPI never pays for it.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../paths.js';
import { GROUP_PACKAGES } from '../api-groups.js';
import { hasOwn, own } from '../own.js';

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  $ref?: string;
  allOf?: Schema[];
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  [ext: string]: unknown;
}

let cached: Record<string, Schema> | undefined;

/** dist/openapi/definitions.json, whether we run from dist/ (built) or src/ (tests). */
function definitionsFile(): string {
  const p = path.join(packageRoot(), 'dist', 'openapi', 'definitions.json');
  if (existsSync(p)) return p;
  throw new Error('dist/openapi/definitions.json is missing: run `npm run build` first');
}

export function definitions(): Record<string, Schema> {
  if (!cached) cached = JSON.parse(readFileSync(definitionsFile(), 'utf8')) as Record<string, Schema>;
  return cached;
}


/** The definition name of a built-in kind, e.g. io.k8s.api.apps.v1.Deployment. */
export function definitionName(group: string, version: string, kind: string): string | undefined {
  const pkg = own<string>(GROUP_PACKAGES, group);
  if (!pkg) return undefined;
  const name = `${pkg}.${version}.${kind}`;
  return hasOwn(definitions(), name) ? name : undefined;
}

export function resolve(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 8; i++) {
    const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0].$ref : undefined);
    if (!ref) return s;
    const target = own<Schema>(definitions(), ref.replace(/^#\/(definitions|components\/schemas)\//, ''));
    if (!target) return s;
    s = { ...target, ...(s.description ? { description: s.description } : {}) };
  }
  return s;
}
