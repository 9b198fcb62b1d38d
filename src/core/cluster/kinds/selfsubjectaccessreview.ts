// SelfSubjectAccessReview (authorization.k8s.io/v1): "may I do this?" — created, answered, never
// stored. `kubectl auth can-i` asks it.
import type { KindDef, Unstructured } from './types.js';
import { fieldError } from '../errors.js';


export const selfSubjectAccessReview: KindDef = {
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  verbs: ['create'],
  validate(obj) {
    const spec = (obj.spec ?? {}) as Unstructured;
    if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
      return [fieldError.invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
    }
    return [];
  },
};

/** SelfSubjectRulesReview: "what may I do in this namespace?" — `kubectl auth can-i --list`. */
export const selfSubjectRulesReview: KindDef = {
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  namespaced: false,
  verbs: ['create'],
};
