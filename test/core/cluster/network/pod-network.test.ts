import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../../../src/core/cluster/cluster.js';
import { endpointSubsets } from '../../../../src/core/cluster/controllers/endpoints.js';
import type { HttpRequest } from '../../../../src/core/cluster/kubelet/shell/types.js';
import { podNetwork } from '../../../../src/core/cluster/network/pod-network.js';
import type { PodServers } from '../../../../src/core/cluster/network/types.js';
import { listView } from '../../../../src/core/cluster/network/view.js';
import { NODES, pod, svc } from './fixtures.js';

const numbers = svc('numbers-api', { type: 'ExternalName', externalName: 'raw.githubusercontent.com' });
const web = svc('web', { clusterIP: '10.96.12.34', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
const pods = [pod('web-a', '10.244.1.5'), pod('client', '10.244.1.9', { labels: { app: 'client' } })];
const view = listView({ services: [web, numbers], pods, nodes: NODES, endpoints: [{ metadata: web.metadata, subsets: endpointSubsets(web, [pods[0]]) }] });

/** Pods whose only server is web-a on 8080, recording what it was asked. */
function servers(): PodServers & { seen: Array<{ pod: string; port: number; req: HttpRequest; from?: string }> } {
  const seen: Array<{ pod: string; port: number; req: HttpRequest; from?: string }> = [];
  return {
    seen,
    serveHttp(_ns, pod, port, req, from) {
      seen.push({ pod, port, req, from });
      if (pod !== 'web-a' || port !== 8080) return undefined;
      return { status: 200, headers: { 'content-type': 'text/html' }, body: 'hello' };
    },
  };
}

const get = (ip: string, port: number, host = ip): HttpRequest => ({ method: 'GET', url: `http://${host}:${port}/`, host, ip, port, path: '/', headers: {} });

describe('a pod\'s network', () => {
  it('resolves a Service and reaches its backend on the target port, from the pod\'s address', () => {
    const s = servers();
    const net = podNetwork({} as Cluster, 'default', 'client', { view, servers: s });
    const answer = net.lookup('web.default.svc.cluster.local');
    expect(answer?.addresses).toEqual(['10.96.12.34']);
    const res = net.http(get('10.96.12.34', 80, 'web'));
    expect(res).toMatchObject({ status: 200, body: 'hello' });
    expect(s.seen[0]).toMatchObject({ pod: 'web-a', port: 8080, from: '10.244.1.9', req: { host: 'web', ip: '10.244.1.5', port: 8080 } });
  });

  it('is refused where nothing listens and times out where nobody is', () => {
    const net = podNetwork({} as Cluster, 'default', 'client', { view, servers: servers() });
    expect(net.http(get('10.244.1.5', 80))).toEqual({ error: 'refused' });
    expect(net.http(get('10.1.2.3', 80))).toEqual({ error: 'timeout' });
    expect(net.connect!('10.96.12.34', 80)).toBe('open');
    expect(net.connect!('10.244.1.5', 9000)).toBe('refused');
  });

  it('follows an ExternalName Service to the outside name it aliases', () => {
    const net = podNetwork({} as Cluster, 'default', 'client', { view, servers: servers() });
    expect(net.lookup('numbers-api.default.svc.cluster.local')).toEqual({ name: 'numbers-api.default.svc.cluster.local', cname: 'raw.githubusercontent.com', addresses: ['185.199.108.133', '185.199.109.133', '185.199.110.133', '185.199.111.133'] });
  });

  it('knows localhost and its own name from /etc/hosts', () => {
    const net = podNetwork({} as Cluster, 'default', 'client', { view, servers: servers() });
    expect(net.lookup('localhost')?.addresses).toEqual(['127.0.0.1']);
    expect(net.lookup('client')?.addresses).toEqual(['10.244.1.9']);
    expect(net.ping('10.96.12.34')).toBe(false);
    expect(net.ping('10.244.1.5')).toBe(true);
  });

  it('is refused everywhere when no node answers for the pods', () => {
    const net = podNetwork({} as Cluster, 'default', 'client', { view });
    expect(net.http(get('10.96.12.34', 80))).toEqual({ error: 'refused' });
  });
});
