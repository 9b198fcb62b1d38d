// Into running containers with the real kubectl: exec (with stdin, exit codes, a missing
// program), what a container sees (its volumes, its user and groups), cp in both directions,
// port-forward to nginx and attach to a main process, on a clock the test steps.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlBinaries } from '../helpers/kubectl.js';
import { lines, newNamespace, useCluster, waitFor, background, freePort } from './support.js';

const c = useCluster();

async function apply(ns: string, manifest: object): Promise<void> {
  await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: JSON.stringify(manifest) });
}

function pod(name: string, spec: object): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec };
}

describe('exec', () => {
  it('reads a key of a ConfigMap mounted as a volume', async () => {
    const ns = await newNamespace(c.k, 'cm-vol');
    await c.k.ok(['-n', ns, 'create', 'configmap', 'app', '--from-literal=greeting=hello from the config map']);
    await apply(ns, pod('reader', {
      containers: [{ name: 'reader', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'config', mountPath: '/etc/config' }] }],
      volumes: [{ name: 'config', configMap: { name: 'app' } }],
    }));
    c.advance(5);
    expect(await c.k.ok(['-n', ns, 'exec', 'reader', '--', 'cat', '/etc/config/greeting'])).toBe('hello from the config map');
    expect(lines(await c.k.ok(['-n', ns, 'exec', 'reader', '--', 'ls', '/etc/config']))).toEqual(['greeting']);
    // The volume is read-only, as every ConfigMap volume is.
    const write = await c.k.run(['-n', ns, 'exec', 'reader', '--', 'touch', '/etc/config/new']);
    expect(write.stderr).toContain("touch: /etc/config/new: Read-only file system");
    expect(write.code).toBe(1);
  });

  it('streams stdin to the command with -i', async () => {
    const ns = await newNamespace(c.k, 'stdin');
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox', '--', 'sleep', '3600']);
    c.advance(5);
    expect(await c.k.ok(['-n', ns, 'exec', '-i', 'box', '--', 'cat'], { input: 'hi\nthere\n' })).toBe('hi\nthere\n');
    expect(await c.k.ok(['-n', ns, 'exec', '-i', 'box', '--', 'wc', '-l'], { input: 'a\nb\nc\n' })).toMatch(/^\s*3\n$/);
  });

  it("propagates a command's exit code, and says a missing program is missing as the runtime does", async () => {
    const ns = await newNamespace(c.k, 'codes');
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox', '--', 'sleep', '3600']);
    c.advance(5);
    const ls = await c.k.run(['-n', ns, 'exec', 'box', '--', 'ls', '/nope']);
    expect(ls.stderr).toBe("ls: /nope: No such file or directory\ncommand terminated with exit code 1\n");
    expect(ls.code).toBe(1);
    const three = await c.k.run(['-n', ns, 'exec', 'box', '--', 'sh', '-c', 'exit 3']);
    expect(three.code).toBe(3);
    const missing = await c.k.run(['-n', ns, 'exec', 'box', '--', 'foo']);
    expect(missing.stderr).toContain('OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in $PATH: unknown');
    expect(missing.code).not.toBe(0);
  });

  it('refuses to exec into a container that has not started, as the kubelet words it', async () => {
    const ns = await newNamespace(c.k, 'notyet');
    await c.k.ok(['-n', ns, 'run', 'slow', '--image=nginx']);
    const r = await c.k.run(['-n', ns, 'exec', 'slow', '--', 'ls']);
    // kubectl 1.30 and later reach the kubelet through the apiserver's WebSocket translator, which
    // wraps the kubelet's refusal once more.
    expect(r.stderr).toBe('error: Internal error occurred: unable to upgrade connection: container not found ("slow")\n');
    expect(r.code).toBe(1);
  });
});

