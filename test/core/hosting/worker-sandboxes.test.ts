// The sandboxes in a worker thread (the built copy, which `npm test` makes first), reached the way
// the bot reaches them: the real kubectl and client-node over loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerSandboxes } from '../../../src/core/hosting/worker-sandboxes.js';
import { LearnerError } from '../../../src/core/problems.js';
import { Kubectl, kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';

const kubectl = (args: string[], kubeconfig: string) => new Kubectl(kubeconfig).run(args);

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-worker-'));
const env = { ...kubectlEnv(), KUBEDOJO_HOME: home };
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  removeKubectlCaches();
});

describe('sandboxes in a worker thread', () => {
  it('gives each key its own cluster, which the real kubectl and client-node both reach', async () => {
    const pool = await WorkerSandboxes.start({ env });
    try {
      const ann = await pool.get('slack:T1:ANN');
      const bob = await pool.get('slack:T1:BOB');
      expect(ann.kubeconfig).not.toBe(bob.kubeconfig);
      const made = await kubectl(['create', 'configmap', 'mine', '--from-literal=who=ann'], ann.kubeconfig);
      expect(made.stderr).toBe('');
      expect(made.stdout).toContain('configmap/mine created');
      expect((await ann.client.get('configmaps', 'mine', 'default'))?.data).toEqual({ who: 'ann' });
      expect(await bob.client.get('configmaps', 'mine', 'default')).toBeUndefined();
      expect(await pool.get('slack:T1:ANN'), 'the same sandbox, the same access').toBe(ann);
      expect(await pool.workerHeap()).toBeGreaterThan(1024 * 1024);
    } finally {
      await pool.close();
    }
  });

  it('waits for a Deployment\'s rollout where the cluster lives, and says why one cannot finish', async () => {
    const pool = await WorkerSandboxes.start({ env });
    try {
      const sb = await pool.get('slack:T1:ROLL');
      await sb.client.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } });
      expect(await pool.awaitRollout('slack:T1:ROLL', 'default', 'web', 60_000)).toBe('done');
      const d = await sb.client.get('deployments', 'web', 'default');
      expect((d?.status as { availableReplicas?: number }).availableReplicas).toBe(2);
      expect(await pool.awaitRollout('slack:T1:ROLL', 'default', 'none', 1000)).toEqual({ failed: 'it does not exist' });
    } finally {
      await pool.close();
    }
  });

  it('brings a cluster back in a new worker after a restart', async () => {
    const first = await WorkerSandboxes.start({ env });
    const sb = await first.get('slack:T1:CAT');
    await kubectl(['create', 'configmap', 'kept', '--from-literal=a=b'], sb.kubeconfig);
    await first.close();
    const second = await WorkerSandboxes.start({ env });
    try {
      const again = await second.get('slack:T1:CAT');
      const got = await kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.a}'], again.kubeconfig);
      expect(got.stdout).toBe('b');
    } finally {
      await second.close();
    }
  });

  it('answers a key that cannot name a sandbox with a learner\'s error, and keeps serving', async () => {
    const pool = await WorkerSandboxes.start({ env });
    try {
      const err = await pool.get('///').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LearnerError);
      expect((err as LearnerError).message).toMatch(/cannot name a sandbox/);
      const sb = await pool.get('slack:T1:DAN');
      expect((await kubectl(['get', 'ns', 'default', '-o', 'name'], sb.kubeconfig)).stdout.trim()).toBe('namespace/default');
    } finally {
      await pool.close();
    }
  });

  it('deletes a removed sandbox for good: the next get starts afresh', async () => {
    const pool = await WorkerSandboxes.start({ env });
    try {
      const sb = await pool.get('team:C1');
      await kubectl(['create', 'configmap', 'gone', '--from-literal=a=b'], sb.kubeconfig);
      await new Promise((r) => setTimeout(r, 100));
      await pool.remove('team:C1');
      const fresh = await pool.get('team:C1');
      expect(await fresh.client.get('configmaps', 'gone', 'default')).toBeUndefined();
    } finally {
      await pool.close();
    }
  });
});
