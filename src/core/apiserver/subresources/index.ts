// Subresources other than status, each answered by its own handler, as the apiserver registers a
// REST storage per subresource: scale, proxy, log, eviction and binding of pods, a namespace's
// finalize, a ServiceAccount's token, a CertificateSigningRequest's approval. The streaming ones (exec, attach, port-forward) are in
// ../streams; without a runtime behind them they answer as a cluster with no kubelet yet would.
import type { Binding, Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { badRequest } from '../../cluster/errors.js';
import { decodeObject, readBody } from '../body.js';
import { serveApproval } from './approval.js';
import { serveEviction } from './eviction.js';
import { servePodLog } from './log.js';
import { proxySubresource } from './proxy.js';
import { CREATED, type SubresourceRequest } from './request.js';
import { serveScale } from './scale.js';
import { serveTokenRequest } from './token.js';

export type { SubresourceRequest } from './request.js';

export async function handleSubresource(r: SubresourceRequest): Promise<void> {
  if (r.subresource === 'scale') return serveScale(r);
  if (r.subresource === 'proxy' && (r.def.kind === 'Service' || r.def.kind === 'Pod')) return proxySubresource(r);
  if (r.subresource === 'approval' && r.def.kind === 'CertificateSigningRequest') return serveApproval(r);
  const { cluster } = r;
  const obj = cluster.get(r.def, r.namespace, r.name);
  if (r.subresource === 'eviction' && r.def.kind === 'Pod' && r.req.method === 'POST') return serveEviction(r, obj);
  if (r.subresource === 'log' && r.def.kind === 'Pod' && r.req.method === 'GET') return servePodLog(r, obj as Pod);
  if (r.subresource === 'finalize' && r.def.kind === 'Namespace' && r.req.method === 'PUT') {
    const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], 'Namespace') as Namespace | undefined;
    const result = cluster.finalizeNamespace(r.name, body?.spec?.finalizers ?? []);
    return r.json(200, result ?? obj);
  }
  if (r.subresource === 'token' && r.def.kind === 'ServiceAccount' && r.req.method === 'POST') return serveTokenRequest(r, obj);
  if (r.subresource === 'binding' && r.def.kind === 'Pod' && r.req.method === 'POST') {
    const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], 'Binding') as Partial<Binding> | undefined;
    if (!body?.target?.name) throw badRequest('Binding.target.name: Required value');
    cluster.bind(r.namespace!, r.name, body.target.name, { dryRun: r.q.has('dryRun') });
    return r.json(201, CREATED);
  }
  throw badRequest(`${r.subresource} is not available for ${r.def.plural} "${r.name}" yet: the pod has no running container`);
}
