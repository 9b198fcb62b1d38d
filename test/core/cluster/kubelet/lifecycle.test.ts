// The kubelet's container lifecycle, case by case: a pod and a script in, the statuses it writes
// and the events it sends out, on the manual clock, compared with test/golden/kubelet/<case>.txt.
// After an intended change, run with UPDATE_GOLDEN=1 and review the diff of the golden files.
// Then the pure step on its own, for the timings the timelines only show in passing.
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { dueAt, imageChanged, newLifecycle, restartPolicyOf, step, TIMINGS, type Facts, type Lifecycle } from '../../../../src/core/cluster/kubelet/lifecycle.js';
import type { RuntimeImage } from '../../../../src/core/cluster/kubelet/types.js';
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

  it('holds a container whose ConfigMap is missing in CreateContainerConfigError, trying again every 10 s, and starts it at the first try once the ConfigMap exists', () => {
    const env = [{ name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } }];
    expectTimeline('config-error', pod('app', { containers: [busybox('app', 'echo $COLOR; sleep 3600', { env })] }), [
      wait(15),
      act('create configmap settings --from-literal=color=blue', (h) => h.create('', 'configmaps', { metadata: { name: 'settings' }, data: { color: 'blue' } })),
      wait(15),
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
  it('keeps a container whose liveness probe starts failing running through its grace period, then restarts it (the docs\' exec liveness example)', () => {
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

  it('restarts a container whose startup probe never succeeds, and backs off once it has been killed twice', () => {
    const stuck = busybox('app', 'sleep 3600', { startupProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 5, failureThreshold: 3 } });
    expectTimeline('startup-probe-fails', pod('stuck', { containers: [stuck] }), [wait(100)]);
  });

  it('kills a container whose liveness probe fails and leaves it down under restartPolicy Never', () => {
    const web: Container = { name: 'web', image: 'nginx:1.27', livenessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5, failureThreshold: 2 } };
    expectTimeline('liveness-kill-never', pod('once', { restartPolicy: 'Never', containers: [web] }), [wait(20)]);
  });
});

describe('init containers', () => {
  it('runs init containers one at a time, in order, and the app container once all have succeeded', () => {
    const spec: PodSpec = { initContainers: [busybox('first', 'echo first; sleep 5'), busybox('second', 'echo second; sleep 5')], containers: [busybox('app', 'sleep 3600')] };
    expectTimeline('init-containers', pod('staged', spec), [wait(20)]);
  });

  it('shows a failing init container as Init:Error, then Init:CrashLoopBackOff, while the app container waits', () => {
    const spec: PodSpec = { initContainers: [busybox('check', 'echo checking; exit 1')], containers: [busybox('app', 'sleep 3600')] };
    expectTimeline('init-crash-backoff', pod('blocked', spec), [wait(20)]);
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

  it('keeps a pod of two containers until the one that ignores SIGTERM is killed, its status unchanged until then', () => {
    const spec: PodSpec = { containers: [{ name: 'web', image: 'nginx:1.27' }, busybox('sleeper', 'sleep 3600')] };
    expectTimeline('two-container-termination', pod('pair', spec), [wait(10), act('delete pod (grace period 30s)', (h) => h.deletePod()), wait(35)]);
  });

  it('ends a deleted pod whose container never started as Failed, its container not found', () => {
    expectTimeline('waiting-termination', pod('typo', { containers: [{ name: 'web', image: 'nginx:lates' }] }), [wait(5), act('delete pod (grace period 30s)', (h) => h.deletePod()), wait(5)]);
  });

  it('cuts the grace period short when the deletion asks for less', () => {
    expectTimeline('short-grace-termination', pod('sleeper', { containers: [busybox('sleeper', 'sleep 3600')] }), [wait(10), act('delete pod --grace-period=5', (h) => h.deletePod(5)), wait(10)]);
  });
});

describe('containers that cannot start', () => {
  it('backs off restarting a container whose command does not exist, 10 s doubling, as after a crash', () => {
    expectTimeline('start-error-backoff', pod('typo', { containers: [{ name: 'typo', image: 'busybox', command: ['sleeep', '10'] }] }), [wait(200)]);
  });

  it('backs off restarting a container whose working directory is a file, which runc cannot enter', () => {
    expectTimeline('start-error-workingdir', pod('cwd', { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], workingDir: '/etc/passwd' }] }), [wait(40)]);
  });

  it('fails the start of a container whose user may not enter its working directory', () => {
    const spec: PodSpec = { securityContext: { runAsUser: 1000 }, containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], workingDir: '/root' }] };
    expectTimeline('start-error-workingdir-denied', pod('denied', spec), [wait(15)]);
  });

  it('ends a container whose command does not exist with StartError under restartPolicy Never', () => {
    expectTimeline('start-error-never', pod('typo', { restartPolicy: 'Never', containers: [{ name: 'typo', image: 'busybox', command: ['sleeep', '10'] }] }), [wait(10)]);
  });
});

