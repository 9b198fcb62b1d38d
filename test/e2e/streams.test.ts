// exec, attach, cp, run -i and port-forward with every kubectl from 1.27 to 1.33 (their SPDY and
// WebSocket clients) against the in-process API server, with a small StreamRuntime standing in for
// the kubelet, and raw WebSocket and SPDY clients for what kubectl never sends.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/core/apiserver/server.js';
import { generateTls } from '../../src/core/apiserver/tls.js';
import { newCluster } from '../../src/core/cluster/factory.js';
import { ManualClock } from '../../src/core/cluster/clock.js';
import { kubectlBinaries } from '../helpers/kubectl.js';
import type { ExecIO, ExecOutcome, PodConnection, StreamRuntime } from '../../src/core/apiserver/streams/runtime.js';
import type { Cluster } from '../../src/core/cluster/cluster.js';
import type { KObject } from '../../src/core/cluster/kinds/types.js';
import { badRequest } from '../../src/core/cluster/errors.js';
import { WebSocket } from 'ws';
import { freePort } from './support.js';

/**
 * A stand-in for the kubelet: a handful of commands, and the pod's filesystem as a scratch
 * directory. `tar` shells out to the system tar (acceptable only here, in a test runtime).
 */
class TestRuntime implements StreamRuntime {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-pod-fs-'));
  readonly commands: string[][] = [];
  /** Commands whose client went away while they ran. */
  readonly abandoned: string[][] = [];

  async exec(_c: Cluster, _ns: string, pod: string, _container: string | undefined, command: string[], io: ExecIO): Promise<ExecOutcome> {
    this.commands.push(command);
    if (pod === 'sleeping') throw badRequest('unable to upgrade connection: container not found ("app")');
    const [cmd, ...args] = command;
    const out = (s: string) => io.stdout(Buffer.from(s));
    switch (cmd) {
      case 'echo':
        out(args.join(' ') + '\n');
        return { exitCode: 0 };
      case 'argv':
        out(JSON.stringify(command) + '\n');
        return { exitCode: 0 };
      case 'cat':
        for await (const chunk of io.stdin ?? []) io.stdout(chunk);
        return { exitCode: 0 };
      case 'warn':
        io.stderr?.(Buffer.from(args.join(' ') + '\n'));
        return { exitCode: 0 };
      case 'exit':
        return { exitCode: Number(args[0]) };
      case 'resize-until':
        // Prints each terminal size the client reports, until it reports args[0].
        return await new Promise<ExecOutcome>((resolve) => {
          io.onResize(({ width, height }) => {
            out(`size ${width}x${height}\r\n`);
            if (`${width}x${height}` === args[0]) resolve({ exitCode: io.tty ? 0 : 1 });
          });
        });
      case 'tty':
        out(io.tty ? 'a terminal\r\n' : 'no terminal\n');
        return { exitCode: 0 };
      case 'tar':
        return this.tar(args, io);
      case 'yes': {
        // args[0] bytes of numbered lines, in many small writes, as a busy process prints.
        const total = Number(args[0]);
        let sent = 0;
        for (let i = 0; sent < total; i++) {
          const line = Buffer.from(`line ${i} ${'x'.repeat(i % 50)}\n`).subarray(0, total - sent);
          io.stdout(line);
          sent += line.length;
          if (i % 500 === 0) await new Promise((r) => setImmediate(r));
        }
        return { exitCode: 0 };
      }
      case 'blob':
        // args[0] bytes in one write, as `cat` of a big file may hand them over.
        io.stdout(blob(Number(args[0])));
        return { exitCode: 0 };
      case 'hang':
        // Runs until the client goes away, then says so.
        out('hanging\n');
        await new Promise<void>((resolve) => io.signal?.addEventListener('abort', () => resolve()));
        this.abandoned.push(command);
        return { exitCode: 0 };
      default:
        return { error: `failed to exec in container: failed to start exec "0123abcd": OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd}": executable file not found in $PATH: unknown` };
    }
  }

  async attach(c: Cluster, ns: string, pod: string, _container: string | undefined, io: ExecIO): Promise<ExecOutcome> {
    io.stdout(Buffer.from('attached to the main process\n'));
    for await (const chunk of io.stdin ?? []) io.stdout(Buffer.from(chunk.toString().toUpperCase()));
    // A `kubectl run -i` pod's only process reads its stdin to the end, then exits.
    if (pod.startsWith('run-')) setImmediate(() => setStatus(c, ns, pod, 'Succeeded'));
    return { exitCode: 0 };
  }

