// A small container runtime used until the full image catalog and shell are wired in: a few
// well-known images, servers that run until stopped, and `sleep`/`echo`/`exit` commands.
import { createHash } from 'node:crypto';
import type { ProgramGenerator } from './program.js';
import type { ContainerRuntime, ImageResolution, ProcessSpec, RunningProcess } from './types.js';

const KNOWN: Record<string, { size: number; server?: number; memory: number }> = {
  nginx: { size: 72_099_410, server: 80, memory: 3_000_000 },
  httpd: { size: 58_000_000, server: 80, memory: 6_000_000 },
  redis: { size: 45_000_000, server: 6379, memory: 4_000_000 },
  busybox: { size: 2_150_000, memory: 400_000 },
  alpine: { size: 3_650_000, memory: 400_000 },
  'gcr.io/kuar-demo/kuard-amd64': { size: 11_000_000, server: 8080, memory: 5_000_000 },
};

function normalise(ref: string): string {
  const [name, tag] = ref.includes(':') ? ref.split(':') : [ref, 'latest'];
  const full = name.includes('/') ? (name.split('/')[0].includes('.') ? name : `docker.io/${name}`) : `docker.io/library/${name}`;
  return `${full}:${tag}`;
}

export const interimRuntime: ContainerRuntime = {
  resolveImage(ref: string): ImageResolution {
    const n = normalise(ref);
    const repo = n.replace(/^docker\.io\/library\//, '').split(':')[0];
    const info = KNOWN[repo];
    const tag = n.split(':').pop()!;
    if (info && !/^(latest|stable|mainline|alpine|blue|green|purple|\d+(\.\d+){0,2}(-alpine)?)$/.test(tag)) {
      return { ok: false, reason: 'NotFound', message: `rpc error: code = NotFound desc = failed to pull and unpack image "${n}": failed to resolve reference "${n}": ${n}: not found` };
    }
    if (!info) {
      return { ok: false, reason: 'Unauthorized', message: `rpc error: code = Unknown desc = failed to pull and unpack image "${n}": failed to resolve reference "${n}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed` };
    }
    const digest = createHash('sha256').update(n).digest('hex');
    return { ok: true, image: { ref: n, id: `${n.split(':')[0]}@sha256:${digest}`, size: info.size, pullMs: Math.round(500 + info.size / 30_000), memoryBytes: info.memory } };
  },
  start(spec: ProcessSpec): RunningProcess {
    const repo = spec.image.ref.replace(/^docker\.io\/library\//, '').split(':')[0];
    const info = KNOWN[repo];
    if (!spec.argv.length && info?.server) {
      return { gen: serve(), handlesTerm: true, ports: [info.server], http: () => ({ status: 200, body: 'ok' }) };
    }
    return { gen: command(spec.argv), handlesTerm: false, ports: [] };
  },
};

function* serve(): ProgramGenerator {
  yield { kind: 'sleep', ms: Infinity };
  return 0;
}

function* command(argv: string[]): ProgramGenerator {
  // Anything else is a daemon (the cluster's own components): it runs until stopped.
  if (!['sh', '/bin/sh', 'bash', 'sleep', 'echo', 'exit', 'false', 'true'].includes(argv[0])) {
    yield { kind: 'sleep', ms: Infinity };
    return 0;
  }
  const script = ['sh', '/bin/sh', 'bash'].includes(argv[0]) && argv[1] === '-c' ? argv.slice(2).join(' ') : argv.join(' ');
  for (const part of script.split(/;|&&/).map((s) => s.trim()).filter(Boolean)) {
    const [cmd, ...rest] = part.split(/\s+/);
    if (cmd === 'sleep') yield { kind: 'sleep', ms: rest[0] === 'infinity' ? Infinity : Number(rest[0]) * 1000 };
    else if (cmd === 'echo') yield { kind: 'stdout', data: `${rest.join(' ').replace(/^['"]|['"]$/g, '')}\n` };
    else if (cmd === 'exit') return Number(rest[0] ?? 0);
    else if (cmd === 'false') return 1;
  }
  return 0;
}
