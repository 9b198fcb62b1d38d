// A kubedojo API server in its own process, for benchmarks that load it from another process.
// Prints one JSON line {port, id, token, ca} when ready; seeds POD_COUNT pods into `bench` first.
import { ApiServer } from '../dist/src/core/apiserver/server.js';
import { generateTls } from '../dist/src/core/apiserver/tls.js';
import { newCluster } from '../dist/src/core/cluster/factory.js';
import { builtinKinds } from '../dist/src/core/cluster/kinds/index.js';

const podCount = Number(process.env.POD_COUNT ?? 0);
const tls = await generateTls();
const server = new ApiServer({ tls });
await server.listen();
const cluster = newCluster({ caCert: tls.caCert });
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
  process.exit(0);
});