  portForward(_c: Cluster, _ns: string, _pod: string, port: number): PodConnection | { error: string } {
    if (port === 80) return httpResponder('hello from the pod\n');
    if (port === 7) return echoConnection();
    return {
      error: `failed to execute portforward in network namespace "/var/run/netns/cni-5a2c1e7b": failed to connect to localhost:${port} inside namespace "5a2c1e7b", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
    };
  }

  /** The system tar, run inside the scratch root: absolute paths are rewritten to the root. */
  private tar(args: string[], io: ExecIO): Promise<ExecOutcome> {
    const rewritten = args.map((a, i) => (a.startsWith('/') ? (args[i - 1] === '-C' ? path.join(this.root, a) : a.slice(1)) : a));
    // `tar cf - /x` (old-style options) becomes `tar -C root -cf - x`.
    if (rewritten[0] && !rewritten[0].startsWith('-')) rewritten[0] = `-${rewritten[0]}`;
    if (!rewritten.includes('-C')) rewritten.unshift('-C', this.root);
    return new Promise((resolve) => {
      const child = spawn('tar', rewritten, { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => io.stdout(d));
      child.stderr.on('data', (d: Buffer) => (io.stderr ?? io.stdout)(d));
      child.stdin.on('error', () => {});
      void (async () => {
        for await (const chunk of io.stdin ?? []) child.stdin.write(chunk);
        child.stdin.end();
      })();
      child.on('close', (code) => resolve({ exitCode: code ?? 1 }));
    });
  }
}

/** Bytes that show where a piece went missing or out of order. */
function blob(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) b.writeUInt32BE(i, i);
  return b;
}

/** A pod port that answers one HTTP request, then closes. */
function httpResponder(body: string): PodConnection {
  const dataCbs: Array<(d: Buffer) => void> = [];
  const endCbs: Array<() => void> = [];
  let request = '';
  let answered = false;
  return {
    write(d) {
      request += d.toString();
      if (answered || !request.includes('\r\n\r\n')) return;
      answered = true;
      const reply = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
      setImmediate(() => {
        for (const cb of dataCbs) cb(Buffer.from(reply));
        for (const cb of endCbs) cb();
      });
    },
    end() {},
    onData: (cb) => dataCbs.push(cb),
    onEnd: (cb) => endCbs.push(cb),
  };
}

/** A pod port that echoes every byte back and closes when the client does. */
function echoConnection(): PodConnection {
  const dataCbs: Array<(d: Buffer) => void> = [];
  const endCbs: Array<() => void> = [];
  return {
    write: (d) => setImmediate(() => dataCbs.forEach((cb) => cb(d))),
    end: () => setImmediate(() => endCbs.forEach((cb) => cb())),
    onData: (cb) => dataCbs.push(cb),
    onEnd: (cb) => endCbs.push(cb),
  };
}

interface Run {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs a binary with a kubeconfig; stdin from a buffer (or closed), stdout kept as bytes. */
function run(bin: string, args: string[], env: Record<string, string>, opts: { input?: Buffer | string; timeoutMs?: number; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.end(opts.input ?? '');
  });
}

const binaries = kubectlBinaries();
/** Every versioned kubectl there is; the one on PATH only when there are none. */
const versions = Object.keys(binaries).filter((v) => v !== 'default').length ? Object.keys(binaries).filter((v) => v !== 'default') : Object.keys(binaries);

/** The minor version of a kubectl binary, which decides the transport it speaks. */
function minorOf(version: string): number {
  if (version !== 'default') return Number(version.split('.')[1]);
  const info = JSON.parse(execFileSync(binaries.default, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })) as { clientVersion: { minor: string } };
  return parseInt(info.clientVersion.minor, 10);
}

const NODE = 'kind-worker';

interface StreamApi {
  server: ApiServer;
  cluster: Cluster;
  id: string;
  token: string;
  kubeconfig: string;
}

let api: StreamApi;
let runtime: TestRuntime;
let home: string;
let unsubscribe: () => void;
const upgrades: Array<{ minor: number; sub: string; transport: string; protocols: string }> = [];

function env(): Record<string, string> {
  return { KUBECONFIG: api.kubeconfig, HOME: home, KUBECACHEDIR: path.join(home, 'cache'), NO_COLOR: '1' };
}

function podDef(c: Cluster = api.cluster) {
  return c.kinds.get('', 'v1', 'pods')!;
}

/**
 * Plays the kubelet's status reports, which this file's cluster (run without a control plane, so
 * nothing else touches its pods) would otherwise never get: a pod on a node runs at once.
 */
function setStatus(c: Cluster, ns: string, name: string, phase: 'Running' | 'Succeeded'): void {
  const pod = c.store.get('/pods', ns, name) as KObject | undefined;
  if (!pod) return;
  const now = new Date().toISOString();
  const containers = ((pod.spec as { containers?: Array<{ name: string; image: string }> }).containers ?? []);
  const state = phase === 'Running' ? { running: { startedAt: now } } : { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } };
  c.update(
    podDef(c),
    ns,
    name,
    {
      ...pod,
      status: {
        phase,
        podIP: '10.244.1.7',
        conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False', lastTransitionTime: now }],
        containerStatuses: containers.map((x) => ({ name: x.name, image: x.image, imageID: '', ready: phase === 'Running', restartCount: 0, started: phase === 'Running', state })),
      },
    },
    {},
    'status',
  );
}

function createPod(name: string, containers: Array<Record<string, unknown>> = [{ name: 'app', image: 'busybox', stdin: true, tty: false }], nodeName: string | null = NODE): void {
  api.cluster.create(podDef(), 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers } });
}

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-streams-'));
  runtime = new TestRuntime();
  const material = await generateTls();
  const server = new ApiServer({ tls: material, streams: runtime });
  await server.listen();
  const cluster = newCluster({ clock: new ManualClock(new Date()), caCert: material.caCert, controlPlane: false });
  const hosted = server.host(cluster, 'streams');
  const kubeconfig = path.join(home, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig(hosted.id));
  api = { server, cluster, id: hosted.id, token: hosted.token, kubeconfig };
  // Which transport each client asked for (the HTTPS server inside ApiServer is private).
  (server as unknown as { server: import('node:https').Server }).server.prependListener('upgrade', (req: import('node:http').IncomingMessage) => {
    const sub = /\/(exec|attach|portforward)(\?|$)/.exec(req.url ?? '')?.[1];
    const agent = /^kubectl[^/]*\/v1\.(\d+)\./.exec(String(req.headers['user-agent']))?.[1];
    if (sub && agent) upgrades.push({ minor: Number(agent), sub, transport: String(req.headers.upgrade).toLowerCase(), protocols: String(req.headers['sec-websocket-protocol'] ?? req.headers['x-stream-protocol-version'] ?? '') });
  });
  unsubscribe = cluster.store.subscribe('/pods', (e) => {
    const spec = e.object.spec as { nodeName?: string };
    if (e.type === 'ADDED' && spec.nodeName) setImmediate(() => setStatus(cluster, e.object.metadata.namespace!, e.object.metadata.name!, 'Running'));
  });
  createPod('web');
  createPod('pair', [
    { name: 'main', image: 'busybox' },
    { name: 'sidecar', image: 'busybox' },
  ]);
  createPod('sleeping');
  createPod('unscheduled', undefined, null);
  const rbac = (plural: string) => api.cluster.kinds.get('rbac.authorization.k8s.io', 'v1', plural)!;
  const role = (name: string, rules: unknown[]) => api.cluster.create(rbac('roles'), 'default', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules });
  const bind = (user: string, roleName: string) =>
    api.cluster.create(rbac('rolebindings'), 'default', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: user },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    });
  role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
  role('pod-debugger', [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods/exec', 'pods/attach', 'pods/portforward'], verbs: ['create'] },
  ]);
  role('exec-getter', [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['get'] },
  ]);
  bind('reader', 'pod-reader');
  bind('getter', 'exec-getter');
  bind('debugger', 'pod-debugger');
  await until(() => ((api.cluster.store.get('/pods', 'default', 'pair') as KObject | undefined)?.status as { phase?: string } | undefined)?.phase === 'Running', () => 'the pods did not start');
});

afterAll(async () => {
  unsubscribe?.();
  await api?.server.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(runtime.root, { recursive: true, force: true });
});

describe.each(versions)('kubectl %s', (version) => {
  const k = () => binaries[version];
  const minor = minorOf(version);
  // kubectl 1.30 moved exec, attach and cp to WebSocket (v5, through the apiserver's stream
  // translator) and 1.31 port-forward (SPDY tunnelled in a WebSocket); both fall back to SPDY.
  const websocket = minor >= 30;
  const kubectl = (args: string[], opts: { input?: Buffer | string; timeoutMs?: number; cwd?: string } = {}) => run(k(), args, env(), opts);

  it('prints what `exec -- echo hi` prints', async () => {
    const r = await kubectl(['exec', 'web', '--', 'echo', 'hi']);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('hi\n');
    expect(r.code).toBe(0);
  });

  it('passes the command line through unchanged', async () => {
    const r = await kubectl(['exec', 'web', '--', 'argv', 'a b', '--flag', '$HOME']);
    expect(JSON.parse(r.stdout.toString())).toEqual(['argv', 'a b', '--flag', '$HOME']);
  });

  it('keeps stderr apart from stdout', async () => {
    const r = await kubectl(['exec', 'web', '--', 'warn', 'careful']);
    expect(r.stdout.toString()).toBe('');
    expect(r.stderr).toBe('careful\n');
  });

  it('propagates a non-zero exit code', async () => {
    const r = await kubectl(['exec', 'web', '--', 'exit', '3']);
    expect(r.stderr).toBe('command terminated with exit code 3\n');
    expect(r.code).toBe(3);
  });

  it('shows a runtime failure as the kubelet reports it, wrapped once more by the translator over WebSocket', async () => {
    const r = await kubectl(['exec', 'web', '--', 'nosuch']);
    const wrap = websocket ? 'Internal error occurred: Internal error occurred: ' : 'Internal error occurred: ';
    expect(r.stderr).toMatch(new RegExp(`^error: ${wrap}error executing command in container: failed to exec in container: failed to start exec "0123abcd": OCI runtime exec failed: .*exec: "nosuch": executable file not found in \\$PATH: unknown\n$`));
    expect(r.code).toBe(1);
  });

  it('round-trips stdin through `exec -i -- cat`, 2 MB of random bytes included', async () => {
    const small = await kubectl(['exec', '-i', 'web', '--', 'cat'], { input: 'line one\nline two\n' });
    expect(small.stdout.toString()).toBe('line one\nline two\n');
    expect(small.code).toBe(0);
    const big = randomBytes(2 * 1024 * 1024);
    const r = await kubectl(['exec', '-i', 'web', '--', 'cat'], { input: big, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(big.length);
    expect(r.stdout.equals(big)).toBe(true);
  });

  it('delivers a megabyte of output written in small pieces, in order and without loss', async () => {
    const r = await kubectl(['exec', 'web', '--', 'yes', String(1024 * 1024)], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(1024 * 1024);
    const lines = r.stdout.toString().split('\n');
    expect(lines[0]).toBe('line 0 ');
    expect(lines.slice(0, -1).every((l, i) => l === `line ${i} ${'x'.repeat(i % 50)}`)).toBe(true);
  });

  it('delivers four megabytes written at once', async () => {
    const r = await kubectl(['exec', 'web', '--', 'blob', String(4 * 1024 * 1024)], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout.equals(blob(4 * 1024 * 1024))).toBe(true);
  });

  it('keeps concurrent sessions apart', async () => {
    const inputs = Array.from({ length: 5 }, () => randomBytes(200 * 1024));
    const results = await Promise.all(inputs.map((input) => kubectl(['exec', '-i', 'web', '--', 'cat'], { input, timeoutMs: 60_000 })));
    results.forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout.equals(inputs[i])).toBe(true);
    });
  });

  it("answers an unknown container with the apiserver's Bad Request", async () => {
    const r = await kubectl(['exec', 'web', '-c', 'nope', '--', 'echo', 'hi']);
    expect(r.stderr).toBe('Error from server (BadRequest): container nope is not valid for pod web\n');
    expect(r.code).toBe(1);
  });

  it('answers a pod that does not exist with NotFound', async () => {
    const r = await kubectl(['exec', 'ghost', '--', 'echo', 'hi']);
    expect(r.stderr).toBe('Error from server (NotFound): pods "ghost" not found\n');
    expect(r.code).toBe(1);
  });

  it('runs in the container chosen with -c', async () => {
    const r = await kubectl(['exec', 'pair', '-c', 'sidecar', '--', 'echo', 'from the sidecar']);
    expect(r.stdout.toString()).toBe('from the sidecar\n');
  });

  it("relays a kubelet that refuses to stream, as kubectl shows a container that is not running", async () => {
    const r = await kubectl(['exec', 'sleeping', '--', 'echo', 'hi']);
    const wrap = websocket ? 'Internal error occurred: ' : '';
    expect(r.stderr).toBe(`error: ${wrap}unable to upgrade connection: container not found ("app")\n`);
    expect(r.code).toBe(1);
  });

  it('refuses exec, attach and port-forward to a user RBAC lets read pods but nothing more', async () => {
    const denied = (sub: string) => `Error from server (Forbidden): pods "web" is forbidden: User "reader" cannot create resource "pods/${sub}" in API group "" in the namespace "default"`;
    const exec = await kubectl(['exec', 'web', '--as', 'reader', '--', 'echo', 'hi']);
    expect(exec.stderr).toContain(denied('exec'));
    expect(exec.code).toBe(1);
    const attach = await kubectl(['attach', 'web', '--as', 'reader']);
    expect(attach.stderr).toContain(denied('attach'));
    expect(attach.code).toBe(1);
    const pf = await kubectl(['port-forward', 'web', `${await freePort()}:80`, '--as', 'reader'], { timeoutMs: 20_000 });
    // port-forward words the same Status its own way.
    expect(pf.stderr).toContain(denied('portforward').replace('Error from server (Forbidden): ', 'error: error upgrading connection: '));
    expect(pf.code).toBe(1);
  });

  it('lets a user with create on pods/exec, pods/attach and pods/portforward in', async () => {
    const exec = await kubectl(['exec', 'web', '--as', 'debugger', '--', 'echo', 'allowed']);
    expect(exec.stdout.toString()).toBe('allowed\n');
    expect(exec.code).toBe(0);
    const attach = await kubectl(['attach', '-i', 'web', '--as', 'debugger'], { input: 'hi\n' });
    expect(attach.stdout.toString()).toContain('HI\n');
    expect(attach.code).toBe(0);
    const port = await freePort();
    const pf = startPortForward(k(), ['port-forward', 'pod/web', `${port}:80`, '--as', 'debugger']);
    try {
      await until(() => pf.out().includes(`Forwarding from 127.0.0.1:${port} -> 80`), () => `port-forward did not start:\n${pf.out()}${pf.err()}`);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hello from the pod\n');
    } finally {
      pf.child.kill();
    }
  });

  it(`${websocket ? 'lets' : 'does not let'} a user with only get on pods/exec in, as a 1.33 apiserver authorises a WebSocket's GET`, async () => {
    const r = await kubectl(['exec', 'web', '--as', 'getter', '--', 'echo', 'got in']);
    if (websocket) {
      expect(r.stdout.toString()).toBe('got in\n');
      expect(r.code).toBe(0);
    } else {
      expect(r.stderr).toContain('User "getter" cannot create resource "pods/exec" in API group "" in the namespace "default"');
      expect(r.code).toBe(1);
    }
  });

