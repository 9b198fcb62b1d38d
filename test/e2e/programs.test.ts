// Programs inside containers as the real images run them, through the real kubectl: servers a
// container's own command starts (nc -l, python -m http.server, nginx with its conf.d), reached
// from other pods, Services, probes and port-forward; and the tools scenarios run with exec.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cell, lines, newNamespace, useCluster, waitFor, background, freePort } from './support.js';

const c = useCluster();

async function apply(ns: string, manifest: object): Promise<void> {
  await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: JSON.stringify(manifest) });
}

function pod(name: string, spec: object, labels: Record<string, string> = {}): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec };
}

async function podIP(ns: string, name: string): Promise<string> {
  return c.k.ok(['-n', ns, 'get', 'pod', name, '-o', 'jsonpath={.status.podIP}']);
}

describe('servers a container command starts', () => {
  it('keeps a busybox nc -l loop running, answering each request with what it echoes and printing what it received', async () => {
    const ns = await newNamespace(c.k, 'nc');
    const script = 'while true; do printf "HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\nhello from nc\\n" | nc -l -p 8080; done';
    await apply(ns, pod('server', { containers: [{ name: 'nc', image: 'busybox:1.36', command: ['sh', '-c', script], readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2 } }] }));
    await c.k.ok(['-n', ns, 'run', 'client', '--image=busybox:1.36', '--', 'sleep', '3600']);
    c.advance(10);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'server', 'READY')).toBe('1/1');
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'server', 'STATUS')).toBe('Running');
    const ip = await podIP(ns, 'server');
    expect(await c.k.ok(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/first`])).toBe('hello from nc\n');
    c.advance(1);
    // nc served one connection and exited; the loop started the next one.
    expect(await c.k.ok(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/second`])).toBe('hello from nc\n');
    c.advance(1);
    const logs = await c.k.ok(['-n', ns, 'logs', 'server']);
    expect(logs).toContain('GET /first HTTP/1.1');
    expect(logs).toContain('GET /second HTTP/1.1');
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'server', 'RESTARTS')).toBe('0');
  });

  it('serves a directory with python -m http.server through a Service, logging each request in its format, and to port-forward', async () => {
    const ns = await newNamespace(c.k, 'py');
    await apply(ns, pod('files', {
      containers: [{ name: 'py', image: 'python:3.12', command: ['python3', '-m', 'http.server', '8000', '--directory', '/srv'], readinessProbe: { httpGet: { path: '/', port: 8000 }, periodSeconds: 2 }, volumeMounts: [{ name: 'srv', mountPath: '/srv' }] }],
      volumes: [{ name: 'srv', emptyDir: {} }],
    }, { app: 'files' }));
    await c.k.ok(['-n', ns, 'expose', 'pod', 'files', '--port=80', '--target-port=8000', '--name=files']);
    await c.k.ok(['-n', ns, 'run', 'client', '--image=busybox:1.36', '--', 'sleep', '3600']);
    c.advance(12);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'files', 'READY')).toBe('1/1');
    await c.k.ok(['-n', ns, 'exec', 'files', '--', 'sh', '-c', 'echo from python > /srv/note.txt && mkdir /srv/sub']);
    const listing = await c.k.ok(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', 'http://files/']);
    expect(listing).toContain('<title>Directory listing for /</title>');
    expect(listing).toContain('<li><a href="note.txt">note.txt</a></li>\n<li><a href="sub/">sub/</a></li>');
    expect(await c.k.ok(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', 'http://files.' + ns + '.svc.cluster.local/note.txt'])).toBe('from python\n');
    const missing = await c.k.run(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', 'http://files/nope']);
    expect(missing.stderr).toContain('404 File not found');
    const port = await freePort();
    const pf = background(c, ['-n', ns, 'port-forward', 'pod/files', `${port}:8000`]);
    try {
      await waitFor(() => pf.out().includes(`Forwarding from 127.0.0.1:${port} -> 8000`), 'port-forward to listen');
      const res = await fetch(`http://127.0.0.1:${port}/note.txt`);
      expect(res.headers.get('server')).toMatch(/^SimpleHTTP\/0\.6 Python\/3\.12\.\d+$/);
      expect(await res.text()).toBe('from python\n');
    } finally {
      pf.child.kill();
    }
    const log = await c.k.ok(['-n', ns, 'logs', 'files']);
    expect(log).toMatch(/^10\.\d+\.\d+\.\d+ - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] "GET \/note\.txt HTTP\/1\.1" 200 -$/m);
    expect(log).toMatch(/\] code 404, message File not found\n.*"GET \/nope HTTP\/1\.1" 404 -$/m);
    // Python buffers stdout without a terminal: its banner is not in the log.
    expect(log).not.toContain('Serving HTTP');
  });
});

