// Pods the way they go wrong and right on a real cluster, seen through the real kubectl on a
// clock the test steps: scheduling failures, image pull back-off, crash loops, completion, logs
// and graceful deletion.
import { describe, expect, it } from 'vitest';
import { cell, expectFailure, json, lines, newNamespace, useCluster } from './support.js';

const c = useCluster();

const status = async (ns: string, pod: string) => cell(await c.k.ok(['-n', ns, 'get', 'pods']), pod, 'STATUS');
const restarts = async (ns: string, pod: string) => cell(await c.k.ok(['-n', ns, 'get', 'pods']), pod, 'RESTARTS');

describe('scheduling', () => {
  it('leaves a pod that asks for too much CPU Pending with the scheduler\'s reason', async () => {
    const ns = await newNamespace(c.k, 'sched');
    await c.k.ok(['-n', ns, 'run', 'big', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"100"}}}]}}']);
    c.advance(5);
    expect(await status(ns, 'big')).toBe('Pending');
    const describe = await c.k.ok(['-n', ns, 'describe', 'pod', 'big']);
    expect(describe).toMatch(
      /Warning\s+FailedScheduling\s+\d+s\s+default-scheduler\s+0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 Insufficient cpu\. preemption: 0\/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod\./,
    );
    expect(await c.k.ok(['-n', ns, 'get', 'pod', 'big', '-o', 'jsonpath={.status.conditions[0].reason}'])).toBe('Unschedulable');
  });

  it('places a pod by nodeSelector, and keeps it Pending when no node has the label', async () => {
    const ns = await newNamespace(c.k, 'selector');
    await c.k.ok(['-n', ns, 'run', 'picky', '--image=nginx', '--overrides={"spec":{"nodeSelector":{"disk":"ssd"}}}']);
    c.advance(2);
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}'])).toMatch(/^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 node\(s\) didn't match Pod's node affinity\/selector\./);
    await c.k.ok(['label', 'node', 'kubedojo-worker2', 'disk=ssd']);
    try {
      c.advance(10);
      expect(await c.k.ok(['-n', ns, 'get', 'pod', 'picky', '-o', 'jsonpath={.spec.nodeName} {.status.phase}'])).toBe('kubedojo-worker2 Running');
    } finally {
      await c.k.ok(['label', 'node', 'kubedojo-worker2', 'disk-']);
    }
  });

  it('keeps pods off a cordoned node and lets them back after uncordon', async () => {
    const ns = await newNamespace(c.k, 'cordon');
    await c.k.ok(['cordon', 'kubedojo-worker']);
    await c.k.ok(['cordon', 'kubedojo-worker2']);
    try {
      await c.k.ok(['-n', ns, 'run', 'waiting', '--image=nginx']);
      c.advance(2);
      expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}'])).toMatch(/2 node\(s\) were unschedulable/);
    } finally {
      await c.k.ok(['uncordon', 'kubedojo-worker']);
      await c.k.ok(['uncordon', 'kubedojo-worker2']);
    }
    c.advance(10);
    expect(await status(ns, 'waiting')).toBe('Running');
  });
});

