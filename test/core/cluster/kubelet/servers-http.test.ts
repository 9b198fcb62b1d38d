// nginx starting in a container reads its configuration; unless a volume covers /etc/nginx, the
// image's own files say what it is, and the container's tree is left unbuilt until someone looks.
import { describe, expect, it } from 'vitest';
import { resolveImage, type ImageInfo } from '../../../../src/core/cluster/kubelet/images.js';
import { serverStart } from '../../../../src/core/cluster/kubelet/servers-http.js';
import { containerFs } from '../../../../src/core/cluster/kubelet/shell/rootfs.js';
import type { ProcessContext } from '../../../../src/core/cluster/kubelet/shell/types.js';

function image(ref: string): ImageInfo {
  const r = resolveImage(ref);
  if (!r.ok) throw new Error(r.message);
  return r.image;
}

function start(mountPaths: string[], prepare?: (fs: ReturnType<typeof containerFs>) => void) {
  const nginx = image('nginx:1.27');
  const fs = containerFs({ image: nginx, pod: { hostname: 'web', podIP: '10.244.1.5', namespace: 'default' }, now: () => 0 });
  prepare?.(fs);
  const asked = { net: 0 };
  const ctx = {
    fs,
    namespace: 'default',
    now: () => 0,
    image: nginx,
    // The pod's network, as a resolver of upstream names sees it: this cluster has none.
    get net() {
      asked.net++;
      return { lookup: () => undefined };
    },
  } as unknown as ProcessContext;
  const ports: number[] = [];
  const started = serverStart(nginx.server!, nginx, ctx, ports, mountPaths);
  if ('failure' in started) throw new Error(started.failure.join('\n'));
  started.listen();
  return { fs, ports, asked };
}

describe('nginx starting in a container', () => {
  it("listens where the image's configuration says without building the container's tree", () => {
    const { fs, ports } = start(['/var/run/secrets/kubernetes.io/serviceaccount']);
    expect(ports).toEqual([80]);
    expect(fs.materialised).toBe(false);
  });

  it("does not make the pod's network when no upstream needs resolving, and does when one does", () => {
    expect(start([]).asked.net).toBe(0);
    const proxied = (fs: ReturnType<typeof containerFs>) => fs.writeFile('/etc/nginx/conf.d/default.conf', 'server { listen 80; location / { proxy_pass http://backend:8080; } }\n');
    expect(() => start([], proxied)).toThrow(/host not found in upstream "backend:8080"/);
  });

  it('reads the container’s own files when a volume is mounted over its configuration', () => {
    for (const mount of ['/etc/nginx/conf.d', '/etc/nginx', '/etc', '/']) {
      const { fs, ports } = start([mount]);
      expect(fs.materialised).toBe(true);
      expect(ports).toEqual([80]);
    }
  });

  it('reads the container’s own files once its tree is built, changes included', () => {
    const { ports } = start([], (fs) => fs.writeFile('/etc/nginx/conf.d/default.conf', 'server { listen 8080; location / { return 200 "hi"; } }\n'));
    expect(ports).toEqual([8080]);
  });
});