describe('what a container sees', () => {
  it('runs as the securityContext says, and fsGroup owns what it writes to its volume (the docs\' security-context-demo)', async () => {
    const ns = await newNamespace(c.k, 'secctx');
    await apply(ns, pod('security-context-demo', {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 },
      volumes: [{ name: 'sec-ctx-vol', emptyDir: {} }],
      containers: [{ name: 'sec-ctx-demo', image: 'busybox:1.28', command: ['sh', '-c', 'sleep 1h'], volumeMounts: [{ name: 'sec-ctx-vol', mountPath: '/data/demo' }] }],
    }));
    c.advance(5);
    expect(await c.k.ok(['-n', ns, 'exec', 'security-context-demo', '--', 'id'])).toMatch(/^uid=1000 gid=3000 groups=2000/);
    await c.k.ok(['-n', ns, 'exec', 'security-context-demo', '--', 'sh', '-c', 'echo hello > /data/demo/testfile']);
    expect(await c.k.ok(['-n', ns, 'exec', 'security-context-demo', '--', 'ls', '-ln', '/data/demo/testfile'])).toMatch(/^-rw-r--r--\s+1 1000\s+2000\s+6 .* \/data\/demo\/testfile\n$/);
    const denied = await c.k.run(['-n', ns, 'exec', 'security-context-demo', '--', 'touch', '/etc/oops']);
    expect(denied.stderr).toContain('Permission denied');
  });

  it('sees its Secret volume with the mode asked for, and its labels through the downward API', async () => {
    const ns = await newNamespace(c.k, 'vols');
    await c.k.ok(['-n', ns, 'create', 'secret', 'generic', 'db', '--from-literal=password=s3cret', '--from-literal=user=admin']);
    await apply(ns, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'vols', labels: { app: 'shop', tier: 'db' } },
      spec: {
        containers: [{ name: 'vols', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'secret', mountPath: '/etc/secret' }, { name: 'info', mountPath: '/etc/podinfo' }] }],
        volumes: [
          { name: 'secret', secret: { secretName: 'db', defaultMode: 0o400, items: [{ key: 'password', path: 'db/password' }] } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
        ],
      },
    });
    c.advance(5);
    expect(await c.k.ok(['-n', ns, 'exec', 'vols', '--', 'cat', '/etc/secret/db/password'])).toBe('s3cret');
    expect(lines(await c.k.ok(['-n', ns, 'exec', 'vols', '--', 'ls', '/etc/secret']))).toEqual(['db']);
    expect(await c.k.ok(['-n', ns, 'exec', 'vols', '--', 'ls', '-lL', '/etc/secret/db/password'])).toMatch(/^-r--------\s/);
    expect(await c.k.ok(['-n', ns, 'exec', 'vols', '--', 'cat', '/etc/podinfo/labels'])).toBe('app="shop"\ntier="db"');
    expect(await c.k.ok(['-n', ns, 'exec', 'vols', '--', 'cat', '/etc/podinfo/name'])).toBe('vols');
  });

  it('knows its hostname and the Services that existed when it started', async () => {
    const ns = await newNamespace(c.k, 'names');
    await c.k.ok(['-n', ns, 'create', 'service', 'clusterip', 'web-front', '--tcp=80:8080']);
    await apply(ns, pod('named', { hostname: 'db-0', subdomain: 'db', containers: [{ name: 'named', image: 'busybox', command: ['sleep', '3600'] }] }));
    c.advance(5);
    await c.k.ok(['-n', ns, 'create', 'service', 'clusterip', 'later', '--tcp=80:8080']);
    expect(await c.k.ok(['-n', ns, 'exec', 'named', '--', 'hostname'])).toBe('db-0\n');
    expect(await c.k.ok(['-n', ns, 'exec', 'named', '--', 'cat', '/etc/hosts'])).toMatch(new RegExp(`\\tdb-0\\.db\\.${ns}\\.svc\\.cluster\\.local\\tdb-0\\n$`));
    const svcIP = (await c.k.ok(['-n', ns, 'get', 'svc', 'web-front', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const env = lines(await c.k.ok(['-n', ns, 'exec', 'named', '--', 'env']));
    expect(env).toContain(`WEB_FRONT_SERVICE_HOST=${svcIP}`);
    expect(env).toContain('WEB_FRONT_SERVICE_PORT=80');
    expect(env).toContain(`WEB_FRONT_PORT=tcp://${svcIP}:80`);
    expect(env.some((l) => l.startsWith('LATER_'))).toBe(false);
  });

  it('shares an emptyDir between the containers of a pod', async () => {
    const ns = await newNamespace(c.k, 'shared');
    await apply(ns, pod('pair', {
      volumes: [{ name: 'shared', emptyDir: {} }],
      containers: [
        { name: 'writer', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'shared', mountPath: '/out' }] },
        { name: 'reader', image: 'alpine', command: ['sleep', '3600'], volumeMounts: [{ name: 'shared', mountPath: '/in' }] },
      ],
    }));
    c.advance(8);
    await c.k.ok(['-n', ns, 'exec', 'pair', '-c', 'writer', '--', 'sh', '-c', 'echo written by the writer > /out/note']);
    expect(await c.k.ok(['-n', ns, 'exec', 'pair', '-c', 'reader', '--', 'cat', '/in/note'])).toBe('written by the writer\n');
  });
});