describe('images and containers', () => {
  it('shows ErrImagePull, then ImagePullBackOff, for a tag that does not exist', async () => {
    const ns = await newNamespace(c.k, 'pull');
    await c.k.ok(['-n', ns, 'run', 'typo', '--image=nginx:lates']);
    c.advance(2);
    expect(await status(ns, 'typo')).toBe('ErrImagePull');
    c.advance(2);
    expect(await status(ns, 'typo')).toBe('ImagePullBackOff');
    const describe = await c.k.ok(['-n', ns, 'describe', 'pod', 'typo']);
    expect(describe).toMatch(/Normal\s+Pulling\s+.*Pulling image "nginx:lates"/);
    expect(describe).toMatch(/Warning\s+Failed\s+.*Failed to pull image "nginx:lates": .*not found/);
    expect(describe).toMatch(/Warning\s+Failed\s+.*Error: ErrImagePull/);
    expect(describe).toMatch(/Normal\s+BackOff\s+.*Back-off pulling image "nginx:lates"/);
    expect(describe).toMatch(/Warning\s+Failed\s+.*Error: ImagePullBackOff/);
    expectFailure(await c.k.run(['-n', ns, 'logs', 'typo']), `Error from server (BadRequest): container "typo" in pod "typo" is waiting to start: image can't be pulled`);
    // Fixing the image lets the next pull succeed.
    await c.k.ok(['-n', ns, 'set', 'image', 'pod/typo', 'typo=nginx:1.27']);
    c.advance(60);
    expect(await status(ns, 'typo')).toBe('Running');
  });

  it('pulls current releases, distribution variants and the official mirrors, and runs each image\'s server', async () => {
    const ns = await newNamespace(c.k, 'current');
    const images: Record<string, string> = {
      mainline: 'nginx:1.29',
      stable: 'nginx:1.28-alpine',
      redis: 'redis:8',
      httpd: 'httpd:trixie',
      ecr: 'public.ecr.aws/docker/library/nginx:1.29',
      gcr: 'mirror.gcr.io/library/redis:8-alpine',
      fluentd: 'fluentd',
    };
    for (const [name, image] of Object.entries(images)) await c.k.ok(['-n', ns, 'run', name, `--image=${image}`]);
    await c.k.ok(['-n', ns, 'run', 'mariadb', '--image=mariadb', '--env=MARIADB_ROOT_PASSWORD=secret']);
    c.advance(20);
    const table = await c.k.ok(['-n', ns, 'get', 'pods']);
    for (const name of [...Object.keys(images), 'mariadb']) expect(`${name} ${cell(table, name, 'STATUS')}`).toBe(`${name} Running`);
    expect(await c.k.ok(['-n', ns, 'get', 'pod', 'ecr', '-o', 'jsonpath={.status.containerStatuses[0].image}'])).toBe('public.ecr.aws/docker/library/nginx:1.29');
    expect(await c.k.ok(['-n', ns, 'logs', 'mariadb'])).toMatch(/mariadbd: ready for connections/);
  });

  it('ends netshoot\'s zsh at once without a terminal, as it does, and runs what is given to zsh', async () => {
    const ns = await newNamespace(c.k, 'netshoot');
    await c.k.ok(['-n', ns, 'run', 'bare', '--image=nicolaka/netshoot']);
    await c.k.ok(['-n', ns, 'run', 'tools', '--image=nicolaka/netshoot', '--', 'sleep', '3600']);
    c.advance(10);
    const bare = json(await c.k.ok(['-n', ns, 'get', 'pod', 'bare', '-o', 'json'])).status.containerStatuses[0];
    expect(bare.lastState.terminated ?? bare.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(await c.k.ok(['-n', ns, 'exec', 'tools', '--', 'zsh', '-c', 'echo from zsh'])).toBe('from zsh\n');
  });

  it('keeps failing a tag no registry can have, on a mirror too', async () => {
    const ns = await newNamespace(c.k, 'nosuch');
    await c.k.ok(['-n', ns, 'run', 'future', '--image=nginx:1.999']);
    await c.k.ok(['-n', ns, 'run', 'mirror', '--image=public.ecr.aws/docker/library/redis:99.1']);
    c.advance(4);
    expect(await status(ns, 'future')).toBe('ImagePullBackOff');
    expect(await status(ns, 'mirror')).toBe('ImagePullBackOff');
    expect(await c.k.ok(['-n', ns, 'describe', 'pod', 'mirror'])).toMatch(/Failed to pull image "public\.ecr\.aws\/docker\/library\/redis:99\.1": .*public\.ecr\.aws\/docker\/library\/redis:99\.1: not found/);
  });

  it('stops haproxy at once without a configuration, and runs it with one mounted', async () => {
    const ns = await newNamespace(c.k, 'haproxy');
    await c.k.ok(['-n', ns, 'run', 'bare', '--image=haproxy:3.2']);
    await c.k.ok(['-n', ns, 'create', 'configmap', 'cfg', '--from-literal=haproxy.cfg=frontend web\n  bind *:8080\n  default_backend none\nbackend none\n']);
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'configured' },
        spec: {
          containers: [{ name: 'haproxy', image: 'haproxy:3.2', volumeMounts: [{ name: 'cfg', mountPath: '/usr/local/etc/haproxy' }] }],
          volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
        },
      }),
    });
    c.advance(15);
    expect(await status(ns, 'bare')).toBe('CrashLoopBackOff');
    expect(await c.k.ok(['-n', ns, 'logs', 'bare'])).toMatch(/\[ALERT\] .*Cannot open configuration file\/directory \/usr\/local\/etc\/haproxy\/haproxy\.cfg : No such file or directory/);
    expect(await status(ns, 'configured')).toBe('Running');
  });

  it('runs a command to completion and keeps its output for kubectl logs', async () => {
    const ns = await newNamespace(c.k, 'done');
    await c.k.ok(['-n', ns, 'run', 'hello', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo hello from the pod; sleep 2; echo bye']);
    c.advance(2);
    expect(await c.k.ok(['-n', ns, 'logs', 'hello'])).toBe('hello from the pod\n');
    c.advance(4);
    expect(await status(ns, 'hello')).toBe('Completed');
    expect(await c.k.ok(['-n', ns, 'logs', 'hello'])).toBe('hello from the pod\nbye\n');
    expect(await c.k.ok(['-n', ns, 'logs', 'hello', '--tail=1'])).toBe('bye\n');
    expect(await c.k.ok(['-n', ns, 'logs', 'hello', '--timestamps'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z hello from the pod\n\S+Z bye\n$/);
    expect(await c.k.ok(['-n', ns, 'get', 'pod', 'hello', '-o', 'jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}'])).toBe('Succeeded Completed 0');
  });

  it('restarts a failing container with a growing back-off: Error, then CrashLoopBackOff', async () => {
    const ns = await newNamespace(c.k, 'crash');
    await c.k.ok(['-n', ns, 'run', 'crashy', '--image=busybox', '--', 'sh', '-c', 'echo starting; exit 1']);
    c.advance(5);
    expect(await status(ns, 'crashy')).toMatch(/^(Error|CrashLoopBackOff)$/);
    c.advance(60);
    expect(await status(ns, 'crashy')).toBe('CrashLoopBackOff');
    expect(Number((await restarts(ns, 'crashy'))!.split(' ')[0])).toBeGreaterThanOrEqual(3);
    const pod = JSON.parse(await c.k.ok(['-n', ns, 'get', 'pod', 'crashy', '-o', 'json']));
    const cs = pod.status.containerStatuses[0];
    expect(cs.state.waiting.reason).toBe('CrashLoopBackOff');
    expect(cs.state.waiting.message).toMatch(new RegExp(`^back-off \\d+s restarting failed container=crashy pod=crashy_${ns}\\(${pod.metadata.uid}\\)$`));
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(await c.k.ok(['-n', ns, 'logs', 'crashy'])).toBe('starting\n');
    expect(await c.k.ok(['-n', ns, 'logs', 'crashy', '--previous'])).toBe('starting\n');
    const describe = await c.k.ok(['-n', ns, 'describe', 'pod', 'crashy']);
    expect(describe).toMatch(/Warning\s+BackOff\s+.*Back-off restarting failed container crashy in pod crashy_/);
    // Said again at each sync while it waits (about every 10 s), not once per restart.
    const backOffs = Number(/BackOff\s+\S+ \(x(\d+) over/.exec(describe)?.[1]);
    const pulls = Number(/Pulling\s+\S+ \(x(\d+) over/.exec(describe)?.[1]);
    expect(backOffs).toBeGreaterThanOrEqual(5);
    expect(backOffs).toBeGreaterThan(pulls);
  });

  it('backs off a container that cannot start as after any crash, reporting StartError, RunContainerError then CrashLoopBackOff', async () => {
    const ns = await newNamespace(c.k, 'starterr');
    await c.k.ok(['-n', ns, 'run', 'typo', '--image=busybox:1.36', '--command', '--', 'sleeep', '3600']);
    await c.k.ok(['-n', ns, 'run', 'cwd', '--image=busybox:1.36', '--overrides={"spec":{"containers":[{"name":"cwd","image":"busybox:1.36","command":["sleep","3600"],"workingDir":"/etc/passwd"}]}}']);
    c.advance(2);
    expect(await status(ns, 'cwd')).toMatch(/^(RunContainerError|CrashLoopBackOff)$/);
    // Tries at 0, 0, 10, 30 and 70 s: a handful in three minutes, not one every moment.
    c.advance(180);
    for (const [name, why] of [
      ['typo', 'exec: "sleeep": executable file not found in $PATH'],
      ['cwd', 'error during container init: chdir to cwd ("/etc/passwd") set in config.json failed: not a directory'],
    ]) {
      const cs = json(await c.k.ok(['-n', ns, 'get', 'pod', name, '-o', 'json'])).status.containerStatuses[0];
      expect(cs.state.waiting.reason).toBe('CrashLoopBackOff');
      expect(cs.restartCount).toBeGreaterThanOrEqual(3);
      expect(cs.restartCount).toBeLessThanOrEqual(6);
      expect(cs.lastState.terminated).toMatchObject({ reason: 'StartError', exitCode: 128, startedAt: '1970-01-01T00:00:00Z' });
      expect(cs.lastState.terminated.message).toBe(`failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${why}: unknown`);
    }
    expect(await c.k.ok(['-n', ns, 'describe', 'pod', 'cwd'])).toMatch(/Warning\s+BackOff\s+.*Back-off restarting failed container cwd in pod cwd_/);
  });

  it('does not start a container whose config map is missing, and starts it once it exists', async () => {
    const ns = await newNamespace(c.k, 'config');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: app
    image: nginx
    env:
    - name: COLOR
      valueFrom: {configMapKeyRef: {name: settings, key: color}}
`,
    });
    c.advance(15);
    expect(await status(ns, 'app')).toBe('CreateContainerConfigError');
    // The kubelet tries again every 10 s or so, and says so each time.
    expect(await c.k.ok(['-n', ns, 'describe', 'pod', 'app'])).toMatch(/Warning\s+Failed\s+.*\(x2 over .*\)\s+kubelet\s+Error: configmap "settings" not found/);
    const created = Date.parse(json(await c.k.ok(['-n', ns, 'create', 'configmap', 'settings', '--from-literal=color=blue', '-o', 'json'])).metadata.creationTimestamp);
    // The next try finds it, and the container starts then, not in the past.
    c.advance(15);
    expect(await status(ns, 'app')).toBe('Running');
    const started = await c.k.ok(['-n', ns, 'get', 'pod', 'app', '-o', 'jsonpath={.status.containerStatuses[0].state.running.startedAt}']);
    expect(Date.parse(started)).toBeGreaterThanOrEqual(created);
  });

  it('replaces a running container whose image is changed, pulling the new image', async () => {
    const ns = await newNamespace(c.k, 'setimage');
    await c.k.ok(['-n', ns, 'run', 'web', '--image=nginx:1.27']);
    c.advance(10);
    await c.k.ok(['-n', ns, 'set', 'image', 'pod/web', 'web=nginx:1.26']);
    c.advance(10);
    const describe = await c.k.ok(['-n', ns, 'describe', 'pod', 'web']);
    expect(describe).toMatch(/Normal\s+Killing\s+.*Container web definition changed, will be restarted/);
    expect(describe).toMatch(/Normal\s+Pulling\s+.*Pulling image "nginx:1\.26"/);
    expect(describe).toMatch(/Normal\s+Pulled\s+.*Successfully pulled image "nginx:1\.26" in /);
    const cs = json(await c.k.ok(['-n', ns, 'get', 'pod', 'web', '-o', 'json'])).status.containerStatuses[0];
    expect(cs).toMatchObject({ image: 'docker.io/library/nginx:1.26', restartCount: 1, state: { running: {} } });
    // nginx stops on SIGTERM with exit 0.
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('says the 5 minute back-off it waits out, also while it pulls the image for the restart', async () => {
    const ns = await newNamespace(c.k, 'cap');
    await c.k.ok(['-n', ns, 'run', 'crashy', '--image=busybox', '--', 'sh', '-c', 'exit 1']);
    // Restarts after 0, 10, 20, 40, 80, 160 and 300 s: the 300 s wait ends about 619 s in.
    c.advance(600);
    const said = new Set<string>();
    for (let t = 0; t < 30; t++) {
      c.advance(1);
      said.add(await c.k.ok(['-n', ns, 'get', 'pod', 'crashy', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}']));
    }
    expect([...said].map((m) => m.replace(/ restarting .*/, ''))).toEqual(['back-off 5m0s']);
  });
});

describe('deletion', () => {
  it('keeps a pod Terminating through its grace period, and a server stops at once', async () => {
    const ns = await newNamespace(c.k, 'grace');
    await c.k.ok(['-n', ns, 'run', 'sleeper', '--image=busybox', '--', 'sleep', '3600']);
    await c.k.ok(['-n', ns, 'run', 'web', '--image=nginx']);
    c.advance(10);
    await c.k.ok(['-n', ns, 'delete', 'pod', 'sleeper', 'web', '--wait=false']);
    expect(await status(ns, 'sleeper')).toBe('Terminating');
    c.advance(2);
    // nginx handles SIGTERM; a shell's sleep as PID 1 does not, so it is killed after 30 s.
    expect(lines(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'name']))).toEqual(['pod/sleeper']);
    c.advance(30);
    expect(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'name'])).toBe('');
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=Killing', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}'])).toMatch(/^Stopping container sleeper$/m);
  });

  it('keeps a two-container pod Terminating until its last container has stopped, not its first', async () => {
    const ns = await newNamespace(c.k, 'pair');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'pair' },
        spec: { containers: [{ name: 'web', image: 'nginx' }, { name: 'sleeper', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }] },
      }),
    });
    c.advance(10);
    await c.k.ok(['-n', ns, 'delete', 'pod', 'pair', '--wait=false']);
    // nginx is gone in a moment; the shell ignores SIGTERM and has its 30 s.
    c.advance(5);
    expect(await status(ns, 'pair')).toBe('Terminating');
    c.advance(30);
    expect(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'name'])).toBe('');
  });
});

describe('the downward API', () => {
  it('gives a container its CPU and memory in the divisor\'s units, in env and in a downwardAPI volume, and the node\'s allocatable for a limit it does not set', async () => {
    const ns = await newNamespace(c.k, 'downward');
    const ref = (resource: string, divisor: string) => ({ containerName: 'app', resource, divisor });
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'sizes' },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'busybox',
              command: ['sh', '-c', 'echo "env $CPU_M $CPU $MEM_MI"; for f in /info/*; do echo "$f $(cat $f)"; done; sleep 3600'],
              resources: { limits: { cpu: '100m', memory: '64Mi' } },
              env: [
                { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
                { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
                { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              ],
              volumeMounts: [{ name: 'info', mountPath: '/info' }],
            },
            { name: 'side', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '50m' } } },
          ],
          volumes: [
            {
              name: 'info',
              downwardAPI: {
                items: [
                  { path: 'cpu_m', resourceFieldRef: ref('limits.cpu', '1m') },
                  { path: 'mem_mi', resourceFieldRef: ref('requests.memory', '1Mi') },
                  { path: 'side_cpu_m', resourceFieldRef: { containerName: 'side', resource: 'limits.cpu', divisor: '1m' } },
                ],
              },
            },
          ],
        },
      }),
    });
    c.advance(10);
    const node = await c.k.ok(['-n', ns, 'get', 'pod', 'sizes', '-o', 'jsonpath={.spec.nodeName}']);
    const cpu = await c.k.ok(['get', 'node', node, '-o', 'jsonpath={.status.allocatable.cpu}']);
    const nodeMillicores = /m$/.test(cpu) ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
    expect(await c.k.ok(['-n', ns, 'logs', 'sizes', '-c', 'app'])).toBe(`env 100 1 64\n/info/cpu_m 100\n/info/mem_mi 64\n/info/side_cpu_m ${nodeMillicores}\n`);
  });

  it('refuses a divisor the resource cannot be counted in, in the apiserver\'s words', async () => {
    const ns = await newNamespace(c.k, 'divisor');
    const pod = (resource: string, divisor: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'odd' },
        spec: { containers: [{ name: 'app', image: 'busybox', env: [{ name: 'X', valueFrom: { resourceFieldRef: { resource, divisor } } }] }] },
      });
    expectFailure(
      await c.k.run(['-n', ns, 'apply', '-f', '-'], { input: pod('limits.cpu', '2') }),
      `The Pod "odd" is invalid: spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor's values 1m and 1 are supported with the cpu resource`,
    );
    expectFailure(
      await c.k.run(['-n', ns, 'apply', '-f', '-'], { input: pod('requests.memory', '1m') }),
      `The Pod "odd" is invalid: spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "requests.memory": only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource`,
    );
    // 1000m is 1: the divisor is compared in its canonical form.
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: pod('limits.cpu', '1000m') });
  });
});

describe('metrics', () => {
  it('answers kubectl top for nodes and for the pods of a namespace', async () => {
    const ns = await newNamespace(c.k, 'top');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    c.advance(10);
    const nodes = await c.k.ok(['top', 'nodes']);
    expect(lines(nodes)[0]).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*$/);
    expect(nodes).toMatch(/^kubedojo-control-plane\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m);
    const pods = lines(await c.k.ok(['top', 'pods', '-n', ns]));
    expect(pods[0]).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$/);
    expect(pods.slice(1)).toEqual([expect.stringMatching(/^web-\S+\s+\d+m\s+\d+Mi\s*$/), expect.stringMatching(/^web-\S+\s+\d+m\s+\d+Mi\s*$/)]);
  });
});
