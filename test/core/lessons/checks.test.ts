// Each check kind reads the cluster through the API and, when it fails, says what is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterHost } from '../../../src/core/hosting/cluster-host.js';
import { runCheck } from '../../../src/core/lessons/checks.js';
import { manifestObjects, prepare } from '../../../src/core/lessons/workspace.js';
import type { Check } from '../../../src/core/lessons/types.js';
import { removeKubectlCaches } from '../../helpers/kubectl.js';
import { freshCluster, gradeUntilPass, runSolution, type Proving } from '../../helpers/proving.js';

const ns = 'dojo-checks';
let host: ClusterHost;
let p: Proving;
const check = (c: Check) => runCheck(c, { client: p.target.client!, namespace: ns });

beforeAll(async () => {
  host = await ClusterHost.start();
  p = freshCluster(host);
  await p.ticking(() => prepare({ namespaces: [ns] }, p.target));
});
afterAll(async () => {
  p?.dispose();
  await host?.close();
  removeKubectlCaches();
});

describe('checks', () => {
  it('exists and absent name the object and its namespace', async () => {
    expect(await check({ exists: { kind: 'deploy', name: 'web' } })).toEqual({
      label: 'Deployment web exists',
      passed: false,
      message: 'There is no Deployment named web in namespace dojo-checks yet.',
    });
    await runSolution(p, ['kubectl create deployment web --image=nginx --replicas=2 -n dojo-checks'], ns);
    expect((await check({ exists: { kind: 'deployments', name: 'web' } })).passed).toBe(true);
    expect(await check({ absent: { kind: 'Deployment', name: 'web' } })).toMatchObject({ passed: false, message: 'Deployment web still exists.' });
    expect((await check({ exists: { kind: 'pods', selector: 'app=web' } })).passed).toBe(true);
    expect((await check({ absent: { kind: 'pods', selector: 'app=nothing' } })).passed).toBe(true);
  });

  it('field compares a JSONPath with each expectation and quotes what it found, never what it expects', async () => {
    expect((await check({ field: { kind: 'deploy', name: 'web', path: '{.spec.replicas}', equals: 2 } })).passed).toBe(true);
    expect((await check({ field: { kind: 'deploy', name: 'web', path: '{.spec.replicas}', atLeast: 3 } })).message).toBe('Deployment web: `spec.replicas` is `2`, fewer than the task asks.');
    expect((await check({ field: { kind: 'deploy', name: 'web', path: '{.spec.template.spec.containers[0].image}', matches: '^nginx' } })).passed).toBe(true);
    expect(await check({ field: { kind: 'deploy', name: 'web', path: '{.metadata.labels.tier}', equals: 'front' } })).toEqual({
      label: '`metadata.labels.tier` of Deployment web',
      passed: false,
      message: 'Deployment web: `metadata.labels.tier` is not set, and the task asks for it.',
    });
    expect((await check({ field: { kind: 'deploy', name: 'web', path: '{.spec.template.spec.containers[0].image}', matches: '^httpd:2\\.4' } })).message).toBe('Deployment web: `spec.template.spec.containers[0].image` is `nginx`, which is not what the task asks.');
    expect((await check({ field: { kind: 'deploy', name: 'web', path: '{.spec.template.spec.containers[0].image}', notEquals: 'nginx' } })).message).toBe('Deployment web: `spec.template.spec.containers[0].image` is `nginx`, which is what the task asks to change.');
    expect((await check({ field: { kind: 'deploy', name: 'web', path: '{.spec.replicas}', equals: 5 }, says: 'Scale it to five.' })).message).toBe('Scale it to five.');
    expect((await check({ field: { kind: 'deploy', name: 'web', path: '{.spec.paused}', unset: true } })).passed).toBe(true);
    expect((await check({ field: { kind: 'deploy', name: 'web', path: '{.spec.replicas}', unset: true } })).message).toBe('Deployment web: `spec.replicas` is `2`, and it should not be set.');
    expect((await check({ field: { kind: 'ConfigMap', name: 'ns-facts', path: '{.data.system}', equals: 'kube-system' } })).message).toBe('There is no ConfigMap named ns-facts in namespace dojo-checks, so its `data.system` cannot be checked.');
  });

  it("lists a check by the author's label when it has one, and otherwise by words made from it, with no expected value", async () => {
    const field = { field: { kind: 'ConfigMap', name: 'ns-facts', path: '{.data.system}', equals: 'kube-system' } };
    expect((await check(field)).label).toBe('`data.system` of ConfigMap ns-facts');
    expect((await check({ ...field, label: 'ConfigMap ns-facts holds the namespace of the system components under `system`' })).label).toBe('ConfigMap ns-facts holds the namespace of the system components under `system`');
    expect((await check({ count: { kind: 'pods', selector: 'app=web', phase: 'Running', ready: true, equals: 7 } })).label).toBe('how many Pods with app=web are Running and ready');
    expect((await check({ exec: { name: 'box', command: ['cat', '/etc/motd'], contains: 'welcome' } })).label).toBe('what `cat /etc/motd` in Pod box prints');
    expect((await check({ exec: { name: 'box', command: ['test', '-f', '/x'], exitCode: 0 } })).label).toBe('`test -f /x` in Pod box succeeds');
    expect((await check({ condition: { kind: 'deploy', name: 'web', type: 'Available' } })).label).toBe('the Available condition of Deployment web is True');
    expect((await check({ event: { reason: 'Unhealthy', kind: 'Pod', name: 'box' } })).label).toBe('an Unhealthy event for box');
  });

  it('count, pod and condition wait for the control plane, then pass', async () => {
    const tasks = [
      {
        text: 'two ready pods',
        checks: [
          { count: { kind: 'pods', selector: 'app=web', phase: 'Running', ready: true, equals: 2 } },
          { pod: { selector: 'app=web', phase: 'Running', ready: true, condition: 'PodScheduled' } },
          { condition: { kind: 'deploy', name: 'web', type: 'Available' } },
        ] as Check[],
      },
    ];
    const results = await gradeUntilPass(p, tasks, ns, 120);
    expect(results[0].checks.map((c) => c.message)).toEqual(['', '', '']);
    expect((await check({ count: { kind: 'pods', selector: 'app=web', atLeast: 3 } })).message).toBe('There are 2 Pods with app=web in namespace dojo-checks, fewer than the task asks.');
    expect((await check({ count: { kind: 'pods', selector: 'app=web', equals: 5 } })).message).toBe('There are 2 Pods with app=web in namespace dojo-checks, which is not what the task asks.');
    expect((await check({ pod: { selector: 'app=web', restartsAtLeast: 1 } })).message).toMatch(/^Pod web-\S+ has restarted 0 times, fewer than 1\.$/);
    expect((await check({ condition: { kind: 'deploy', name: 'web', type: 'Available', status: 'False' } })).message).toBe('Deployment web: Available is True (MinimumReplicasAvailable), not False yet.');
    expect((await check({ condition: { kind: 'deploy', name: 'web', type: 'Available', reason: 'Scaled' } })).message).toBe('Deployment web: Available has reason MinimumReplicasAvailable, which is not the one the task asks.');
  });

  it('pod names a container reason such as ImagePullBackOff', async () => {
    await runSolution(p, ['kubectl run broken --image=nginx:no-such-tag -n dojo-checks'], ns);
    const results = await gradeUntilPass(p, [{ text: 'x', checks: [{ pod: { name: 'broken', reason: 'ImagePullBackOff' } }] }], ns, 120);
    expect(results[0].passed).toBe(true);
    expect((await check({ pod: { name: 'broken', phase: 'Running' } })).message).toBe('Pod broken is Pending, not Running yet.');
  });

  it('event finds an event by reason and object', async () => {
    expect((await check({ event: { reason: 'Pulled', kind: 'Pod', name: 'broken' } })).message).toBe('No Pulled event for Pod broken in namespace dojo-checks yet.');
    expect((await check({ event: { reason: 'Failed', kind: 'po', name: 'broken', messageContains: 'no-such-tag' } })).passed).toBe(true);
    expect((await check({ event: { reason: 'ScalingReplicaSet', kind: 'Deployment', name: 'web' } })).passed).toBe(true);
  });

  it('endpoints counts ready addresses and hints at selectors when there are none', async () => {
    expect((await check({ endpoints: { service: 'web' } })).message).toBe('There is no Service named web in namespace dojo-checks yet.');
    await runSolution(p, ['kubectl create service clusterip web --tcp=80:80 -n dojo-checks', 'kubectl create service clusterip nobody --tcp=80:80 -n dojo-checks'], ns);
    const results = await gradeUntilPass(p, [{ text: 'x', checks: [{ endpoints: { service: 'web', atLeast: 2 } }] }], ns, 60);
    expect(results[0].passed).toBe(true);
    expect((await check({ endpoints: { service: 'nobody' } })).message).toBe("Service nobody has 0 ready endpoints; it needs 1. Do its selector and the pods' labels match, and are those pods ready?");
  });

  it('canI answers as kubectl auth can-i would, for someone else too', async () => {
    const sa = 'system:serviceaccount:dojo-checks:reader';
    expect((await check({ canI: { verb: 'create', resource: 'deployments', expect: true } })).passed).toBe(true);
    expect((await check({ canI: { verb: 'list', resource: 'pods', as: sa, expect: true } })).message).toBe(`${sa} cannot list pods in namespace dojo-checks yet, and should be able to.`);
    await runSolution(p, ['kubectl create role pod-reader --verb=get,list --resource=pods -n dojo-checks', `kubectl create rolebinding reader --role=pod-reader --serviceaccount=dojo-checks:reader -n dojo-checks`], ns);
    expect((await check({ canI: { verb: 'list', resource: 'po', as: sa, expect: true } })).passed).toBe(true);
    expect((await check({ canI: { verb: 'delete', resource: 'pods', as: sa, expect: false } })).passed).toBe(true);
    expect((await check({ canI: { verb: 'list', resource: 'pods', as: sa, expect: false } })).message).toBe(`${sa} can list pods in namespace dojo-checks, and should not be able to.`);
  });

  it('exec runs a command in the container and compares its output and exit code', async () => {
    for (const obj of manifestObjects('apiVersion: v1\nkind: Pod\nmetadata: { name: box }\nspec:\n  containers:\n  - name: box\n    image: busybox\n    command: [sh, -c, "echo hello > /tmp/greeting; sleep 3600"]\n    env: [{ name: MODE, value: debug }]\n')) {
      await p.target.client!.apply(obj, ns);
    }
    expect((await check({ exec: { name: 'box', command: ['cat', '/tmp/greeting'], equals: 'hello' } })).message).toBe('Pod box is not running yet, so `cat /tmp/greeting` cannot run in it.');
    await gradeUntilPass(p, [{ text: 'x', checks: [{ pod: { name: 'box', phase: 'Running' } }] }], ns, 60);
    expect((await check({ exec: { name: 'box', command: ['cat', '/tmp/greeting'], equals: 'hello' } })).passed).toBe(true);
    expect((await check({ exec: { name: 'box', command: ['printenv', 'MODE'], equals: 'release' } })).message).toBe('`printenv MODE` in pod box printed `debug`, which is not what the task asks.');
    expect((await check({ exec: { name: 'box', command: ['cat', '/tmp/greeting'], contains: 'bonjour' } })).message).toBe('`cat /tmp/greeting` in pod box printed `hello`, which lacks what the task asks for.');
    expect((await check({ exec: { name: 'box', command: ['cat', '/nope'], exitCode: 0 } })).message).toMatch(/^`cat \/nope` in pod box exited with 1, and should succeed: cat: can't open '\/nope': No such file or directory\.$/);
  });

  it('an unknown kind is a failed check that says the server does not know it', async () => {
    expect(await check({ exists: { kind: 'widgets', name: 'x' } })).toMatchObject({ passed: false, message: 'the server doesn\'t have a resource type "widgets"' });
  });
});
