// Shared plumbing for the end-to-end suites: one `kubedojo serve` per test file, the real kubectl
// against it, a fresh namespace per test, and small readers for kubectl's table output.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { Kubectl, removeKubectlCaches, type KubectlResult } from '../helpers/kubectl.js';
import { removeHome } from '../helpers/serve.js';
import { serve, type Serving } from '../../src/core/hosting/serve.js';
import { ManualClock } from '../../src/core/cluster/clock.js';
import type { Cluster as SimCluster } from '../../src/core/cluster/cluster.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/notes/', import.meta.url));

/** Absolute path of a manifest under test/fixtures/notes/. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export interface Cluster {
  /** The real kubectl (default binary) pointed at this file's server. */
  readonly k: Kubectl;
  readonly kubeconfig: string;
  /** The simulated cluster's clock: tests step it by hand, nothing sleeps. */
  readonly clock: ManualClock;
  /** The cluster itself, for reading what a test cannot see through kubectl (rarely needed). */
  readonly cluster: SimCluster;
  /** A kubectl with another binary (e.g. kubectl.1.27) against the same server. */
  kubectl(binary: string): Kubectl;
  /** A private copy of the kubeconfig, for commands that write to it (config set-context, use-context). */
  kubeconfigCopy(): string;
  /** Steps the clock by `seconds`, in one-second ticks so every timer fires at its time. */
  advance(seconds: number): void;
  /**
   * Runs a command that waits on the cluster (kubectl delete, rollout status, wait) while the
   * clock moves one simulated second per real millisecond-tick, as if time passed for it.
   */
  ticking<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * One `kubedojo serve` for the whole file, in this process and on a manual clock (beforeAll), with
 * its own data dir; stopped afterwards. kubectl talks to it over HTTPS as to any cluster.
 */
export function useCluster(): Cluster {
  let serving: Serving | undefined;
  let k: Kubectl | undefined;
  let home: string | undefined;
  const clock = new ManualClock(new Date());
  const scratch: string[] = [];
  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-e2e-'));
    serving = await serve({ env: { KUBEDOJO_HOME: home, HOME: home }, clock });
    k = new Kubectl(serving.kubeconfigPath);
  });
  afterAll(async () => {
    if (serving) await serving.stop();
    if (home) removeHome(home);
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    removeKubectlCaches();
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the kubedojo server has not started (see beforeAll)');
    return v;
  };
  return {
    get k() {
      return need(k);
    },
    get kubeconfig() {
      return need(serving).kubeconfigPath;
    },
    clock,
    get cluster() {
      return need(serving).cluster;
    },
    kubectl(binary: string) {
      return new Kubectl(need(serving).kubeconfigPath, binary);
    },
    kubeconfigCopy() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-kubeconfig-'));
      scratch.push(dir);
      const file = path.join(dir, 'config');
      copyFileSync(need(serving).kubeconfigPath, file);
      return file;
    },
    advance(seconds: number) {
      for (let i = 0; i < seconds; i++) clock.advance(1000);
    },
    async ticking<T>(fn: () => Promise<T>): Promise<T> {
      const timer = setInterval(() => clock.advance(1000), 5);
      try {
        return await fn();
      } finally {
        clearInterval(timer);
      }
    },
  };
}

let nsCounter = 0;

/** Creates a namespace of its own for one test: `<prefix>-<n>`. */
export async function newNamespace(k: Kubectl, prefix: string): Promise<string> {
  const name = `${prefix}-${++nsCounter}`;
  const out = await k.ok(['create', 'namespace', name]);
  expect(out.trim()).toBe(`namespace/${name} created`);
  return name;
}

