// NetworkPolicy (networking.k8s.io/v1): which traffic may reach or leave selected pods.
import type { KindDef } from './types.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { formatLabelSelector } from '../selectors.js';

type Obj = Record<string, any>;

export const networkPolicy: KindDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  columns: [{ name: 'Pod-Selector', type: 'string', description: 'Selects the pods to which this NetworkPolicy object applies.' }, AGE_COLUMN],
  row: (obj, ctx) => [formatLabelSelector((obj as Obj).spec?.podSelector ?? {}), creationAge(obj, ctx.now())],
  defaults(obj) {
    const spec = ((obj as Obj).spec ??= {});
    spec.podSelector ??= {};
    if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  },
};
