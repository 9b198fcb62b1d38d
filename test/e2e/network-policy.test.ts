// NetworkPolicy as a learner meets it on a cluster whose CNI enforces it: the real kubectl applies
// policies, and `kubectl exec` runs wget, curl, nc and nslookup in pods, which time out where a
// policy drops their packets, on the cluster's clock.
import { describe, expect, it } from 'vitest';
import { newNamespace, useCluster, workload } from './support.js';

const c = useCluster();

/** nginx behind a Service `web` (port 80 → the container's named port http), probed over HTTP every second. */
const WEB = `${workload('Deployment', 'web', { container: '        ports:\n        - {name: http, containerPort: 80}\n        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}\n' })}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {port: 80, targetPort: http}
`;

const client = async (ns: string, name: string, labels = `app=${name}`) => {
  await c.k.ok(['-n', ns, 'run', name, '--image=busybox', `--labels=${labels}`, '--command', '--', 'sleep', '3600']);
};

const policy = (name: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
spec:
${spec}`;

const apply = (ns: string, yaml: string) => c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: yaml });

/**
 * Runs a command in a pod while the cluster's clock moves a second every 25 ms, and says how long
 * it took there. Slow enough that kubectl's own start-up costs few simulated seconds, so a client
 * that waits 2 s is told from one that waits for the kernel's 127 s.
 */
async function execTimed(ns: string, pod: string, argv: string[]) {
  const start = c.clock.now().getTime();
  const timer = setInterval(() => c.clock.advance(1000), 25);
  try {
    const r = await c.k.run(['-n', ns, 'exec', pod, '--', ...argv]);
    return { ...r, seconds: (c.clock.now().getTime() - start) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

/** A namespace with the web Service and a busybox client; `extra` more clients. */
async function shop(prefix: string) {
  const ns = await newNamespace(c.k, prefix);
  await apply(ns, WEB);
  await client(ns, 'client');
  c.advance(15);
  return ns;
}

describe('a default-deny ingress policy', () => {
  it('makes wget -T 2 time out where it fetched the page before, from another namespace too', async () => {
    const ns = await shop('deny');
    const elsewhere = await newNamespace(c.k, 'elsewhere');
    await client(elsewhere, 'visitor');
    c.advance(15);
    expect(await c.k.ok(['-n', elsewhere, 'exec', 'visitor', '--', 'wget', '-T', '2', '-qO-', `http://web.${ns}`])).toMatch(/Welcome to nginx!/);
    expect(await apply(ns, policy('default-deny', '  podSelector: {}\n  policyTypes: [Ingress]\n'))).toBe('networkpolicy.networking.k8s.io/default-deny created\n');
    for (const [where, pod] of [[elsewhere, 'visitor'], [ns, 'client']]) {
      const r = await execTimed(where, pod, ['wget', '-T', '2', '-qO-', `http://web.${ns}`]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('wget: download timed out\n');
      expect(r.seconds).toBeGreaterThanOrEqual(2);
      expect(r.seconds).toBeLessThan(100);
    }
    // The pods stay ready: the kubelet's probes come from their own node.
    c.advance(30);
    expect(await c.k.ok(['-n', ns, 'get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}'])).toBe('1');
    expect(await c.k.ok(['-n', ns, 'get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[0].addresses[*].ip}'])).toMatch(/^10\.244\.\d+\.\d+$/);
  });

  it('stops curl with exit 28 and nc -z -w with exit 1, after their timeouts', async () => {
    const ns = await shop('clients');
    await c.k.ok(['-n', ns, 'run', 'curler', '--image=nginx', '--labels=app=curler']);
    c.advance(15);
    await apply(ns, policy('default-deny', '  podSelector: {matchLabels: {app: web}}\n'));
    const curl = await execTimed(ns, 'curler', ['curl', '-sS', '--connect-timeout', '3', 'http://web']);
    expect(curl.code).toBe(28);
    expect(curl.stderr).toContain('curl: (28) Failed to connect to web port 80 after 3001 ms: Timeout was reached\n');
    expect(curl.seconds).toBeGreaterThanOrEqual(3);
    const nc = await execTimed(ns, 'client', ['nc', '-z', '-w', '2', 'web', '80']);
    expect(nc.code).toBe(1);
    expect(nc.seconds).toBeGreaterThanOrEqual(2);
    expect(nc.seconds).toBeLessThan(100);
  });
});

