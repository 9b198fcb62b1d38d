// `kubectl get pods -A` on a big cluster, beside its floor: the same kubectl against a stub that
// replays, byte for byte, what the server answered (continue tokens included), so the stub's time
// is kubectl's own cost of fetching and printing those pages from a server that does no work.
//
// A child process fills one cluster with PODS pods spread over NODES nodes, shaped as the
// controllers leave them (managedFields, status, owner references: clones of the bootstrap
// cluster's own pods, renamed), loaded into the store at once rather than created one by one,
// and serves it with the API server `kubedojo serve` uses (HTTPS, bearer token). The control
// plane is off (CONTROL_PLANE=1 turns it on); in its stead, WRITES pods a second have their
// status rewritten, as kubelets report it (a cluster that size is never quiet), so that pages
// are read while the list changes. WRITES=0 times a still cluster.
//
//   PODS=160013 NODES=5000 RUNS=3 WRITES=20 OUTPUTS=table,json node bench/list-vs-stub.mjs
import { spawn, fork } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const PODS = Number(process.env.PODS ?? 160013);
const WRITES = Number(process.env.WRITES ?? 20);
const NODES = Number(process.env.NODES ?? 5000);
const RUNS = Number(process.env.RUNS ?? 3);
const OUTPUTS = (process.env.OUTPUTS ?? 'table').split(',').filter(Boolean);

if (process.argv[2] === 'serve') await serve();
else await main();

// ------------------------------------------------------------------ the server child

async function serve() {
  const { ApiServer } = await import('../dist/src/core/apiserver/server.js');
  const { generateTls } = await import('../dist/src/core/apiserver/tls.js');
  const { newCluster } = await import('../dist/src/core/cluster/factory.js');
  const tls = await generateTls();
  const server = new ApiServer({ tls });
  await server.listen();
  const cluster = newCluster({ caCert: tls.caCert, controlPlane: process.env.CONTROL_PLANE === '1' });
  const t0 = Date.now();
  const snapshot = cluster.store.dump();
  snapshot.objects['/namespaces'].push(deepFreeze({ ...snapshot.objects['/namespaces'][0], metadata: { ...snapshot.objects['/namespaces'][0].metadata, name: 'scale', uid: uid(0, 0) } }));
  snapshot.objects['/pods'] = snapshot.objects['/pods'].concat(manyPods(snapshot.objects['/pods'], PODS - snapshot.objects['/pods'].length, NODES));
  cluster.store.load(snapshot, true);
  cluster.reloaded?.();
  const hosted = server.host(cluster, 'bench');
  if (WRITES > 0) statusReports(cluster, WRITES);
  process.send({ port: server.port, kubeconfig: server.kubeconfig(hosted.id), pods: cluster.store.count('/pods'), fillMs: Date.now() - t0 });
  process.on('message', (m) => {
    if (m === 'stop') server.close().then(() => process.exit(0));
  });
}

/** Rewrites `perSecond` pods' status a second, each with a fresh condition time, as a kubelet does. */
function statusReports(cluster, perSecond) {
  const names = cluster.store.list('/pods').map((p) => [p.metadata.namespace, p.metadata.name]);
  let n = 0;
  const tick = 100;
  setInterval(() => {
    for (let k = 0; k < (perSecond * tick) / 1000; k++) {
      const [ns, name] = names[(n++ * 7919) % names.length];
      const pod = cluster.store.get('/pods', ns, name);
      if (!pod) continue;
      const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const conditions = (pod.status.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, lastTransitionTime: time } : c));
      cluster.store.put('/pods', { ...pod, status: { ...pod.status, conditions } });
    }
  }, tick).unref();
}

