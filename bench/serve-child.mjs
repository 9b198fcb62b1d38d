// A kubedojo API server in its own process, for benchmarks that load it from another process.
// Prints one JSON line {port, id, token, ca} when ready; seeds POD_COUNT pods into `bench` first.
// With DURABLE=1 the cluster is kept as `kubedojo serve` keeps it (its log synced before each
// answer, in a temp folder); on SIGTERM it prints its journal's counts as one JSON line to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiServer } from '../dist/src/core/apiserver/server.js';
import { generateTls } from '../dist/src/core/apiserver/tls.js';
import { newCluster } from '../dist/src/core/cluster/factory.js';
import { builtinKinds } from '../dist/src/core/cluster/kinds/index.js';
import { openCluster } from '../dist/src/core/cluster/journal.js';

const podCount = Number(process.env.POD_COUNT ?? 0);
const durable = process.env.DURABLE === '1';
const tls = await generateTls();
const server = new ApiServer({ tls });
await server.listen();
const dir = durable ? mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-durable-')) : undefined;
const opened = durable ? openCluster({ file: path.join(dir, 'clusters', 'bench.json'), eager: true, make: (empty) => newCluster({ empty, caCert: tls.caCert }) }) : undefined;
const cluster = opened?.cluster ?? newCluster({ caCert: tls.caCert });
const ns = builtinKinds().byGroupResource('', 'namespaces');
const pods = builtinKinds().byGroupResource('', 'pods');
cluster.create(ns, undefined, { metadata: { name: 'bench' } });
for (let i = 0; i < podCount; i++) {
  cluster.create(pods, 'bench', {
    metadata: { name: `pod-${String(i).padStart(5, '0')}`, labels: { app: `app-${i % 10}` } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  }, { fieldValidation: 'Ignore' });
}
const hosted = server.host(cluster, 'bench');
process.stdout.write(`${JSON.stringify({ port: server.port, id: hosted.id, token: hosted.token, ca: tls.caCert, kubeconfig: server.kubeconfig(hosted.id) })}\n`);
process.on('SIGTERM', async () => {
  await server.close();
  if (opened) {
    process.stderr.write(`${JSON.stringify({ journal: opened.journal.stats })}\n`);
    await opened.journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
});
