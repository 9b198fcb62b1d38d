// How the runtime turns an image config and a container spec into a process: argv, its user, and
// whether it is the image's own server.
import { describe, expect, it } from 'vitest';
import { resolveImage, type ImageInfo } from '../../../../src/core/cluster/kubelet/images.js';
import { containerArgv, serverFor, userOf } from '../../../../src/core/cluster/kubelet/runtime.js';

function image(ref: string): ImageInfo {
  const r = resolveImage(ref);
  if (!r.ok) throw new Error(r.message);
  return r.image;
}

describe('the process a container runs', () => {
  const nginx = image('nginx:1.27');
  it('is the entrypoint with the image cmd when the spec says nothing', () => {
    expect(containerArgv(nginx, {}, {})).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
  });
  it('keeps the entrypoint and replaces cmd with args', () => {
    expect(containerArgv(nginx, { args: ['nginx-debug'] }, {})).toEqual(['/docker-entrypoint.sh', 'nginx-debug']);
  });
  it('replaces the entrypoint and drops cmd when command is given', () => {
    expect(containerArgv(nginx, { command: ['sleep'], args: ['10'] }, {})).toEqual(['sleep', '10']);
  });
  it('expands $(VAR) from the environment, leaves unknown ones, and reduces $$ to $', () => {
    expect(containerArgv(nginx, { command: ['echo', '$(GREETING) $(NOPE)', '$$(GREETING)', 'pid $$'] }, { GREETING: 'hi' })).toEqual(['echo', 'hi $(NOPE)', '$(GREETING)', 'pid $']);
  });
});

describe("recognising the image's server", () => {
  it('runs nginx through its entrypoint, with the entrypoint preamble', () => {
    expect(serverFor(image('nginx'), ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'])).toMatchObject({ preamble: true });
  });
  it('runs nginx without the preamble when the command names it directly', () => {
    expect(serverFor(image('nginx'), ['nginx', '-g', 'daemon off;'])).toMatchObject({ preamble: false });
  });
  it('does not take a shell script for the server', () => {
    expect(serverFor(image('nginx'), ['sh', '-c', 'echo hi; sleep 10'])).toBeUndefined();
  });
  it('finds a server started as the one command of sh -c', () => {
    expect(serverFor(image('gcr.io/google-samples/node-hello:1.0'), ['/bin/sh', '-c', 'node server.js'])).toBeDefined();
  });
  it("runs the book's numbers API and web app through dotnet", () => {
    expect(serverFor(image('kiamol/ch03-numbers-api'), ['dotnet', 'Numbers.Api.dll'])).toBeDefined();
    expect(serverFor(image('kiamol/ch03-numbers-web'), ['dotnet', 'Numbers.Web.dll'])).toBeDefined();
  });
  it('needs the argument a server requires (agnhost serves only with netexec)', () => {
    expect(serverFor(image('registry.k8s.io/e2e-test-images/agnhost:2.39'), ['/agnhost'])).toBeUndefined();
    expect(serverFor(image('registry.k8s.io/e2e-test-images/agnhost:2.39'), ['/agnhost', 'netexec', '--http-port=8080'])).toBeDefined();
  });
});

describe('who the process runs as', () => {
  const pod = (securityContext?: object) => ({ spec: { securityContext } });
  it("is the image's USER, looked up in its passwd", () => {
    expect(userOf(image('gcr.io/kuar-demo/kuard-amd64:blue'), pod(), {})).toMatchObject({ uid: 65534, gid: 65534, name: 'nobody' });
  });
  it('is root in an image without USER', () => {
    expect(userOf(image('busybox'), pod(), {})).toEqual({ uid: 0, gid: 0, groups: [], name: 'root' });
  });
  it('takes runAsUser without runAsGroup with the root group, as the runtime does', () => {
    expect(userOf(image('busybox'), pod({ runAsUser: 1000 }), {})).toEqual({ uid: 1000, gid: 0, groups: [] });
  });
  it('adds fsGroup and supplementalGroups, and lets the container override the pod', () => {
    expect(userOf(image('busybox'), pod({ runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] }), { securityContext: { runAsUser: 2000 } })).toEqual({ uid: 2000, gid: 3000, groups: [2000, 4000] });
  });
});