describe('the lifecycle step alone', () => {
  const image: RuntimeImage = { ref: 'docker.io/library/app:1', id: 'docker.io/library/app@sha256:1', size: 1000, pullMs: 800, memoryBytes: 0 };
  const facts = (over: Partial<Facts> = {}): Facts => ({
    spec: { name: 'app', image: 'app:1', imagePullPolicy: 'IfNotPresent' },
    startFrom: 400,
    podRef: 'p_default(uid)',
    image: () => ({ ok: true, image }),
    onNode: () => true,
    configProblem: () => undefined,
    ...over,
  });
  /** Steps at each due time until the kubelet is asked to start the process. */
  const untilStarting = (l: Lifecycle, f: Facts): Lifecycle => {
    for (let i = 0; i < 100 && l.phase !== 'starting'; i++) l = step(l, dueAt(l) ?? l.until, f).life;
    return l;
  };

  it('waits for its due time and leaves the record as it was until then', () => {
    const pulling: Lifecycle = { ...newLifecycle({ name: 'app', image: 'app:1' }, false), phase: 'pulling', until: 5000 };
    expect(step(pulling, 4999, facts()).life).toBe(pulling);
    expect(step(pulling, 5000, facts()).life.phase).toBe('creating');
  });

  it('creates a container from an image on the node without pulling it, from the moment the sandbox is up', () => {
    const r = step(newLifecycle({ name: 'app', image: 'app:1' }, false), 1000, facts());
    expect(r.life).toMatchObject({ phase: 'creating', until: 400 + TIMINGS.createMs, image });
    expect(r.events).toEqual([{ type: 'Normal', reason: 'Pulled', message: 'Container image "app:1" already present on machine' }]);
  });

  it('asks the kubelet to start the process once created, and runs it when the start succeeded', () => {
    const created = untilStarting(newLifecycle({ name: 'app', image: 'app:1' }, false), facts());
    expect(created).toMatchObject({ phase: 'starting', until: 550 });
    const r = step(created, 550, facts({ start: { ok: true } }));
    expect(r.life).toMatchObject({ phase: 'running', startedAt: 550, ready: true, started: true });
    expect(r.events.map((e) => e.reason)).toEqual(['Started']);
  });

  it('doubles the crash back-off from 10 s to 5 minutes, and starts afresh after 10 minutes of running', () => {
    const f = facts();
    let l: Lifecycle = { ...newLifecycle({ name: 'app', image: 'app:1' }, false), phase: 'running', startedAt: 0 };
    const waits: number[] = [];
    const crashAfter = (runMs: number) => {
      const end = l.startedAt! + runMs;
      l = step(l, end, { ...f, exit: { at: end, code: 1 } }).life;
      l = step(l, end, f).life;
      waits.push((l.until - end) / 1000);
      l = untilStarting(l, f);
      l = step(l, l.until, { ...f, start: { ok: true } }).life;
    };
    for (let i = 0; i < 8; i++) crashAfter(1000);
    crashAfter(TIMINGS.backoffResetMs);
    crashAfter(1000);
    expect(waits).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 0, 10]);
  });

  it('keeps saying the back-off it waited out, 5m0s at the cap, until the restarted container runs', () => {
    const f = facts();
    let l: Lifecycle = { ...newLifecycle({ name: 'app', image: 'app:1' }, false), phase: 'running', startedAt: 0, crashBackoffMs: TIMINGS.backoffMaxMs };
    l = step(l, 1000, { ...f, exit: { at: 1000, code: 1 } }).life;
    l = step(l, 1000, f).life;
    const said = 'back-off 5m0s restarting failed container=app pod=p_default(uid)';
    expect(l).toMatchObject({ phase: 'crash-backoff', until: 301_000, failure: { reason: 'CrashLoopBackOff', message: said } });
    const restarting = untilStarting(l, f);
    expect(restarting.failure?.message).toBe(said);
    expect(step(restarting, restarting.until, { ...f, start: { ok: true } }).life.failure).toBeUndefined();
  });

  it('counts a restart, and keeps the ended container as the last, only once a new container is created', () => {
    const f = facts();
    let l: Lifecycle = { ...newLifecycle({ name: 'app', image: 'app:1' }, false), phase: 'running', startedAt: 0 };
    l = step(l, 1000, { ...f, exit: { at: 1000, code: 1 } }).life;
    for (let i = 0; i < 3; i++) l = step(l, 1000, f).life;
    expect(l).toMatchObject({ phase: 'creating', restartCount: 0, terminated: { exitCode: 1 } });
    l = step(l, l.until, f).life;
    expect(l).toMatchObject({ phase: 'starting', restartCount: 1, last: { exitCode: 1 } });
    expect(l.terminated).toBeUndefined();
  });

  it('tries a container whose ConfigMap is missing again every 10 s, image first, and creates it at the first try once it is there', () => {
    let missing = true;
    const f = facts({ configProblem: () => (missing ? 'configmap "settings" not found' : undefined) });
    let r = step(newLifecycle({ name: 'app', image: 'app:1' }, false), 400, f);
    r = step(r.life, r.life.until, f);
    expect(r.life).toMatchObject({ phase: 'config-error', until: 550 + TIMINGS.syncRetryMs, failure: { reason: 'CreateContainerConfigError' } });
    expect(r.events.map((e) => e.message)).toEqual(['Error: configmap "settings" not found']);
    missing = false;
    expect(step(r.life, r.life.until - 1, f).life).toBe(r.life);
    const again = step(r.life, r.life.until, f);
    expect(again.life).toMatchObject({ phase: 'creating', until: 10_550 + TIMINGS.createMs });
    expect(again.events.map((e) => e.reason)).toEqual(['Pulled']);
    const started = step(step(again.life, again.life.until, f).life, again.life.until, { ...f, start: { ok: true } }).life;
    expect(started).toMatchObject({ phase: 'running', startedAt: 10_700 });
  });

  it('pulls a changed image that the node does not have when it restarts the container, at once, as a new container', () => {
    const v2: RuntimeImage = { ...image, ref: 'docker.io/library/app:2', id: 'docker.io/library/app@sha256:2' };
    const f = facts({ image: (ref) => ({ ok: true, image: ref === 'app:2' ? v2 : image }), onNode: (ref) => ref === image.ref });
    let l: Lifecycle = { ...newLifecycle({ name: 'app', image: 'app:1' }, false), phase: 'running', startedAt: 0, crashBackoffMs: 40_000, killedFor: 'changed' };
    l = imageChanged(l, 'app:2', 5000);
    l = step(l, 5100, { ...f, exit: { at: 5100, code: 0, signal: 'TERM' } }).life;
    const r = step(step(l, 5100, f).life, 5100, f);
    expect(r.life).toMatchObject({ phase: 'new', until: 5100 });
    const pull = step(r.life, 5100, f);
    expect(pull.life).toMatchObject({ phase: 'pulling', until: 5100 + v2.pullMs });
    expect(pull.events).toEqual([{ type: 'Normal', reason: 'Pulling', message: 'Pulling image "app:2"' }]);
    expect(step(pull.life, pull.life.until, f).life.image).toEqual(v2);
  });

  it('backs off a container that never started as it does one that crashed', () => {
    const f = facts({ start: { startError: 'exec: "sleeep": executable file not found in $PATH', exitCode: 128 } });
    let l: Lifecycle = { ...newLifecycle({ name: 'app', image: 'app:1' }, false), phase: 'starting', until: 550 };
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      l = step(l, l.until, f).life;
      expect(l.terminated).toMatchObject({ reason: 'StartError', exitCode: 128 });
      expect(l.terminated?.startedAt).toBeUndefined();
      const end = l.terminated!.finishedAt!;
      l = step(l, end, f).life;
      waits.push((l.until - end) / 1000);
      l = untilStarting(l, facts());
    }
    expect(waits).toEqual([0, 10, 20, 40]);
  });

  it('does not restart a container that completed under OnFailure, nor one that failed under Never', () => {
    const exited = (code: number): Lifecycle => ({ ...newLifecycle({ name: 'app', image: 'app:1' }, false), phase: 'exited', terminated: { exitCode: code, reason: code ? 'Error' : 'Completed', startedAt: 0, finishedAt: 1000 } });
    expect(step(exited(0), 1000, facts({ restartPolicy: 'OnFailure' })).life.phase).toBe('exited');
    expect(step(exited(1), 1000, facts({ restartPolicy: 'OnFailure' })).life.phase).toBe('crash-backoff');
    expect(step(exited(1), 1000, facts({ restartPolicy: 'Never' })).life.phase).toBe('exited');
    // A failed probe's kill is a failure like any other: Never keeps it down. A changed spec restarts it regardless.
    expect(step({ ...exited(137), killedFor: 'liveness' }, 1000, facts({ restartPolicy: 'Never' })).life.phase).toBe('exited');
    expect(step({ ...exited(0), killedFor: 'liveness' }, 1000, facts({ restartPolicy: 'OnFailure' })).life.phase).toBe('crash-backoff');
    expect(step({ ...exited(0), killedFor: 'changed' }, 1000, facts({ restartPolicy: 'Never' })).life.phase).toBe('crash-backoff');
  });

  it('retries a failed init container unless the pod says Never', () => {
    expect(restartPolicyOf(undefined, true)).toBe('OnFailure');
    expect(restartPolicyOf('Always', true)).toBe('OnFailure');
    expect(restartPolicyOf('Never', true)).toBe('Never');
    expect(restartPolicyOf(undefined, false)).toBe('Always');
  });

  it('doubles the image pull back-off, showing ErrImagePull for a second before ImagePullBackOff', () => {
    const f = facts({ image: () => ({ ok: false, reason: 'NotFound', message: 'not found' }), onNode: () => false });
    let l = step(newLifecycle({ name: 'app', image: 'app:2' }, false), 400, f).life;
    const seen: string[] = [];
    const backOffs: number[] = [];
    while (seen.length < 9) {
      const at = dueAt(l)!;
      const r = step(l, at, f);
      if (r.life.phase !== l.phase) seen.push(`${r.life.phase}@${r.life.until / 1000}`);
      if (r.events.some((e) => e.reason === 'BackOff')) backOffs.push(at / 1000);
      l = r.life;
    }
    expect(seen).toEqual(['pull-error@2.6', 'pull-backoff@11.6', 'pulling@12.8', 'pull-error@13.8', 'pull-backoff@32.8', 'pulling@34', 'pull-error@35', 'pull-backoff@74', 'pulling@75.2']);
    // Each sync while it backs off (one every 10 s) says so again.
    expect(backOffs).toEqual([2.6, 13.8, 23.8, 35, 45, 55, 65]);
  });
});
