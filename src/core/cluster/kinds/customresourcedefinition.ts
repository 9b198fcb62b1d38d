// CustomResourceDefinition (apiextensions.k8s.io/v1): a new kind for this cluster. On write its
// names are accepted and it becomes Established at once, as a healthy apiserver reports.
import type { KindDef, KObject, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { rfc3339 } from '../clock.js';
import { isDNS1123Subdomain } from '../validation/names.js';
import { own } from '../own.js';
import { re2Refusal } from '../learner-regexp.js';


function established(obj: KObject, now: Date): void {
  const spec = (obj.spec ?? {}) as Unstructured;
  const t = rfc3339(now);
  obj.status = {
    acceptedNames: spec.names ?? {},
    storedVersions: (spec.versions ?? []).filter((v: Unstructured) => v.storage).map((v: Unstructured) => v.name),
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: t, reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: t, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
  };
}

/**
 * Patterns RE2 cannot compile, which the apiserver refuses when the CRD is written (and which
 * are the ones JavaScript could only run by backtracking). The schema is walked with a stack of
 * its own: it may nest as deep as the learner wrote it.
 */
function patternErrors(root: unknown, rootPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[root, rootPath]];
  while (stack.length) {
    const [schema, path] = stack.pop()!;
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) continue;
    const pattern = own(schema, 'pattern');
    if (typeof pattern === 'string') {
      const why = re2Refusal(pattern);
      if (why) errs.push(fieldError.invalid(`${path}.pattern`, pattern, `must be a valid regular expression, but isn't: error parsing regexp: ${why}`));
    }
    // Pushed in reverse, so they come off the stack as written: properties, items, additionalProperties.
    stack.push([own(schema, 'additionalProperties'), `${path}.additionalProperties`], [own(schema, 'items'), `${path}.items`]);
    const properties = own(schema, 'properties');
    if (properties && typeof properties === 'object') {
      for (const k of Object.keys(properties).reverse()) stack.push([own(properties, k), `${path}.properties[${k}]`]);
    }
  }
  return errs;
}

export const customResourceDefinition: KindDef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  subresources: ['status'],
  columns: [{ name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' }],
  row: (obj) => [obj.metadata.creationTimestamp ?? ''],
  prepareForCreate: (obj, ctx) => established(obj, ctx.now()),
  prepareForUpdate: (obj, _old, ctx) => established(obj, ctx.now()),
  defaults(obj) {
    const spec = ((obj as Unstructured).spec ??= {});
    spec.names ??= {};
    spec.names.singular ??= String(spec.names.kind ?? '').toLowerCase();
    spec.names.listKind ??= `${spec.names.kind}List`;
    spec.conversion ??= { strategy: 'None' };
  },
  validate(obj) {
    const spec = ((obj as Unstructured).spec ?? {}) as Unstructured;
    const errs: FieldError[] = [];
    if (!spec.group) errs.push(fieldError.required('spec.group', ''));
    else for (const m of isDNS1123Subdomain(spec.group)) errs.push(fieldError.invalid('spec.group', spec.group, m));
    if (!spec.names?.plural) errs.push(fieldError.required('spec.names.plural', ''));
    if (!spec.names?.kind) errs.push(fieldError.required('spec.names.kind', ''));
    if (!['Namespaced', 'Cluster'].includes(spec.scope)) errs.push(spec.scope ? fieldError.notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']) : fieldError.required('spec.scope', ''));
    if (spec.group && spec.names?.plural && obj.metadata.name !== `${spec.names.plural}.${spec.group}`) {
      errs.push(fieldError.invalid('metadata.name', obj.metadata.name, 'must be spec.names.plural+"."+spec.group'));
    }
    const versions: Unstructured[] = spec.versions ?? [];
    if (!versions.length) errs.push(fieldError.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
    else if (versions.filter((v) => v.storage).length !== 1) errs.push(fieldError.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
    versions.forEach((v, i) => {
      if (!v.schema?.openAPIV3Schema) errs.push(fieldError.required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
      else errs.push(...patternErrors(v.schema.openAPIV3Schema, `spec.versions[${i}].schema.openAPIV3Schema`));
    });
    return errs;
  },
};
