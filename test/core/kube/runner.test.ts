// The guarded runner: a learner's words are read by the policy and run in canonical form, lesson
// and quiz commands are not vetted, and every run has a bare environment and bounded output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterHost, type HostedSandbox } from '../../../src/core/hosting/cluster-host.js';
import { GuardedRunner } from '../../../src/core/kube/runner.js';
import { LearnerError } from '../../../src/core/problems.js';

let host: ClusterHost;
let sb: HostedSandbox;
beforeAll(async () => {
  host = await ClusterHost.start();
  sb = host.create({ controlPlane: false });
  process.env.KUBEDOJO_RUNNER_TEST_SECRET = 'do-not-show';
});
afterAll(async () => {
  delete process.env.KUBEDOJO_RUNNER_TEST_SECRET;
  await host.close();
});

const target = () => ({ kubeconfig: sb.kubeconfig, socket: sb.socket });

describe('the guarded runner', () => {
  it('refuses a learner\'s command that the policy refuses, before anything runs', async () => {
    const runner = new GuardedRunner();
    await expect(runner.run({ args: ['get', 'pods', `--kubeconfig=${sb.kubeconfig}`], fromLearner: {} }, target())).rejects.toBeInstanceOf(LearnerError);
  });

  it('runs a learner\'s command in the form the policy read it', async () => {
    const runner = new GuardedRunner();
    const r = await runner.run({ args: ['-n', 'kube-system', 'get', 'configmaps', '-o', 'name'], fromLearner: {} }, target());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('configmap/kube-root-ca.crt');
    expect(r.args[0]).not.toBe('-n');
  });

  it('does not vet a lesson\'s or a quiz item\'s own commands', async () => {
    const runner = new GuardedRunner();
    const r = await runner.run({ args: ['get', 'namespaces', '-o', 'name', '-v=0'] }, target());
    expect(r.code).toBe(0);
  });

  it('gives kubectl none of this process\'s environment, even without a jail', async () => {
    const runner = new GuardedRunner({ policy: false });
    const r = await runner.run({ args: ['create', 'configmap', 'env', '--from-env-file=/proc/self/environ', '--dry-run=client', '-o', 'yaml'], fromLearner: {} }, target());
    expect(r.stdout).toContain('KUBECONFIG');
    expect(r.stdout).not.toContain('KUBEDOJO_RUNNER_TEST_SECRET');
    expect(r.stdout).not.toContain('do-not-show');
  });

  it('stops a run whose output passes its bound, and says so', async () => {
    const runner = new GuardedRunner({ maxOutputBytes: 2000 });
    const r = await runner.run({ args: ['get', '--raw', '/openapi/v2'] }, target());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/the output passed 2 KiB and the command was stopped/);
  });
});
