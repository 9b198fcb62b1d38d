// The learner's cluster on a thread of its own (the built worker, which `npm test` makes first),
// as the tutor starts it: reached by the real kubectl, saved when stopped, and its start-up
// mistakes still the learner's to fix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveInWorker } from '../../../src/core/hosting/serve-in-worker.js';
import { LearnerError } from '../../../src/core/problems.js';
import { Kubectl, kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';

const homes: string[] = [];
function home(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-serve-worker-'));
  homes.push(dir);
  return { ...kubectlEnv(), KUBEDOJO_HOME: dir, HOME: dir };
}
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
  removeKubectlCaches();
});

describe('the simulated cluster in a worker thread', () => {
  it('answers kubectl once started, and what was made comes back after a stop and a new start', async () => {
    const env = home();
    const first = await serveInWorker({ env });
    try {
      const kubectl = new Kubectl(first.kubeconfigPath);
      const nodes = await kubectl.run(['get', 'nodes', '-o', 'name']);
      expect(nodes.stdout.trim().split('\n')).toEqual(['node/kubedojo-control-plane', 'node/kubedojo-worker', 'node/kubedojo-worker2']);
      expect((await kubectl.run(['create', 'configmap', 'kept', '--from-literal=a=b'])).stdout).toContain('configmap/kept created');
    } finally {
      await first.stop();
    }
    const second = await serveInWorker({ env });
    try {
      expect(second.kubeconfigPath).toBe(first.kubeconfigPath);
      const got = await new Kubectl(second.kubeconfigPath).run(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.a}']);
      expect(got.stdout).toBe('b');
    } finally {
      await second.stop();
    }
  });

  it('brings back what went wrong with the saved cluster, in words, for the tutor to show', async () => {
    const env = home();
    mkdirSync(path.join(env.KUBEDOJO_HOME!, 'clusters'), { recursive: true });
    writeFileSync(path.join(env.KUBEDOJO_HOME!, 'clusters', 'default.json'), '{"kind":"KubedojoClusterSnapshot","vers');
    const serving = await serveInWorker({ env });
    try {
      expect(serving.notices).toHaveLength(1);
      expect(serving.notices[0]).toMatch(/default\.json could not be read: it is not valid JSON/);
      expect((await new Kubectl(serving.kubeconfigPath).run(['get', 'ns', 'default', '-o', 'name'])).stdout).toBe('namespace/default\n');
    } finally {
      await serving.stop();
    }
  });

  it('reports a port already taken as the learner\'s error, saying what to do', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const err = await serveInWorker({ env: home(), port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LearnerError);
      expect((err as LearnerError).message).toContain(`port ${port}`);
      expect((err as LearnerError).nextStep).toMatch(/--port/);
    } finally {
      taken.close();
    }
  });
});
