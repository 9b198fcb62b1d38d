// Services as a learner meets them, with the real kubectl on a clock the test steps: a deployment
// exposed, its endpoints following readiness, scaling and relabelling, node ports, a load
// balancer's address arriving, ExternalName and headless Services, and EndpointSlices.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { podNetwork } from '../../src/core/cluster/network/index.js';
import type { HttpRequest } from '../../src/core/cluster/kubelet/shell/types.js';
import { kubectlBinaries } from '../helpers/kubectl.js';
import { cell, expectHeader, json, lines, newNamespace, table, useCluster, workload } from './support.js';

const c = useCluster();
/** kubectl 1.33 reads EndpointSlices where older ones read Endpoints (describe's Endpoints: line). */
const slicesKubectl = kubectlBinaries()['1.33'];
const describers = (ns: string, svc: string) => [c.k, ...(slicesKubectl ? [c.kubectl(slicesKubectl)] : [])].map((k) => k.ok(['-n', ns, 'describe', 'svc', svc]));

/** nginx pods with a named port; `extra` adds lines to the container. */
const deployment = (name: string, replicas: number, extra = '') => workload('Deployment', name, { replicas, container: `        ports:\n        - {name: http, containerPort: 80}\n${extra}` });

/** A readiness probe on a port nothing listens on: the pods run but never become ready. */
const NEVER_READY = `        readinessProbe:
          tcpSocket: {port: 8080}
          periodSeconds: 1
`;

const podIPs = async (ns: string, selector: string) =>
  (await c.k.ok(['-n', ns, 'get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].status.podIP}'])).split(' ').filter(Boolean).sort();

const endpointsCell = async (ns: string, name: string) => cell(await c.k.ok(['-n', ns, 'get', 'endpoints', name]), name, 'ENDPOINTS');

