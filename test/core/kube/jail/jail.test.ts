// The jail alone, with the policy switched off: whatever kubectl is told, the host's files,
// environment, programs, network and other learners' clusters are not there to be reached.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterHost, type HostedSandbox } from '../../../../src/core/hosting/cluster-host.js';
import { GuardedRunner } from '../../../../src/core/kube/runner.js';
import { Jail } from '../../../../src/core/kube/jail/jail.js';

const SECRET = `sentinel-${process.pid}-${Date.now()}`;
let host: ClusterHost;
let mine: HostedSandbox;
let theirs: HostedSandbox;
let runner: GuardedRunner;
let scratch: string;
let sentinel: string;
let hostService: net.Server;
let hostServicePort: number;

beforeAll(async () => {
  const found = Jail.detect({ kubectl: 'kubectl' });
  if ('reason' in found) throw new Error(`no jail can be made on this machine: ${found.reason}`);
  runner = new GuardedRunner({ jail: found.jail, policy: false, timeoutMs: 8000, limits: { dataBytes: 256 * 1024 * 1024 } });
  host = await ClusterHost.start();
  mine = host.create({ controlPlane: false });
  theirs = host.create({ controlPlane: false });
  await theirs.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'private', namespace: 'default' }, data: { note: 'only theirs' } });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-jail-test-'));
  sentinel = path.join(scratch, 'sentinel.txt');
  writeFileSync(sentinel, SECRET);
  process.env.KUBEDOJO_TEST_SECRET = SECRET;
  // A service on the host's loopback that a learner must not reach.
  hostService = net.createServer((s) => s.end('HTTP/1.1 200 OK\r\n\r\nhost-only'));
  await new Promise<void>((r) => hostService.listen(0, '127.0.0.1', () => r()));
  hostServicePort = (hostService.address() as net.AddressInfo).port;
});

afterAll(async () => {
  delete process.env.KUBEDOJO_TEST_SECRET;
  hostService.close();
  await host.close();
  rmSync(scratch, { recursive: true, force: true });
});

const run = (args: string[], input?: string) => runner.run({ args, input, fromLearner: {} }, { kubeconfig: mine.kubeconfig, socket: mine.socket });
const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

describe('the kubectl jail, with the policy off', () => {
  it('lets kubectl reach its own cluster', async () => {
    const r = await run(['get', 'namespaces', '-o', 'name']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('namespace/kube-system');
  });

  it('has no host file to read into a ConfigMap: the sentinel, the passwd file, the bot\'s own files', async () => {
    for (const file of [sentinel, '/etc/passwd', '/etc/hostname', path.join(process.cwd(), 'package.json')]) {
      const r = await run(['create', 'configmap', `f${Math.abs(file.length)}`, `--from-file=x=${file}`, '--dry-run=client', '-o', 'yaml']);
      expect(r.code).not.toBe(0);
      expect(output(r)).not.toContain(SECRET);
      expect(output(r)).toMatch(/no such file or directory/);
    }
    const t = await run(['get', 'pods', '-o', `go-template-file=${sentinel}`]);
    expect(output(t)).not.toContain(SECRET);
  });

  it('shows none of the bot\'s environment, even through /proc', async () => {
    for (const file of ['/proc/self/environ', '/proc/1/environ', `/proc/${process.pid}/environ`]) {
      const r = await run(['create', 'configmap', 'env', `--from-file=e=${file}`, '--dry-run=client', '-o', 'yaml']);
      expect(output(r)).not.toContain(SECRET);
      expect(output(r)).not.toContain('KUBEDOJO_TEST_SECRET');
    }
    const env = await run(['create', 'configmap', 'env2', '--from-env-file=/proc/self/environ', '--dry-run=client', '-o', 'yaml']);
    expect(output(env)).not.toContain(SECRET);
  });

  it('cannot reach another learner\'s cluster: its kubeconfig is not in the jail', async () => {
    const r = await run(['--kubeconfig', theirs.kubeconfig, 'get', 'configmap', 'private', '-o', 'yaml']);
    expect(r.code).not.toBe(0);
    expect(output(r)).not.toContain('only theirs');
  });

  it('reaches nothing on the host\'s network, not even its loopback', async () => {
    const r = await run(['get', '--raw', '/', `--server=http://127.0.0.1:${hostServicePort}`]);
    expect(r.code).not.toBe(0);
    expect(output(r)).not.toContain('host-only');
    expect(output(r)).toMatch(/refused/);
  });

  it('runs no host program: kubectl\'s exec credentials find nothing to run', async () => {
    const marker = path.join(scratch, 'ran');
    const kubeconfig = path.join(scratch, 'exec.kubeconfig');
    writeFileSync(kubeconfig, readFileSync(mine.kubeconfig, 'utf8').replace(/user:\n(\s+)token: .*/, `user:\n$1exec:\n$1  apiVersion: client.authentication.k8s.io/v1\n$1  command: /bin/sh\n$1  args: ["-c", "touch ${marker}"]\n$1  interactiveMode: Never`));
    const r = await runner.run({ args: ['get', 'pods'] }, { kubeconfig, socket: mine.socket });
    expect(r.code).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('writes no host file: profiles, logs and caches land in a private /tmp that goes with the run', async () => {
    const target = path.join(scratch, 'written');
    for (const args of [['get', 'pods', `--profile-output=${target}`, '--profile=heap'], ['get', 'pods', `--log-file=${target}`, '--logtostderr=false'], ['get', 'pods', `--cache-dir=${scratch}`]]) {
      await run(args);
      expect(existsSync(target)).toBe(false);
    }
    const r = await run(['get', 'pods', '--profile=heap', '--profile-output=/usr/bin/kubectl']);
    expect(output(r)).toMatch(/read-only file system|permission denied/i);
  });

  it('ends a run that reads without end, within its memory bound', async () => {
    const r = await run(['create', 'configmap', 'zero', '--from-file=z=/dev/zero', '--dry-run=client']);
    expect(r.code).not.toBe(0);
    expect(output(r)).toMatch(/out of memory|cannot allocate|was stopped/);
  });

  it('stops a run that would wait forever', async () => {
    const r = await runner.run({ args: ['wait', '--for=delete', 'namespace/default', '--timeout=100h'], fromLearner: {}, timeoutMs: 1500 }, { kubeconfig: mine.kubeconfig, socket: mine.socket });
    expect(r.code).not.toBe(0);
    expect(output(r)).toMatch(/ran longer than 2 s and was stopped/);
  });
});
