// Machines joining and leaving the cluster, seen through the real kubectl on a stepped clock: a
// node registers NotReady, becomes Ready when its network is up, takes pods, and when it is
// deleted the pods bound to it go too.
import { describe, expect, it } from 'vitest';
import { cell, newNamespace, useCluster } from './support.js';

const c = useCluster();

const NODE = `apiVersion: v1
kind: Node
metadata:
  name: kubedojo-worker3
  labels:
    kubernetes.io/hostname: kubedojo-worker3
    disk: ssd
`;

describe('a node that joins', () => {
  it('registers NotReady with the not-ready taint, then turns Ready and takes pods', async () => {
    await c.k.ok(['apply', '-f', '-'], { input: NODE });
    const nodes = await c.k.ok(['get', 'nodes']);
    expect(cell(nodes, 'kubedojo-worker3', 'STATUS')).toBe('NotReady');
    expect(await c.k.ok(['get', 'node', 'kubedojo-worker3', '-o', 'jsonpath={.spec.taints[*].key} {.spec.podCIDR} {.status.addresses[0].address}'])).toBe(
      'node.kubernetes.io/not-ready 10.244.3.0/24 172.18.0.5',
    );

    const ns = await newNamespace(c.k, 'join');
    await c.k.ok(['-n', ns, 'run', 'fast', '--image=nginx', '--overrides={"spec":{"nodeSelector":{"disk":"ssd"}}}']);
    c.advance(1);
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}'])).toMatch(
      /^0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 1 node\(s\) had untolerated taint \{node\.kubernetes\.io\/not-ready: \}, 2 node\(s\) didn't match Pod's node affinity\/selector\./,
    );

    c.advance(5);
    expect(cell(await c.k.ok(['get', 'nodes']), 'kubedojo-worker3', 'STATUS')).toBe('Ready');
    expect(await c.k.ok(['get', 'node', 'kubedojo-worker3', '-o', 'jsonpath={.spec.taints}'])).toBe('');
    const events = await c.k.ok(['get', 'events', '--field-selector', 'involvedObject.name=kubedojo-worker3', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
    expect(events.split('\n')).toEqual(expect.arrayContaining(['Starting', 'RegisteredNode', 'NodeReady']));

    // The pod was waiting for the node; the scheduler's retry places it once the taint is gone.
    c.advance(300);
    expect(await c.k.ok(['-n', ns, 'get', 'pod', 'fast', '-o', 'jsonpath={.spec.nodeName} {.status.phase} {.status.podIP}'])).toMatch(/^kubedojo-worker3 Running 10\.244\.3\.\d+$/);
  });

  it('takes its pods with it when it is deleted', async () => {
    const ns = await newNamespace(c.k, 'leave');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=1']);
    await c.k.ok(['-n', ns, 'patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd"}}}}}']);
    c.advance(20);
    const before = await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}']);
    expect(before).toBe('kubedojo-worker3');

    await c.k.ok(['delete', 'node', 'kubedojo-worker3']);
    c.advance(2);
    // The ReplicaSet's replacement has nowhere to go.
    const pods = await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}|{.status.phase}{"\\n"}{end}']);
    expect(pods.trim()).toBe('|Pending');
  });
});

describe('taints and tolerations', () => {
  it('keeps pods off NoSchedule-tainted nodes unless they tolerate the taint', async () => {
    const ns = await newNamespace(c.k, 'taint');
    await c.k.ok(['taint', 'nodes', 'kubedojo-worker', 'kubedojo-worker2', 'dedicated=gpu:NoSchedule']);
    try {
      await c.k.ok(['-n', ns, 'run', 'plain', '--image=nginx']);
      await c.k.ok(['-n', ns, 'run', 'tolerant', '--image=nginx', '--overrides={"spec":{"tolerations":[{"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"}]}}']);
      c.advance(10);
      expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.name=plain,reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}'])).toMatch(
        /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 node\(s\) had untolerated taint \{dedicated: gpu\}\./,
      );
      expect(await c.k.ok(['-n', ns, 'get', 'pod', 'tolerant', '-o', 'jsonpath={.status.phase}'])).toBe('Running');
    } finally {
      await c.k.ok(['taint', 'nodes', 'kubedojo-worker', 'kubedojo-worker2', 'dedicated=gpu:NoSchedule-']);
    }
    c.advance(300);
    expect(await c.k.ok(['-n', ns, 'get', 'pod', 'plain', '-o', 'jsonpath={.status.phase}'])).toBe('Running');
  });

  it('evicts pods from a NoExecute-tainted node, at once or after their tolerationSeconds', async () => {
    const ns = await newNamespace(c.k, 'noexec');
    const pin = (extra = '') => `--overrides={"spec":{"nodeName":"kubedojo-worker"${extra}}}`;
    await c.k.ok(['-n', ns, 'run', 'doomed', '--image=nginx', pin()]);
    await c.k.ok(['-n', ns, 'run', 'patient', '--image=nginx', pin(',"tolerations":[{"key":"maintenance","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]')]);
    c.advance(10);
    await c.k.ok(['taint', 'node', 'kubedojo-worker', 'maintenance=now:NoExecute']);
    try {
      c.advance(1);
      const events = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={.items[*].message}']);
      expect(events).toBe(`Marking for deletion Pod ${ns}/doomed`);
      c.advance(40);
      expect((await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'name'])).trim()).toBe('pod/patient');
      c.advance(30);
      expect((await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'name'])).trim()).toBe('');
    } finally {
      await c.k.ok(['taint', 'node', 'kubedojo-worker', 'maintenance-']);
    }
  });
});

describe('pod anti-affinity', () => {
  it('spreads replicas one per node and leaves the one too many Pending with the reason', async () => {
    const ns = await newNamespace(c.k, 'anti');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: spread
spec:
  replicas: 3
  selector:
    matchLabels: {app: spread}
  template:
    metadata:
      labels: {app: spread}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels: {app: spread}
            topologyKey: kubernetes.io/hostname
      containers:
      - name: web
        image: nginx
`,
    });
    c.advance(20);
    const phases = (await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}'])).trim().split('\n').sort();
    expect(phases).toEqual(['Pending', 'Running', 'Running']);
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}'])).toMatch(
      /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 node\(s\) didn't match pod anti-affinity rules\./,
    );
  });
});