describe('a ClusterIP Service', () => {
  it('lists the ready pods of an exposed deployment as its endpoints', async () => {
    const ns = await newNamespace(c.k, 'expose');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 2) });
    expect(await c.k.ok(['-n', ns, 'expose', 'deployment', 'web', '--port=80', '--target-port=http'])).toBe('service/web exposed\n');
    const svc = await c.k.ok(['-n', ns, 'get', 'svc', 'web']);
    expectHeader(svc, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(lines(svc)[1]).toMatch(/^web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/);
    // Before the pods have an address there is nothing to list.
    expect(await endpointsCell(ns, 'web')).toBe('<none>');
    c.advance(10);
    const ips = await podIPs(ns, 'app=web');
    expect(ips).toHaveLength(2);
    expect((await endpointsCell(ns, 'web'))!.split(',').sort()).toEqual(ips.map((ip) => `${ip}:80`));
    for (const describe of await Promise.all(describers(ns, 'web'))) {
      expect(describe).toMatch(/^Selector:\s+app=web$/m);
      expect(describe).toMatch(/^TargetPort:\s+http\/TCP$/m);
      expect(describe).toMatch(new RegExp(`^Endpoints:\\s+(${ips.map((ip) => `${ip.replace(/\./g, '\\.')}:80`).join('|')}),(${ips.map((ip) => `${ip.replace(/\./g, '\\.')}:80`).join('|')})$`, 'm'));
    }
    const read = await c.k.run(['-n', ns, 'get', 'endpoints', 'web', '-o', 'json']);
    // A v1.33 cluster says the old API is deprecated whenever it is read.
    expect(read.stderr).toBe('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
    const ep = json(read.stdout);
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets[0].ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(ep.subsets[0].addresses.map((a: any) => a.targetRef.kind)).toEqual(['Pod', 'Pod']);
    expect(ep.subsets[0].addresses.every((a: any) => /^kubedojo-worker2?$/.test(a.nodeName))).toBe(true);
    // The controller puts back Endpoints someone deletes.
    await c.k.ok(['-n', ns, 'delete', 'endpoints', 'web']);
    c.advance(1);
    expect((await endpointsCell(ns, 'web'))!.split(',').sort()).toEqual(ips.map((ip) => `${ip}:80`));
  });

  it('follows scaling, and drops a pod relabelled out of the selector', async () => {
    const ns = await newNamespace(c.k, 'follow');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 1) });
    await c.k.ok(['-n', ns, 'expose', 'deployment', 'web', '--port=80']);
    c.advance(10);
    await c.k.ok(['-n', ns, 'scale', 'deploy/web', '--replicas=3']);
    c.advance(10);
    expect((await endpointsCell(ns, 'web'))!.split(',')).toHaveLength(3);
    const [leaving] = (await c.k.ok(['-n', ns, 'get', 'pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n');
    const leavingIP = await c.k.ok(['-n', ns, 'get', leaving, '-o', 'jsonpath={.status.podIP}']);
    await c.k.ok(['-n', ns, 'label', leaving, 'app=debug', '--overwrite']);
    c.advance(1);
    const ep = (await c.k.ok(['-n', ns, 'get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'])).split(' ');
    expect(ep).not.toContain(leavingIP);
    // The ReplicaSet starts a replacement, which joins once it runs.
    c.advance(10);
    expect((await podIPs(ns, 'app=web')).map((ip) => `${ip}:80`)).toEqual((await endpointsCell(ns, 'web'))!.split(',').sort());
    await c.k.ok(['-n', ns, 'scale', 'deploy/web', '--replicas=0']);
    c.advance(40);
    expect(await endpointsCell(ns, 'web')).toBe('<none>');
  });

  it('keeps pods that are not ready out of its endpoints, as not-ready addresses', async () => {
    const ns = await newNamespace(c.k, 'notready');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 2, NEVER_READY) });
    await c.k.ok(['-n', ns, 'expose', 'deployment', 'web', '--port=80']);
    c.advance(15);
    expect(table(await c.k.ok(['-n', ns, 'get', 'pods'])).rows.map((r) => r.slice(1, 3))).toEqual([
      ['0/1', 'Running'],
      ['0/1', 'Running'],
    ]);
    expect(await endpointsCell(ns, 'web')).toBe('<none>');
    const notReady = (await c.k.ok(['-n', ns, 'get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].notReadyAddresses[*].ip}'])).split(' ').sort();
    expect(notReady).toEqual(await podIPs(ns, 'app=web'));
    // A probe that passes brings them in.
    await c.k.ok(['-n', ns, 'patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/tcpSocket/port","value":80}]']);
    await c.ticking(() => c.k.ok(['-n', ns, 'rollout', 'status', 'deploy/web', '--timeout=60s']));
    c.advance(5);
    const ips = await podIPs(ns, 'app=web');
    expect((await endpointsCell(ns, 'web'))!.split(',').sort()).toEqual(ips.map((ip) => `${ip}:80`));
  });

  it('publishes not-ready pods when asked to', async () => {
    const ns = await newNamespace(c.k, 'publish');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 1, NEVER_READY) });
    await c.k.ok(['-n', ns, 'create', 'service', 'clusterip', 'web', '--tcp=80:80']);
    await c.k.ok(['-n', ns, 'patch', 'svc', 'web', '-p', '{"spec":{"publishNotReadyAddresses":true}}']);
    c.advance(10);
    const [ip] = await podIPs(ns, 'app=web');
    expect(await endpointsCell(ns, 'web')).toBe(`${ip}:80`);
  });

  it('keeps the Endpoints a user writes for a Service without a selector, and deletes them with it', async () => {
    const ns = await newNamespace(c.k, 'manual');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: db}
subsets:
- addresses: [{ip: 192.168.10.5}]
  ports: [{port: 5432}]
`,
    });
    c.advance(5);
    expect(await endpointsCell(ns, 'db')).toBe('192.168.10.5:5432');
    // Mirrored into a slice, which newer kubectls read for `describe`.
    const slice = json(await c.k.ok(['-n', ns, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=db', '-o', 'json'])).items;
    expect(slice).toHaveLength(1);
    expect(slice[0].metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
    expect(slice[0].metadata.ownerReferences[0]).toMatchObject({ kind: 'Endpoints', name: 'db' });
    expect(slice[0].endpoints).toEqual([{ addresses: ['192.168.10.5'], conditions: { ready: true } }]);
    for (const describe of await Promise.all(describers(ns, 'db'))) expect(describe).toMatch(/^Endpoints:\s+192\.168\.10\.5:5432$/m);
    await c.k.ok(['-n', ns, 'delete', 'svc', 'db']);
    c.advance(1);
    expect((await c.k.run(['-n', ns, 'get', 'endpoints', 'db'])).stderr).toMatch(/endpoints "db" not found/);
  });
});

describe('EndpointSlices', () => {
  it('are made for a Service, named after it, labelled and owned by it, with endpoint conditions', async () => {
    const ns = await newNamespace(c.k, 'slices');
    await c.k.ok(['-n', ns, 'create', 'service', 'clusterip', 'web', '--tcp=80:80']);
    c.advance(1);
    // No pods yet: a placeholder slice without ports or endpoints.
    const empty = await c.k.ok(['-n', ns, 'get', 'endpointslices']);
    expectHeader(empty, ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    expect(lines(empty)[1]).toMatch(/^web-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>\s+\d+s$/);
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 2) });
    c.advance(10);
    const ips = await podIPs(ns, 'app=web');
    const out = await c.k.ok(['-n', ns, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    const rows = table(out).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0][0]).toMatch(/^web-[a-z0-9]{5}$/);
    expect(rows[0].slice(1, 3)).toEqual(['IPv4', '80']);
    expect(rows[0][3].split(',').sort()).toEqual(ips);
    const slice = json(await c.k.ok(['-n', ns, 'get', 'endpointslice', rows[0][0], '-o', 'json']));
    expect(slice.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Service', name: 'web', controller: true })]);
    expect(slice.ports).toEqual([{ name: '80-80', port: 80, protocol: 'TCP' }]);
    expect(slice.endpoints[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(slice.endpoints[0].targetRef.kind).toBe('Pod');
  });

  it('mark a terminating pod as terminating and no longer ready while it shuts down, then drop it', async () => {
    const ns = await newNamespace(c.k, 'terminating');
    // sleep as PID 1 ignores SIGTERM, so the pod lingers for its grace period.
    await c.k.ok(['-n', ns, 'run', 'web', '--image=busybox', '--labels=app=web', '--command', '--', 'sleep', '3600']);
    await c.k.ok(['-n', ns, 'create', 'service', 'clusterip', 'web', '--tcp=80:80']);
    c.advance(10);
    const conditions = async () => json(await c.k.ok(['-n', ns, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json'])).items[0].endpoints?.map((e: any) => e.conditions);
    expect(await conditions()).toEqual([{ ready: true, serving: true, terminating: false }]);
    await c.k.ok(['-n', ns, 'delete', 'pod', 'web', '--wait=false']);
    c.advance(1);
    expect(await conditions()).toEqual([{ ready: false, serving: true, terminating: true }]);
    expect(await endpointsCell(ns, 'web')).toBe('<none>');
    c.advance(40);
    expect(await conditions()).toEqual([]);
  });
});

describe('a NodePort Service', () => {
  it('gets a port in 30000-32767, shown as port:nodePort', async () => {
    const ns = await newNamespace(c.k, 'nodeport');
    await c.k.ok(['-n', ns, 'create', 'service', 'nodeport', 'web', '--tcp=80:80']);
    const row = lines(await c.k.ok(['-n', ns, 'get', 'svc', 'web']))[1];
    const m = /^web\s+NodePort\s+10\.96\.\d+\.\d+\s+<none>\s+80:(\d+)\/TCP\s+\d+s$/.exec(row);
    expect(m).not.toBeNull();
    const port = Number(m![1]);
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    const taken = await c.k.run(['-n', ns, 'create', 'service', 'nodeport', 'other', '--tcp=80:80', `--node-port=${port}`]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(new RegExp(`spec\\.ports\\[0\\]\\.nodePort: Invalid value: ${port}: provided port is already allocated`));
  });
});

describe('a LoadBalancer Service', () => {
  it('shows <pending> until the load balancer is up, then its address, and loses it when the type changes', async () => {
    const ns = await newNamespace(c.k, 'lb');
    await c.k.ok(['-n', ns, 'create', 'service', 'loadbalancer', 'web', '--tcp=80:80']);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'svc', 'web']), 'web', 'EXTERNAL-IP')).toBe('<pending>');
    c.advance(1);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'svc', 'web']), 'web', 'EXTERNAL-IP')).toBe('<pending>');
    c.advance(10);
    const out = await c.k.ok(['-n', ns, 'get', 'svc', 'web']);
    const ip = cell(out, 'web', 'EXTERNAL-IP')!;
    expect(ip).toMatch(/^172\.18\.\d+\.\d+$/);
    expect(cell(out, 'web', 'PORT(S)')).toMatch(/^80:3\d{4}\/TCP$/);
    expect(await c.k.ok(['-n', ns, 'get', 'svc', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ipMode}'])).toBe('Proxy');
    const events = await c.k.ok(['-n', ns, 'get', 'events', '-o', 'jsonpath={range .items[*]}{.source.component} {.reason} {.message}{"\\n"}{end}']);
    expect(events).toMatch(/^service-controller EnsuringLoadBalancer Ensuring load balancer$/m);
    expect(events).toMatch(/^service-controller EnsuredLoadBalancer Ensured load balancer$/m);
    expect(await c.k.ok(['-n', ns, 'describe', 'svc', 'web'])).toMatch(new RegExp(`^LoadBalancer Ingress:\\s+${ip.replace(/\./g, '\\.')}`, 'm'));
    await c.k.ok(['-n', ns, 'patch', 'svc', 'web', '-p', '{"spec":{"type":"ClusterIP"}}']);
    c.advance(1);
    const after = await c.k.ok(['-n', ns, 'get', 'svc', 'web']);
    expect(cell(after, 'web', 'TYPE')).toBe('ClusterIP');
    expect(cell(after, 'web', 'EXTERNAL-IP')).toBe('<none>');
    expect(await c.k.ok(['-n', ns, 'get', 'svc', 'web', '-o', 'jsonpath={.metadata.finalizers}'])).toBe('');
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=DeletedLoadBalancer', '-o', 'jsonpath={.items[0].message}'])).toBe('Deleted load balancer');
  });

  it('is deleted once its load balancer is cleaned up', async () => {
    const ns = await newNamespace(c.k, 'lbdel');
    await c.k.ok(['-n', ns, 'create', 'service', 'loadbalancer', 'web', '--tcp=80:80']);
    c.advance(10);
    expect(await c.k.ok(['-n', ns, 'get', 'svc', 'web', '-o', 'jsonpath={.metadata.finalizers}'])).toBe('["service.kubernetes.io/load-balancer-cleanup"]');
    await c.ticking(() => c.k.ok(['-n', ns, 'delete', 'svc', 'web']));
    expect((await c.k.run(['-n', ns, 'get', 'svc', 'web'])).stderr).toMatch(/services "web" not found/);
  });
});

describe('other kinds of Service', () => {
  it('an ExternalName Service shows its name and has no cluster IP and no endpoints', async () => {
    const ns = await newNamespace(c.k, 'extname');
    await c.k.ok(['-n', ns, 'create', 'service', 'externalname', 'search', '--external-name=www.example.com']);
    c.advance(2);
    const row = lines(await c.k.ok(['-n', ns, 'get', 'svc', 'search']))[1];
    expect(row).toMatch(/^search\s+ExternalName\s+<none>\s+www\.example\.com\s+<none>\s+\d+s$/);
    expect((await c.k.run(['-n', ns, 'get', 'endpoints', 'search'])).code).toBe(1);
    expect(await c.k.ok(['-n', ns, 'get', 'endpointslices', '-o', 'name'])).toBe('');
  });

  it('a headless Service lists its pods with their hostnames and marks its endpoints headless', async () => {
    const ns = await newNamespace(c.k, 'headless');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, labels: {app: db}}
spec:
  hostname: db-0
  subdomain: db
  containers: [{name: redis, image: redis}]
`,
    });
    c.advance(10);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'svc', 'db']), 'db', 'CLUSTER-IP')).toBe('None');
    const [ip] = await podIPs(ns, 'app=db');
    expect(await endpointsCell(ns, 'db')).toBe(`${ip}:6379`);
    const ep = json(await c.k.ok(['-n', ns, 'get', 'endpoints', 'db', '-o', 'json']));
    expect(ep.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(ep.subsets[0].addresses[0].hostname).toBe('db-0');
    const slice = json(await c.k.ok(['-n', ns, 'get', 'endpointslices', '-o', 'json'])).items[0];
    expect(slice.endpoints[0].hostname).toBe('db-0');
    expect(slice.metadata.labels['service.kubernetes.io/headless']).toBe('');
    // DNS answers the Service name with the pod itself, and the pod by its own name.
    await c.k.ok(['-n', ns, 'run', 'client', '--image=busybox', '--command', '--', 'sleep', '3600']);
    c.advance(10);
    expect(await c.k.ok(['-n', ns, 'exec', 'client', '--', 'nslookup', 'db'])).toContain(`Name:\tdb.${ns}.svc.cluster.local\nAddress: ${ip}\n`);
    expect(await c.k.ok(['-n', ns, 'exec', 'client', '--', 'nslookup', 'db-0.db'])).toContain(`Name:\tdb-0.db.${ns}.svc.cluster.local\nAddress: ${ip}\n`);
  });
});

