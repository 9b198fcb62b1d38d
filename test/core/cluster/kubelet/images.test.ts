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

  it('takes a sha256 digest copied from the registry as a build of the repository, and fails one of the wrong length', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const copied = image(`nginx@${digest}`);
    expect(copied.ref).toBe(`docker.io/library/nginx@${digest}`);
    expect(copied.id).toBe(`docker.io/library/nginx@${digest}`);
    expect(failure(`nginx@sha256:${'ab'.repeat(20)}`).reason).toBe('NotFound');
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

describe('tags by rule', () => {
  it.each([
    'nginx:1.28', 'nginx:1.29', 'nginx:1.29.1', 'nginx:1.28.0-alpine', 'nginx:1.29-trixie', 'nginx:trixie', 'nginx:1.27.5', 'nginx:stable-alpine-slim', 'nginx:mainline-trixie-perl',
    'redis:8', 'redis:8.2', 'redis:8.2.1-alpine', 'redis:8-trixie', 'redis:alpine3.22',
    'httpd:trixie', 'httpd:2.4-trixie', 'httpd:2.4.65-alpine',
    'alpine:3.22', 'busybox:1.37.0-musl', 'debian:13', 'debian:trixie-slim', 'ubuntu:25.04', 'ubuntu:plucky',
    'node:24', 'node:24-trixie-slim', 'node:lts-alpine', 'python:3.13-slim-trixie', 'python:3.14', 'postgres:18', 'postgres:17.6-trixie', 'mysql:8.4', 'mongo:8.0-noble',
    'fluentd', 'fluentd:v1.18-debian-1', 'fluentd:v1.19.0-1.0', 'mariadb', 'mariadb:11.4', 'mariadb:lts-noble', 'rabbitmq:4-management', 'rabbitmq:management-alpine', 'rabbitmq:3.13',
    'haproxy', 'haproxy:3.2-alpine', 'haproxy:lts', 'curlimages/curl', 'curlimages/curl:8.15.0', 'nicolaka/netshoot', 'nicolaka/netshoot:v0.14', 'bitnami/kubectl:1.33',
    'registry.k8s.io/e2e-test-images/agnhost:2.56', 'traefik:v3.5',
  ])('accepts %s, a tag of a plausible shape', (ref) => expect(resolveImage(ref).ok).toBe(true));

  it.each([
    'nginx:1.999', 'nginx:1.25.99', 'nginx:2.0', 'nginx:1.5', 'nginx:lates', 'nginx:1.29-trixie-bookworm', 'nginx:alpine-alpine', 'nginx:1.29-perl-otel',
    'redis:99.1', 'redis:8.99', 'busybox:1.99', 'alpine:4.0', 'debian:99', 'node:99', 'postgres:99', 'fluentd:1.18', 'nicolaka/netshoot:0.14', 'curlimages/curl:9.99.0', 'haproxy:3.99',
  ])('still has no tag %s', (ref) => expect(failure(ref).reason).toBe('NotFound'));

  it('points a floating tag at the release it names', () => {
    expect(image('nginx:1.25').version).toBe('1.25.5');
    expect(image('nginx:1.29').version).toBe(image('nginx').version);
    expect(image('redis:8').version).toBe(image('redis:latest').version);
    expect(image('node:20').version.split('.')[0]).toBe('20');
    expect(image('httpd:trixie').os).toBe('debian');
    expect(image('redis:8-alpine').os).toBe('alpine');
    expect(image('mariadb:11.8-noble').os).toBe('ubuntu');
  });

  it('describes the new nginx series as their images do: built on trixie from 1.29.1, with their njs', () => {
    expect(image('nginx:1.29').env).toMatchObject({ NGINX_VERSION: '1.29.1', NJS_VERSION: '0.9.1', PKG_RELEASE: '1~trixie' });
    expect(image('nginx:1.28').env).toMatchObject({ NGINX_VERSION: '1.28.0', NJS_VERSION: '0.8.10', PKG_RELEASE: '1~bookworm' });
    expect(image('nginx:1.28-alpine').env.PKG_RELEASE).toBe('1');
  });
});

describe('mirrors', () => {
  it.each([
    ['public.ecr.aws/docker/library/nginx:1.29', 'docker.io/library/nginx'],
    ['public.ecr.aws/docker/library/redis:8-alpine', 'docker.io/library/redis'],
    ['mirror.gcr.io/library/busybox:1.37', 'docker.io/library/busybox'],
    ['registry-1.docker.io/library/httpd:trixie', 'docker.io/library/httpd'],
    ['docker.io/library/nginx:1.28', 'docker.io/library/nginx'],
    ['index.docker.io/library/alpine:3.22', 'docker.io/library/alpine'],
    ['public.ecr.aws/nginx/nginx:alpine', 'docker.io/library/nginx'],
    ['public.ecr.aws/bitnami/kubectl:1.33', 'docker.io/bitnami/kubectl'],
    ['quay.io/curl/curl:8.15.0', 'docker.io/curlimages/curl'],
    ['ghcr.io/nicolaka/netshoot:v0.14', 'docker.io/nicolaka/netshoot'],
  ])('knows %s as the image on Docker Hub, under its own name', (ref, hub) => {
    const mirrored = image(ref);
    const tag = ref.slice(ref.lastIndexOf(':') + 1);
    const original = image(`${hub}:${tag}`);
    expect(mirrored.ref).toBe(ref.replace(/^index\.docker\.io\//, 'docker.io/'));
    const config = (i: ImageInfo) => ({ version: i.version, variant: i.variant, os: i.os, entrypoint: i.entrypoint, cmd: i.cmd, env: i.env, size: i.size, server: i.server?.program });
    expect(config(mirrored)).toEqual(config(original));
  });

  it('fails a tag the mirror cannot have, and a repository it does not carry, with containerd\'s not-found wording', () => {
    expect(failure('public.ecr.aws/docker/library/nginx:1.999').message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "public.ecr.aws/docker/library/nginx:1.999": failed to resolve reference "public.ecr.aws/docker/library/nginx:1.999": public.ecr.aws/docker/library/nginx:1.999: not found',
    );
    expect(failure('mirror.gcr.io/library/ngnix:1.27').reason).toBe('NotFound');
  });
});

describe('the images CKA and CKAD scenarios use', () => {
  it('gives each a default process: servers that listen, and tools that end', () => {
    expect(image('fluentd').server?.ports).toEqual([24224, 5140]);
    expect(image('mariadb').server?.requiredEnv?.anyOf).toContain('MARIADB_ROOT_PASSWORD');
    expect(image('rabbitmq:4-management').server?.ports).toEqual([5672, 15672]);
    expect(image('rabbitmq').server?.ports).toEqual([5672]);
    expect(image('haproxy').server?.requiredConfig?.path).toBe('/usr/local/etc/haproxy/haproxy.cfg');
    expect(image('curlimages/curl').cmd).toEqual(['curl']);
    expect(image('nicolaka/netshoot').cmd).toEqual(['zsh']);
    expect(image('nicolaka/netshoot').commands).toEqual(expect.arrayContaining(['curl', 'nslookup', 'bash']));
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
