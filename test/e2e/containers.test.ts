// What runs inside containers, seen through the real kubectl on a clock the test steps: the
// images' own start-up logs and access logs, commands and their exit codes, init containers,
// probes and their effect on restarts and readiness, memory limits, and the environment a
// container gets from ConfigMaps and Secrets.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cell, json, lines, newNamespace, useCluster, waitFor } from './support.js';

const c = useCluster();

const status = async (ns: string, pod: string) => cell(await c.k.ok(['-n', ns, 'get', 'pods']), pod, 'STATUS');
const podJson = async (ns: string, pod: string) => json(await c.k.ok(['-n', ns, 'get', 'pod', pod, '-o', 'json']));

async function apply(ns: string, manifest: object): Promise<void> {
  await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: JSON.stringify(manifest) });
}

function pod(name: string, spec: object): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec };
}

describe('logs', () => {
  it('keeps a counter loop\'s lines, read back with --tail, --since and -f', async () => {
    const ns = await newNamespace(c.k, 'counter');
    // The counter from the Kubernetes logging docs.
    await c.k.ok(['-n', ns, 'run', 'counter', '--image=busybox:1.28', '--', '/bin/sh', '-c', 'i=0; while true; do echo "$i: tick"; i=$((i+1)); sleep 1; done']);
    c.advance(12);
    const all = lines(await c.k.ok(['-n', ns, 'logs', 'counter']));
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(all[0]).toBe('0: tick');
    expect(all[1]).toBe('1: tick');
    const tail = lines(await c.k.ok(['-n', ns, 'logs', 'counter', '--tail=2']));
    expect(tail).toEqual(all.slice(-2));
    const since = lines(await c.k.ok(['-n', ns, 'logs', 'counter', '--since=3s']));
    expect(since.length).toBeGreaterThanOrEqual(2);
    expect(since.length).toBeLessThanOrEqual(4);
    expect(since[since.length - 1]).toBe(all[all.length - 1]);

    const follow = spawn(c.k.binary, ['-n', ns, 'logs', '-f', 'counter', '--tail=1'], { env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.k.cacheDir } });
    let out = '';
    follow.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const last = Number(all[all.length - 1].split(':')[0]);
      await waitFor(() => out.includes(`${last}: tick`), 'the last line before following');
      // Lines written while following arrive as the clock moves.
      await c.ticking(() => waitFor(() => out.includes(`${last + 3}: tick`), 'new lines while following'));
      expect(lines(out).slice(0, 2)).toEqual([`${last}: tick`, `${last + 1}: tick`]);
    } finally {
      follow.kill();
    }
  });

  it('shows nginx starting up, then an access log line for each request it served', async () => {
    const ns = await newNamespace(c.k, 'nginx-logs');
    await apply(ns, pod('web', { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 } }] }));
    c.advance(12);
    const log = lines(await c.k.ok(['-n', ns, 'logs', 'web']));
    expect(log[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    expect(log).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
    expect(log.some((l) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: nginx\/1\.27\.\d+$/.test(l))).toBe(true);
    // The kubelet's readiness probe is a request like any other, from the node's side of the pod network.
    const ip = (await podJson(ns, 'web')).status.podIP as string;
    const gw = ip.replace(/\.\d+$/, '.1');
    const probeLine = log.find((l) => l.includes('kube-probe'));
    expect(probeLine).toMatch(new RegExp(`^${gw.replace(/\./g, '\\.')} - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "GET / HTTP/1\\.1" 200 615 "-" "kube-probe/1\\.\\d+" "-"$`));
    // A request from another pod, served and logged with that pod's address.
    await c.k.ok(['-n', ns, 'run', 'client', '--image=busybox', '--', 'sleep', '3600']);
    c.advance(5);
    const clientIP = (await podJson(ns, 'client')).status.podIP as string;
    const page = await c.k.ok(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', `http://${ip}/`]);
    expect(page).toContain('<title>Welcome to nginx!</title>');
    const missing = await c.k.run(['-n', ns, 'exec', 'client', '--', 'wget', '-qO-', `http://${ip}/nope`]);
    expect(missing.stderr).toContain('wget: server returned error: HTTP/1.1 404 Not Found');
    const tail = lines(await c.k.ok(['-n', ns, 'logs', 'web', '--tail=2']));
    const esc = clientIP.replace(/\./g, '\\.');
    expect(tail[0]).toMatch(new RegExp(`^${esc} - - \\[[^\\]]+\\] "GET / HTTP/1\\.1" 200 615 "-" "Wget" "-"$`));
    expect(tail[1]).toMatch(new RegExp(`^${esc} - - \\[[^\\]]+\\] "GET /nope HTTP/1\\.1" 404 153 "-" "Wget" "-"$`));
  });
});

