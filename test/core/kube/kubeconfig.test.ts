// Reading a kubeconfig as kubectl does, without @kubernetes/client-node: the current context's
// server, CA and credentials; several files merged; what it cannot do left to client-node.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionOf, kubeconfigFiles, readKubeconfigs } from '../../../src/core/kube/kubeconfig.js';
import { LearnerError } from '../../../src/core/problems.js';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-kubeconfig-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('reading a kubeconfig', () => {
  it("gives the current context's server, CA and token", () => {
    const file = path.join(dir(), 'config');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster:
    server: https://127.0.0.1:6443/
    certificate-authority-data: ${b64('CA')}
contexts:
- name: learner
  context: {cluster: sim, user: me, namespace: default}
current-context: learner
users:
- name: me
  user: {token: abc}
`,
    );
    const c = connectionOf(readKubeconfigs([file]));
    expect(c).toMatchObject({ context: 'learner', server: 'https://127.0.0.1:6443', handled: true, token: 'abc', insecure: false });
    expect(c.ca?.toString()).toBe('CA');
  });

  it("reads certificate files relative to the kubeconfig's folder", () => {
    const d = dir();
    mkdirSync(path.join(d, 'pki'));
    writeFileSync(path.join(d, 'pki', 'ca.crt'), 'CA');
    writeFileSync(path.join(d, 'pki', 'me.crt'), 'CERT');
    writeFileSync(path.join(d, 'pki', 'me.key'), 'KEY');
    const file = path.join(d, 'config');
    writeFileSync(
      file,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://k:443', 'certificate-authority': 'pki/ca.crt', 'tls-server-name': 'kubernetes' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        users: [{ name: 'u', user: { 'client-certificate': 'pki/me.crt', 'client-key': path.join(d, 'pki', 'me.key') } }],
        'current-context': 'x',
      }),
    );
    const c = connectionOf(readKubeconfigs([file]));
    expect([c.ca?.toString(), c.cert?.toString(), c.key?.toString(), c.servername]).toEqual(['CA', 'CERT', 'KEY', 'kubernetes']);
  });

  it('merges the files of $KUBECONFIG as kubectl does: the first to name a context, or the current one, wins', () => {
    const d = dir();
    const a = path.join(d, 'a');
    const b = path.join(d, 'b');
    writeFileSync(a, 'current-context: one\ncontexts:\n- name: one\n  context: {cluster: first, user: u}\nclusters:\n- name: first\n  cluster: {server: "https://first"}\n');
    writeFileSync(b, 'current-context: two\ncontexts:\n- name: one\n  context: {cluster: second, user: u}\n- name: two\n  context: {cluster: second, user: u}\nclusters:\n- name: second\n  cluster: {server: "https://second"}\nusers:\n- name: u\n  user: {token: t}\n');
    const files = kubeconfigFiles(undefined, { KUBECONFIG: [a, '', b].join(path.delimiter) });
    expect(files).toEqual([a, b]);
    const merged = readKubeconfigs(files);
    expect(connectionOf(merged)).toMatchObject({ context: 'one', server: 'https://first', token: 't' });
    expect(connectionOf(merged, 'two')).toMatchObject({ context: 'two', server: 'https://second' });
  });

  it('says what to do when the context is not there, or there is no current cluster', () => {
    const file = path.join(dir(), 'config');
    writeFileSync(file, 'contexts:\n- name: a\n  context: {cluster: gone, user: u}\ncurrent-context: a\n');
    const merged = readKubeconfigs([file]);
    expect(() => connectionOf(merged, 'nope')).toThrow(LearnerError);
    expect(() => connectionOf(merged, 'nope')).toThrow('context "nope" is not in the kubeconfig');
    expect(() => connectionOf(merged)).toThrow('the kubeconfig has no current cluster');
  });

  it('leaves a user of an exec plugin, and a cluster behind a proxy, to client-node', () => {
    const file = path.join(dir(), 'config');
    writeFileSync(
      file,
      `clusters:
- {name: c, cluster: {server: "https://k"}}
- {name: p, cluster: {server: "https://k", proxy-url: "http://proxy:3128"}}
contexts:
- {name: exec, context: {cluster: c, user: cloud}}
- {name: proxied, context: {cluster: p, user: plain}}
- {name: plain, context: {cluster: c, user: plain}}
users:
- {name: cloud, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: get-token}}}
- {name: plain, user: {token: t}}
`,
    );
    const merged = readKubeconfigs([file]);
    expect(connectionOf(merged, 'exec').handled).toBe(false);
    expect(connectionOf(merged, 'proxied').handled).toBe(false);
    expect(connectionOf(merged, 'plain').handled).toBe(true);
  });

  it('is ~/.kube/config when nothing names one, and none when that is missing', () => {
    const home = dir();
    expect(kubeconfigFiles(undefined, { HOME: home })).toEqual([]);
    mkdirSync(path.join(home, '.kube'));
    writeFileSync(path.join(home, '.kube', 'config'), '{}');
    expect(kubeconfigFiles(undefined, { HOME: home })).toEqual([path.join(home, '.kube', 'config')]);
    expect(kubeconfigFiles('/elsewhere', { HOME: home })).toEqual(['/elsewhere']);
  });
});
