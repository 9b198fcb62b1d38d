// Storage as kind runs it, through the real kubectl on a clock the test steps: a claim binds to a
// matching volume, the default StorageClass provisions a volume once a pod uses the claim, the
// reclaim policy decides what happens to a released volume, and a claim in use is kept until its
// pod is gone.
import { describe, expect, it } from 'vitest';
import { cell, expectHeader, json, newNamespace, useCluster } from './support.js';

const c = useCluster();

let pvCounter = 0;

function volume(name: string, size: string, extra: Record<string, any> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: extra.labels ?? {} },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: extra.storageClassName ?? 'manual', persistentVolumeReclaimPolicy: extra.policy ?? 'Retain', hostPath: { path: `/data/${name}` } },
  });
}

function claim(name: string, size: string, extra: Record<string, any> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...extra },
  });
}

function podUsing(name: string, claimName: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'app', image: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
  });
}

describe('binding claims to volumes', () => {
  it('binds a claim to the smallest Available volume that fits it, both showing Bound', async () => {
    const ns = await newNamespace(c.k, 'bind');
    const small = `small-${++pvCounter}`;
    const big = `big-${pvCounter}`;
    const tiny = `tiny-${pvCounter}`;
    await c.k.ok(['apply', '-f', '-'], { input: volume(tiny, '500Mi') });
    await c.k.ok(['apply', '-f', '-'], { input: volume(big, '10Gi') });
    await c.k.ok(['apply', '-f', '-'], { input: volume(small, '2Gi') });
    c.advance(1);
    const before = await c.k.ok(['get', 'pv', small]);
    expectHeader(before, ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    expect(cell(before, small, 'STATUS')).toBe('Available');

    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: claim('data', '1Gi', { storageClassName: 'manual' }) });
    c.advance(1);
    const pvc = await c.k.ok(['-n', ns, 'get', 'pvc']);
    expectHeader(pvc, ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(cell(pvc, 'data', 'STATUS')).toBe('Bound');
    expect(cell(pvc, 'data', 'VOLUME')).toBe(small);
    expect(cell(pvc, 'data', 'CAPACITY')).toBe('2Gi');
    expect(cell(pvc, 'data', 'ACCESS MODES')).toBe('RWO');
    const pv = await c.k.ok(['get', 'pv', small]);
    expect(cell(pv, small, 'STATUS')).toBe('Bound');
    expect(cell(pv, small, 'CLAIM')).toBe(`${ns}/data`);
    expect(cell(await c.k.ok(['get', 'pv', tiny]), tiny, 'STATUS')).toBe('Available');
  });

  it('keeps a Retain volume Released after its claim is deleted', async () => {
    const ns = await newNamespace(c.k, 'retain');
    const name = `kept-${++pvCounter}`;
    await c.k.ok(['apply', '-f', '-'], { input: volume(name, '1Gi', { storageClassName: 'slow-retain' }) });
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: claim('data', '1Gi', { storageClassName: 'slow-retain' }) });
    c.advance(1);
    expect(cell(await c.k.ok(['get', 'pv', name]), name, 'STATUS')).toBe('Bound');
    await c.k.ok(['-n', ns, 'delete', 'pvc', 'data']);
    c.advance(1);
    const pv = await c.k.ok(['get', 'pv', name]);
    expect(cell(pv, name, 'STATUS')).toBe('Released');
    expect(cell(pv, name, 'CLAIM')).toBe(`${ns}/data`);
  });

  it('lets a volume deleted while Bound go once its claim is deleted', async () => {
    const ns = await newNamespace(c.k, 'pvgone');
    const name = `doomed-${++pvCounter}`;
    await c.k.ok(['apply', '-f', '-'], { input: volume(name, '1Gi', { storageClassName: 'slow-doomed' }) });
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: claim('data', '1Gi', { storageClassName: 'slow-doomed' }) });
    c.advance(1);
    await c.k.ok(['delete', 'pv', name, '--wait=false']);
    c.advance(1);
    expect(cell(await c.k.ok(['get', 'pv', name]), name, 'STATUS')).toBe('Terminating');
    await c.k.ok(['-n', ns, 'delete', 'pvc', 'data', '--wait=false']);
    c.advance(2);
    const left = await c.k.run(['get', 'pv', name]);
    expect(left.stderr).toContain(`persistentvolumes "${name}" not found`);
  });

  it('says why a claim with no class and no volume stays Pending', async () => {
    const ns = await newNamespace(c.k, 'noclass');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: claim('orphan', '1Gi', { storageClassName: '' }) });
    c.advance(1);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pvc']), 'orphan', 'STATUS')).toBe('Pending');
    expect(await c.k.ok(['-n', ns, 'describe', 'pvc', 'orphan'])).toMatch(/Normal\s+FailedBinding\s+.*persistentvolume-controller\s+no persistent volumes available for this claim and no storage class is set/);
  });
});

