// `kubedojo check --watch` as a learner in a second terminal uses it: it grades as the cluster
// changes under it, with no other command of kubedojo's, step after step until the lesson is done.
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, removeHome, startServe, type ServeProcess } from '../helpers/serve.js';
import { Kubectl, kubectlEnv, removeKubectlCaches } from '../helpers/kubectl.js';
import { loadLessons } from '../../src/core/lessons/loader.js';

let s: ServeProcess;
let env: NodeJS.ProcessEnv;
let k: Kubectl;
beforeAll(async () => {
  s = await startServe();
  env = { ...kubectlEnv(), KUBEDOJO_HOME: s.home, NO_COLOR: '1', KUBECONFIG: s.kubeconfig };
  k = new Kubectl(s.kubeconfig);
});
afterAll(async () => {
  await s?.stop();
  removeHome(s.home);
  removeKubectlCaches();
});

const lesson = loadLessons().find((l) => l.id === 'troubleshooting-crashloop')!;

describe('kubedojo check --watch', () => {
  it('marks the step not yet, then wrong, then passed as kubectl changes the cluster, and grades the next step the same way', async () => {
    execFileSync(process.execPath, [BIN, 'start', lesson.id], { env });
    const child = spawn(process.execPath, [BIN, 'check', '--watch', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async () => JSON.parse((await lines.next()).value as string) as { stepNumber: number; passed: boolean; tasks: { checks: { state: string }[] }[] };
    const states = (o: Awaited<ReturnType<typeof next>>) => o.tasks.flatMap((t) => t.checks.map((c) => c.state));
    try {
      expect(states(await next())).toEqual(['pending']);
      await k.ok(['create', 'configmap', 'diagnosis', '-n', 'dojo-crashloop', '--from-literal=missing-var=QUEUE_URL']);
      expect(states(await next())).toEqual(['failed']);
      const right = await k.ok(['create', 'configmap', 'diagnosis', '-n', 'dojo-crashloop', '--from-literal=missing-variable=QUEUE_URL', '--dry-run=client', '-o', 'yaml']);
      await k.ok(['replace', '-f', '-'], { input: right });
      const passed = await next();
      expect(passed).toMatchObject({ stepNumber: 1, passed: true });
      // The next step is graded with nothing tried yet; the rollout it asks for turns it green.
      expect(states(await next()).every((m) => m === 'pending')).toBe(true);
      await k.ok(['set', 'env', 'deployment/worker', '-n', 'dojo-crashloop', 'QUEUE_URL=redis://queue:6379']);
      let o = await next();
      while (!o.passed) o = await next();
      expect(o.stepNumber).toBe(2);
    } finally {
      child.kill('SIGINT');
    }
  }, 180_000);
});
