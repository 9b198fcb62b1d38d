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