describe('volumes that outlive a pod', () => {
  it("keeps a PersistentVolumeClaim's files for the next pod that mounts it", async () => {
    const ns = await newNamespace(c.k, 'pvc');
    await apply(ns, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const withClaim = (name: string) => pod(name, { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] });
    await apply(ns, withClaim('first'));
    c.advance(10);
    await c.k.ok(['-n', ns, 'exec', 'first', '--', 'sh', '-c', 'echo kept > /data/file']);
    await c.k.ok(['-n', ns, 'delete', 'pod', 'first', '--wait=false']);
    c.advance(35);
    await apply(ns, withClaim('second'));
    c.advance(10);
    expect(await c.k.ok(['-n', ns, 'exec', 'second', '--', 'cat', '/data/file'])).toBe('kept\n');
  });

  it('mounts the service account token, CA and namespace where clients look for them', async () => {
    const ns = await newNamespace(c.k, 'sa');
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox', '--', 'sleep', '3600']);
    c.advance(5);
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(lines(await c.k.ok(['-n', ns, 'exec', 'box', '--', 'ls', dir]))).toEqual(['ca.crt', 'namespace', 'token']);
    expect(await c.k.ok(['-n', ns, 'exec', 'box', '--', 'cat', `${dir}/namespace`])).toBe(ns);
    expect(await c.k.ok(['-n', ns, 'exec', 'box', '--', 'cat', `${dir}/ca.crt`])).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const token = await c.k.ok(['-n', ns, 'exec', 'box', '--', 'cat', `${dir}/token`]);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims.sub).toBe(`system:serviceaccount:${ns}:default`);
  });
});

describe('cp', () => {
  it('copies a file into a container and back out', async () => {
    const ns = await newNamespace(c.k, 'cp');
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox', '--', 'sleep', '3600']);
    c.advance(5);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-cp-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'line one\nline two\n');
    await c.k.ok(['-n', ns, 'cp', path.join(dir, 'notes.txt'), 'box:/tmp/notes.txt']);
    expect(await c.k.ok(['-n', ns, 'exec', 'box', '--', 'cat', '/tmp/notes.txt'])).toBe('line one\nline two\n');
    await c.k.ok(['-n', ns, 'exec', 'box', '--', 'sh', '-c', 'echo made inside > /tmp/inside.txt']);
    await c.k.ok(['-n', ns, 'cp', 'box:/tmp/inside.txt', path.join(dir, 'inside.txt')]);
    expect(readFileSync(path.join(dir, 'inside.txt'), 'utf8')).toBe('made inside\n');
  });
});

