// The ServiceAccount admission plugin's refusal: a pod naming a service account that does not
// exist is not admitted (its defaulting and token volume live with the Pod kind). The `default`
// account is left to the serviceaccount controller, which creates it just after its namespace.
import type { AdmissionRequest, Cluster } from '../cluster.js';
import { forbidden } from '../errors.js';
import { admissionName } from './quota.js';
import type { Unstructured } from '../kinds/types.js';


export function serviceAccountAdmission(cluster: Cluster) {
  return (req: AdmissionRequest): void => {
    if (req.operation !== 'CREATE' || req.def.group !== '' || req.def.plural !== 'pods') return;
    const pod = req.object as Unstructured;
    const sa = pod.spec?.serviceAccountName;
    if (!sa || sa === 'default' || pod.metadata.annotations?.['kubernetes.io/config.mirror']) return;
    const ns = pod.metadata.namespace;
    if (cluster.store.get('/serviceaccounts', ns, sa)) return;
    throw forbidden({ group: '', resource: 'pods' }, admissionName(pod), `error looking up service account ${ns}/${sa}: serviceaccount "${sa}" not found`);
  };
}
