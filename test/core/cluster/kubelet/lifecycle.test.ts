// The kubelet's container lifecycle, case by case: a pod and a script in, the statuses it writes
// and the events it sends out, on the manual clock, compared with test/golden/kubelet/<case>.txt.
// After an intended change, run with UPDATE_GOLDEN=1 and review the diff of the golden files.
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, it } from 'vitest';
import { act, expectTimeline, wait } from './timeline.js';

const pod = (name: string, spec: PodSpec): Pod => ({ metadata: { name }, spec });
const busybox = (name: string, script: string, extra: Partial<Container> = {}): Container => ({ name, image: 'busybox', command: ['sh', '-c', script], ...extra });
/** A script that counts its runs in an emptyDir (which outlives the container) and fails the first `failures`. */
const failFirst = (failures: number, then: string) =>
  `n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; echo "run $n"; if [ $n -le ${failures} ]; then exit 1; fi; ${then}`;
const counted = (name: string, spec: Omit<PodSpec, 'containers'>, script: string): Pod =>
  pod(name, { ...spec, containers: [busybox('app', script, { volumeMounts: [{ name: 'data', mountPath: '/data' }] })], volumes: [{ name: 'data', emptyDir: {} }] });

describe('starting a container', () => {
  it('pulls the image, creates and starts the container, and reports it running and ready', () => {
    expectTimeline('normal-start', pod('web', { containers: [{ name: 'web', image: 'nginx:1.27' }] }), [wait(10)]);
  });

  it('shows ErrImagePull, then ImagePullBackOff with a growing back-off, and starts once the image is fixed', () => {
    expectTimeline('image-pull-backoff', pod('typo', { containers: [{ name: 'web', image: 'nginx:lates' }] }), [
      wait(160),
      act('set image web=nginx:1.27', (h) => h.setImage('web', 'nginx:1.27')),
      wait(30),
    ]);
  });

  it('does not pull an absent image under imagePullPolicy Never', () => {
    expectTimeline('never-pull', pod('local', { containers: [{ name: 'app', image: 'busybox', imagePullPolicy: 'Never', command: ['sleep', '3600'] }] }), [wait(10)]);
  });

  it('holds a container whose ConfigMap is missing in CreateContainerConfigError, and starts it once the ConfigMap exists', () => {
    const env = [{ name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } }];
    expectTimeline('config-error', pod('app', { containers: [busybox('app', 'echo $COLOR; sleep 3600', { env })] }), [
      wait(10),
      act('create configmap settings --from-literal=color=blue', (h) => h.create('', 'configmaps', { metadata: { name: 'settings' }, data: { color: 'blue' } })),
      wait(5),
    ]);
  });

  it('replaces a running container whose image is changed', () => {
    expectTimeline('image-change', pod('web', { containers: [{ name: 'web', image: 'nginx:1.27' }] }), [
      wait(10),
      act('set image web=nginx:1.26', (h) => h.setImage('web', 'nginx:1.26')),
      wait(10),
    ]);
  });
});

describe('crashes and restarts', () => {
  it('restarts a crashing container with a back-off that doubles up to 5 minutes, and resets it after 10 minutes of running', () => {
    expectTimeline('crash-backoff', counted('crashy', {}, failFirst(8, 'sleep 660; exit 1')), [wait(1600)]);
  });

  it('ends a container that fails under restartPolicy Never, and the pod with it', () => {
    const spec: PodSpec = { restartPolicy: 'Never', containers: [busybox('done', 'echo done'), busybox('fails', 'sleep 2; exit 3')] };
    expectTimeline('restart-never', pod('once', spec), [wait(10)]);
  });

  it('restarts only a failed container under restartPolicy OnFailure, and completes the pod once it succeeds', () => {
    expectTimeline('restart-on-failure', counted('retry', { restartPolicy: 'OnFailure' }, failFirst(2, 'echo ok')), [wait(40)]);
  });

  it('kills a container with OOMKilled when stress allocates past its memory limit', () => {
    // The memory-limit example from the Kubernetes docs.
    const stress: Container = {
      name: 'memory-demo-2-ctr',
      image: 'polinux/stress',
      resources: { requests: { memory: '50Mi' }, limits: { memory: '100Mi' } },
      command: ['stress'],
      args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'],
    };
    expectTimeline('oom-killed', pod('memory-demo-2', { containers: [stress] }), [wait(30)]);
  });

  it('kills a container whose image needs more memory at rest than its limit', () => {
    expectTimeline('oom-at-rest', pod('tight', { containers: [{ name: 'web', image: 'nginx:1.27', resources: { limits: { memory: '1Mi' } } }] }), [wait(20)]);
  });
});

