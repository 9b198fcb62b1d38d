// Shared by the benchmarks: start the server child and read its ready line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const here = path.dirname(fileURLToPath(import.meta.url));

export function startServerChild(env = {}) {
  const child = spawn(process.execPath, [path.join(here, 'serve-child.mjs')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // The child's last stderr line may be a JSON summary (its journal's counts); the rest is passed on.
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
    process.stderr.write(String(d).split('\n').filter((l) => l && !l.startsWith('{"journal"')).map((l) => `${l}\n`).join(''));
  });
  child.summary = () => new Promise((resolve) => child.once('exit', () => resolve(JSON.parse(err.split('\n').find((l) => l.startsWith('{"journal"')) ?? 'null'))));
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ child, ...JSON.parse(buf.slice(0, nl)) });
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Heap in use after two full collections (the process must run with --expose-gc). */
export function heapAfterGc() {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A Ready node of the scalability benches, registered as its kubelet would (4 CPUs, 110 pods). */
export function benchNode(i) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${String(i).padStart(5, '0')}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'kubernetes.io/os': 'linux' } },
    spec: { podCIDR: `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24` },
    status: {
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: `172.20.${Math.floor(i / 250)}.${(i % 250) + 2}` }],
    },
  };
}

/** Counts the pods of namespace `ns` in phase Running as the store changes; onChange hears each new count. */
export function countRunning(cluster, ns, onChange) {
  let running = 0;
  const isRunning = (p) => p?.status?.phase === 'Running';
  cluster.store.subscribe('/pods', (e) => {
    // Only the benchmark's own pods: the DaemonSets' pods on each node are not part of the count.
    if (e.object.metadata.namespace !== ns) return;
    const was = isRunning(e.previous) || (e.type === 'DELETED' && isRunning(e.object));
    const now = e.type !== 'DELETED' && isRunning(e.object);
    if (was === now) return;
    running += now ? 1 : -1;
    onChange(running, now);
  });
}