describe('nginx reads its configuration', () => {
  const conf = (body: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-conf' }, data: { 'default.conf': body } });
  const nginxPod = (extra: object = {}) => pod('web', {
    containers: [{ name: 'nginx', image: 'nginx:1.27', volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/conf.d' }], ...extra }],
    volumes: [{ name: 'conf', configMap: { name: 'web-conf' } }],
  }, { app: 'web' });

  it('listens where a conf.d server says, answering its locations with return, root and proxy_pass', async () => {
    const ns = await newNamespace(c.k, 'ngx');
    await apply(ns, conf([
      'server {',
      '    listen 8080;',
      '    server_name _;',
      "    location = /healthz { return 200 'ok\\n'; }",
      '    location /files/ { alias /usr/share/nginx/html/; }',
      '    location /api/ { proxy_pass http://backend:5678/; }',
      '    location / { return 301 /files/; }',
      '}',
    ].join('\n')));
    await c.k.ok(['-n', ns, 'run', 'backend', '--image=hashicorp/http-echo', '--labels=app=backend', '--', '-text=from the backend']);
    await c.k.ok(['-n', ns, 'expose', 'pod', 'backend', '--port=5678']);
    await apply(ns, nginxPod({ readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 } }));
    await c.k.ok(['-n', ns, 'expose', 'pod', 'web', '--port=80', '--target-port=8080']);
    await c.k.ok(['-n', ns, 'run', 'client', '--image=busybox:1.36', '--', 'sleep', '3600']);
    c.advance(15);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'web', 'READY')).toBe('1/1');
    const wget = (url: string) => c.k.run(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', url]);
    expect((await wget('http://web/healthz')).stdout).toBe('ok\n');
    expect((await wget('http://web/files/')).stdout).toContain('<title>Welcome to nginx!</title>');
    expect((await wget('http://web/api/')).stdout).toBe('from the backend\n');
    // Port 80 is not open any more: the config moved nginx to 8080.
    const ip = await podIP(ns, 'web');
    const old = await wget(`http://${ip}:80/`);
    expect(old.stderr).toContain('Connection refused');
    const logs = await c.k.ok(['-n', ns, 'logs', 'web']);
    expect(logs).toMatch(/"GET \/healthz HTTP\/1\.1" 200 3 /);
  });

  it('fails to start on a syntax error with its [emerg] line, and a reload with a bad config keeps the old one', async () => {
    const ns = await newNamespace(c.k, 'ngx-bad');
    await apply(ns, conf('server {\n    lisen 8080;\n}\n'));
    await apply(ns, nginxPod());
    c.advance(10);
    const logs = await c.k.run(['-n', ns, 'logs', 'web']);
    expect(logs.stdout + logs.stderr).toContain('nginx: [emerg] unknown directive "lisen" in /etc/nginx/conf.d/default.conf:2');
    const status = await c.k.ok(['-n', ns, 'get', 'pod', 'web', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}{.status.containerStatuses[0].state.terminated.exitCode}']);
    expect(status).toBe('1');

    const ns2 = await newNamespace(c.k, 'ngx-reload');
    await apply(ns2, conf('server {\n    listen 8080;\n    location / { return 200 "first\\n"; }\n}\n'));
    await apply(ns2, nginxPod());
    c.advance(10);
    const t = await c.k.run(['-n', ns2, 'exec', 'web', '--', 'nginx', '-t']);
    expect(t.stderr).toContain('nginx: configuration file /etc/nginx/nginx.conf test is successful');
    const port = await freePort();
    const pf = background(c, ['-n', ns2, 'port-forward', 'pod/web', `${port}:8080`]);
    try {
      await waitFor(() => pf.out().includes(`Forwarding from 127.0.0.1:${port} -> 8080`), 'port-forward to listen');
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('first\n');
    } finally {
      pf.child.kill();
    }
    await c.k.ok(['-n', ns2, 'exec', 'web', '--', 'sh', '-c', "mkdir -p /tmp/c && printf 'server { listen 8080; location / { return 200 \"second\\\\n\"; } }\\n' > /tmp/c/x.conf && sed -i 's#/etc/nginx/conf.d/\\*.conf#/tmp/c/*.conf#' /etc/nginx/nginx.conf && nginx -s reload"]);
    const ip = await podIP(ns2, 'web');
    await c.k.ok(['-n', ns2, 'run', 'client', '--image=busybox:1.36', '--', 'sleep', '3600']);
    c.advance(8);
    expect(await c.k.ok(['-n', ns2, 'exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/`])).toBe('second\n');
    const bad = await c.k.run(['-n', ns2, 'exec', 'web', '--', 'sh', '-c', "echo 'server {' > /tmp/c/x.conf && nginx -s reload"]);
    expect(bad.stderr).toContain('nginx: [emerg] unexpected end of file, expecting "}" in /tmp/c/x.conf:2');
    expect(bad.code).toBe(1);
    expect(await c.k.ok(['-n', ns2, 'exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/`])).toBe('second\n');
  });
});

describe('tools inside containers, through kubectl exec, run and logs', () => {
  it('stops a slow command with timeout: 124 in a Debian image, 143 in busybox', async () => {
    const ns = await newNamespace(c.k, 'timeout');
    await c.k.ok(['-n', ns, 'run', 'bb', '--image=busybox:1.36', '--', 'sleep', '3600']);
    await c.k.ok(['-n', ns, 'run', 'deb', '--image=nginx:1.27']);
    c.advance(10);
    const bb = await c.ticking(() => c.k.run(['-n', ns, 'exec', 'bb', '--', 'sh', '-c', 'timeout 2 sleep 30; echo "status $?"']));
    expect(bb.stdout).toBe('status 143\n');
    const deb = await c.ticking(() => c.k.run(['-n', ns, 'exec', 'deb', '--', 'sh', '-c', 'timeout -s KILL 1s sleep 30; echo "kill $?"; timeout 2 sleep 30; echo "term $?"']));
    expect(deb.stdout).toBe('kill 137\nterm 124\n');
  });

  it('writes real gzip that the host gunzips after kubectl cp, and reads date -Is and sed with ; inside s', async () => {
    const ns = await newNamespace(c.k, 'gz');
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox:1.36', '--', 'sh', '-c', "echo 'path=a;b' | sed 's/a;b/OK/'; date -Is; sleep 3600"]);
    c.advance(8);
    const logs = lines(await c.k.ok(['-n', ns, 'logs', 'box']));
    expect(logs[0]).toBe('path=OK');
    expect(logs[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    await c.k.ok(['-n', ns, 'exec', 'box', '--', 'sh', '-c', 'seq 1000 > /tmp/numbers.txt && gzip /tmp/numbers.txt && ls /tmp']);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-gz-'));
    await c.k.ok(['-n', ns, 'cp', 'box:/tmp/numbers.txt.gz', path.join(dir, 'numbers.txt.gz')]);
    const bytes = readFileSync(path.join(dir, 'numbers.txt.gz'));
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const host = spawnSync('gzip', ['-dc', path.join(dir, 'numbers.txt.gz')]);
    expect(host.status).toBe(0);
    expect(host.stdout.toString().split('\n').slice(0, 3)).toEqual(['1', '2', '3']);
    expect(await c.k.ok(['-n', ns, 'exec', 'box', '--', 'sh', '-c', 'zcat /tmp/numbers.txt.gz | tail -1'])).toBe('1000\n');
  });

  it('runs the awk, xargs and stat one-liners scenarios use', async () => {
    const ns = await newNamespace(c.k, 'oneliners');
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox:1.36', '--', 'sleep', '3600']);
    c.advance(8);
    expect(await c.k.ok(['-n', ns, 'exec', 'box', '--', 'sh', '-c', "awk '/nameserver/ {print $2}' /etc/resolv.conf"])).toBe('10.96.0.10\n');
    expect(await c.k.ok(['-n', ns, 'exec', 'box', '--', 'sh', '-c', "seq 2 | xargs -I{} echo item-{}"])).toBe('item-1\nitem-2\n');
    expect(await c.k.ok(['-n', ns, 'exec', 'box', '--', 'stat', '-c', '%a', '/tmp'])).toBe('1777\n');
  });
});
