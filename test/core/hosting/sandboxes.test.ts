// Sandboxes in this thread: one cluster per key, put to sleep when idle and woken on use, saved
// to the data dir, with a damaged save kept aside and its learner told.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Sandboxes, sandboxId } from '../../../src/core/hosting/sandboxes.js';
import { Kubectl, kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-sandboxes-'));
const env = { ...kubectlEnv(), KUBEDOJO_HOME: home };
let pool: Sandboxes | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  removeKubectlCaches();
});

describe('sandboxes', () => {
  it('names a sandbox after its key, file-safe, and refuses a key that names nothing', () => {
    expect(sandboxId('slack:T1:U2')).toBe('slack-t1-u2');
    expect(() => sandboxId(':::')).toThrow(/cannot name a sandbox/);
  });

  it('puts an idle sandbox to sleep and wakes it with its objects, open to the client it had', async () => {
    pool = await Sandboxes.start({ env });
    const sb = await pool.get('slack:T1:EVE');
    await new Kubectl(sb.kubeconfig).ok(['create', 'configmap', 'note', '--from-literal=k=v']);
    pool.sleepIdle(0);
    expect(pool.awake()).toBe(0);
    expect(pool.saved()).toContain('slack-t1-eve');
    const again = await pool.get('slack:T1:EVE');
    expect(again).not.toBe(sb);
    // The client made before the sleep still opens it: a learner's tutor keeps working.
    expect((await sb.client.get('configmaps', 'note', 'default'))?.data).toEqual({ k: 'v' });
  });

  it('keeps a save that is not JSON aside, gives the learner a fresh cluster and tells them so, once', async () => {
    const dir = path.join(home, 'sandboxes');
    pool = await Sandboxes.start({ env });
    writeFileSync(path.join(dir, 'slack-t1-fay.json'), '{ not json');
    const sb = await pool.get('slack:T1:FAY');
    expect(sb.notice).toMatch(/^Your cluster's saved state was damaged and could not be read, so you start from a fresh cluster: make again anything you miss\. The damaged copy is kept for whoever runs kubedojo here\.$/);
    expect(await sb.client.get('namespaces', 'default')).toBeDefined();
    const aside = readdirSync(dir).filter((f) => f.startsWith('slack-t1-fay.json.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0]), 'utf8')).toBe('{ not json');
    expect((await pool.get('slack:T1:FAY')).notice, 'told once').toBeUndefined();
  });

  it('leaves out a malformed object of a save, names it to the learner, and restores the rest', async () => {
    const dir = path.join(home, 'sandboxes');
    pool = await Sandboxes.start({ env });
    const sb = await pool.get('slack:T1:GUS');
    await new Kubectl(sb.kubeconfig).ok(['create', 'configmap', 'mine', '--from-literal=k=v']);
    await pool.sleepIdle(0);
    const file = path.join(dir, 'slack-t1-gus.json');
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    snap.objects['apps/deployments'] = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', resourceVersion: '3' }, spec: 'broken' }];
    writeFileSync(file, JSON.stringify(snap));
    const again = await pool.get('slack:T1:GUS');
    expect(again.notice).toMatch(/^Part of your cluster's saved state was damaged and left out: apps\/deployments default\/web \(.*spec.*\)\. Everything else was restored/);
    expect((await again.client.get('configmaps', 'mine', 'default'))?.data).toEqual({ k: 'v' });
    const aside = readdirSync(dir).filter((f) => f.startsWith('slack-t1-gus.json.damaged-'));
    expect(JSON.parse(readFileSync(path.join(dir, aside[0]), 'utf8')).objects['apps/deployments'][0].spec).toBe('broken');
  });

  it('has a team cluster\'s change on disk by the time kubectl is told: a pool started after a crash finds it', async () => {
    const home2 = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-sandboxes-crash-'));
    const env2 = { ...env, KUBEDOJO_HOME: home2 };
    const first = await Sandboxes.start({ env: env2 });
    try {
      const sb = await first.get('team:C9');
      await new Kubectl(sb.kubeconfig).ok(['create', 'configmap', 'shared', '--from-literal=k=v']);
      // The first pool is never closed, its sandbox never put to sleep: as after kill -9.
      pool = await Sandboxes.start({ env: env2 });
      const after = await pool.get('team:C9');
      expect(after.notice).toBeUndefined();
      expect((await after.client.get('configmaps', 'shared', 'default'))?.data).toEqual({ k: 'v' });
    } finally {
      await pool?.close();
      pool = undefined;
      await first.close();
      rmSync(home2, { recursive: true, force: true });
    }
  });

  it('keeps its files 0600 in 0700 folders, the kubeconfigs too', async () => {
    pool = await Sandboxes.start({ env });
    const sb = await pool.get('slack:T1:HAL');
    await new Kubectl(sb.kubeconfig).ok(['create', 'configmap', 'mine', '--from-literal=k=v']);
    const dir = path.join(home, 'sandboxes');
    for (const d of [dir, path.dirname(sb.kubeconfig)]) {
      expect(statSync(d).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(d)) expect([f, statSync(path.join(d, f)).mode & 0o777]).toEqual([f, 0o600]);
    }
  });
});
