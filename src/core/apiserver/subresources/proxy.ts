// The services/proxy and pods/proxy subresources over HTTP: the request after `/proxy` is relayed
// to the backend the cluster network picks, and its answer is written back as it came.
import { apiProxy, splitSchemeNamePort } from '../../cluster/network/api-proxy.js';
import { readBody } from '../body.js';
import type { SubresourceRequest } from './request.js';

export async function proxySubresource(r: SubresourceRequest): Promise<void> {
  const url = new URL(r.req.url ?? '/', 'http://apiserver');
  const rest = /\/namespaces\/[^/]+\/(?:services|pods)\/[^/]+\/proxy(\/.*)?$/.exec(url.pathname)?.[1] ?? '/';
  const path = `${rest}${url.search}`;
  const body = r.req.method === 'GET' || r.req.method === 'HEAD' ? undefined : (await readBody(r.req)).toString();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.req.headers)) {
    if (typeof v === 'string' && !['authorization', 'host', 'connection'].includes(k)) headers[k] = v;
  }
  const spec = decodeURIComponent(r.name);
  const host = splitSchemeNamePort(spec)?.name ?? spec;
  const res = apiProxy(r.cluster, r.def.plural === 'services' ? 'services' : 'pods', r.namespace!, spec, {
    method: r.req.method ?? 'GET',
    url: `http://${host}${path}`,
    host,
    path,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  r.res.writeHead(res.status, res.statusText ?? '', res.headers);
  r.res.end(r.req.method === 'HEAD' ? undefined : res.body);
}