  it('answers a pod that no node runs with the apiserver\'s Bad Request', async () => {
    const r = await kubectl(['exec', 'unscheduled', '--', 'echo', 'hi']);
    expect({ stderr: r.stderr, stdout: r.stdout.toString() }).toEqual({ stderr: 'Error from server (BadRequest): pod unscheduled does not have a host assigned\n', stdout: '' });
    expect(r.code).toBe(1);
  });

  it('allocates a terminal with -it and follows its size', async () => {
    // `script` gives kubectl a terminal; the size is set before it starts, then changed.
    const cmd = `stty cols 91 rows 37; (sleep 2; stty cols 120 rows 50 </dev/tty) & ${k()} exec -it web -- resize-until 120x50`;
    const r = await run('script', ['-qec', cmd, '/dev/null'], env(), { timeoutMs: 30_000 });
    const text = r.stdout.toString();
    expect(text).toContain('size 91x37');
    expect(text).toContain('size 120x50');
    expect(r.code).toBe(0);
  });

  it('propagates an exit code through a terminal too', async () => {
    const r = await run('script', ['-qec', `${k()} exec -it web -- exit 7`, '/dev/null'], env(), { timeoutMs: 30_000 });
    expect(r.stdout.toString()).toContain('command terminated with exit code 7');
    expect(r.code).toBe(7);
  });