describe('allowing traffic back in', () => {
  it('admits a labelled pod of the namespace, and no other', async () => {
    const ns = await shop('frompod');
    await client(ns, 'frontend', 'role=frontend');
    c.advance(15);
    await apply(ns, policy('default-deny', '  podSelector: {}\n  policyTypes: [Ingress]\n'));
    await apply(ns, policy('allow-frontend', '  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {role: frontend}}\n'));
    expect(await c.k.ok(['-n', ns, 'exec', 'frontend', '--', 'wget', '-T', '2', '-qO-', 'http://web'])).toMatch(/Welcome to nginx!/);
    expect((await execTimed(ns, 'client', ['wget', '-T', '2', '-qO-', 'http://web'])).stderr).toContain('wget: download timed out');
  });

  it('admits every pod of a labelled namespace', async () => {
    const ns = await shop('fromns');
    const ops = await newNamespace(c.k, 'ops');
    await c.k.ok(['label', 'namespace', ops, 'team=ops']);
    await client(ops, 'probe');
    c.advance(15);
    await apply(ns, policy('allow-ops', '  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: ops}}\n'));
    expect(await c.k.ok(['-n', ops, 'exec', 'probe', '--', 'wget', '-T', '2', '-qO-', `http://web.${ns}`])).toMatch(/Welcome to nginx!/);
    expect((await execTimed(ns, 'client', ['wget', '-T', '2', '-qO-', 'http://web'])).code).toBe(1);
  });

  it('judges the port the Service leads to: a named port of the pod opens it, the Service port does not', async () => {
    const ns = await shop('ports');
    await apply(ns, policy('web-port', '  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - ports:\n    - {port: 8080}\n'));
    expect((await execTimed(ns, 'client', ['wget', '-T', '2', '-qO-', 'http://web'])).code).toBe(1);
    await apply(ns, policy('web-port', '  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - ports:\n    - {port: http}\n'));
    expect(await c.k.ok(['-n', ns, 'exec', 'client', '--', 'wget', '-T', '2', '-qO-', 'http://web'])).toMatch(/Welcome to nginx!/);
  });
});

describe('an egress policy', () => {
  it('takes DNS away until port 53 to kube-dns is allowed, then the allowed destinations work by name', async () => {
    const ns = await shop('egress');
    await apply(ns, policy('deny-egress', '  podSelector: {matchLabels: {app: client}}\n  policyTypes: [Egress]\n'));
    const lookup = await execTimed(ns, 'client', ['nslookup', 'web']);
    expect(lookup.stdout).toBe(';; connection timed out; no servers could be reached\n\n');
    expect(lookup.code).toBe(1);
    expect(lookup.seconds).toBeGreaterThanOrEqual(5);
    const byName = await execTimed(ns, 'client', ['wget', '-T', '2', '-qO-', 'http://web']);
    expect(byName.stderr).toContain("wget: bad address 'web'");
    expect(byName.code).toBe(1);
    await apply(ns, policy('allow-dns', `  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
`));
    expect(await c.k.ok(['-n', ns, 'exec', 'client', '--', 'nslookup', 'web'])).toContain(`Name:\tweb.${ns}.svc.cluster.local\n`);
    // Names resolve, but the web pods are not an allowed destination yet.
    expect((await execTimed(ns, 'client', ['wget', '-T', '2', '-qO-', 'http://web'])).stderr).toContain('wget: download timed out');
    await apply(ns, policy('allow-web', '  podSelector: {matchLabels: {app: client}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - podSelector: {matchLabels: {app: web}}\n    ports:\n    - {port: 80}\n'));
    expect(await c.k.ok(['-n', ns, 'exec', 'client', '--', 'wget', '-T', '2', '-qO-', 'http://web'])).toMatch(/Welcome to nginx!/);
  });
});

describe('the apiserver proxy', () => {
  it('cannot reach a pod on a worker once a default deny isolates it', async () => {
    const ns = await shop('proxy');
    expect(await c.k.ok(['get', '--raw', `/api/v1/namespaces/${ns}/services/web:80/proxy/`])).toMatch(/Welcome to nginx!/);
    await apply(ns, policy('default-deny', '  podSelector: {}\n'));
    const r = await c.k.run(['get', '--raw', `/api/v1/namespaces/${ns}/services/web:80/proxy/`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/i\/o timeout/);
  });
});

describe('a NetworkPolicy the API server checks', () => {
  it('is refused with a bad CIDR, and stored with TCP filled in for a port without a protocol', async () => {
    const ns = await newNamespace(c.k, 'invalid');
    const bad = await c.k.run(['-n', ns, 'apply', '-f', '-'], { input: policy('bad', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0}\n') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
    await apply(ns, policy('good', '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n'));
    expect(await c.k.ok(['-n', ns, 'get', 'netpol', 'good', '-o', 'jsonpath={.spec.ingress[0].ports[0].protocol} {.spec.policyTypes}'])).toBe('TCP ["Ingress"]');
  });
});
