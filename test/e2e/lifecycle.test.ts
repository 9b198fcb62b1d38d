// Namespaces and ServiceAccounts as a real cluster runs them, seen through the real kubectl on a
// clock the test steps: a deleted namespace stays Terminating until its pods are gone, a new
// namespace gets its default ServiceAccount and CA bundle, token Secrets are filled, and
// `kubectl create token` issues a bound token.
import { describe, expect, it } from 'vitest';
import { cell, expectFailure, expectHeader, json, newNamespace, useCluster } from './support.js';

const c = useCluster();

const decodeJwt = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

describe('namespace lifecycle', () => {
  it('gives a new namespace its default ServiceAccount and the kube-root-ca.crt ConfigMap', async () => {
    const ns = await newNamespace(c.k, 'fresh');
    c.advance(1);
    expect(await c.k.ok(['-n', ns, 'get', 'serviceaccounts', '-o', 'name'])).toBe('serviceaccount/default\n');
    const ca = json(await c.k.ok(['-n', ns, 'get', 'configmap', 'kube-root-ca.crt', '-o', 'json']));
    const source = json(await c.k.ok(['-n', 'kube-system', 'get', 'configmap', 'kube-root-ca.crt', '-o', 'json']));
    expect(ca.data['ca.crt']).toBe(source.data['ca.crt']);
  });

  it('keeps a deleted namespace Terminating while its pods stop, refuses new content, then removes it', async () => {
    const ns = await newNamespace(c.k, 'doomed');
    await c.k.ok(['-n', ns, 'run', 'sleeper', '--image=busybox', '--', 'sleep', '3600']);
    await c.k.ok(['-n', ns, 'create', 'configmap', 'settings', '--from-literal=a=b']);
    c.advance(10);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'sleeper', 'STATUS')).toBe('Running');

    expect(await c.k.ok(['delete', 'namespace', ns, '--wait=false'])).toBe(`namespace "${ns}" deleted\n`);
    c.advance(1);
    expect(cell(await c.k.ok(['get', 'namespaces']), ns, 'STATUS')).toBe('Terminating');
    const terminating = json(await c.k.ok(['get', 'namespace', ns, '-o', 'json']));
    expect(terminating.metadata.deletionTimestamp).toBeTruthy();
    expect(terminating.spec.finalizers).toEqual(['kubernetes']);
    const conditions = Object.fromEntries(terminating.status.conditions.map((x: any) => [x.type, x]));
    expect(conditions.NamespaceContentRemaining).toMatchObject({ status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 1 resource instances' });
    expect(conditions.NamespaceDeletionContentFailure).toMatchObject({ status: 'False', reason: 'ContentDeleted' });
    expect(conditions.NamespaceFinalizersRemaining).toMatchObject({ status: 'False', reason: 'ContentHasNoFinalizers' });
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'sleeper', 'STATUS')).toBe('Terminating');
    expectFailure(await c.k.run(['-n', ns, 'get', 'configmap', 'settings']), `Error from server (NotFound): configmaps "settings" not found`);
    expectFailure(
      await c.k.run(['-n', ns, 'create', 'configmap', 'late', '--from-literal=a=b']),
      `error: failed to create configmap: configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
    );

    // sleep ignores SIGTERM: the pod goes when its 30 s grace period runs out, and the namespace with it.
    c.advance(31);
    expectFailure(await c.k.run(['get', 'namespace', ns]), `Error from server (NotFound): namespaces "${ns}" not found`);
  });

  it('returns from kubectl delete namespace once the namespace is gone', async () => {
    const ns = await newNamespace(c.k, 'waited');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    c.advance(10);
    const out = await c.ticking(() => c.k.ok(['delete', 'namespace', ns]));
    expect(out).toBe(`namespace "${ns}" deleted\n`);
    expectFailure(await c.k.run(['get', 'namespace', ns]), `Error from server (NotFound): namespaces "${ns}" not found`);
  });

  it('stays Terminating while content holds a finalizer, until the namespace is finalized by hand', async () => {
    const ns = await newNamespace(c.k, 'stuck');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } }) });
    await c.k.ok(['delete', 'namespace', ns, '--wait=false']);
    c.advance(30);
    const describe = await c.k.ok(['describe', 'namespace', ns]);
    expect(describe).toMatch(/^Status:\s+Terminating$/m);
    expect(describe).toMatch(/NamespaceContentRemaining\s+True\s+.*SomeResourcesRemain\s+Some resources are remaining: configmaps\. has 1 resource instances/);
    expect(describe).toMatch(/NamespaceFinalizersRemaining\s+True\s+.*SomeFinalizersRemain\s+Some content in the namespace has finalizers remaining: example\.com\/hold in 1 resource instances/);
    const current = json(await c.k.ok(['get', 'namespace', ns, '-o', 'json']));
    current.spec.finalizers = [];
    // --raw paths are taken from the server's root, and this cluster is served under a prefix.
    const prefix = new URL(await c.k.ok(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).pathname.replace(/\/$/, '');
    await c.k.ok(['replace', '--raw', `${prefix}/api/v1/namespaces/${ns}/finalize`, '-f', '-'], { input: JSON.stringify(current) });
    expectFailure(await c.k.run(['get', 'namespace', ns]), `Error from server (NotFound): namespaces "${ns}" not found`);
  });

  it('refuses to delete the default namespace', async () => {
    expectFailure(await c.k.run(['delete', 'namespace', 'default']), 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  });
});

describe('service account tokens', () => {
  it('fills a service-account-token Secret and deletes it with its ServiceAccount', async () => {
    const ns = await newNamespace(c.k, 'tokens');
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'robot']);
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'robot-token', annotations: { 'kubernetes.io/service-account.name': 'robot' } }, type: 'kubernetes.io/service-account-token' }),
    });
    c.advance(1);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'secrets']), 'robot-token', 'DATA')).toBe('3');
    const secret = json(await c.k.ok(['-n', ns, 'get', 'secret', 'robot-token', '-o', 'json']));
    const sa = json(await c.k.ok(['-n', ns, 'get', 'serviceaccount', 'robot', '-o', 'json']));
    expect(secret.metadata.annotations['kubernetes.io/service-account.uid']).toBe(sa.metadata.uid);
    expect(Buffer.from(secret.data.namespace, 'base64').toString()).toBe(ns);
    const claims = decodeJwt(Buffer.from(secret.data.token, 'base64').toString());
    expect(claims).toMatchObject({ iss: 'kubernetes/serviceaccount', sub: `system:serviceaccount:${ns}:robot`, 'kubernetes.io/serviceaccount/secret.name': 'robot-token' });
    expect(await c.k.ok(['-n', ns, 'describe', 'secret', 'robot-token'])).toMatch(/^token:\s+eyJ/m);

    await c.k.ok(['-n', ns, 'delete', 'serviceaccount', 'robot']);
    c.advance(1);
    expectFailure(await c.k.run(['-n', ns, 'get', 'secret', 'robot-token']), `Error from server (NotFound): secrets "robot-token" not found`);
  });

  it('refuses a pod that names a service account the namespace does not have', async () => {
    const ns = await newNamespace(c.k, 'nosa');
    const r = await c.k.run(['-n', ns, 'run', 'lost', '--image=nginx', '--overrides={"spec":{"serviceAccountName":"ghost"}}']);
    expectFailure(r, `Error from server (Forbidden): pods "lost" is forbidden: error looking up service account ${ns}/ghost: serviceaccount "ghost" not found`);
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'ghost']);
    // Admitted now (server-side dry run: no pod is left behind to hold up the drains below).
    expect(await c.k.ok(['-n', ns, 'run', 'found', '--image=nginx', '--dry-run=server', '--overrides={"spec":{"serviceAccountName":"ghost"}}'])).toBe('pod/found created (server dry run)\n');
  });

  it('issues a bound token with kubectl create token', async () => {
    const ns = await newNamespace(c.k, 'bound');
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'builder']);
    const token = (await c.k.ok(['-n', ns, 'create', 'token', 'builder', '--duration=2h'])).trim();
    expect(token.split('.')).toHaveLength(3);
    const claims = decodeJwt(token);
    const sa = json(await c.k.ok(['-n', ns, 'get', 'serviceaccount', 'builder', '-o', 'json']));
    expect(claims.sub).toBe(`system:serviceaccount:${ns}:builder`);
    expect(claims.aud).toEqual(['https://kubernetes.default.svc.cluster.local']);
    expect(claims['kubernetes.io']).toEqual({ namespace: ns, serviceaccount: { name: 'builder', uid: sa.metadata.uid } });
    expect(claims.exp - claims.iat).toBe(7200);
    expectFailure(await c.k.run(['-n', ns, 'create', 'token', 'nobody']), `error: failed to create token: serviceaccounts "nobody" not found`);
  });
});

const WORKER = 'kubedojo-worker';

/** The pods of a namespace on a node, by name. */
async function podsOn(ns: string, node: string): Promise<string[]> {
  const out = await c.k.ok(['-n', ns, 'get', 'pods', '--field-selector', `spec.nodeName=${node}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']);
  return out.split('\n').filter(Boolean);
}

const pdb = (name: string, spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });

describe('disruption budgets and drain', () => {
  it('drains a node: cordons it, evicts its pods, and the deployment brings them back elsewhere', async () => {
    const ns = await newNamespace(c.k, 'drain');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    c.advance(10);
    const [victim] = await podsOn(ns, WORKER);
    expect(victim).toBeTruthy();
    try {
      const r = await c.ticking(() => c.k.run(['drain', WORKER, '--ignore-daemonsets', '--delete-emptydir-data']));
      const out = r.stdout + r.stderr;
      expect(r.code).toBe(0);
      expect(out).toMatch(/^node\/kubedojo-worker cordoned$/m);
      expect(out).toMatch(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/kindnet-\S+, kube-system\/kube-proxy-\S+$/m);
      expect(out).toMatch(new RegExp(`^evicting pod ${ns}/${victim}$`, 'm'));
      expect(out).toMatch(new RegExp(`^pod/${victim} evicted$`, 'm'));
      expect(out).toMatch(/^node\/kubedojo-worker drained$/m);
      expect(cell(await c.k.ok(['get', 'nodes']), WORKER, 'STATUS')).toBe('Ready,SchedulingDisabled');
      c.advance(10);
      expect(await podsOn(ns, WORKER)).toEqual([]);
      expect(cell(await c.k.ok(['-n', ns, 'get', 'deploy']), 'web', 'READY')).toBe('2/2');
    } finally {
      await c.k.ok(['uncordon', WORKER]);
    }
    expect(cell(await c.k.ok(['get', 'nodes']), WORKER, 'STATUS')).toBe('Ready');
  });

  it('keeps a budget\'s status and lets a drain evict only what the budget allows', async () => {
    const ns = await newNamespace(c.k, 'budget');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: pdb('web', { maxUnavailable: 1 }) });
    c.advance(10);
    const budget = await c.k.ok(['-n', ns, 'get', 'pdb']);
    expectHeader(budget, ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    expect(cell(budget, 'web', 'ALLOWED DISRUPTIONS')).toBe('1');
    const status = json(await c.k.ok(['-n', ns, 'get', 'pdb', 'web', '-o', 'json'])).status;
    expect(status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 });
    expect(status.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });
    const [victim] = await podsOn(ns, WORKER);
    try {
      const r = await c.ticking(() => c.k.run(['drain', WORKER, '--ignore-daemonsets', '--delete-emptydir-data']));
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).toMatch(new RegExp(`^pod/${victim} evicted$`, 'm'));
    } finally {
      await c.k.ok(['uncordon', WORKER]);
    }
  });

  it('refuses an eviction the budget does not allow, and drain keeps retrying it', async () => {
    const ns = await newNamespace(c.k, 'blocked');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: pdb('web', { minAvailable: 2 }) });
    c.advance(10);
    const budget = json(await c.k.ok(['-n', ns, 'get', 'pdb', 'web', '-o', 'json'])).status;
    expect(budget).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    expect(budget.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' });
    const [victim] = await podsOn(ns, WORKER);
    try {
      const r = await c.ticking(() => c.k.run(['drain', WORKER, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=2s']));
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain(`error when evicting pods/"${victim}" -n "${ns}" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
    } finally {
      await c.k.ok(['uncordon', WORKER]);
    }
    expect(await podsOn(ns, WORKER)).toEqual([victim]);
  });
});

const podWith = (name: string, resources: Record<string, any>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name, image: 'nginx', resources }] } });

describe('resource quotas', () => {
  it('counts what the namespace uses and refuses what would exceed the quota, in the apiserver\'s words', async () => {
    const ns = await newNamespace(c.k, 'quota');
    await c.k.ok(['-n', ns, 'create', 'quota', 'q', '--hard=requests.cpu=1,limits.cpu=2,pods=2,count/deployments.apps=1']);
    c.advance(1);
    expectFailure(
      await c.k.run(['-n', ns, 'run', 'bare', '--image=nginx']),
      `Error from server (Forbidden): pods "bare" is forbidden: failed quota: q: must specify limits.cpu for: bare; requests.cpu for: bare`,
    );
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: podWith('first', { requests: { cpu: '1' }, limits: { cpu: '1' } }) });
    expectFailure(
      await c.k.run(['-n', ns, 'apply', '-f', '-'], { input: podWith('second', { requests: { cpu: '500m' }, limits: { cpu: '500m' } }) }),
      `Error from server (Forbidden): error when creating "STDIN": pods "second" is forbidden: exceeded quota: q, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1`,
    );
    c.advance(1);
    const quota = await c.k.ok(['-n', ns, 'get', 'quota', 'q']);
    expect(cell(quota, 'q', 'REQUEST')).toBe('count/deployments.apps: 0/1, pods: 1/2, requests.cpu: 1/1');
    expect(cell(quota, 'q', 'LIMIT')).toBe('limits.cpu: 1/2');
    const status = json(await c.k.ok(['-n', ns, 'get', 'quota', 'q', '-o', 'json'])).status;
    expect(status.used).toEqual({ 'count/deployments.apps': '0', pods: '1', 'requests.cpu': '1', 'limits.cpu': '1' });
  });

  it('shows pods a quota refuses as FailedCreate events on their ReplicaSet', async () => {
    const ns = await newNamespace(c.k, 'quota-rs');
    await c.k.ok(['-n', ns, 'create', 'quota', 'two-pods', '--hard=pods=2']);
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    c.advance(2);
    expect(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'name'])).toMatch(/^(pod\/web-\S+\n){2}$/);
    const rs = (await c.k.ok(['-n', ns, 'get', 'rs', '-o', 'name'])).trim();
    expect(await c.k.ok(['-n', ns, 'describe', rs])).toMatch(/Warning\s+FailedCreate\s+.*replicaset-controller\s+Error creating: pods "web-[a-z0-9]+-" is forbidden: exceeded quota: two-pods, requested: pods=1, used: pods=2, limited: pods=2/);
  });
});

describe('limit ranges', () => {
  it('fills in default requests and limits, noting it in the pod\'s annotation', async () => {
    const ns = await newNamespace(c.k, 'limits');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'cpu' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '250m' }, max: { cpu: '1' } }] } }),
    });
    await c.k.ok(['-n', ns, 'run', 'web', '--image=nginx']);
    const pod = json(await c.k.ok(['-n', ns, 'get', 'pod', 'web', '-o', 'json']));
    expect(pod.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '250m', memory: '256Mi' } });
    expect(pod.metadata.annotations['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web');
    expect(pod.status.qosClass).toBe('Burstable');
    expectFailure(
      await c.k.run(['-n', ns, 'apply', '-f', '-'], { input: podWith('big', { limits: { cpu: '2' } }) }),
      `Error from server (Forbidden): error when creating "STDIN": pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2`,
    );
  });
});