describe('logs of many', () => {
  it('reads a deployment, a label selector and all containers of a pod, with prefixes', async () => {
    const ns = await newNamespace(c.k, 'many');
    const container = (name: string) => ({ name, image: 'busybox', command: ['sh', '-c', `echo "${name} up"; sleep 3600`] });
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'talk' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'talk' } }, template: { metadata: { labels: { app: 'talk' } }, spec: { containers: [container('front'), container('side')] } } },
      }),
    });
    c.advance(20);
    // deploy/x reads one of its pods; with two containers it needs -c, or says which it chose.
    expect(await c.k.ok(['-n', ns, 'logs', 'deploy/talk', '-c', 'side'])).toBe('side up\n');
    // kubectl reads the containers in parallel, so their order may vary.
    expect(lines(await c.k.ok(['-n', ns, 'logs', 'deploy/talk', '--all-containers'])).sort()).toEqual(['front up', 'side up']);
    const selected = lines(await c.k.ok(['-n', ns, 'logs', '-l', 'app=talk', '--all-containers', '--prefix']));
    expect(selected).toHaveLength(4);
    for (const line of selected) expect(line).toMatch(/^\[pod\/talk-[a-z0-9]+-[a-z0-9]{5}\/(front|side)\] (front|side) up$/);
  });
});

describe('commands and exit codes', () => {
  it('ends a container whose command does not exist with StartError, as containerd reports it', async () => {
    const ns = await newNamespace(c.k, 'notfound');
    await c.k.ok(['-n', ns, 'run', 'typo', '--image=busybox', '--restart=Never', '--command', '--', 'sleeep', '10']);
    c.advance(5);
    const p = await podJson(ns, 'typo');
    const term = p.status.containerStatuses[0].state.terminated;
    expect(term.reason).toBe('StartError');
    expect(term.exitCode).toBe(128);
    expect(term.message).toBe('failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "sleeep": executable file not found in $PATH: unknown');
    expect(await status(ns, 'typo')).toBe('StartError');
    const events = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=Failed', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toBe(`Error: ${term.message}`);
  });

  it('backs off restarting a container that cannot start, as it does one that crashes', async () => {
    const ns = await newNamespace(c.k, 'startloop');
    await c.k.ok(['-n', ns, 'run', 'typo', '--image=busybox', '--command', '--', 'sleeep', '10']);
    c.advance(180);
    // Restarts at once, then after 10 s, 20 s, 40 s and 80 s: five in three minutes, the next in 2m40s.
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'typo', 'RESTARTS')).toMatch(/^5 \(\d+s ago\)$/);
    expect(await status(ns, 'typo')).toBe('CrashLoopBackOff');
    const cs = (await podJson(ns, 'typo')).status.containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({ reason: 'StartError', exitCode: 128 });
    expect(cs.state.waiting.message).toMatch(/^back-off 2m40s restarting failed container=typo pod=typo_/);
  });

  it('reports exit codes: 0 Completed, non-zero Error, and a crash loop under restartPolicy Always', async () => {
    const ns = await newNamespace(c.k, 'exits');
    await c.k.ok(['-n', ns, 'run', 'ok', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo done; exit 0']);
    await c.k.ok(['-n', ns, 'run', 'three', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'exit 3']);
    await c.k.ok(['-n', ns, 'run', 'loop', '--image=busybox', '--', 'sh', '-c', 'exit 3']);
    c.advance(5);
    expect(await status(ns, 'ok')).toBe('Completed');
    expect(await status(ns, 'three')).toBe('Error');
    expect((await podJson(ns, 'three')).status.containerStatuses[0].state.terminated.exitCode).toBe(3);
    c.advance(30);
    expect(await status(ns, 'loop')).toBe('CrashLoopBackOff');
    const loop = await podJson(ns, 'loop');
    expect(loop.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(loop.status.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(2);
  });

  it('holds the app container in Init until its init container has finished', async () => {
    const ns = await newNamespace(c.k, 'init');
    await apply(ns, pod('app', { initContainers: [{ name: 'wait', image: 'busybox', command: ['sh', '-c', 'echo waiting; sleep 20; echo ready'] }], containers: [{ name: 'app', image: 'nginx' }] }));
    c.advance(8);
    expect(await status(ns, 'app')).toBe('Init:0/1');
    expect(await c.k.ok(['-n', ns, 'logs', 'app', '-c', 'wait'])).toBe('waiting\n');
    c.advance(20);
    expect(await status(ns, 'app')).toBe('Running');
    expect(await c.k.ok(['-n', ns, 'logs', 'app', '-c', 'wait'])).toBe('waiting\nready\n');
  });

  it('runs two init containers one after the other, showing Init:0/2, Init:1/2 and PodInitializing on the way', async () => {
    const ns = await newNamespace(c.k, 'init2');
    const init = (name: string) => ({ name, image: 'busybox', command: ['sh', '-c', `echo ${name}; sleep 5`] });
    await apply(ns, pod('app', { initContainers: [init('first'), init('second')], containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }] }));
    const seen: string[] = [];
    for (let t = 0; t < 20; t++) {
      const now = await status(ns, 'app');
      if (now && seen[seen.length - 1] !== now) seen.push(now);
      c.advance(1);
    }
    expect(seen).toEqual(['Init:0/2', 'Init:1/2', 'PodInitializing', 'Running']);
    const [first, second] = (await podJson(ns, 'app')).status.initContainerStatuses;
    // The second starts once the first has ended, after its own image pull.
    expect(Date.parse(second.state.terminated.startedAt)).toBeGreaterThanOrEqual(Date.parse(first.state.terminated.finishedAt) + 1000);
    expect(first).toMatchObject({ ready: true, state: { terminated: { reason: 'Completed' } } });
  });
});