  it('attaches to the main process and streams its stdin and stdout', async () => {
    const r = await kubectl(['attach', '-i', 'web'], { input: 'shout\n' });
    expect(r.stdout.toString()).toContain('attached to the main process\n');
    expect(r.stdout.toString()).toContain('SHOUT\n');
    expect(r.code).toBe(0);
  });

  it('runs a pod with `run -i --rm --restart=Never`, attaches to it, and deletes it after', async () => {
    const name = `run-${minor}`;
    const r = await kubectl(['run', name, '-i', '--rm', '--restart=Never', '--image=busybox', `--overrides={"spec":{"nodeName":"${NODE}"}}`], { input: 'quiet words\n' });
    expect(r.stdout.toString()).toContain('QUIET WORDS\n');
    expect(r.stdout.toString()).toContain(`pod "${name}" deleted`);
    expect(r.code).toBe(0);
    expect(api.cluster.store.get('/pods', 'default', name)).toBeUndefined();
  });

  it('copies files into the pod and back out with kubectl cp', async () => {
    const dir = mkdtempSync(path.join(home, `cp-${version}-`));
    const payload = randomBytes(3 * 1024 * 1024);
    writeFileSync(path.join(dir, 'data.bin'), payload);
    mkdirSync(path.join(runtime.root, 'tmp', version), { recursive: true });
    const up = await kubectl(['cp', 'data.bin', `web:/tmp/${version}/data.bin`], { cwd: dir, timeoutMs: 60_000 });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(readFileSync(path.join(runtime.root, 'tmp', version, 'data.bin')).equals(payload)).toBe(true);
    const down = await kubectl(['cp', `web:/tmp/${version}/data.bin`, 'back.bin'], { cwd: dir, timeoutMs: 60_000 });
    expect(down.code).toBe(0);
    expect(readFileSync(path.join(dir, 'back.bin')).equals(payload)).toBe(true);
  });