/** kubectl's output as lines, without the trailing empty line. */
export function lines(text: string): string[] {
  const out = text.replace(/\r/g, '').split('\n');
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** Splits a printed table into header and rows; cells are separated by two or more spaces. */
export function table(text: string): { header: string[]; rows: string[][] } {
  const [head, ...rest] = lines(text);
  const cells = (l: string) => l.trim().split(/\s{2,}/);
  return { header: head === undefined ? [] : cells(head), rows: rest.map(cells) };
}

/** A regex that matches a header line with exactly these columns, separated by whitespace. */
export function headerRe(columns: string[]): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${columns.map(esc).join('\\s+')}\\s*$`);
}

/** Asserts that the first line of `text` is a header with exactly these columns. */
export function expectHeader(text: string, columns: string[]): void {
  expect(lines(text)[0] ?? '').toMatch(headerRe(columns));
}

/** The row (as cells) whose first cell is `name`, or undefined. */
export function rowOf(text: string, name: string, column = 0): string[] | undefined {
  return table(text).rows.find((r) => r[column] === name);
}

/** The value of a column, by header name, in the row for `name`. */
export function cell(text: string, name: string, column: string): string | undefined {
  const t = table(text);
  const i = t.header.indexOf(column);
  if (i < 0) throw new Error(`no column ${column} in ${t.header.join(' | ')}`);
  return t.rows.find((r) => r[0] === name)?.[i];
}

// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/** Matches kubectl's delete confirmation (newer kubectls append the namespace). */
export function deletedRe(kindAndName: string): RegExp {
  const [kind, name] = kindAndName.split('/');
  return new RegExp(`^${kind.replace(/\./g, '\\.')} "${name}" deleted( from \\S+ namespace)?$`);
}

/** Expects a failed kubectl run: exit code 1, nothing useful on stdout, exactly this stderr. */
export function expectFailure(r: KubectlResult, stderr: string | RegExp): void {
  const err = r.stderr.trimEnd();
  if (typeof stderr === 'string') expect(err).toBe(stderr);
  else expect(err).toMatch(stderr);
  expect(r.code).toBe(1);
}

/** Runs kubectl with extra environment variables (e.g. EDITOR for `kubectl edit`). */
export async function runWithEnv(
  k: Kubectl,
  env: Record<string, string | undefined>,
  args: string[],
  opts: { input?: string; cwd?: string } = {},
): Promise<KubectlResult> {
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(env)) {
    saved[key] = process.env[key];
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  try {
    // Kubectl.run reads process.env when it spawns, which happens synchronously inside run().
    return await k.run(args, opts);
  } finally {
    for (const key of Object.keys(saved)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

/** An EDITOR value that applies these sed expressions to the file kubectl opens. */
export function sedEditor(...expressions: string[]): Record<string, string | undefined> {
  const quoted = expressions.map((e) => `-e '${e.replace(/'/g, `'\\''`)}'`).join(' ');
  return { EDITOR: `sed -i ${quoted}`, KUBE_EDITOR: undefined };
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Parses kubectl's JSON output. */
export function json<T = any>(text: string): T {
  return JSON.parse(text) as T;
}

export interface WorkloadShape {
  replicas?: number;
  /** The container's name (web unless given). */
  containerName?: string;
  image?: string;
  /** More lines of the container, already indented by 8 spaces. */
  container?: string;
  /** More lines of the spec before the selector, indented by 2 spaces. */
  spec?: string;
  /** Lines after the template (volumeClaimTemplates...), indented by 2 spaces. */
  tail?: string;
}

/** A Deployment or StatefulSet manifest whose pods are labelled app=<name>, with one container. */
export function workload(kind: 'Deployment' | 'StatefulSet', name: string, shape: WorkloadShape = {}): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
spec:
${kind === 'StatefulSet' ? `  serviceName: ${name}\n` : ''}  replicas: ${shape.replicas ?? 1}
${shape.spec ?? ''}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${shape.containerName ?? 'web'}
        image: ${shape.image ?? 'nginx'}
${shape.container ?? ''}${shape.tail ?? ''}`;
}

/** A loopback port nothing listens on now, for a port-forward to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A kubectl that keeps running (port-forward, attach, logs -f), with its output collected. */
export function background(c: Cluster, args: string[], input?: string): { child: ChildProcess; out: () => string; err: () => string } {
  const child = spawn(c.k.binary, args, { env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.k.cacheDir }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin!.on('error', () => {});
  if (input !== undefined) child.stdin!.write(input);
  return { child, out: () => out, err: () => err };
}
