// Mounted ConfigMaps and Secrets follow changes, as the kubelet's sync makes them do, about half a
// minute later; a key mounted with subPath is a copy and keeps its first content.
import { describe, expect, it } from 'vitest';
import { newNamespace, useCluster } from './support.js';

const c = useCluster();

const pod = (ns: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: ns },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx',
          volumeMounts: [
            { name: 'site', mountPath: '/usr/share/nginx/html' },
            { name: 'site', mountPath: '/etc/copy.html', subPath: 'index.html' },
            { name: 'creds', mountPath: '/etc/creds' },
          ],
        },
      ],
      volumes: [
        { name: 'site', configMap: { name: 'site' } },
        { name: 'creds', secret: { secretName: 'creds' } },
      ],
    },
  });

describe('ConfigMap and Secret volumes', () => {
  it('show a changed ConfigMap and Secret in the running pod after the kubelet syncs', async () => {
    const ns = await newNamespace(c.k, 'cmvol');
    await c.k.ok(['-n', ns, 'create', 'configmap', 'site', '--from-literal=index.html=one']);
    await c.k.ok(['-n', ns, 'create', 'secret', 'generic', 'creds', '--from-literal=password=old']);
    await c.k.ok(['apply', '-f', '-'], { input: pod(ns) });
    c.advance(20);
    const cat = (path: string) => c.k.ok(['-n', ns, 'exec', 'web', '--', 'cat', path]);
    expect(await cat('/usr/share/nginx/html/index.html')).toBe('one');
    await c.k.ok(['-n', ns, 'patch', 'configmap', 'site', '--type', 'merge', '-p', '{"data":{"index.html":"two"}}']);
    await c.k.ok(['-n', ns, 'patch', 'secret', 'creds', '--type', 'merge', '-p', '{"stringData":{"password":"new"}}']);
    c.advance(5);
    expect(await cat('/usr/share/nginx/html/index.html')).toBe('one');
    c.advance(30);
    expect(await cat('/usr/share/nginx/html/index.html')).toBe('two');
    expect(await cat('/etc/creds/password')).toBe('new');
    expect(await cat('/etc/copy.html')).toBe('one');
  });
});
