// Behaviours a real cluster has that scenarios written for one (Killercoda's CKAD practice among
// them) rely on, seen through the real kubectl on a clock the test steps.
import { afterAll, describe, expect, it } from 'vitest';
import { Kubectl } from '../helpers/kubectl.js';
import { removeHome, startServe, type ServeProcess } from '../helpers/serve.js';
import { cell, json, newNamespace, useCluster } from './support.js';

const c = useCluster();

const sidecarPod = (name: string, sidecar: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      volumes: [{ name: 'logs', emptyDir: {} }],
      initContainers: [
        { name: 'logger', image: 'busybox', restartPolicy: 'Always', command: ['sh', '-c', 'touch /var/log/app.log; tail -F /var/log/app.log'], volumeMounts: [{ name: 'logs', mountPath: '/var/log' }], ...sidecar },
        { name: 'prepare', image: 'busybox', command: ['sh', '-c', 'echo prepared'] },
      ],
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'while true; do echo tick >> /var/log/app.log; sleep 5; done'], volumeMounts: [{ name: 'logs', mountPath: '/var/log' }] }],
    },
  });

describe('sidecar containers (init containers with restartPolicy Always)', () => {
  it('starts the sidecar, runs the next init container, then the app beside the still-running sidecar, and the pod is Ready', async () => {
    const ns = await newNamespace(c.k, 'sidecar');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: sidecarPod('web') });
    c.advance(30);
    const pod = json(await c.k.ok(['-n', ns, 'get', 'pod', 'web', '-o', 'json']));
    expect(pod.status.phase).toBe('Running');
    const [logger, prepare] = pod.status.initContainerStatuses;
    expect(logger).toMatchObject({ name: 'logger', ready: true, started: true });
    expect(logger.state.running).toBeDefined();
    expect(prepare).toMatchObject({ name: 'prepare', ready: true });
    expect(prepare.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(pod.status.containerStatuses[0].state.running).toBeDefined();
    const conditions = Object.fromEntries(pod.status.conditions.map((x: { type: string; status: string }) => [x.type, x.status]));
    expect(conditions).toMatchObject({ Initialized: 'True', Ready: 'True', ContainersReady: 'True' });
    expect(await c.k.ok(['-n', ns, 'wait', '--for=condition=Ready', 'pod/web', '--timeout=5s'])).toBe('pod/web condition met\n');
    // kubectl counts the sidecar among the pod's containers once it is Initialized: 2/2.
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'web', 'READY')).toBe('2/2');
    expect(await c.k.ok(['-n', ns, 'logs', 'web', '-c', 'logger'])).toContain('tick');
  });

  it('keeps the pod unready while the sidecar fails its readiness probe', async () => {
    const ns = await newNamespace(c.k, 'sidecar-unready');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: sidecarPod('web', { readinessProbe: { exec: { command: ['cat', '/nonexistent'] }, periodSeconds: 2 } }) });
    c.advance(30);
    const pod = json(await c.k.ok(['-n', ns, 'get', 'pod', 'web', '-o', 'json']));
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.initContainerStatuses[0]).toMatchObject({ name: 'logger', ready: false, started: true });
    const ready = pod.status.conditions.find((x: { type: string }) => x.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [logger]' });
  });
});

describe('a Job whose pod has a sidecar', () => {
  it('completes once its app container has succeeded, the sidecar stopped with the pod', async () => {
    const ns = await newNamespace(c.k, 'sidecar-job');
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            initContainers: [{ name: 'logger', image: 'busybox', restartPolicy: 'Always', command: ['sh', '-c', 'sleep 3600'] }],
            containers: [{ name: 'work', image: 'busybox', command: ['sh', '-c', 'echo done'] }],
          },
        },
      },
    };
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: JSON.stringify(job) });
    c.advance(60);
    expect(await c.k.ok(['-n', ns, 'get', 'job', 'once', '-o', 'jsonpath={.status.succeeded}'])).toBe('1');
    const pod = json(await c.k.ok(['-n', ns, 'get', 'pods', '-l', 'job-name=once', '-o', 'json'])).items[0];
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.status.initContainerStatuses[0]).toMatchObject({ name: 'logger', restartCount: 0 });
    expect(pod.status.initContainerStatuses[0].state.terminated).toBeDefined();
  });
});

describe('sidecar containers across a restart of kubedojo serve', () => {
  const started: ServeProcess[] = [];
  afterAll(async () => {
    for (const p of started) await p.stop();
    for (const p of started) removeHome(p.home);
  });

  it('finds a running sidecar still running, not restarted, as it does the app containers', async () => {
    const first = await startServe(['--speed', '20']);
    started.push(first);
    const k = new Kubectl(first.kubeconfig);
    await k.ok(['apply', '-f', '-'], { input: sidecarPod('kept') });
    await k.ok(['wait', '--for=condition=Ready', 'pod/kept', '--timeout=60s']);
    expect(await first.stop('SIGINT')).toBe(0);
    const again = await startServe(['--speed', '20'], first.home);
    started.push(again);
    const k2 = new Kubectl(again.kubeconfig);
    // Two simulated minutes: time enough for a container taken for ended to be started again.
    await new Promise((r) => setTimeout(r, 6000));
    const pod = json(await k2.ok(['get', 'pod', 'kept', '-o', 'json']));
    expect(pod.status.initContainerStatuses[0]).toMatchObject({ name: 'logger', restartCount: 0, ready: true, started: true });
    expect(pod.status.initContainerStatuses[0].state.running).toBeDefined();
    expect(cell(await k2.ok(['get', 'pods']), 'kept', 'READY')).toBe('2/2');
  });
});
