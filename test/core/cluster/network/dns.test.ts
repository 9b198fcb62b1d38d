import { describe, expect, it } from 'vitest';
import { endpointSubsets } from '../../../../src/core/cluster/controllers/endpoints.js';
import { resolveFromPod, resolveName, resolvConf } from '../../../../src/core/cluster/network/dns.js';
import { listView } from '../../../../src/core/cluster/network/view.js';
import { NODES, pod, svc } from './fixtures.js';

type Obj = Record<string, any>;

/** Endpoints as the controller would write them for these Services and pods. */
function endpointsFor(services: Obj[], pods: Obj[]): Obj[] {
  return services.map((s) => ({ metadata: { name: s.metadata.name, namespace: s.metadata.namespace }, subsets: endpointSubsets(s, pods.filter((p) => p.metadata.namespace === s.metadata.namespace && Object.entries(s.spec.selector ?? { none: 'x' }).every(([k, v]) => p.metadata.labels[k] === v))) }));
}

const services = [
  svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] }),
  svc('web', { clusterIP: '10.96.12.34', selector: { app: 'web' }, ports: [{ port: 80 }] }),
  svc('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }, { namespace: 'data' }),
  svc('search', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }),
  svc('outside', { type: 'ExternalName', externalName: 'www.example.com' }),
];
const pods = [
  pod('web-1', '10.244.1.5'),
  pod('db-0', '10.244.2.7', { ns: 'data', labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' }),
  pod('db-1', '10.244.1.8', { ns: 'data', labels: { app: 'db' }, hostname: 'db-1', subdomain: 'db' }),
  pod('db-2', '10.244.1.9', { ns: 'data', labels: { app: 'db' }, hostname: 'db-2', subdomain: 'db', ready: false }),
  pod('loose', '10.244.2.3', { ns: 'data', labels: { app: 'db' } }),
];
const view = listView({ services, pods, nodes: NODES, endpoints: endpointsFor(services, pods) });

describe('cluster DNS', () => {
  it('answers a Service name with its cluster IP, in any case and with a trailing dot', () => {
    expect(resolveName(view, 'web.default.svc.cluster.local')).toEqual({ name: 'web.default.svc.cluster.local', addresses: ['10.96.12.34'] });
    expect(resolveName(view, 'WEB.default.svc.cluster.local.')?.addresses).toEqual(['10.96.12.34']);
    expect(resolveName(view, 'kubernetes.default.svc.cluster.local')?.addresses).toEqual(['10.96.0.1']);
  });

  it('knows no Service that does not exist', () => {
    expect(resolveName(view, 'nope.default.svc.cluster.local')).toBeUndefined();
    expect(resolveName(view, 'web.other.svc.cluster.local')).toBeUndefined();
  });

  it('answers a headless Service with its ready pods, and each named pod by hostname', () => {
    expect(resolveName(view, 'db.data.svc.cluster.local')?.addresses.sort()).toEqual(['10.244.1.8', '10.244.2.3', '10.244.2.7']);
    expect(resolveName(view, 'db-0.db.data.svc.cluster.local')?.addresses).toEqual(['10.244.2.7']);
    // A pod without a hostname answers to its dashed address; a pod that is not ready not at all.
    expect(resolveName(view, '10-244-2-3.db.data.svc.cluster.local')?.addresses).toEqual(['10.244.2.3']);
    expect(resolveName(view, 'db-2.db.data.svc.cluster.local')).toBeUndefined();
    expect(resolveName(view, 'web-1.web.default.svc.cluster.local')).toBeUndefined();
  });

  it('answers an ExternalName Service with an alias', () => {
    expect(resolveName(view, 'search.default.svc.cluster.local')).toEqual({ name: 'search.default.svc.cluster.local', cname: 'web.default.svc.cluster.local', addresses: ['10.96.12.34'] });
    expect(resolveName(view, 'outside.default.svc.cluster.local', (n) => (n === 'www.example.com' ? ['93.184.215.14'] : undefined))).toEqual({ name: 'outside.default.svc.cluster.local', cname: 'www.example.com', addresses: ['93.184.215.14'] });
  });

  it('answers a pod\'s dashed address under <ns>.pod.cluster.local', () => {
    expect(resolveName(view, '10-244-1-5.default.pod.cluster.local')?.addresses).toEqual(['10.244.1.5']);
    expect(resolveName(view, '10-244-1-500.default.pod.cluster.local')).toBeUndefined();
  });

  it('knows the kind nodes by name, as the docker network does', () => {
    expect(resolveName(view, 'kubedojo-worker')?.addresses).toEqual(['172.18.0.3']);
  });

  it('walks the search path of the pod\'s namespace', () => {
    expect(resolveFromPod(view, 'default', 'web')?.name).toBe('web.default.svc.cluster.local');
    expect(resolveFromPod(view, 'data', 'web')).toBeUndefined();
    expect(resolveFromPod(view, 'data', 'web.default')?.addresses).toEqual(['10.96.12.34']);
    expect(resolveFromPod(view, 'data', 'kubernetes.default.svc')?.addresses).toEqual(['10.96.0.1']);
    expect(resolveFromPod(view, 'data', 'db-0.db')?.addresses).toEqual(['10.244.2.7']);
  });

  it('writes the resolv.conf a ClusterFirst pod gets', () => {
    expect(resolvConf('shop')).toBe('search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });
});