describe('port-forward', () => {
  it("forwards a local port to nginx, which answers with its welcome page and logs the request", async () => {
    const ns = await newNamespace(c.k, 'pf');
    await c.k.ok(['-n', ns, 'run', 'web', '--image=nginx:1.27']);
    c.advance(8);
    const port = await freePort();
    const pf = background(c, ['-n', ns, 'port-forward', 'pod/web', `${port}:80`]);
    try {
      await waitFor(() => pf.out().includes(`Forwarding from 127.0.0.1:${port} -> 80`), 'port-forward to listen');
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('server')).toMatch(/^nginx\/1\.27\.\d+$/);
      const body = await res.text();
      expect(body).toContain('<title>Welcome to nginx!</title>');
      const missing = await fetch(`http://127.0.0.1:${port}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('<center><h1>404 Not Found</h1></center>');
    } finally {
      pf.child.kill();
    }
    const log = lines(await c.k.ok(['-n', ns, 'logs', 'web', '--tail=2']));
    expect(log[0]).toMatch(/^127\.0\.0\.1 - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 615 "-" "node" "-"$/);
    expect(log[1]).toMatch(/^127\.0\.0\.1 - - \[[^\]]+\] "GET \/nope HTTP\/1\.1" 404 153 "-" "node" "-"$/);
  });
});

describe('older kubectl', () => {
  const old = kubectlBinaries()['1.27'];
  it.skipIf(!old)("serves kubectl 1.27's SPDY client the same: exec with stdin, an exit code, cp and port-forward", async () => {
    const k = c.kubectl(old!);
    const ns = await newNamespace(k, 'spdy');
    await k.ok(['-n', ns, 'run', 'web', '--image=nginx']);
    c.advance(8);
    expect(await k.ok(['-n', ns, 'exec', '-i', 'web', '--', 'cat'], { input: 'over spdy\n' })).toBe('over spdy\n');
    const r = await k.run(['-n', ns, 'exec', 'web', '--', 'sh', '-c', 'exit 4']);
    expect(r.code).toBe(4);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-cp-'));
    await k.ok(['-n', ns, 'cp', 'web:/usr/share/nginx/html/index.html', path.join(dir, 'index.html')]);
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('<h1>Welcome to nginx!</h1>');
    const port = await freePort();
    const child = spawn(old!, ['-n', ns, 'port-forward', 'web', `${port}:80`], { env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: k.cacheDir } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out.includes(`Forwarding from 127.0.0.1:${port} -> 80`), 'port-forward to listen');
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('<h1>Welcome to nginx!</h1>');
    } finally {
      child.kill();
    }
  });
});

describe('attach', () => {
  it("shows the main process's output as it is written", async () => {
    const ns = await newNamespace(c.k, 'attach');
    await c.k.ok(['-n', ns, 'run', 'ticker', '--image=busybox', '--', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 1; done']);
    c.advance(5);
    const at = background(c, ['-n', ns, 'attach', 'ticker']);
    try {
      await c.ticking(() => waitFor(() => /tick \d+\n[\s\S]*tick \d+\n/.test(at.out()), 'two ticks while attached'));
      const ticks = lines(at.out()).map((l) => Number(l.replace('tick ', '')));
      expect(ticks[0]).toBeGreaterThan(5);
      expect(ticks[1]).toBe(ticks[0] + 1);
    } finally {
      at.child.kill();
    }
  });

  it('runs a one-off pod with `run -i --rm`, talks to it, and deletes it after', async () => {
    const ns = await newNamespace(c.k, 'run-i');
    const r = await c.ticking(() => c.k.run(['-n', ns, 'run', 'once', '-i', '--rm', '--restart=Never', '--image=busybox', '--', 'sh', '-c', 'read name; echo "hello, $name"'], { input: 'learner\n' }));
    expect(lines(r.stdout)[0]).toBe('hello, learner');
    expect(r.stdout + r.stderr).toMatch(/pod "once" deleted/);
    expect(r.code).toBe(0);
  });

  it('feeds what is typed to a container that keeps stdin open', async () => {
    const ns = await newNamespace(c.k, 'attach-i');
    await apply(ns, pod('reader', { containers: [{ name: 'reader', image: 'busybox', stdin: true, command: ['sh', '-c', 'while read line; do echo "got: $line"; done'] }] }));
    c.advance(5);
    const at = background(c, ['-n', ns, 'attach', '-i', 'reader'], 'hello\n');
    try {
      await waitFor(() => at.out().includes('got: hello\n'), 'the line read back');
      at.child.stdin!.write('again\n');
      await waitFor(() => at.out().includes('got: again\n'), 'the second line read back');
    } finally {
      at.child.kill();
    }
    expect(await c.k.ok(['-n', ns, 'logs', 'reader'])).toBe('got: hello\ngot: again\n');
  });
});

describe('an interactive shell (exec -it)', () => {
  it('prompts, runs commands, and lets Ctrl-C stop one that sleeps', async () => {
    const ns = await newNamespace(c.k, 'exec-it');
    await apply(ns, pod('box', { containers: [{ name: 'box', image: 'busybox', command: ['sleep', '3600'] }] }));
    c.advance(5);
    // `script` gives kubectl a terminal, as a learner's shell would.
    const cmd = `${c.k.binary} -n ${ns} exec -it box -- sh`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.k.cacheDir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out.includes('/ # '), 'the prompt');
      child.stdin!.write('hostname\r');
      await waitFor(() => /\r\nbox\r\n\/ # $/.test(out), 'the hostname and a new prompt');
      child.stdin!.write('sleep 600\r');
      await waitFor(() => out.endsWith('sleep 600\r\n'), 'the command to start');
      child.stdin!.write('\x03');
      await waitFor(() => /\^C\r?\n\/ # $/.test(out), 'the interrupted command and a new prompt');
      child.stdin!.write('echo status $?\r');
      await waitFor(() => out.includes('status 130'), 'the status of the interrupted command');
      child.stdin!.write('exit\r');
      await waitFor(() => child.exitCode !== null, 'kubectl to end');
    } finally {
      child.kill();
    }
  });
});
