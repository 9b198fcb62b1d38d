import { describe, expect, it } from 'vitest';
import { resolveImage, type ImageInfo } from '../../../../src/core/cluster/kubelet/images.js';

function image(ref: string): ImageInfo {
  const r = resolveImage(ref);
  if (!r.ok) throw new Error(r.message);
  return r.image;
}

function failure(ref: string) {
  const r = resolveImage(ref);
  if (r.ok) throw new Error(`${ref} resolved`);
  return r;
}

describe('image references', () => {
  it('normalises a bare name to the library repository on Docker Hub with tag latest', () => {
    expect(image('nginx').ref).toBe('docker.io/library/nginx:latest');
  });

  it('keeps a user repository on Docker Hub and its tag', () => {
    expect(image('kiamol/ch02-hello-kiamol').ref).toBe('docker.io/kiamol/ch02-hello-kiamol:latest');
    expect(image('bitnami/kubectl:1.31').ref).toBe('docker.io/bitnami/kubectl:1.31');
  });

  it('keeps another registry as the domain', () => {
    expect(image('gcr.io/kuar-demo/kuard-amd64:blue').ref).toBe('gcr.io/kuar-demo/kuard-amd64:blue');
    expect(image('registry.k8s.io/pause:3.9').ref).toBe('registry.k8s.io/pause:3.9');
  });

  it('resolves a digest it handed out, as copied from a pod status imageID', () => {
    const tagged = image('nginx:1.25.3');
    const byDigest = image(`nginx@${tagged.digest}`);
    expect(byDigest.ref).toBe(`docker.io/library/nginx@${tagged.digest}`);
    expect(byDigest.version).toBe('1.25.3');
    expect(byDigest.id).toBe(`docker.io/library/nginx@${tagged.digest}`);
  });

  it('fails an unknown digest of a known repository as not found', () => {
    const r = failure(`nginx@sha256:${'ab'.repeat(32)}`);
    expect(r.reason).toBe('NotFound');
  });

  it('gives the same digest for the same reference every time and different ones for different tags', () => {
    expect(image('busybox:1.36').digest).toBe(image('docker.io/library/busybox:1.36').digest);
    expect(image('busybox:1.36').digest).not.toBe(image('busybox:1.35').digest);
    expect(image('busybox').digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['Nginx', 'invalid reference format: repository name (library/Nginx) must be lowercase'],
    ['nginx:', 'invalid reference format'],
    ['nginx 1.25', 'invalid reference format'],
    ['nginx::1', 'invalid reference format'],
  ])('rejects %j with the kubelet InvalidImageName message', (ref, why) => {
    const r = failure(ref);
    expect(r.reason).toBe('InvalidImageName');
    expect(r.message).toBe(`Failed to apply default image tag "${ref}": couldn't parse image name "${ref}": ${why}`);
  });
});

describe('tags', () => {
  it.each(['nginx:1.25', 'nginx:1.25.3', 'nginx:1.25-alpine', 'nginx:stable', 'nginx:mainline', 'nginx:alpine', 'nginx:stable-alpine', 'nginx:1.7.9', 'nginx:1.13.9-alpine', 'nginx:1'])(
    'accepts the real tag %s',
    (ref) => expect(resolveImage(ref).ok).toBe(true),
  );

  it.each(['busybox:1.36', 'busybox:1.36.1', 'busybox:musl', 'busybox:glibc', 'busybox:stable', 'busybox:1.36-musl', 'alpine:3.19', 'redis:7.2-alpine', 'node:20-alpine', 'node:lts', 'python:3.12-slim', 'ubuntu:22.04', 'ubuntu:jammy', 'debian:bookworm-slim', 'traefik:v3.1', 'google/cadvisor:v0.22.0'])(
    'accepts the real tag %s',
    (ref) => expect(resolveImage(ref).ok).toBe(true),
  );

  it.each(['gcr.io/kuar-demo/kuard-amd64:blue', 'gcr.io/kuar-demo/kuard-amd64:green', 'gcr.io/kuar-demo/kuard-amd64:purple', 'gcr.io/kuar-demo/kuard-amd64:2', 'gcr.io/google-samples/node-hello:1.0', 'gcr.io/google_containers/echoserver:1.4', 'k8s.gcr.io/echoserver:1.4', 'hashicorp/http-echo', 'registry.k8s.io/e2e-test-images/agnhost:2.39'])(
    'knows the sample image %s',
    (ref) => expect(resolveImage(ref).ok).toBe(true),
  );

  it('fails a mistyped tag of a known repository with containerd not-found wording', () => {
    const r = failure('nginx:lates');
    expect(r.reason).toBe('NotFound');
    expect(r.message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:lates": failed to resolve reference "docker.io/library/nginx:lates": docker.io/library/nginx:lates: not found',
    );
  });

  it.each(['nginx:1.999', 'nginx:1.25.99', 'busybox:1.99', 'gcr.io/kuar-demo/kuard-amd64:red', 'alpine:4.0', 'google/cadvisor:0.22.0'])('has no tag %s', (ref) => {
    expect(failure(ref).reason).toBe('NotFound');
  });

  it('answers an unknown Docker Hub repository as pull access denied', () => {
    const r = failure('ngnix');
    expect(r.reason).toBe('Unauthorized');
    expect(r.message).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });

  it('answers a registry host that does not resolve with the DNS failure', () => {
    const r = failure('registry.example.com/app:1.0');
    expect(r.reason).toBe('NoSuchHost');
    expect(r.message).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/app:1.0": failed to resolve reference "registry.example.com/app:1.0": failed to do request: Head "https://registry.example.com/v2/app/manifests/1.0": dial tcp: lookup registry.example.com on 172.18.0.1:53: no such host',
    );
  });

  it('answers an unknown repository on the Kubernetes registry as not found', () => {
    expect(failure('registry.k8s.io/nope:1').reason).toBe('NotFound');
  });
});