describe('signals', () => {
  it('restarts nginx after `kill 1` from inside, while a shell as PID 1 shrugs the same signal off', async () => {
    const ns = await newNamespace(c.k, 'kill');
    await c.k.ok(['-n', ns, 'run', 'web', '--image=nginx']);
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox', '--', 'sh', '-c', 'sleep 3600']);
    c.advance(8);
    await c.k.ok(['-n', ns, 'exec', 'web', '--', 'sh', '-c', 'kill 1']);
    await c.k.ok(['-n', ns, 'exec', 'box', '--', 'kill', '1']);
    c.advance(3);
    const web = await podJson(ns, 'web');
    expect(web.status.containerStatuses[0].restartCount).toBe(1);
    expect(web.status.containerStatuses[0].lastState.terminated).toMatchObject({ reason: 'Completed', exitCode: 0 });
    expect((await podJson(ns, 'box')).status.containerStatuses[0]).toMatchObject({ restartCount: 0, state: { running: {} } });
  });
});

describe('probes', () => {
  it('restarts a container whose exec liveness probe starts failing (the docs\' touch /tmp/healthy example)', async () => {
    const ns = await newNamespace(c.k, 'liveness');
    await apply(ns, pod('liveness-exec', {
      containers: [{
        name: 'liveness',
        image: 'registry.k8s.io/busybox',
        args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
        livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
      }],
    }));
    c.advance(30);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'liveness-exec', 'RESTARTS')).toBe('0');
    c.advance(60);
    const events = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=Unhealthy', '-o', 'jsonpath={.items[0].message}']);
    expect(events).toBe("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    const killing = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=Killing', '-o', 'jsonpath={.items[0].message}']);
    expect(killing).toBe('Container liveness failed liveness probe, will be restarted');
    expect(Number(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'liveness-exec', 'RESTARTS')?.split(' ')[0])).toBeGreaterThanOrEqual(1);
  });

  it('keeps a container its liveness probe failed Running until it ends, then restarts it', async () => {
    const ns = await newNamespace(c.k, 'killing');
    await apply(ns, pod('shell', {
      containers: [{ name: 'shell', image: 'busybox', command: ['sh', '-c', 'sleep 3600'], livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 5, failureThreshold: 1 } }],
    }));
    c.advance(10);
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=Killing', '-o', 'jsonpath={.items[0].message}'])).toBe('Container shell failed liveness probe, will be restarted');
    // The shell ignores SIGTERM: it runs out its 30 s grace period before it is killed.
    c.advance(15);
    expect(await status(ns, 'shell')).toBe('Running');
    const during = (await podJson(ns, 'shell')).status.containerStatuses[0];
    expect(during).toMatchObject({ restartCount: 0, state: { running: {} } });
    c.advance(25);
    const after = (await podJson(ns, 'shell')).status.containerStatuses[0];
    expect(after.restartCount).toBe(1);
    expect(after.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(Date.parse(after.lastState.terminated.finishedAt) - Date.parse(after.lastState.terminated.startedAt)).toBeGreaterThanOrEqual(30_000);
  });

  it('marks nginx ready by an HTTP probe on /, and not ready when the probe asks for a page it lacks', async () => {
    const ns = await newNamespace(c.k, 'readiness');
    await apply(ns, pod('good', { containers: [{ name: 'web', image: 'nginx', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 2 } }] }));
    await apply(ns, pod('bad', { containers: [{ name: 'web', image: 'nginx', readinessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 2 } }] }));
    c.advance(15);
    const out = await c.k.ok(['-n', ns, 'get', 'pods']);
    expect(cell(out, 'good', 'READY')).toBe('1/1');
    expect(cell(out, 'bad', 'READY')).toBe('0/1');
    expect(cell(out, 'bad', 'STATUS')).toBe('Running');
    const events = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.name=bad,reason=Unhealthy', '-o', 'jsonpath={.items[0].message}']);
    expect(events).toBe('Readiness probe failed: HTTP probe failed with statuscode: 404');
  });
});