  it('forwards a local port to the pod with kubectl port-forward', async () => {
    const [http, echo, closed] = [await freePort(), await freePort(), await freePort()];
    const pf = startPortForward(k(), ['port-forward', 'pod/web', `${http}:80`, `${echo}:7`, `${closed}:81`]);
    try {
      await until(() => pf.out().includes(`Forwarding from 127.0.0.1:${closed} -> 81`), () => `port-forward did not start:\n${pf.out()}${pf.err()}`);
      const res = await fetch(`http://127.0.0.1:${http}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('hello from the pod\n');
      const big = randomBytes(1024 * 1024).toString('base64');
      expect(await echoOver(echo, big)).toBe(big);
      expect(pf.out()).toContain(`Handling connection for ${http}`);
      // A port nothing listens on: kubectl reports the kubelet's error and gives up.
      await echoOver(closed, 'x').catch(() => '');
      expect(await pf.exited).toBe(1);
      expect(pf.err()).toMatch(new RegExp(`an error occurred forwarding ${closed} -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace`));
      expect(pf.err()).toContain('failed to connect to localhost:81 inside namespace');
      expect(pf.err()).toContain('error: lost connection to pod');
    } finally {
      pf.child.kill();
    }
  });
});

describe('the transports each kubectl chose', () => {
  // Runs after every version's tests above: exec from 1.30 and port-forward from 1.31 go over
  // WebSocket first; older ones speak SPDY only.
  it.each(versions)('kubectl %s spoke what its version speaks', (version) => {
    const minor = minorOf(version);
    const seen = (sub: string) => [...new Set(upgrades.filter((u) => u.minor === minor && u.sub === sub).map((u) => `${u.transport} ${u.protocols}`))];
    const spdyExec = minor >= 29 ? 'spdy/3.1 v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io' : 'spdy/3.1 v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io';
    // The WebSocket clients fall back to SPDY when refused (RBAC, a kubelet's refusal).
    expect(seen('exec').sort()).toEqual(minor >= 30 ? ['websocket v5.channel.k8s.io', spdyExec].sort() : [spdyExec]);
    expect(seen('portforward').sort()).toEqual(minor >= 31 ? ['spdy/3.1 portforward.k8s.io', 'websocket SPDY/3.1+portforward.k8s.io'] : ['spdy/3.1 portforward.k8s.io']);
  });
});

describe('the streaming subresources over plain HTTP', () => {
  it('answers a request without an Upgrade header with 400 Upgrade request required', async () => {
    const r = await request('POST', '/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'Upgrade request required' });
  });

  it('answers an exec for a pod that does not exist with 404', async () => {
    const r = await request('POST', '/api/v1/namespaces/default/pods/ghost/exec?command=ls&stdout=true', spdyHeaders());
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "ghost" not found' });
  });

  it('refuses a wrong token before looking at the pod', async () => {
    const r = await request('POST', '/api/v1/namespaces/default/pods/ghost/exec?command=ls&stdout=true', { ...spdyHeaders(), authorization: 'Bearer not-the-token' });
    expect(r.status).toBe(401);
  });

  it('asks for a container name when the pod has several', async () => {
    const r = await request('POST', '/api/v1/namespaces/default/pods/pair/exec?command=ls&stdout=true', spdyHeaders());
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toBe('a container name must be specified for pod pair, choose one of: [main sidecar]');
  });

  it('asks for a command, and for at least one stream', async () => {
    const none = await request('POST', '/api/v1/namespaces/default/pods/web/exec?stdout=true', spdyHeaders());
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body).message).toBe('you must specify at least one command for the container');
    const quiet = await request('POST', '/api/v1/namespaces/default/pods/web/exec?command=ls', spdyHeaders());
    expect(quiet.status).toBe(400);
    expect(JSON.parse(quiet.body).message).toBe('you must specify at least 1 of stdin, stdout, stderr');
  });

  it('refuses a SPDY client that speaks none of the stream protocols', async () => {
    const r = await request('POST', '/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true', { ...spdyHeaders(), 'x-stream-protocol-version': 'v9.channel.k8s.io' });
    expect(r.status).toBe(403);
    expect(r.body).toContain('unable to negotiate protocol: client supports [v9.channel.k8s.io]');
  });
});

describe('a WebSocket client speaking v5.channel.k8s.io directly', () => {
  const execPath = (command: string[], streams = 'stdout=true&stderr=true') => `/api/v1/namespaces/default/pods/web/exec?${command.map((c) => `command=${encodeURIComponent(c)}`).join('&')}&${streams}`;

  it('gets its output on channel 1 and the exit code as a Status on channel 3', async () => {
    const ws = await wsConnect(execPath(['exit', '4']));
    expect(ws.protocol).toBe('v5.channel.k8s.io');
    const status = await ws.statusMessage();
    expect(status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: command terminated with exit code 4',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '4' }] },
    });
    expect(await ws.closed).toBe(1000);
  });

  it('ends stdin with the close signal and still gets the output and a Success', async () => {
    const ws = await wsConnect(execPath(['cat'], 'stdin=true&stdout=true'));
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('through the socket')]));
    ws.send(Buffer.from([255, 0]));
    const status = await ws.statusMessage();
    expect(status).toEqual({ metadata: {}, status: 'Success' });
    expect(ws.channel(1).toString()).toBe('through the socket');
  });

  it('has its pings answered, which keep kubectl\'s heartbeat alive in an idle session', async () => {
    const ws = await wsConnect(execPath(['hang', 'idle'], 'stdin=true&stdout=true'));
    ws.ping(Buffer.from('beat'));
    await until(() => ws.pongs.some((p) => p.toString() === 'beat'), () => 'no pong');
    ws.hangUp();
  });

  it('is refused with 403 when it offers only protocols the server does not speak', async () => {
    const r = await rawExchange(execPath(['echo', 'x']), wsHeaders('v9.unknown.k8s.io'));
    expect(r.head).toMatch(/^HTTP\/1\.1 403 /);
    expect(r.body).toContain('unable to negotiate protocol: client supports [v9.unknown.k8s.io]');
    await expectServing();
  });

  it('is closed with 1002 for an unmasked frame, and the server keeps serving', async () => {
    // A binary frame carrying [0, 65] on stdin, without the mask a client must set.
    expect(await wsCloseCodeFor(execPath(['cat'], 'stdin=true&stdout=true'), Buffer.from([0x82, 0x02, 0, 65]))).toBe(1002);
    await expectServing();
  });

  it('is closed with 1009 for a frame larger than the server accepts', async () => {
    // The head of a masked binary frame announcing a terabyte.
    const head = Buffer.alloc(14);
    head[0] = 0x82;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(1n << 40n, 2);
    expect(await wsCloseCodeFor(execPath(['cat'], 'stdin=true&stdout=true'), head)).toBe(1009);
    await expectServing();
  });

  it('is hung up on two seconds after the session ends when it never answers the close frame', async () => {
    const started = Date.now();
    const r = await rawExchange(execPath(['exit', '4']), wsHeaders('v5.channel.k8s.io'));
    expect(r.head).toMatch(/^HTTP\/1\.1 101 /);
    // Not the five seconds the session lingers for a client that keeps its side open.
    expect(Date.now() - started).toBeLessThan(4500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('is closed for garbage bytes, and the server keeps serving', async () => {
    // Reserved bits and an opcode RFC 6455 does not define.
    expect(await wsCloseCodeFor(execPath(['cat'], 'stdin=true&stdout=true'), Buffer.concat([Buffer.from([0xbf, 0x85]), randomBytes(9)]))).toBe(1002);
    await expectServing();
  });

  it('tells the runtime when the client goes away mid-stream', async () => {
    const before = runtime.abandoned.length;
    const ws = await wsConnect(execPath(['hang', 'mid-stream'], 'stdin=true&stdout=true'));
    await until(() => ws.channel(1).toString() === 'hanging\n', () => 'the command did not start');
    ws.hangUp();
    await until(() => runtime.abandoned.length > before, () => 'the runtime was not told the client went away');
    expect(runtime.abandoned.at(-1)).toEqual(['hang', 'mid-stream']);
    await expectServing();
  });
});

describe("a WebSocket client speaking the kubelet's port-forward protocol (as client libraries do)", () => {
  it('gets each port announced on its channels, then the bytes of a connection to it', async () => {
    const ws = await wsConnect('/api/v1/namespaces/default/pods/web/portforward?ports=80', 'v4.channel.k8s.io');
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET / HTTP/1.1\r\nHost: pod\r\n\r\n')]));
    expect(await ws.closed).toBe(1000);
    const data = ws.channel(0);
    expect(data.subarray(0, 2).readUInt16LE(0)).toBe(80);
    expect(data.subarray(2).toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nhello from the pod\n$/);
    expect(ws.channel(1).readUInt16LE(0)).toBe(80);
  });

  it("reports a port nothing listens on on that port's error channel", async () => {
    const ws = await wsConnect('/api/v1/namespaces/default/pods/web/portforward?ports=81', 'v4.channel.k8s.io');
    expect(await ws.closed).toBe(1000);
    const error = ws.channel(1);
    expect(error.readUInt16LE(0)).toBe(81);
    expect(error.subarray(2).toString()).toMatch(/^error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace/);
  });

  it('is told which query parameter it forgot', async () => {
    const r = await rawExchange('/api/v1/namespaces/default/pods/web/portforward', wsHeaders('v4.channel.k8s.io'));
    expect(r.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(r.body).toBe('query parameter "port" is required\n');
  });
});

describe('a SPDY client', () => {
  it('that sends garbage after the upgrade is sent away, and the server keeps serving', async () => {
    const r = await rawExchange('/api/v1/namespaces/default/pods/web/exec?command=cat&stdin=true&stdout=true', spdyHeaders(), Buffer.concat([Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0a]), randomBytes(10)]));
    expect(r.head).toMatch(/^HTTP\/1\.1 101 /);
    // GOAWAY (type 7) with PROTOCOL_ERROR, then the connection ends.
    expect(r.rest.subarray(0, 4).equals(Buffer.from([0x80, 0x03, 0x00, 0x07]))).toBe(true);
    expect(r.rest.readUInt32BE(12)).toBe(1);
    await expectServing();
  });

  it('that hangs up before opening its streams does not keep the command running', async () => {
    const before = runtime.abandoned.length;
    const r = rawExchange('/api/v1/namespaces/default/pods/web/exec?command=hang&command=early&stdout=true', spdyHeaders(), Buffer.alloc(0), { destroyAfterHead: true });
    expect((await r).head).toMatch(/^HTTP\/1\.1 101 /);
    await until(() => runtime.abandoned.length > before, () => 'the runtime was not told the client went away');
    await expectServing();
  });
});

// ------------------------------------------------------------------ helpers

function startPortForward(bin: string, args: string[]) {
  const child = spawn(bin, args, { env: { ...process.env, ...env() } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
  return { child, exited, out: () => out, err: () => err };
}

/** The server still answers an exec with the kubectl on PATH. */
async function expectServing(): Promise<void> {
  const r = await run(binaries.default ?? binaries[versions[0]], ['exec', 'web', '--', 'echo', 'still serving'], env());
  expect(r.stdout.toString()).toBe('still serving\n');
}

function spdyHeaders(): Record<string, string> {
  return { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'v4.channel.k8s.io' };
}

function wsHeaders(protocol: string): Record<string, string> {
  return { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-protocol': protocol };
}

/** A request with Node's HTTPS client; an upgrade, if the server agreed to one, is hung up. */
function request(method: string, p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1',
      port: api.server.port,
      path: `/clusters/${api.id}${p}`,
      method,
      ca: api.server.caCert,
      headers: { authorization: `Bearer ${api.token}`, ...headers },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, body: '' });
    });
    req.on('error', reject);
    req.end();
  });
}

interface Raw {
  socket: tls.TLSSocket;
  head: string;
  body: string;
  /** Bytes after the head of a 101 answer. */
  rest: Buffer;
}

/**
 * Sends one request on a fresh TLS connection, writes `after` once the head of the answer is in,
 * and reads until the server hangs up (or only the head, with destroyAfterHead).
 */
function rawExchange(p: string, headers: Record<string, string>, after: Buffer = Buffer.alloc(0), opts: { method?: string; destroyAfterHead?: boolean } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: api.server.port, ca: api.server.caCert, servername: 'localhost' }, () => {
      const all: Record<string, string> = { host: `127.0.0.1:${api.server.port}`, authorization: `Bearer ${api.token}`, ...headers };
      socket.write(`${opts.method ?? (headers.upgrade === 'websocket' ? 'GET' : 'POST')} /clusters/${api.id}${p} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    });
    let buf = Buffer.alloc(0);
    let headEnd = -1;
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (headEnd < 0) {
        headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd >= 0) {
          if (opts.destroyAfterHead) {
            socket.destroy();
            resolve({ socket, head: buf.subarray(0, headEnd).toString(), body: '', rest: Buffer.alloc(0) });
            return;
          }
          if (after.length) socket.write(after);
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (headEnd < 0) return reject(new Error(`no answer: ${buf.toString()}`));
      const head = buf.subarray(0, headEnd).toString();
      const rest = buf.subarray(headEnd + 4);
      resolve({ socket, head, body: rest.toString(), rest });
    });
    socket.on('end', () => socket.end());
  });
}

