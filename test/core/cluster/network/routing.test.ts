import { describe, expect, it } from 'vitest';
import { endpointSubsets } from '../../../../src/core/cluster/controllers/endpoints.js';
import { answersPing, route } from '../../../../src/core/cluster/network/routing.js';
import { listView } from '../../../../src/core/cluster/network/view.js';
import { NODES, pod, svc } from './fixtures.js';

type Obj = Record<string, any>;

const web = svc('web', { clusterIP: '10.96.12.34', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
const nodePort = svc('np', { type: 'NodePort', clusterIP: '10.96.7.7', selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 80, nodePort: 30080 }] });
const local = svc('local', { type: 'NodePort', clusterIP: '10.96.7.8', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30081 }] });
const lb = svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.7.9', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30082 }] }, { status: { loadBalancer: { ingress: [{ ip: '172.18.0.5' }] } } });
const empty = svc('empty', { clusterIP: '10.96.9.9', selector: { app: 'nothing' }, ports: [{ port: 80 }] });
const httpPort = [{ name: 'http', containerPort: 80 }];
const pods = [
  pod('web-a', '10.244.1.5', { ports: httpPort, node: 'kubedojo-worker' }),
  pod('web-b', '10.244.2.6', { ports: httpPort, node: 'kubedojo-worker2' }),
  pod('web-c', '10.244.2.7', { ports: httpPort, node: 'kubedojo-worker2', ready: false }),
  pod('client', '10.244.1.9', { labels: { app: 'client' } }),
];
const services = [web, nodePort, local, lb, empty];
const endpoints = services.map((s) => ({ metadata: s.metadata, subsets: endpointSubsets(s, pods.filter((p) => p.metadata.labels.app === s.spec.selector.app)) }));
const view = listView({ services, pods, nodes: NODES, endpoints });
const from = { namespace: 'default', pod: 'client', ip: '10.244.1.9' };
const first = () => 0;
const second = () => 1;

const target = (d: Obj) => (d.kind === 'pod' ? `${d.pod}:${d.port}` : d.error);

describe('routing a connection', () => {
  it('sends a ClusterIP:port through the Service port to a ready pod on the named target port', () => {
    expect(target(route(view, '10.96.12.34', 80, from, first))).toBe('web-a:80');
    expect(target(route(view, '10.96.12.34', 80, from, second))).toBe('web-b:80');
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(target(route(view, '10.96.12.34', 80, from)));
    expect([...seen].sort()).toEqual(['web-a:80', 'web-b:80']);
  });

  it('keeps a client on one backend when the Service asks for ClientIP affinity', () => {
    const sticky = { ...web, spec: { ...web.spec, sessionAffinity: 'ClientIP' } };
    const v = listView({ services: [sticky], pods, nodes: NODES, endpoints: [{ metadata: web.metadata, subsets: endpointSubsets(sticky, pods.slice(0, 3)) }] });
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(target(route(v, '10.96.12.34', 80, from)));
    expect(seen.size).toBe(1);
  });

  it('drops a connection to a Service port that does not exist, and rejects one to a Service without ready endpoints', () => {
    expect(target(route(view, '10.96.12.34', 8080, from))).toBe('timeout');
    expect(target(route(view, '10.96.9.9', 80, from))).toBe('refused');
  });

  it('reaches a pod directly by its IP, whatever the port', () => {
    expect(target(route(view, '10.244.2.7', 80, from))).toBe('web-c:80');
    expect(route(view, '10.244.2.7', 9999, from)).toMatchObject({ kind: 'pod', pod: 'web-c', port: 9999 });
  });

  it('brings 127.0.0.1 and the pod\'s own IP back to the pod', () => {
    expect(target(route(view, '127.0.0.1', 80, from))).toBe('client:80');
    expect(target(route(view, '10.244.1.9', 80, from))).toBe('client:80');
  });

  it('opens a NodePort on every node, honouring externalTrafficPolicy Local', () => {
    expect(target(route(view, '172.18.0.2', 30080, from, first))).toBe('web-a:80');
    expect(target(route(view, '172.18.0.4', 30080, from, second))).toBe('web-b:80');
    expect(target(route(view, '172.18.0.4', 30081, from, first))).toBe('web-b:80');
    expect(target(route(view, '172.18.0.2', 30081, from, first))).toBe('refused');
    expect(target(route(view, '172.18.0.3', 31999, from))).toBe('refused');
  });

  it('sends a load balancer\'s address to the Service', () => {
    expect(target(route(view, '172.18.0.5', 80, from, first))).toBe('web-a:80');
  });

  it('loses a connection to an address nobody holds', () => {
    expect(target(route(view, '10.0.0.1', 80, from))).toBe('timeout');
  });

  it('lets pods, nodes and load balancers answer ping, but not Service IPs', () => {
    expect(answersPing(view, '10.244.2.6', from)).toBe(true);
    expect(answersPing(view, '172.18.0.3', from)).toBe(true);
    expect(answersPing(view, '172.18.0.5', from)).toBe(true);
    expect(answersPing(view, '127.0.0.1', from)).toBe(true);
    expect(answersPing(view, '10.96.12.34', from)).toBe(false);
    expect(answersPing(view, '10.0.0.1', from)).toBe(false);
  });
});