describe('image config', () => {
  it('describes nginx as the official image does', () => {
    const i = image('nginx:1.25');
    expect(i.entrypoint).toEqual(['/docker-entrypoint.sh']);
    expect(i.cmd).toEqual(['nginx', '-g', 'daemon off;']);
    expect(i.env.NGINX_VERSION).toBe('1.25.5');
    expect(i.exposedPorts).toEqual([80]);
    expect(i.shell).toBe('dash');
    expect(i.commands).toContain('curl');
    expect(i.commands).toContain('bash');
    for (const missing of ['wget', 'ps', 'ping', 'nslookup']) expect(i.commands).not.toContain(missing);
    expect(i.size).toBeGreaterThan(60_000_000);
    expect(i.size).toBeLessThan(80_000_000);
  });

  it('gives busybox the busybox applets and a shell as its command', () => {
    const i = image('busybox');
    expect(i.cmd).toEqual(['sh']);
    expect(i.entrypoint).toEqual([]);
    expect(i.shell).toBe('sh');
    for (const applet of ['wget', 'nslookup', 'ping', 'ps']) expect(i.commands).toContain(applet);
    expect(i.commands).not.toContain('curl');
    expect(i.size).toBeLessThan(3_000_000);
  });

  it('leaves ubuntu without curl or ping', () => {
    const i = image('ubuntu');
    expect(i.cmd).toEqual(['/bin/bash']);
    expect(i.commands).not.toContain('curl');
    expect(i.commands).not.toContain('ping');
  });

  it('makes an alpine variant of a Debian image small and busybox based', () => {
    const i = image('nginx:alpine');
    expect(i.os).toBe('alpine');
    expect(i.shell).toBe('sh');
    expect(i.commands).toContain('wget');
    expect(i.size).toBeLessThan(image('nginx').size);
  });

  it('runs kuard as nobody and has no shell in scratch images', () => {
    expect(image('gcr.io/kuar-demo/kuard-amd64:blue').user).toBe('nobody:nobody');
    expect(image('gcr.io/kuar-demo/kuard-amd64:blue').cmd).toEqual(['/kuard']);
    expect(image('hashicorp/http-echo').shell).toBeNull();
    expect(image('registry.k8s.io/pause').commands).toEqual([]);
  });

  it('takes longer to pull a bigger image, between one and six seconds', () => {
    const small = image('busybox').pullMs;
    const big = image('node').pullMs;
    expect(small).toBeGreaterThanOrEqual(1000);
    expect(big).toBeLessThanOrEqual(6000);
    expect(big).toBeGreaterThan(small);
  });

  it('prints the nginx entrypoint lines and the start-up notices with nginx timestamps', () => {
    const i = image('nginx:1.25.3');
    const ctx = { now: Date.UTC(2026, 10, 23, 9, 55, 12), podIP: '10.244.0.5', hostname: 'web', argv: [], env: {} };
    const pre = i.server!.preamble!(ctx).map((l) => l.text);
    expect(pre[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    expect(pre.at(-1)).toBe('/docker-entrypoint.sh: Configuration complete; ready for start up');
    const notices = i.server!.startup(ctx);
    expect(notices[0]).toMatchObject({ stream: 'stderr', text: '2026/11/23 09:55:12 [notice] 1#1: using the "epoll" event method' });
    expect(notices.map((l) => l.text)).toContain('2026/11/23 09:55:12 [notice] 1#1: start worker processes');
  });

  it('prints the redis banner', () => {
    const lines = image('redis').server!.startup({ now: Date.UTC(2026, 10, 23, 9, 55, 12), podIP: '', hostname: '', argv: [], env: {} }).map((l) => l.text);
    expect(lines[0]).toBe('1:C 23 Nov 2026 09:55:12.005 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
    expect(lines.at(-1)).toMatch(/^1:M .* \* Ready to accept connections tcp$/);
  });
});
