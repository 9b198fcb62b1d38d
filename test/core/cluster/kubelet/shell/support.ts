// Runs shell processes the way the kubelet does: steps played on a simulated clock, against a
// real container filesystem and a small in-memory network.
import { resolveImage, type ImageInfo } from '../../../../../src/core/cluster/kubelet/images.js';
import { containerFs, run, type Network, type Process, type ProcessContext, type StdinChunk, type User } from '../../../../../src/core/cluster/kubelet/shell/index.js';
import type { ContainerFs } from '../../../../../src/core/cluster/kubelet/shell/fs.js';

export const START = Date.UTC(2026, 10, 23, 9, 55, 12);

export function image(ref: string): ImageInfo {
  const r = resolveImage(ref);
  if (!r.ok) throw new Error(r.message);
  return r.image;
}

export interface World {
  services: Record<string, string>;
  pods: Record<string, string>;
  /** ip:port → body served (nginx welcome page and the like). */
  servers: Record<string, { status?: number; body: string; headers?: Record<string, string> }>;
  timeouts?: string[];
  /** ExternalName Services: the name, what it points at, and that name's addresses. */
  aliases?: Record<string, { cname: string; addresses: string[] }>;
}

/** A Network over plain data: names to addresses, addresses to answers. */
export function network(world: World): Network & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    lookup(name) {
      const alias = world.aliases?.[name];
      if (alias) return { name, cname: alias.cname, addresses: alias.addresses };
      const ip = world.services[name] ?? world.pods[name];
      return ip ? { name, addresses: [ip] } : undefined;
    },
    http(req) {
      requests.push(`${req.method} ${req.ip}:${req.port}${req.path} Host=${req.headers.Host}${req.headers['User-Agent']?.startsWith('Wget') ? ` UA=${req.headers['User-Agent']}` : ''}`);
      if (world.timeouts?.includes(req.ip)) return { error: 'timeout' };
      const s = world.servers[`${req.ip}:${req.port}`];
      if (!s) return { error: 'refused' };
      return { status: s.status ?? 200, headers: { Server: 'nginx/1.27.3', 'Content-Type': 'text/html', 'Content-Length': String(s.body.length), ...(s.headers ?? {}) }, body: s.body };
    },
    ping(ip) {
      return Object.values(world.pods).includes(ip);
    },
  };
}

export interface Options {
  image?: string;
  imageInfo?: ImageInfo;
  user?: User;
  env?: Record<string, string>;
  stdin?: StdinChunk[];
  tty?: boolean;
  net?: Network;
  fs?: ContainerFs;
  processes?: Process[];
  cwd?: string;
  /** Simulated milliseconds after which a still-running process is left (it is not an error). */
  until?: number;
  memory?: number[];
  /** Collects what is written to the main process's streams through /proc/1/fd. */
  mainOutput?: string[];
}

export interface Outcome {
  stdout: string;
  stderr: string;
  /** Both streams as they interleaved. */
  output: string;
  code: number | undefined;
  /** Simulated milliseconds the process ran. */
  elapsed: number;
  /** stdout lines with the simulated second they were written at. */
  timeline: Array<[number, string]>;
  fs: ContainerFs;
  stdoutBytes: Buffer;
}

export function context(opts: Options = {}): { ctx: ProcessContext; clock: { t: number } } {
  const clock = { t: START };
  const img = opts.imageInfo ?? image(opts.image ?? 'busybox:1.36');
  const fs = opts.fs ?? containerFs({ image: img, pod: { hostname: 'web-0', podIP: '10.244.1.7', namespace: 'default' }, now: () => clock.t });
  const ctx: ProcessContext = {
    env: opts.env ?? { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: 'web-0', HOME: '/root' },
    cwd: opts.cwd ?? '/',
    user: opts.user ?? { uid: 0, gid: 0, groups: [] },
    hostname: 'web-0',
    podIP: '10.244.1.7',
    namespace: 'default',
    fs,
    image: img,
    now: () => clock.t,
    stdin: opts.stdin,
    tty: !!opts.tty,
    net: opts.net ?? network({ services: {}, pods: {}, servers: {} }),
    processes: () => opts.processes ?? [{ pid: 1, argv: ['sleep', '3600'], uid: 0, startedAt: START }],
    pid: 1,
    setMemory: opts.memory ? (b) => opts.memory!.push(b) : undefined,
    writeToMain: opts.mainOutput ? (stream, data) => opts.mainOutput!.push(`${stream}:${data}`) : undefined,
  };
  return { ctx, clock };
}

/** Plays a process until it exits or `until` simulated ms have passed. */
export function play(argv: string[], opts: Options = {}): Outcome {
  const { ctx, clock } = context(opts);
  const gen = run(argv, ctx);
  let stdout = '';
  let stderr = '';
  let output = '';
  const bytes: Buffer[] = [];
  const timeline: Array<[number, string]> = [];
  const until = START + (opts.until ?? 24 * 3600_000);
  let code: number | undefined;
  for (let r = gen.next(); ; ) {
    if (r.done) {
      code = r.value;
      break;
    }
    const s = r.value;
    if (s.kind === 'stdout') {
      stdout += s.data.toString();
      output += s.data.toString();
      bytes.push(Buffer.from(s.data));
      timeline.push([(clock.t - START) / 1000, s.data.toString()]);
    } else if (s.kind === 'stderr') {
      stderr += s.data.toString();
      output += s.data.toString();
    } else if (s.kind === 'sleep') {
      if (clock.t + s.ms > until) break;
      clock.t += s.ms;
    }
    r = gen.next(undefined);
  }
  return { stdout, stderr, output, code, elapsed: clock.t - START, timeline, fs: ctx.fs, stdoutBytes: Buffer.concat(bytes) };
}

export const sh = (script: string, opts: Options = {}) => play(['sh', '-c', script], opts);
