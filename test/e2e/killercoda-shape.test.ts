// `kubedojo serve --shape killercoda`: the cluster Killercoda's scenarios are written for, started
// as a learner starts it and read with the real kubectl. The lessons' own cluster stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Kubectl, removeKubectlCaches } from '../helpers/kubectl.js';
import { removeHome, startServe, type ServeProcess } from '../helpers/serve.js';

let s: ServeProcess;
let k: Kubectl;

beforeAll(async () => {
  s = await startServe(['--shape', 'killercoda', '--speed', '20']);
  k = new Kubectl(s.kubeconfig);
}, 60_000);

afterAll(async () => {
  await s?.stop();
  if (s) removeHome(s.home);
  removeKubectlCaches();
});

async function until(what: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a Killercoda-shaped cluster', () => {
  it('has the nodes controlplane and node01, the context Killercoda names, and its own kubeconfig', async () => {
    expect(await k.ok(['get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,IP:.status.addresses[0].address,TAINTS:.spec.taints[*].key', '--no-headers'])).toMatch(
      /^controlplane\s+172\.30\.1\.2\s+node-role\.kubernetes\.io\/control-plane\nnode01\s+172\.30\.2\.2\s+<none>\n$/,
    );
    expect((await k.ok(['config', 'current-context'])).trim()).toBe('kubernetes-admin@kubernetes');
    expect(s.kubeconfig).toMatch(/kubeconfig-killercoda$/);
    expect(existsSync(path.join(s.home, 'clusters', 'killercoda.json'))).toBe(true);
    expect(existsSync(path.join(s.home, 'clusters', 'default.json'))).toBe(false);
  });

  it('runs Canal and Calico\'s controllers in kube-system beside the control plane on controlplane', async () => {
    const pods = await k.ok(['-n', 'kube-system', 'get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase', '--no-headers']);
    for (const name of ['etcd-controlplane', 'kube-apiserver-controlplane', 'kube-controller-manager-controlplane', 'kube-scheduler-controlplane']) expect(pods).toMatch(new RegExp(`^${name}\\s+controlplane\\s+Running$`, 'm'));
    expect(pods.match(/^canal-\S+\s+(controlplane|node01)\s+Running$/gm)).toHaveLength(2);
    expect(pods).toMatch(/^calico-kube-controllers-\S+\s+controlplane\s+Running$/m);
    expect(pods).not.toMatch(/kindnet/);
    expect(await k.ok(['-n', 'kube-system', 'get', 'ds', 'canal', '-o', 'jsonpath={.status.numberReady}'])).toBe('2');
  });

  it('provisions a claim through local-path, its default StorageClass, on the node the pod runs on', async () => {
    expect(await k.ok(['get', 'sc'])).toMatch(/^local-path \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer/m);
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'writer' }, spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], volumeMounts: [{ name: 'd', mountPath: '/d' }] }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } },
      ],
    });
    await k.ok(['apply', '-f', '-'], { input: manifest });
    await until(async () => (await k.ok(['get', 'pvc', 'data', '-o', 'jsonpath={.status.phase}'])) === 'Bound');
    expect(await k.ok(['get', 'pvc', 'data', '-o', 'jsonpath={.spec.storageClassName}'])).toBe('local-path');
    await until(async () => (await k.ok(['get', 'pod', 'writer', '-o', 'jsonpath={.status.podIP}'])) !== '');
    expect(await k.ok(['get', 'pod', 'writer', '-o', 'jsonpath={.spec.nodeName} {.status.podIP}'])).toMatch(/^node01 192\.168\.1\.\d+$/);
  });
});

describe('choosing a shape', () => {
  it('refuses a shape it does not know, saying which ones it has', async () => {
    const err = (await startServe(['--shape', 'k3s']).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/exited early/);
    expect(err.message).toMatch(/--shape must be kind or killercoda, not "k3s"/);
  });
});
