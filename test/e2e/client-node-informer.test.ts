// @kubernetes/client-node, a second real client, against `kubedojo serve` with its default TLS
// checks: list, watch and an informer.
import { beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { useCluster } from './support.js';

const c = useCluster();
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
const ns = 'client-node';

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  kc = new k8s.KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
});

describe('@kubernetes/client-node against kubedojo', () => {
  it('lists the kube-system pods', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'kube-system' });
    const names = pods.items.map((p) => p.metadata?.name ?? '');
    expect(names).toContain('etcd-kubedojo-control-plane');
    expect(pods.items.every((p) => p.status?.phase === 'Running')).toBe(true);
  });

  it('watches a ConfigMap being added, modified and deleted', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(`/api/v1/namespaces/${ns}/configmaps`, { fieldSelector: 'metadata.name=watched' }, (type, obj: k8s.V1ConfigMap) => seen.push(`${type} ${obj.metadata?.name} ${obj.data?.k ?? ''}`), () => undefined);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'watched' }, data: { k: '1' } } });
    await core.patchNamespacedConfigMap({ namespace: ns, name: 'watched', body: { data: { k: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'watched' });
    await until('three events', () => (seen.length >= 3 ? true : undefined)).catch((e) => { throw new Error(`${e.message}: saw ${JSON.stringify(seen)}`); });
    req.abort();
    expect(seen).toEqual(['ADDED watched 1', 'MODIFIED watched 2', 'DELETED watched 2']);
  });

  it('keeps an informer cache in step with the cluster', async () => {
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () => core.listNamespacedConfigMap({ namespace: ns }));
    const events: string[] = [];
    informer.on('add', (o: k8s.V1ConfigMap) => events.push(`add ${o.metadata?.name}`));
    informer.on('update', (o: k8s.V1ConfigMap) => events.push(`update ${o.metadata?.name}`));
    informer.on('delete', (o: k8s.V1ConfigMap) => events.push(`delete ${o.metadata?.name}`));
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'cached' }, data: { k: 'a' } } });
    await until('the add', () => informer.get('cached', ns));
    await core.replaceNamespacedConfigMap({ namespace: ns, name: 'cached', body: { metadata: { name: 'cached' }, data: { k: 'b' } } });
    await until('the update', () => (informer.get('cached', ns)?.data?.k === 'b' ? true : undefined));
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'cached' });
    await until('the delete', () => (informer.get('cached', ns) ? undefined : true));
    await informer.stop();
    expect(events.filter((e) => e.endsWith(' cached'))).toEqual(['add cached', 'update cached', 'delete cached']);
  });
});
