// A scenario played against a real simulated cluster with the real kubectl: its set-up runs, its
// steps are checked by their verify scripts after commands and on cluster changes, a pass is kept
// in the learner's progress, and a failed set-up is said in words.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterHost, type HostedSandbox } from '../../../src/core/hosting/cluster-host.js';
import { openProgress } from '../../../src/core/progress/index.js';
import { scenarioEnv } from '../../../src/core/scenarios/environment.js';
import { readScenario, type Scenario } from '../../../src/core/scenarios/format.js';
import { ScenarioPlay, type PlayState } from '../../../src/core/scenarios/play.js';
import { Kubectl, kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'scenarios');
const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-play-'));
let host: ClusterHost;
beforeAll(async () => {
  host = await ClusterHost.start();
});
afterAll(async () => {
  await host?.close();
  removeKubectlCaches();
  rmSync(home, { recursive: true, force: true });
});

function play(scenario: Scenario, sandbox: HostedSandbox, dir = mkdtempSync(path.join(home, 'learner-'))) {
  const progress = openProgress({ dir, report: () => undefined }).learner('local:me');
  const p = new ScenarioPlay({ scenario, id: `/c/${scenario.id}`, progress, env: scenarioEnv({ kubeconfig: sandbox.kubeconfig, home: path.join(dir, 'shims'), base: kubectlEnv() }), home: dir, client: sandbox.client, settleMs: 20 });
  const states: PlayState[] = [];
  const problems: string[] = [];
  p.on('state', (s) => states.push(s));
  p.on('problem', (t) => problems.push(t));
  return { p, progress, states, problems };
}

const until = async <T>(fn: () => T | undefined | Promise<T | undefined>, what: string, ms = 30_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('playing a scenario', () => {
  it('runs the set-up, marks a wrong try, passes each step by its verify script and keeps the passes', async () => {
    const sandbox = host.create({ shape: 'killercoda' });
    const k = new Kubectl(sandbox.kubeconfig);
    // Scenarios that read the context find the one Killercoda's machines have.
    expect((await k.ok(['config', 'current-context'])).trim()).toBe('kubernetes-admin@kubernetes');
    const { p, progress, states } = play(readScenario(path.join(fixtures, 'settings-map')), sandbox);
    p.start();
    // The intro's background script made the namespace.
    await until(async () => (await k.run(['get', 'ns', 'shop'])).code === 0 || undefined, 'the set-up');
    await k.ok(['-n', 'shop', 'create', 'configmap', 'page', '--from-literal=colour=teal']);
    p.noteCommand('kubectl -n shop create configmap page --from-literal=colour=teal');
    await until(() => states.find((s) => s.marks[0] === 'failed'), 'the wrong try marked');
    expect(p.current().stepIndex).toBe(0);
    // Fixed without a command the play hears of: the cluster's change re-runs the check.
    await k.ok(['-n', 'shop', 'patch', 'configmap', 'page', '-p', '{"data":{"size":"large"}}']);
    await until(() => states.find((s) => s.stepIndex === 1), 'the first step passed');
    expect(p.current().marks).toEqual(['passed', 'pending']);
    expect(progress.scenario('/c/settings-map')?.passed).toEqual([0]);
    // Step 2's background script ran once the step opened.
    await until(async () => ((await k.run(['-n', 'shop', 'get', 'configmap', 'page', '-o', 'jsonpath={.metadata.labels.tier}'])).stdout === 'web') || undefined, "step 2's set-up");
    await k.ok(['-n', 'shop', 'apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: reader}\nspec:\n  containers:\n  - {name: r, image: "busybox:1.36", envFrom: [{configMapRef: {name: page}}]}\n' });
    p.noteCommand('kubectl apply -f -');
    await until(() => states.find((s) => s.finished), 'the scenario finished');
    expect(progress.scenario('/c/settings-map')).toMatchObject({ passed: [0, 1], finishedAt: expect.any(String) });
    p.stop();
    sandbox.dispose();
  }, 120_000);

  it('opens at the first step not passed when played again', async () => {
    const sandbox = host.create({ shape: 'killercoda' });
    const dir = mkdtempSync(path.join(home, 'again-'));
    const scenario = readScenario(path.join(fixtures, 'settings-map'));
    openProgress({ dir, report: () => undefined }).learner('local:me').passScenarioStep('/c/settings-map', 0, 2, new Date());
    const { p } = play(scenario, sandbox, dir);
    expect(p.current()).toEqual({ stepIndex: 1, finished: false, marks: ['passed', 'pending'] });
    sandbox.dispose();
  });

  it('says in words when a background set-up script fails, with what it printed', async () => {
    const sandbox = host.create({ shape: 'killercoda' });
    const base = readScenario(path.join(fixtures, 'settings-map'));
    const broken: Scenario = { ...base, intro: { ...base.intro, background: { file: 'setup.sh', text: 'echo "no such thing" >&2; exit 3\n' } } };
    const { p, problems } = play(broken, sandbox);
    p.start();
    const text = await until(() => problems[0], 'the problem');
    expect(text).toContain('set-up script setup.sh');
    expect(text).toContain('exit code 3');
    expect(text).toContain('no such thing');
    p.stop();
    sandbox.dispose();
  });

  it('does not count a foreground script typed for the learner as a try', async () => {
    const sandbox = host.create({ shape: 'killercoda' });
    const base = readScenario(path.join(fixtures, 'settings-map'));
    const typed: string[] = [];
    const withForeground: Scenario = { ...base, intro: { ...base.intro, foreground: { file: 'fg.sh', text: 'echo hello\n' } } };
    const { p, states } = play(withForeground, sandbox);
    p.on('foreground', (c) => typed.push(c));
    p.start();
    await until(() => typed[0], 'the foreground command');
    p.noteCommand(typed[0]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(states.some((s) => s.marks[0] === 'failed')).toBe(false);
    p.stop();
    sandbox.dispose();
  });
});