interface WsClient {
  protocol: string;
  send(data: Buffer): void;
  ping(data: Buffer): void;
  /** Hangs up without a closing handshake, as a client that dies does. */
  hangUp(): void;
  /** Everything received on a channel so far. */
  channel(n: number): Buffer;
  /** The JSON on the error channel, once it comes. */
  statusMessage(): Promise<unknown>;
  /** The code of the server's close frame (1006 when the connection just ended). */
  closed: Promise<number>;
  pongs: Buffer[];
}

/** A client for the channel protocols (v5.channel.k8s.io unless told), on the `ws` library. */
function wsConnect(p: string, protocol = 'v5.channel.k8s.io'): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${api.server.port}/clusters/${api.id}${p}`, protocol, { ca: api.server.caCert, headers: { authorization: `Bearer ${api.token}` } });
    const channels = new Map<number, Buffer[]>();
    const client: WsClient = {
      protocol: '',
      send: (data) => ws.send(data),
      ping: (data) => ws.ping(data),
      hangUp: () => ws.terminate(),
      channel: (n) => Buffer.concat(channels.get(n) ?? []),
      statusMessage: async () => {
        await until(() => (channels.get(3) ?? []).length > 0, () => 'no status came');
        return JSON.parse(client.channel(3).toString());
      },
      closed: new Promise<number>((r) => ws.on('close', (code) => r(code))),
      pongs: [],
    };
    ws.on('open', () => {
      client.protocol = ws.protocol;
      resolve(client);
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('pong', (data) => client.pongs.push(data));
    ws.on('message', (data: Buffer, binary) => {
      if (!binary || !data.length) return;
      const list = channels.get(data[0]) ?? [];
      list.push(data.subarray(1));
      channels.set(data[0], list);
    });
  });
}

/**
 * Upgrades to WebSocket, sends `frames` as they are (well-formed or not) and returns the code of
 * the close frame the server answers with: these are bytes no WebSocket library would send.
 */
async function wsCloseCodeFor(p: string, frames: Buffer): Promise<number> {
  const r = await rawExchange(p, wsHeaders('v5.channel.k8s.io'), frames);
  expect(r.head).toMatch(/^HTTP\/1\.1 101 /);
  // The server's frames are short and unmasked here (the hello, then the close): skip to the one
  // with opcode 8, whose payload starts with the code.
  for (let at = 0; at + 4 <= r.rest.length; at += 2 + (r.rest[at + 1] & 0x7f)) {
    if ((r.rest[at] & 0x0f) === 0x8) return r.rest.readUInt16BE(at + 2);
  }
  throw new Error(`no close frame in ${r.rest.toString('hex')}`);
}

/** Waits for something another process or connection does; fails with `why` after a while. */
async function until(ok: () => boolean, why: () => string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(why());
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Writes to a TCP port and reads until the other side closes. */
function echoOver(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(text);
      s.end();
    });
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
}
