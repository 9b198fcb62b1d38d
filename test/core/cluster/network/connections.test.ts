import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../../../src/core/cluster/cluster.js';
import { endpointSubsets } from '../../../../src/core/cluster/controllers/endpoints.js';
import type { HttpRequest } from '../../../../src/core/cluster/kubelet/shell/types.js';
import { podNetwork } from '../../../../src/core/cluster/network/pod-network.js';
import type { PodServers } from '../../../../src/core/cluster/network/types.js';
import { listView } from '../../../../src/core/cluster/network/view.js';
import { NODES, pod, svc } from './fixtures.js';

type Obj = Record<string, any>;

const web = svc('web', { clusterIP: '10.96.12.34', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }, { namespace: 'shop' });
const nodePort = svc('web-np', { type: 'NodePort', clusterIP: '10.96.12.35', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }, { namespace: 'shop' });
const dns = svc('kube-dns', { clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }, { namespace: 'kube-system' });
const dnsPorts = [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }];
const pods = [
  pod('web-a', '10.244.1.5', { ns: 'shop', ports: [{ name: 'http', containerPort: 8080 }] }),
  pod('client', '10.244.2.9', { ns: 'shop', labels: { app: 'client' }, node: 'kubedojo-worker2' }),
  pod('coredns', '10.244.0.3', { ns: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, node: 'kubedojo-control-plane', ports: dnsPorts }),
];
const endpoints = [web, nodePort, dns].map((s) => ({ metadata: s.metadata, subsets: endpointSubsets(s, pods.filter((p) => p.metadata.labels[Object.keys(s.spec.selector)[0]] === Object.values(s.spec.selector)[0])) }));
const namespaces = ['shop', 'kube-system'].map((name) => ({ metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } }));

const servers: PodServers = {
  serveHttp: (_ns, p, port) => (p === 'web-a' && port === 8080 ? { status: 200, headers: {}, body: 'hello' } : undefined),
};
const get = (ip: string, port: number): HttpRequest => ({ method: 'GET', url: `http://${ip}:${port}/`, host: ip, ip, port, path: '/', headers: {} });
const clientNet = (networkPolicies: Obj[]) => podNetwork({} as Cluster, 'shop', 'client', { view: listView({ services: [web, nodePort, dns], endpoints, pods, nodes: NODES, namespaces, networkPolicies }), servers, pick: () => 0 });
const policy = (name: string, spec: Obj): Obj => ({ metadata: { name, namespace: 'shop' }, spec: { podSelector: {}, ...spec } });
const webIn = (rule: Obj) => policy('web-in', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [rule] });

describe('a pod\'s connections under NetworkPolicy', () => {
  it('time out once a default deny isolates the destination, instead of reaching it', () => {
    expect(clientNet([]).http(get('10.96.12.34', 80))).toMatchObject({ status: 200 });
    const net = clientNet([policy('deny', { policyTypes: ['Ingress'] })]);
    expect(net.http(get('10.96.12.34', 80))).toEqual({ error: 'timeout' });
    expect(net.connect!('10.96.12.34', 80)).toBe('timeout');
    expect(net.ping('10.244.1.5')).toBe(false);
  });

  it('are judged on the pod a Service picked and its target port, not the Service\'s address and port', () => {
    expect(clientNet([webIn({ ports: [{ port: 8080 }] })]).http(get('10.96.12.34', 80))).toMatchObject({ status: 200 });
    expect(clientNet([webIn({ ports: [{ port: 80 }] })]).http(get('10.96.12.34', 80))).toEqual({ error: 'timeout' });
    expect(clientNet([webIn({ from: [{ ipBlock: { cidr: '10.96.0.0/16' } }] })]).http(get('10.96.12.34', 80))).toEqual({ error: 'timeout' });
    expect(clientNet([webIn({ from: [{ ipBlock: { cidr: '10.244.2.0/24' } }] })]).http(get('10.96.12.34', 80))).toMatchObject({ status: 200 });
  });

  it('come through another node\'s node port from that node\'s address, which a podSelector does not name', () => {
    const fromClient = webIn({ from: [{ podSelector: { matchLabels: { app: 'client' } } }] });
    expect(clientNet([fromClient]).http(get('10.96.12.35', 80))).toMatchObject({ status: 200 });
    // worker2 forwards to web-a on worker: the packet arrives masqueraded to worker2's address.
    expect(clientNet([fromClient]).http(get('172.18.0.4', 30080))).toEqual({ error: 'timeout' });
    expect(clientNet([webIn({ from: [{ ipBlock: { cidr: '172.18.0.4/32' } }] })]).http(get('172.18.0.4', 30080))).toMatchObject({ status: 200 });
    // Through the node web-a runs on, policy is judged before the masquerade: on the client itself.
    expect(clientNet([fromClient]).http(get('172.18.0.3', 30080))).toMatchObject({ status: 200 });
    expect(clientNet([webIn({ from: [{ ipBlock: { cidr: '172.18.0.0/16' } }] })]).http(get('172.18.0.3', 30080))).toEqual({ error: 'timeout' });
  });

  it('to another node\'s node port leave the sender judged on that node\'s address and port', () => {
    const out = (rule: Obj) => policy('out', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [rule] });
    expect(clientNet([out({ to: [{ ipBlock: { cidr: '172.18.0.3/32' } }], ports: [{ port: 30080 }] })]).http(get('172.18.0.3', 30080))).toMatchObject({ status: 200 });
    expect(clientNet([out({ to: [{ podSelector: { matchLabels: { app: 'web' } } }] })]).http(get('172.18.0.3', 30080))).toEqual({ error: 'timeout' });
  });

  it('lose DNS when egress is denied, and get it back with port 53 to kube-dns allowed', () => {
    const denyOut = policy('deny-out', { policyTypes: ['Egress'] });
    expect(clientNet([]).resolverAnswers!('10.96.0.10')).toBe(true);
    expect(clientNet([denyOut]).resolverAnswers!('10.96.0.10')).toBe(false);
    const dnsOnly = policy('dns', { policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }] });
    expect(clientNet([denyOut, dnsOnly]).resolverAnswers!('10.96.0.10')).toBe(true);
    // DNS alone does not open the way to the Service.
    expect(clientNet([denyOut, dnsOnly]).http(get('10.96.12.34', 80))).toEqual({ error: 'timeout' });
    const tcpOnly = policy('dns', { policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }] });
    expect(clientNet([denyOut, tcpOnly]).resolverAnswers!('10.96.0.10')).toBe(false);
  });

  it('drop egress to a Service without endpoints instead of having it refused', () => {
    const view = listView({ services: [web], endpoints: [{ metadata: web.metadata, subsets: [] }], pods, nodes: NODES, namespaces });
    const refusing = podNetwork({} as Cluster, 'shop', 'client', { view, servers });
    expect(refusing.http(get('10.96.12.34', 80))).toEqual({ error: 'refused' });
    const dropping = podNetwork({} as Cluster, 'shop', 'client', { view: listView({ services: [web], endpoints: [{ metadata: web.metadata, subsets: [] }], pods, nodes: NODES, namespaces, networkPolicies: [policy('deny-out', { policyTypes: ['Egress'] })] }), servers });
    expect(dropping.http(get('10.96.12.34', 80))).toEqual({ error: 'timeout' });
  });
});
