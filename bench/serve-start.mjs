// `kubedojo serve` from a cold start (a fresh data dir each time) until `kubectl get nodes` is
// answered, beside its floors in the same run: `node -e 0`, a process that does nothing, and a
// plain Node HTTPS server started the same way and answering one request. Runs on dist/.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { here, percentile } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BIN = path.join(here, '..', 'bin', 'kubedojo');
const run = promisify(execFile);

/** Starts `args` under node; resolves with the child once a stdout line matches `ready`. */
function startUntil(args, env, ready) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve({ child, match: m });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready:\n${out}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function serveOnce() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-serve-'));
  const env = { ...process.env, KUBEDOJO_HOME: home, HOME: home, KUBECACHEDIR: path.join(home, 'cache') };
  try {
    const t0 = performance.now();
    const { child, match } = await startUntil([BIN, 'serve'], env, /export KUBECONFIG=(\S+)/);
    const up = performance.now() - t0;
    await run('kubectl', ['get', 'nodes', '--kubeconfig', match[1]], { env });
    const nodes = performance.now() - t0;
    await stop(child);
    return { up, nodes };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

// The floor for a server: Node, the https module and a listening socket, asked once over TLS.
const PLAIN_SERVER = `
const https = require('node:https');
const s = https.createServer({ key: process.env.K, cert: process.env.C }, (q, r) => r.end('{}'));
s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

async function plainOnce(key, cert) {
  const t0 = performance.now();
  const { child, match } = await startUntil(['-e', PLAIN_SERVER], { ...process.env, K: key, C: cert }, /port (\d+)/);
  const up = performance.now() - t0;
  await new Promise((resolve, reject) => {
    import('node:https').then(({ get }) => get({ host: '127.0.0.1', port: Number(match[1]), path: '/', rejectUnauthorized: false }, (r) => r.resume().on('end', resolve)).on('error', reject));
  });
  const answered = performance.now() - t0;
  await stop(child);
  return { up, answered };
}

function nodeZero() {
  const t0 = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

const { generateTls } = await import('../dist/src/core/apiserver/tls.js');
const { key, cert } = await generateTls();
const kubectlVersion = () => {
  const t0 = performance.now();
  execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
  return performance.now() - t0;
};

const rows = { zero: [], kubectl: [], plainUp: [], plainAnswered: [], up: [], nodes: [] };
for (let i = 0; i < RUNS; i++) {
  rows.zero.push(nodeZero());
  rows.kubectl.push(kubectlVersion());
  const p = await plainOnce(key, cert);
  rows.plainUp.push(p.up);
  rows.plainAnswered.push(p.answered);
  const s = await serveOnce();
  rows.up.push(s.up);
  rows.nodes.push(s.nodes);
}
const med = (a) => Math.round(percentile([...a].sort((x, y) => x - y), 50));
const all = (a) => a.map((x) => x.toFixed(0)).join(', ');
console.log(`kubedojo serve, cold (fresh data dir), ${RUNS} runs each, medians:`);
console.table([
  { what: 'floor: node -e 0', 'median ms': med(rows.zero), runs: all(rows.zero) },
  { what: 'floor: kubectl version --client', 'median ms': med(rows.kubectl), runs: all(rows.kubectl) },
  { what: 'floor: plain node https server listening', 'median ms': med(rows.plainUp), runs: all(rows.plainUp) },
  { what: 'floor: plain node https server answered one GET', 'median ms': med(rows.plainAnswered), runs: all(rows.plainAnswered) },
  { what: 'kubedojo serve: says it is up', 'median ms': med(rows.up), runs: all(rows.up) },
  { what: 'kubedojo serve: kubectl get nodes answered', 'median ms': med(rows.nodes), runs: all(rows.nodes) },
]);