describe('resources', () => {
  it('kills a container with OOMKilled when stress allocates past its memory limit', async () => {
    const ns = await newNamespace(c.k, 'oom');
    // The memory-limit example from the Kubernetes docs.
    await apply(ns, pod('memory-demo-2', {
      containers: [{
        name: 'memory-demo-2-ctr',
        image: 'polinux/stress',
        resources: { requests: { memory: '50Mi' }, limits: { memory: '100Mi' } },
        command: ['stress'],
        args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'],
      }],
    }));
    c.advance(15);
    const p = await podJson(ns, 'memory-demo-2');
    const cs = p.status.containerStatuses[0];
    const term = cs.state.terminated ?? cs.lastState.terminated;
    expect(term).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  });
});

describe('load', () => {
  it('shows what stress --cpu burns in kubectl top, capped at the CPU limit', async () => {
    const ns = await newNamespace(c.k, 'cpu');
    await apply(ns, pod('cpu-demo', {
      containers: [{ name: 'cpu-demo-ctr', image: 'polinux/stress', resources: { limits: { cpu: '500m' }, requests: { cpu: '250m' } }, command: ['stress'], args: ['--cpu', '2'] }],
    }));
    c.advance(10);
    expect(cell(await c.k.ok(['-n', ns, 'top', 'pod']), 'cpu-demo', 'CPU(cores)')).toBe('500m');
  });
});

describe('environment', () => {
  it('gives a container its env from ConfigMaps and Secrets, as printenv shows', async () => {
    const ns = await newNamespace(c.k, 'env');
    await c.k.ok(['-n', ns, 'create', 'configmap', 'app-config', '--from-literal=MODE=blue', '--from-literal=LEVEL=debug']);
    await c.k.ok(['-n', ns, 'create', 'secret', 'generic', 'db', '--from-literal=password=s3cret']);
    await apply(ns, pod('envy', {
      containers: [{
        name: 'envy',
        image: 'busybox',
        command: ['sleep', '3600'],
        env: [
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'GREETING', value: 'hello $(POD_NAME)' },
        ],
        envFrom: [{ configMapRef: { name: 'app-config' }, prefix: 'CFG_' }],
      }],
    }));
    c.advance(5);
    const env = lines(await c.k.ok(['-n', ns, 'exec', 'envy', '--', 'printenv']));
    expect(env).toContain('DB_PASSWORD=s3cret');
    expect(env).toContain('CFG_MODE=blue');
    expect(env).toContain('CFG_LEVEL=debug');
    expect(env).toContain('POD_NAME=envy');
    expect(env).toContain('GREETING=hello envy');
    expect(env).toContain('HOSTNAME=envy');
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
    expect(env).toContain('KUBERNETES_SERVICE_PORT=443');
    expect(env).toContain('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });
});
