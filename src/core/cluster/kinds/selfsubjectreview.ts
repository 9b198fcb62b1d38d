// SelfSubjectReview (authentication.k8s.io/v1): "who am I?" — created, answered with the
// requester as authentication saw them, never stored. `kubectl auth whoami` asks it.
import type { KindDef } from './types.js';

export const selfSubjectReview: KindDef = {
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  verbs: ['create'],
};
