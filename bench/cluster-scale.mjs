// The official scalability envelope in one simulated cluster: NODES nodes and PODS pods (at most
// 110 per node), created through the API; time for all pods to reach Running at the fastest clock;
// the heap at that size; `kubectl get pods -A` there. Then a rollout of a 1,000-replica Deployment.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { benchNode, here } from './lib.mjs';

const NODES = Number(process.env.NODES ?? 5000);
const PODS = Number(process.env.PODS ?? 150000);
const PER_DEPLOYMENT = 100;
const CONCURRENCY = 16;

function child() {
  // CHILD_ARGS: more flags for the cluster's process (--cpu-prof, to see where its time goes).
  const c = fork(path.join(here, 'scale-child.mjs'), [], { execArgv: ['--expose-gc', ...(process.env.CHILD_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = [];
  c.on('message', (m) => {
    const i = waiters.findIndex((w) => w.test(m));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(m);
  });
  const wait = (test) => new Promise((resolve) => waiters.push({ test, resolve }));
  return { c, wait };
}

function client(kubeconfig) {
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(kubeconfig)[1], 'base64');
  const token = /token: (\S+)/.exec(kubeconfig)[1];
  const server = new URL(/server: (\S+)/.exec(kubeconfig)[1]);
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca });
  const once = (method, p, body) =>
    new Promise((resolve, reject) => {
      const req = https.request({ host: server.hostname, port: server.port, path: server.pathname + p, method, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => (res.statusCode >= 300 ? reject(Object.assign(new Error(`${method} ${p}: ${res.statusCode} ${Buffer.concat(chunks)}`), { status: res.statusCode })) : resolve()));
      });
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  // A kept-alive socket the server has just closed fails the request that reused it; send it
  // again, as client-go does, and count an AlreadyExists on the retry as done.
  return async (method, p, body) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(method, p, body);
      } catch (err) {
        if (attempt > 0 && err.status === 409) return;
        if (attempt >= 5 || !['ECONNRESET', 'EPIPE'].includes(err.code)) throw err;
      }
    }
  };
}

async function pool(n, work) {
  let i = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (i < n) await work(i++);
  }));
}

const node = benchNode;

const deployment = (name, replicas, image = 'nginx:1.27') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } } },
});

const mb = (b) => `${Math.round(b / 1024 / 1024)} MiB`;
const rows = [];

// ---- the envelope
{
  const { c, wait } = child();
  const { kubeconfig } = await wait((m) => m.kubeconfig);
  const api = client(kubeconfig);
  await api('POST', '/api/v1/namespaces', { metadata: { name: 'scale' } });
  let t = Date.now();
  await pool(NODES, (i) => api('POST', '/api/v1/nodes', node(i)));
  const nodesMs = Date.now() - t;
  console.error(`  ${NODES} nodes created in ${(nodesMs / 1000).toFixed(1)} s`);
  const deployments = Math.ceil(PODS / PER_DEPLOYMENT);
  t = Date.now();
  await pool(deployments, (i) => api('POST', '/apis/apps/v1/namespaces/scale/deployments', deployment(`app-${i}`, Math.min(PER_DEPLOYMENT, PODS - i * PER_DEPLOYMENT))));
  const createMs = Date.now() - t;
  console.error(`  ${deployments} Deployments created in ${(createMs / 1000).toFixed(1)} s`);
  // All pods Running: the child reports each time another REPORT_EVERY pods run.
  let last;
  while (!last || last.running < PODS) {
    last = await wait((m) => m.running !== undefined);
    console.error(`  ${last.running} pods Running after ${(last.ms / 1000).toFixed(1)} s`);
  }
  const runningMs = Date.now() - t;
  c.send('heap');
  const heap = await wait((m) => m.heap !== undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-scale-'));
  writeFileSync(path.join(dir, 'kubeconfig'), kubeconfig);
  const env = { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig'), KUBECACHEDIR: path.join(dir, 'cache'), HOME: dir };
  execFileSync('kubectl', ['get', 'ns'], { env, stdio: 'ignore' });
  t = Date.now();
  const out = execFileSync('kubectl', ['get', 'pods', '-A'], { env, maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' });
  const getMs = Date.now() - t;
  rows.push({ what: `create ${NODES} nodes through the API`, figure: `${(nodesMs / 1000).toFixed(1)} s` });
  rows.push({ what: `create ${deployments} Deployments (${PODS} pods) through the API`, figure: `${(createMs / 1000).toFixed(1)} s` });
  rows.push({ what: `all ${PODS} pods Running (from the first Deployment)`, figure: `${(runningMs / 1000).toFixed(1)} s` });
  rows.push({ what: 'heap at that size (after GC)', figure: `${mb(heap.heap)} (RSS ${mb(heap.rss)})` });
  rows.push({ what: `kubectl get pods -A (${out.trim().split('\n').length - 1} rows)`, figure: `${(getMs / 1000).toFixed(1)} s` });
  console.error(JSON.stringify(heap.objects));
  c.send('stop');
}

// ---- a rollout of a 1,000-replica Deployment
{
  const { c, wait } = child();
  const { kubeconfig } = await wait((m) => m.kubeconfig);
  const api = client(kubeconfig);
  await pool(20, (i) => api('POST', '/api/v1/nodes', node(i)));
  await api('POST', '/api/v1/namespaces', { metadata: { name: 'scale' } });
  let t = Date.now();
  await api('POST', '/apis/apps/v1/namespaces/scale/deployments', deployment('big', 1000));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-rollout-'));
  writeFileSync(path.join(dir, 'kubeconfig'), kubeconfig);
  const env = { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig'), KUBECACHEDIR: path.join(dir, 'cache'), HOME: dir };
  execFileSync('kubectl', ['-n', 'scale', 'rollout', 'status', 'deploy/big', '--timeout=600s'], { env, stdio: 'ignore' });
  const upMs = Date.now() - t;
  t = Date.now();
  execFileSync('kubectl', ['-n', 'scale', 'set', 'image', 'deploy/big', 'web=nginx:1.26'], { env, stdio: 'ignore' });
  execFileSync('kubectl', ['-n', 'scale', 'rollout', 'status', 'deploy/big', '--timeout=600s'], { env, stdio: 'ignore' });
  const rollMs = Date.now() - t;
  rows.push({ what: 'a 1,000-replica Deployment: created to rolled out', figure: `${(upMs / 1000).toFixed(1)} s` });
  rows.push({ what: 'a 1,000-replica Deployment: image changed to rolled out', figure: `${(rollMs / 1000).toFixed(1)} s` });
  c.send('stop');
}

console.log(`cluster scale (${NODES} nodes, ${PODS} pods, fastest clock):`);
console.table(rows);
