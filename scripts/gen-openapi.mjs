// Generates dist/openapi/definitions.json: Swagger-2.0 style definitions, keyed by Kubernetes'
// own definition names, read with the TypeScript compiler from the kubernetes-types package
// (its declarations carry every field's type and description). Nothing here is hand-typed but
// the mapping from package folders to definition prefixes and the few scalar aliases.
import ts from 'typescript';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const typesDir = path.join(root, 'node_modules', 'kubernetes-types');
const mergeKeys = JSON.parse(readFileSync(path.join(root, 'src', 'core', 'cluster', 'patch', 'merge-keys.json'), 'utf8'));

function files(dir) {
  const out = [];
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (f.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The definition-name prefix of a declaration file, e.g. apps/v1.d.ts → io.k8s.api.apps.v1. */
function prefixOf(file) {
  const rel = path.relative(typesDir, file).replace(/\.d\.ts$/, '').split(path.sep).join('/');
  if (rel === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (rel === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (rel === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (rel.startsWith('meta/')) return `io.k8s.apimachinery.pkg.apis.meta.${rel.split('/')[1]}`;
  if (rel.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${rel.split('/')[1]}`;
  const [group, version] = rel.split('/');
  return version ? `io.k8s.api.${group}.${version}` : undefined;
}

const SCALARS = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string', description: 'Quantity is a fixed-point representation of a number. It is serialized as a string, such as "100m", "1Gi" or "0.5".' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time', description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON, as an RFC 3339 timestamp.' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time', description: 'MicroTime is version of Time with microsecond level precision.' },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string', description: 'IntOrString is a type that can hold an int32 or a string.' },
};

const program = ts.createProgram(files(typesDir), { noEmit: true, skipLibCheck: true });
const checker = program.getTypeChecker();
const definitions = { ...SCALARS };

function docOf(node) {
  const tags = ts.getJSDocCommentsAndTags(node);
  for (const t of tags) if (ts.isJSDoc(t) && typeof t.comment === 'string') return t.comment;
  return undefined;
}

function refFor(symbol) {
  let s = symbol;
  if (s.flags & ts.SymbolFlags.Alias) s = checker.getAliasedSymbol(s);
  const decl = s.declarations?.[0];
  if (!decl) return undefined;
  const prefix = prefixOf(decl.getSourceFile().fileName);
  return prefix ? `${prefix}.${s.name}` : undefined;
}

/** A schema for a type node. */
function schemaOf(node) {
  if (!node) return {};
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'integer', format: 'int32' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.ObjectKeyword:
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return { type: 'object' };
    case ts.SyntaxKind.LiteralType:
      return { type: 'string' };
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: schemaOf(node.elementType) };
    case ts.SyntaxKind.ParenthesizedType:
      return schemaOf(node.type);
    case ts.SyntaxKind.UnionType: {
      const kinds = node.types.map((t) => t.kind);
      if (kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) return { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' };
      if (node.types.every((t) => t.kind === ts.SyntaxKind.LiteralType)) return { type: 'string' };
      return { type: 'object' };
    }
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find((m) => m.kind === ts.SyntaxKind.IndexSignature);
      if (index) return { type: 'object', additionalProperties: schemaOf(index.type) };
      return { type: 'object' };
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array' && node.typeArguments?.length) return { type: 'array', items: schemaOf(node.typeArguments[0]) };
      if (name === 'Record' && node.typeArguments?.length === 2) return { type: 'object', additionalProperties: schemaOf(node.typeArguments[1]) };
      const sym = checker.getSymbolAtLocation(node.typeName);
      const ref = sym && refFor(sym);
      if (ref && SCALARS[ref]) return { $ref: `#/definitions/${ref}` };
      if (ref) return { $ref: `#/definitions/${ref}` };
      return { type: 'object' };
    }
    default:
      return { type: 'object' };
  }
}

/** int64 where Kubernetes uses it: generations, seconds and byte counts. */
function widen(name, schema) {
  if (schema.type === 'integer' && /(Generation|Seconds|Bytes|Timestamp)$|^(generation|value|revision|observedGeneration)$/.test(name)) schema.format = 'int64';
  return schema;
}

for (const sf of program.getSourceFiles()) {
  const prefix = sf.fileName.startsWith(typesDir) ? prefixOf(sf.fileName) : undefined;
  if (!prefix) continue;
  for (const stmt of sf.statements) {
    if (ts.isTypeAliasDeclaration(stmt)) {
      const name = `${prefix}.${stmt.name.text}`;
      if (SCALARS[name]) continue;
      const s = schemaOf(stmt.type);
      const description = docOf(stmt);
      definitions[name] = { ...(s.$ref ? { type: 'object' } : s), ...(description ? { description } : {}) };
      continue;
    }
    if (!ts.isInterfaceDeclaration(stmt)) continue;
    const name = `${prefix}.${stmt.name.text}`;
    const def = { type: 'object' };
    const description = docOf(stmt);
    if (description) def.description = description;
    const properties = {};
    const required = [];
    let apiVersion;
    let kind;
    for (const m of stmt.members) {
      if (!ts.isPropertySignature(m) || !m.name) continue;
      const field = m.name.getText().replace(/^"|"$/g, '');
      const s = widen(field, schemaOf(m.type));
      const doc = docOf(m);
      if (doc) s.description = doc;
      if (field === 'apiVersion' && m.type && ts.isLiteralTypeNode(m.type)) apiVersion = m.type.literal.text;
      if (field === 'kind' && m.type && ts.isLiteralTypeNode(m.type)) kind = m.type.literal.text;
      const patch = mergeKeys[name]?.[field];
      if (patch) {
        s['x-kubernetes-patch-strategy'] = patch.strategy;
        if (patch.key) s['x-kubernetes-patch-merge-key'] = patch.key;
      }
      properties[field] = s;
      if (!m.questionToken) required.push(field);
    }
    if (Object.keys(properties).length) def.properties = properties;
    if (required.length) def.required = required;
    if (apiVersion && kind && !kind.endsWith('List')) {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      def['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
    }
    if (apiVersion && kind && kind.endsWith('List')) {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      def['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
    }
    definitions[name] = def;
  }
}

// kubernetes-types leaves the `x-kubernetes-*` members out of JSONSchemaProps (their names are
// not identifiers), but the apiserver's schema has them and CRDs use them all the time: without
// them strict field validation would refuse x-kubernetes-preserve-unknown-fields.
const SCHEMA_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
if (definitions[SCHEMA_PROPS]?.properties) {
  Object.assign(definitions[SCHEMA_PROPS].properties, {
    'x-kubernetes-embedded-resource': { type: 'boolean' },
    'x-kubernetes-int-or-string': { type: 'boolean' },
    'x-kubernetes-list-map-keys': { type: 'array', items: { type: 'string' } },
    'x-kubernetes-list-type': { type: 'string' },
    'x-kubernetes-map-type': { type: 'string' },
    'x-kubernetes-preserve-unknown-fields': { type: 'boolean' },
    'x-kubernetes-validations': { type: 'array', items: { $ref: '#/definitions/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule' } },
  });
}

// Refs in array items and maps may point at aliases we folded into plain types.
const out = path.join(root, 'dist', 'openapi');
mkdirSync(out, { recursive: true });
const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path.join(out, 'definitions.json'), JSON.stringify(sorted));
console.log(`openapi: ${Object.keys(sorted).length} definitions from kubernetes-types`);
