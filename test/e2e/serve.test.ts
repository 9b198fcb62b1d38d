// `kubedojo serve` as a learner runs it: a kubeconfig that the real kubectl accepts with its
// default TLS checks, a kind-like cluster, and a cluster that survives a restart.
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { removeHome, startServe, type ServeProcess } from '../helpers/serve.js';
import { Kubectl, removeKubectlCaches } from '../helpers/kubectl.js';

const started: ServeProcess[] = [];
afterAll(async () => {
  for (const s of started) await s.stop();
  for (const s of started) removeHome(s.home);
  removeKubectlCaches();
});

describe('kubedojo serve', () => {
  it('writes a kubeconfig with context kubedojo, a CA and a token, in its data dir by default', async () => {
    const s = await startServe();
    started.push(s);
    expect(s.kubeconfig).toBe(path.join(s.home, 'kubeconfig'));
    const kc = parse(readFileSync(s.kubeconfig, 'utf8'));
    expect(kc['current-context']).toBe('kubedojo');
    expect(kc.clusters[0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/clusters\/default$/);
    expect(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(kc.users[0].user.token).toMatch(/^\S{20,}$/);
    const out = s.output();
    expect(out).toContain(`export KUBECONFIG=${s.kubeconfig}`);
  });

  it('serves a three-node kind-like cluster to the real kubectl', async () => {
    const s = started[0];
    const k = new Kubectl(s.kubeconfig);
    const nodes = await k.ok(['get', 'nodes']);
    expect(nodes.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(nodes).toMatch(/kubedojo-control-plane\s+Ready\s+control-plane\s+\S+\s+v1\.33\.1/);
    expect(nodes).toMatch(/kubedojo-worker\s+Ready\s+<none>/);
    expect(nodes).toMatch(/kubedojo-worker2\s+Ready\s+<none>/);
    const pods = await k.ok(['-n', 'kube-system', 'get', 'pods']);
    for (const name of ['etcd-kubedojo-control-plane', 'kube-apiserver-kubedojo-control-plane', 'kube-controller-manager-kubedojo-control-plane', 'kube-scheduler-kubedojo-control-plane']) {
      expect(pods).toMatch(new RegExp(`${name}\\s+1/1\\s+Running\\s+0`));
    }
    expect(pods.match(/^coredns-\S+\s+1\/1\s+Running/gm)).toHaveLength(2);
    expect(pods.match(/^kube-proxy-\S+\s+1\/1\s+Running/gm)).toHaveLength(3);
  });

  it('keeps what the learner made across a restart', async () => {
    const home = started[0].home;
    const k = new Kubectl(started[0].kubeconfig);
    await k.ok(['create', 'namespace', 'keep-me']);
    await k.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: saved\n  namespace: keep-me\ndata:\n  answer: "42"\n' });
    expect(await started[0].stop('SIGINT')).toBe(0);
    expect(started[0].output()).toContain('the cluster is saved');
    const again = await startServe([], home);
    started.push(again);
    const k2 = new Kubectl(again.kubeconfig);
    expect(await k2.ok(['-n', 'keep-me', 'get', 'configmap', 'saved', '-o', 'jsonpath={.data.answer}'])).toBe('42');
  });

  it('keeps the cluster\'s files (snapshot, log, token) and its kubeconfig 0600, in 0700 folders', async () => {
    const home = started[0].home;
    const clusters = path.join(home, 'clusters');
    expect(statSync(clusters).mode & 0o777).toBe(0o700);
    expect(readdirSync(clusters).sort()).toEqual(['default.json', 'default.log', 'default.token']);
    for (const f of readdirSync(clusters)) expect([f, statSync(path.join(clusters, f)).mode & 0o777]).toEqual([f, 0o600]);
    expect(statSync(started[0].kubeconfig).mode & 0o777).toBe(0o600);
  });

  it('refuses a bad --speed with a message that says what to do', async () => {
    const bad = await startServe(['--speed', 'fast']).catch((e: Error) => e);
    expect(bad).toBeInstanceOf(Error);
    expect(String(bad)).toContain('--speed must be a positive number');
  });
});
