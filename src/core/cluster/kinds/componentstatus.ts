// ComponentStatus: the deprecated health view of the control plane; read-only.
import type { KindDef, Unstructured } from './types.js';


export const componentStatus: KindDef = {
  group: '',
  version: 'v1',
  kind: 'ComponentStatus',
  plural: 'componentstatuses',
  singular: 'componentstatus',
  namespaced: false,
  shortNames: ['cs'],
  verbs: ['get', 'list'],
  deprecationWarning: 'v1 ComponentStatus is deprecated in v1.19+',
  columns: [
    { name: 'Status', type: 'string', description: 'Status of the component conditions' },
    { name: 'Message', type: 'string', description: 'Message of the component conditions' },
    { name: 'Error', type: 'string', description: 'Error of the component conditions' },
  ],
  row(obj) {
    const c = ((obj as Unstructured).conditions ?? []).find((x: Unstructured) => x.type === 'Healthy') ?? {};
    return [c.status === 'True' ? 'Healthy' : 'Unhealthy', c.message ?? '', c.error ?? ''];
  },
};