describe('dynamic provisioning with the default StorageClass', () => {
  it('waits for a first consumer, then provisions pvc-<uid> on the pod\'s node and binds it', async () => {
    const ns = await newNamespace(c.k, 'provision');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: claim('data', '1Gi') });
    c.advance(1);
    const waiting = json(await c.k.ok(['-n', ns, 'get', 'pvc', 'data', '-o', 'json']));
    expect(waiting.spec.storageClassName).toBe('standard');
    expect(waiting.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pvc']), 'data', 'STATUS')).toBe('Pending');
    expect(await c.k.ok(['-n', ns, 'describe', 'pvc', 'data'])).toMatch(/Normal\s+WaitForFirstConsumer\s+.*persistentvolume-controller\s+waiting for first consumer to be created before binding/);

    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: podUsing('app', 'data') });
    c.advance(10);
    const pvName = `pvc-${waiting.metadata.uid}`;
    const pvc = await c.k.ok(['-n', ns, 'get', 'pvc']);
    expect(cell(pvc, 'data', 'STATUS')).toBe('Bound');
    expect(cell(pvc, 'data', 'VOLUME')).toBe(pvName);
    expect(cell(pvc, 'data', 'STORAGECLASS')).toBe('standard');
    const pv = await c.k.ok(['get', 'pv', pvName]);
    expect(cell(pv, pvName, 'RECLAIM POLICY')).toBe('Delete');
    expect(cell(pv, pvName, 'CLAIM')).toBe(`${ns}/data`);
    const node = await c.k.ok(['-n', ns, 'get', 'pod', 'app', '-o', 'jsonpath={.spec.nodeName}']);
    expect(json(await c.k.ok(['get', 'pv', pvName, '-o', 'json'])).spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([node]);
    const events = await c.k.ok(['-n', ns, 'describe', 'pvc', 'data']);
    expect(events).toMatch(/Normal\s+Provisioning\s+.*rancher\.io\/local-path_\S+\s+External provisioner is provisioning volume for claim "[^"]+\/data"/);
    expect(events).toMatch(new RegExp(`Normal\\s+ProvisioningSucceeded\\s+.*Successfully provisioned volume ${pvName}`));
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'app', 'STATUS')).toBe('Running');

    // In use: deleting the claim leaves it Terminating until its pod is gone; then the volume goes too.
    await c.k.ok(['-n', ns, 'delete', 'pvc', 'data', '--wait=false']);
    c.advance(1);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pvc']), 'data', 'STATUS')).toBe('Terminating');
    await c.k.ok(['-n', ns, 'delete', 'pod', 'app', '--wait=false']);
    c.advance(35);
    expect(await c.k.ok(['-n', ns, 'get', 'pvc', '-o', 'name'])).toBe('');
    expect((await c.k.run(['get', 'pv', pvName])).stderr).toMatch(/NotFound/);
  });
});
