// Requests kubectl makes outside the usual resource paths: `get --raw` and `kubectl proxy`, which
// drop the server URL's own path, reach the cluster the credentials open.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useCluster } from './support.js';

const c = useCluster();

describe('raw requests', () => {
  it('answers kubectl get --raw for a resource path and for /version', async () => {
    const cm = JSON.parse(await c.k.ok(['get', '--raw', '/api/v1/namespaces/default/configmaps/kube-root-ca.crt']));
    expect(cm.metadata.name).toBe('kube-root-ca.crt');
    expect(JSON.parse(await c.k.ok(['get', '--raw', '/version'])).gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  it('finalizes a namespace through replace --raw, as the stuck-namespace recipe does', async () => {
    await c.k.ok(['create', 'namespace', 'stuck']);
    const ns = JSON.parse(await c.k.ok(['get', 'namespace', 'stuck', '-o', 'json']));
    ns.spec.finalizers = [];
    const out = JSON.parse(await c.k.ok(['replace', '--raw', '/api/v1/namespaces/stuck/finalize', '-f', '-'], { input: JSON.stringify(ns) }));
    expect(out.kind).toBe('Namespace');
  });

  it('serves the API through kubectl proxy on a local port', async () => {
    const proxy = spawn('kubectl', ['proxy', '--port=0'], { env: { ...process.env, KUBECONFIG: c.kubeconfig } });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        proxy.stdout.on('data', (d) => {
          out += d;
          const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        proxy.once('exit', (code) => reject(new Error(`kubectl proxy exited with ${code}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/kube-system/services/kube-dns`);
      expect(res.status).toBe(200);
      expect((await res.json()).spec.clusterIP).toBe('10.96.0.10');
    } finally {
      proxy.kill();
    }
  });
});