describe('an Ingress', () => {
  it('is made by kubectl create ingress (sent as protobuf), with its rule\'s host, path and backend', async () => {
    const ns = await newNamespace(c.k, 'ing');
    const out = await c.k.ok(['-n', ns, 'create', 'ingress', 'shop', '--rule=shop.example.com/cart*=cart:8080']);
    expect(out.trim()).toBe('ingress.networking.k8s.io/shop created');
    const rule = JSON.parse(await c.k.ok(['-n', ns, 'get', 'ingress', 'shop', '-o', 'jsonpath={.spec.rules[0]}']));
    expect(rule).toEqual({ host: 'shop.example.com', http: { paths: [{ path: '/cart', pathType: 'Prefix', backend: { service: { name: 'cart', port: { number: 8080 } } } }] } });
  });
});

describe('the cluster\'s own Services', () => {
  it('kube-dns has CoreDNS behind it, in Endpoints and an EndpointSlice', async () => {
    const ep = await c.k.ok(['-n', 'kube-system', 'get', 'endpoints', 'kube-dns']);
    expect(cell(ep, 'kube-dns', 'ENDPOINTS')).toMatch(/^10\.244\.0\.\d+:53,10\.244\.0\.\d+:53,10\.244\.0\.\d+:53 \+ 3 more\.\.\.$/);
    const slices = await c.k.ok(['-n', 'kube-system', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=kube-dns']);
    expect(lines(slices)[1]).toMatch(/^kube-dns-[a-z0-9]{5}\s+IPv4\s+\S+\s+10\.244\.0\.\d+,10\.244\.0\.\d+\s+\S+$/);
    expect(lines(await c.k.ok(['get', 'svc', 'kubernetes']))[1]).toMatch(/^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\S+$/);
  });
});

/** A GET straight to the cluster's API with the kubeconfig's server, CA and token. */
async function apiGet(path: string): Promise<{ status: number; body: string }> {
  const kc = parse(readFileSync(c.kubeconfig, 'utf8'));
  const server = new URL(kc.clusters[0].cluster.server);
  const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64');
  return new Promise((resolve, reject) => {
    const req = https.get({ host: server.hostname, port: server.port, path: `${server.pathname}${path}`, ca, headers: { Authorization: `Bearer ${kc.users[0].user.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
}

describe('traffic to a Service', () => {
  const get = (host: string, ip: string, port: number): HttpRequest => ({ method: 'GET', url: `http://${host}:${port}/`, host, ip, port, path: '/', headers: { 'User-Agent': 'Wget' } });

  it('reaches a ready nginx pod by the Service\'s DNS name, its node port, its load balancer and the apiserver proxy, and is refused without one', async () => {
    const ns = await newNamespace(c.k, 'traffic');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 2) });
    await c.k.ok(['-n', ns, 'run', 'client', '--image=nginx']);
    await c.k.ok(['-n', ns, 'expose', 'deployment', 'web', '--port=8080', '--target-port=80', '--type=LoadBalancer']);
    c.advance(10);
    const net = podNetwork(c.cluster, ns, 'client');
    const answer = net.lookup(`web.${ns}.svc.cluster.local`)!;
    const clusterIP = await c.k.ok(['-n', ns, 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(answer.addresses).toEqual([clusterIP]);
    const res = net.http(get('web', clusterIP, 8080));
    expect(res).toMatchObject({ status: 200 });
    expect(String((res as { body: string }).body)).toMatch(/Welcome to nginx!/);
    // Both pods serve in time; each logs the requests it answered.
    for (let i = 0; i < 30; i++) net.http(get('web', clusterIP, 8080));
    c.advance(1);
    const clientIP = await c.k.ok(['-n', ns, 'get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}']);
    for (const name of (await c.k.ok(['-n', ns, 'get', 'pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n')) {
      expect(await c.k.ok(['-n', ns, 'logs', name])).toMatch(new RegExp(`^${clientIP.replace(/\./g, '\\.')} - - \\[.*\\] "GET / HTTP/1\\.1" 200 `, 'm'));
    }
    const nodePort = Number(await c.k.ok(['-n', ns, 'get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    expect(net.http(get('172.18.0.3', '172.18.0.3', nodePort))).toMatchObject({ status: 200 });
    const lbIP = await c.k.ok(['-n', ns, 'get', 'svc', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']);
    expect(net.http(get(lbIP, lbIP, 8080))).toMatchObject({ status: 200 });
    expect(net.ping(clusterIP)).toBe(false);
    // The apiserver's proxy (the URLs `kubectl proxy` serves) reaches it too, by Service port or pod.
    expect(await apiGet(`/api/v1/namespaces/${ns}/services/web:8080/proxy/`)).toMatchObject({ status: 200, body: expect.stringMatching(/<title>Welcome to nginx!<\/title>/) });
    expect(await apiGet(`/api/v1/namespaces/${ns}/services/http:web:/proxy/index.html`)).toMatchObject({ status: 200, body: expect.stringMatching(/Welcome to nginx!/) });
    const [backend] = (await c.k.ok(['-n', ns, 'get', 'pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n');
    expect(await apiGet(`/api/v1/namespaces/${ns}/pods/${backend.slice(4)}/proxy/`)).toMatchObject({ status: 200 });
    const wrongPort = await apiGet(`/api/v1/namespaces/${ns}/services/web:81/proxy/`);
    expect(wrongPort.status).toBe(503);
    expect(JSON.parse(wrongPort.body)).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', message: 'no service port 81 found for service "web"' });
    await c.k.ok(['-n', ns, 'scale', 'deploy/web', '--replicas=0']);
    c.advance(40);
    expect(net.http(get('web', clusterIP, 8080))).toEqual({ error: 'refused' });
    expect(JSON.parse((await apiGet(`/api/v1/namespaces/${ns}/services/web:8080/proxy/`)).body)).toMatchObject({ code: 503, message: 'no endpoints available for service "web"' });
    expect(net.http(get('nowhere', '10.96.250.250', 80))).toEqual({ error: 'timeout' });
  });

  it('answers wget and nslookup from a shell in a pod, and refuses when no pod is ready', async () => {
    const ns = await newNamespace(c.k, 'shell');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 1) });
    await c.k.ok(['-n', ns, 'expose', 'deployment', 'web', '--port=8080', '--target-port=80']);
    await c.k.ok(['-n', ns, 'run', 'client', '--image=busybox', '--command', '--', 'sleep', '3600']);
    c.advance(10);
    const clusterIP = await c.k.ok(['-n', ns, 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    const page = await c.k.ok(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', 'http://web:8080']);
    expect(page).toMatch(/<title>Welcome to nginx!<\/title>/);
    const lookup = await c.k.ok(['-n', ns, 'exec', 'client', '--', 'nslookup', 'web']);
    expect(lookup).toContain(`Name:\tweb.${ns}.svc.cluster.local\nAddress: ${clusterIP}\n`);
    const other = await c.k.ok(['-n', ns, 'exec', 'client', '--', 'nslookup', 'kubernetes.default']);
    expect(other).toContain('Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n');
    await c.k.ok(['-n', ns, 'scale', 'deploy/web', '--replicas=0']);
    c.advance(40);
    const refused = await c.k.run(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', 'http://web:8080']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`wget: can't connect to remote host (${clusterIP}): Connection refused`);
  });
});

describe("the book's numbers app", () => {
  it('serves the random number API behind its Service, reached by name from another pod', async () => {
    const ns = await newNamespace(c.k, 'numbers');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'numbers-api', '--image=kiamol/ch03-numbers-api']);
    await c.k.ok(['-n', ns, 'expose', 'deployment', 'numbers-api', '--port=80']);
    await c.k.ok(['-n', ns, 'create', 'deployment', 'sleep-1', '--image=kiamol/ch03-sleep']);
    c.advance(30);
    expect(await c.k.ok(['-n', ns, 'get', 'deploy', 'numbers-api', '-o', 'jsonpath={.status.readyReplicas}'])).toBe('1');
    expect(await c.k.ok(['-n', ns, 'exec', 'deploy/sleep-1', '--', 'wget', '-qO-', 'http://numbers-api/rng'])).toBe('42');
  });
});