/** The middle of sorted figures (the mean of the two middle ones for an even count). */
function median(sorted) {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

function deepFreeze(o) {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

function uid(a, b) {
  const h = (n, w) => n.toString(16).padStart(w, '0').slice(-w);
  return `${h(a, 8)}-${h(b >>> 16, 4)}-4${h(b & 0xfff, 3)}-8${h(a ^ b, 3)}-${h(b * 2654435761, 12)}`;
}

/**
 * The scale benchmark's cluster: a kube-proxy and a kindnet pod on every node, the rest
 * Deployment pods of 100 replicas in namespace `scale`. Each is a bootstrap pod renamed; the
 * parts every clone has alike (spec's containers, managedFields) are shared, frozen, as the store
 * shares a template's objects.
 */
function manyPods(bootstrap, total, nodes) {
  const byPrefix = (p) => deepFreeze(structuredClone(bootstrap.find((o) => o.metadata.name.startsWith(p))));
  const proxy = byPrefix('kube-proxy-');
  const kindnet = byPrefix('kindnet-');
  const app = byPrefix('coredns-');
  const out = [];
  const node = (i) => `node-${String(i).padStart(5, '0')}`;
  const clone = (tmpl, namespace, name, n, i) => {
    const ip = `10.${100 + ((n >> 8) & 0xff)}.${n & 0xff}.${(i % 250) + 2}`;
    return Object.freeze({
      ...tmpl,
      metadata: Object.freeze({ ...tmpl.metadata, namespace, name, uid: uid(n, i) }),
      spec: Object.freeze({ ...tmpl.spec, nodeName: node(n) }),
      status: Object.freeze({ ...tmpl.status, podIP: ip, podIPs: Object.freeze([Object.freeze({ ip })]), hostIP: `172.20.${Math.floor(n / 250)}.${(n % 250) + 2}` }),
    });
  };
  const suffix = (i) => (i * 2654435761 >>> 0).toString(36).padStart(5, 'b').slice(-5);
  for (let n = 0; n < nodes && out.length < total; n++) {
    out.push(clone(proxy, 'kube-system', `kube-proxy-${suffix(n * 2 + 1)}${n}`, n, 0));
    if (out.length < total) out.push(clone(kindnet, 'kube-system', `kindnet-${suffix(n * 2 + 2)}${n}`, n, 1));
  }
  for (let i = 0; out.length < total; i++) {
    const d = Math.floor(i / 100);
    out.push(clone(app, 'scale', `app-${d}-${suffix(d)}-${suffix(i)}`, i % nodes, i));
  }
  return out;
}

// ------------------------------------------------------------------ the benchmark

async function main() {
  const { generateTls } = await import('../dist/src/core/apiserver/tls.js');
  const child = fork(self, ['serve'], { execArgv: ['--max-old-space-size=16384'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
  console.error(`  ${ready.pods} pods loaded in ${ready.fillMs} ms`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-list-'));
  const real = new URL(/server: (\S+)/.exec(ready.kubeconfig)[1]);
  const realCa = Buffer.from(/certificate-authority-data: (\S+)/.exec(ready.kubeconfig)[1], 'base64');

  // The stub: records through to the server while `recording`, then replays what it recorded.
  const stubTls = await generateTls();
  const recorded = new Map();
  let recording = true;
  const agent = new https.Agent({ keepAlive: true, ca: realCa });
  const stub = https.createServer({ cert: stubTls.cert, key: stubTls.key }, (req, res) => {
    const key = `${req.method} ${req.url} ${req.headers.accept ?? ''} ${req.headers['accept-encoding'] ?? ''}`;
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      if (!recording) {
        const r = recorded.get(key);
        if (!r) {
          res.writeHead(599);
          res.end(`not recorded: ${key}`);
          console.error(`  stub: not recorded: ${key}`);
          return;
        }
        res.writeHead(r.status, r.headers);
        res.end(r.body);
        return;
      }
      const up = https.request({ host: real.hostname, port: real.port, path: req.url, method: req.method, headers: { ...req.headers, host: real.host }, agent }, (ur) => {
        const body = [];
        ur.on('data', (d) => body.push(d));
        ur.on('end', () => {
          const headers = { ...ur.headers };
          for (const h of ['connection', 'keep-alive', 'transfer-encoding', 'date']) delete headers[h];
          const r = { status: ur.statusCode, headers: { ...headers, 'content-length': String(Buffer.concat(body).length) }, body: Buffer.concat(body) };
          recorded.set(key, r);
          res.writeHead(r.status, r.headers);
          res.end(r.body);
        });
      });
      up.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const stubUrl = `https://127.0.0.1:${stub.address().port}${real.pathname}`;
  const kubeconfigs = {
    server: ready.kubeconfig,
    stub: ready.kubeconfig.replace(/server: \S+/, `server: ${stubUrl}`).replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${Buffer.from(stubTls.caCert).toString('base64')}`),
  };
  const envs = {};
  for (const [name, kc] of Object.entries(kubeconfigs)) {
    writeFileSync(path.join(dir, `${name}.kubeconfig`), kc);
    envs[name] = { ...process.env, KUBECONFIG: path.join(dir, `${name}.kubeconfig`), KUBECACHEDIR: path.join(dir, `${name}-cache`), HOME: dir };
  }
  const devNull = openSync('/dev/null', 'w');
  const kubectl = (env, args) =>
    new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const p = spawn('kubectl', args, { env, stdio: ['ignore', devNull, 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`kubectl ${args.join(' ')}: exit ${code}: ${err}`))));
    });

  const commands = OUTPUTS.map((o) => (o === 'table' ? ['get', 'pods', '-A'] : ['get', 'pods', '-A', '-o', o]));
  // Record: each command once through the stub to the server (discovery included, from a cold cache).
  for (const args of commands) await kubectl(envs.stub, args);
  recording = false;
  const pages = [...recorded.keys()].filter((k) => k.includes('/pods?')).length;
  console.error(`  recorded ${recorded.size} answers (${pages} list pages)`);
  for (const args of commands) await kubectl(envs.server, args); // the server's discovery cache, warmed

  const rows = [];
  for (const args of commands) {
    const times = { server: [], stub: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const target of ['server', 'stub']) {
        const ms = await kubectl(envs[target], args);
        times[target].push(ms);
        console.error(`  kubectl ${args.join(' ')} → ${target}: ${(ms / 1000).toFixed(2)} s`);
      }
    }
    for (const t of Object.values(times)) t.sort((a, b) => a - b);
    const server = median(times.server);
    const floor = median(times.stub);
    rows.push({ command: `kubectl ${args.join(' ')}`, 'server s (median)': (server / 1000).toFixed(2), 'stub s (median)': (floor / 1000).toFixed(2), ratio: (server / floor).toFixed(2) });
  }
  child.send('stop');
  stub.close();
  agent.destroy();
  console.log(`kubectl against the server and against a stub replaying its answers: ${ready.pods} pods, ${NODES} nodes, ${WRITES} pod writes/s, ${RUNS} runs each (load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
  console.table(rows);
}