describe('probes', () => {
  it('restarts a container whose liveness probe starts failing (the docs\' exec liveness example)', () => {
    const liveness = busybox('liveness', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600', {
      image: 'registry.k8s.io/busybox',
      livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
    });
    expectTimeline('liveness-kill', pod('liveness-exec', { containers: [liveness] }), [wait(90)]);
  });

  it('marks a container ready and not ready as its readiness probe passes and fails, without restarting it', () => {
    const flapping = busybox('app', 'while true; do touch /tmp/ready; sleep 20; rm /tmp/ready; sleep 20; done', {
      readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 5, failureThreshold: 1 },
    });
    expectTimeline('readiness-flapping', pod('flappy', { containers: [flapping] }), [wait(90)]);
  });

  it('holds liveness and readiness back until the startup probe succeeds', () => {
    const slow = busybox('app', 'sleep 12; touch /tmp/started; sleep 3600', {
      startupProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 5, failureThreshold: 6 },
      livenessProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 10 },
      readinessProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 10 },
    });
    expectTimeline('startup-probe', pod('slow', { containers: [slow] }), [wait(40)]);
  });

  it('restarts a container whose startup probe never succeeds', () => {
    const stuck = busybox('app', 'sleep 3600', { startupProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 5, failureThreshold: 3 } });
    expectTimeline('startup-probe-fails', pod('stuck', { containers: [stuck] }), [wait(60)]);
  });
});

describe('init containers', () => {
  it('runs init containers one at a time, in order, and the app container once all have succeeded', () => {
    const spec: PodSpec = { initContainers: [busybox('first', 'echo first; sleep 5'), busybox('second', 'echo second; sleep 5')], containers: [busybox('app', 'sleep 3600')] };
    expectTimeline('init-containers', pod('staged', spec), [wait(20)]);
  });

  it('fails the pod when an init container fails under restartPolicy Never', () => {
    const spec: PodSpec = { restartPolicy: 'Never', initContainers: [busybox('check', 'echo checking; exit 1')], containers: [busybox('app', 'sleep 3600')] };
    expectTimeline('init-failure-never', pod('blocked', spec), [wait(10)]);
  });
});

describe('termination', () => {
  it('stops a deleted pod whose shell ignores SIGTERM only when its grace period runs out', () => {
    expectTimeline('graceful-termination', pod('sleeper', { containers: [busybox('sleeper', 'sleep 3600')] }), [wait(10), act('delete pod (grace period 30s)', (h) => h.deletePod()), wait(35)]);
  });

  it('stops a deleted pod whose server exits on SIGTERM at once', () => {
    expectTimeline('sigterm-termination', pod('web', { containers: [{ name: 'web', image: 'nginx:1.27' }] }), [wait(10), act('delete pod (grace period 30s)', (h) => h.deletePod()), wait(5)]);
  });

  it('cuts the grace period short when the deletion asks for less', () => {
    expectTimeline('short-grace-termination', pod('sleeper', { containers: [busybox('sleeper', 'sleep 3600')] }), [wait(10), act('delete pod --grace-period=5', (h) => h.deletePod(5)), wait(10)]);
  });
});

describe('containers that cannot start', () => {
  it('backs off restarting a container whose command does not exist, 10 s doubling, as after a crash', () => {
    expectTimeline('start-error-backoff', pod('typo', { containers: [{ name: 'typo', image: 'busybox', command: ['sleeep', '10'] }] }), [wait(200)]);
  });

  it('ends a container whose command does not exist with StartError under restartPolicy Never', () => {
    expectTimeline('start-error-never', pod('typo', { restartPolicy: 'Never', containers: [{ name: 'typo', image: 'busybox', command: ['sleeep', '10'] }] }), [wait(10)]);
  });
});
