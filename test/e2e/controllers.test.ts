// The workload controllers as a learner meets them, with the real kubectl on a clock the test
// steps: a DaemonSet follows the nodes, a StatefulSet starts and stops in order, Jobs run to
// completion or give up, CronJobs fire at their minute, and an autoscaler follows the load.
import { describe, expect, it, vi } from 'vitest';
import { json, lines, newNamespace, table, useCluster, workload } from './support.js';

// Minutes of cluster time pass in these tests (cron minutes, back-offs, the autoscaler's window).
vi.setConfig({ testTimeout: 180_000 });

const c = useCluster();

const names = async (ns: string, what = 'pods', selector?: string) =>
  lines(await c.k.ok(['-n', ns, 'get', what, '-o', 'name', ...(selector ? ['-l', selector] : [])])).map((l) => l.replace(/^[^/]+\//, ''));

function daemonSet(name: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
${extra}      containers:
      - name: agent
        image: busybox
        command: [sleep, infinity]
`;
}

describe('a daemonset', () => {
  it('runs one pod on each worker, follows a new node, and stays off a tainted one', async () => {
    const ns = await newNamespace(c.k, 'ds');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: daemonSet('agent') });
    c.advance(10);
    const pods = json(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'json'])).items;
    expect(pods.map((p: any) => p.spec.nodeName).sort()).toEqual(['kubedojo-worker', 'kubedojo-worker2']);
    // Each pod is pinned to its node by a matchFields affinity, as the real controller writes it.
    expect(pods[0].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]).toEqual({ key: 'metadata.name', operator: 'In', values: [pods[0].spec.nodeName] });
    expect(pods[0].spec.tolerations).toEqual(expect.arrayContaining([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }]));
    const ds = await c.k.ok(['-n', ns, 'get', 'ds', 'agent']);
    expect(lines(ds)[1]).toMatch(/^agent\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\d+s$/);
    expect(await c.k.ok(['-n', ns, 'rollout', 'status', 'ds/agent'])).toBe('daemon set "agent" successfully rolled out\n');

    await c.k.ok(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${ns}-extra\n  labels: {kubernetes.io/hostname: ${ns}-extra}\n` });
    await c.k.ok(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${ns}-tainted\nspec:\n  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]\n` });
    try {
      c.advance(5);
      const nodes = json(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'json'])).items.map((p: any) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]);
      expect(nodes.sort()).toEqual([`${ns}-extra`, 'kubedojo-worker', 'kubedojo-worker2']);
      expect(await c.k.ok(['-n', ns, 'get', 'ds', 'agent', '-o', 'jsonpath={.status.desiredNumberScheduled}'])).toBe('3');
    } finally {
      await c.k.ok(['delete', 'node', `${ns}-extra`, `${ns}-tainted`]);
    }
    c.advance(5);
    expect(await c.k.ok(['-n', ns, 'get', 'ds', 'agent', '-o', 'jsonpath={.status.desiredNumberScheduled}'])).toBe('2');
    expect(await names(ns)).toHaveLength(2);
  });

  it('reaches the control-plane node only when its taint is tolerated, and follows node labels', async () => {
    const ns = await newNamespace(c.k, 'dscp');
    const tolerate = `      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n      nodeSelector: {disk: ssd}\n`;
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: daemonSet('picky', tolerate) });
    c.advance(5);
    expect(await names(ns)).toEqual([]);
    await c.k.ok(['label', 'node', 'kubedojo-control-plane', 'kubedojo-worker', 'disk=ssd']);
    try {
      c.advance(10);
      const pods = json(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'json'])).items;
      expect(pods.map((p: any) => p.spec.nodeName).sort()).toEqual(['kubedojo-control-plane', 'kubedojo-worker']);
    } finally {
      await c.k.ok(['label', 'node', 'kubedojo-control-plane', 'kubedojo-worker', 'disk-']);
    }
    c.advance(40);
    expect(await names(ns)).toEqual([]);
  });

  it('rolls out a new template node by node and keeps its history for undo', async () => {
    const ns = await newNamespace(c.k, 'dsroll');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: daemonSet('agent') });
    c.advance(10);
    await c.k.ok(['-n', ns, 'set', 'image', 'ds/agent', 'agent=busybox:1.36']);
    const status = await c.ticking(() => c.k.ok(['-n', ns, 'rollout', 'status', 'ds/agent', '--timeout=60s']));
    expect(status.endsWith('daemon set "agent" successfully rolled out\n')).toBe(true);
    const images = (await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ');
    expect(images).toEqual(['busybox:1.36', 'busybox:1.36']);
    const history = lines(await c.k.ok(['-n', ns, 'rollout', 'history', 'ds/agent']));
    expect(history.slice(1)).toEqual([expect.stringMatching(/^REVISION\s+CHANGE-CAUSE$/), expect.stringMatching(/^1\s+<none>$/), expect.stringMatching(/^2\s+<none>$/)]);
    expect(table(await c.k.ok(['-n', ns, 'get', 'controllerrevisions'])).rows.map((r) => r.slice(1, 3))).toEqual(expect.arrayContaining([['daemonset.apps/agent', '1'], ['daemonset.apps/agent', '2']]));
    expect(await c.k.ok(['-n', ns, 'rollout', 'undo', 'ds/agent'])).toBe('daemonset.apps/agent rolled back\n');
    await c.ticking(() => c.k.ok(['-n', ns, 'rollout', 'status', 'ds/agent', '--timeout=60s']));
    expect((await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ')).toEqual(['busybox', 'busybox']);
  });

  it('takes its pods with it when deleted, and leaves them with --cascade=orphan', async () => {
    const ns = await newNamespace(c.k, 'dsgc');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: daemonSet('a') + '---\n' + daemonSet('b') });
    c.advance(10);
    await c.k.ok(['-n', ns, 'delete', 'ds', 'b', '--cascade=orphan']);
    await c.ticking(() => c.k.ok(['-n', ns, 'delete', 'ds', 'a']));
    c.advance(40);
    const left = await names(ns);
    expect(left).toHaveLength(2);
    for (const n of left) expect(n).toMatch(/^b-/);
  });
});

function job(name: string, spec: string, command: string, restartPolicy = 'Never'): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}  template:
    spec:
      restartPolicy: ${restartPolicy}
      containers:
      - name: work
        image: busybox
        command: [sh, -c, '${command}']
`;
}

const jobRow = async (ns: string, name: string) => table(await c.k.ok(['-n', ns, 'get', 'job', name])).rows[0];

describe('a job', () => {
  it('runs its completions, parallelism at a time, and is Complete', async () => {
    const ns = await newNamespace(c.k, 'job');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: job('batch', '  completions: 4\n  parallelism: 2\n', 'echo working; sleep 5; echo done') });
    c.advance(1);
    expect(await names(ns)).toHaveLength(2);
    expect((await jobRow(ns, 'batch')).slice(1, 3)).toEqual(['Running', '0/4']);
    const pod = json(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'json'])).items[0];
    expect(pod.metadata.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'batch', 'job-name': 'batch' });
    expect(pod.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: 'Job', name: 'batch', controller: true, blockOwnerDeletion: true });
    c.advance(10);
    expect(await names(ns)).toHaveLength(4);
    expect((await jobRow(ns, 'batch')).slice(1, 3)).toEqual(['Running', '2/4']);
    const wait = await c.ticking(() => c.k.ok(['-n', ns, 'wait', '--for=condition=complete', 'job/batch', '--timeout=60s']));
    expect(wait).toBe('job.batch/batch condition met\n');
    const row = await jobRow(ns, 'batch');
    expect(row.slice(0, 3)).toEqual(['batch', 'Complete', '4/4']);
    expect(row[3]).toMatch(/^\d+s$/);
    const pods = table(await c.k.ok(['-n', ns, 'get', 'pods'])).rows;
    expect(pods.map((r) => r[2])).toEqual(['Completed', 'Completed', 'Completed', 'Completed']);
    expect(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.finalizers}'])).toBe('');
    expect(await c.k.ok(['-n', ns, 'logs', 'job/batch'])).toBe('working\ndone\n');
    const conditions = json(await c.k.ok(['-n', ns, 'get', 'job', 'batch', '-o', 'json'])).status.conditions.map((x: any) => `${x.type}:${x.reason}`);
    expect(conditions).toEqual(['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached']);
    const events = await c.k.ok(['-n', ns, 'describe', 'job', 'batch']);
    expect(events).toMatch(/Normal\s+SuccessfulCreate\s+.*job-controller\s+Created pod: batch-\S+/);
    expect(events).toMatch(/Normal\s+Completed\s+.*job-controller\s+Job completed/);
  });

  it('gives up after backoffLimit failures, waiting longer after each one', async () => {
    const ns = await newNamespace(c.k, 'jobfail');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: job('flaky', '  backoffLimit: 2\n', 'echo oops; exit 1') });
    c.advance(5);
    expect(await names(ns)).toHaveLength(1);
    // The first replacement waits 10 s after the failure, the next 20 s.
    c.advance(9);
    expect(await names(ns)).toHaveLength(2);
    c.advance(15);
    expect(await names(ns)).toHaveLength(2);
    c.advance(10);
    expect(await names(ns)).toHaveLength(3);
    c.advance(10);
    expect((await jobRow(ns, 'flaky')).slice(1, 3)).toEqual(['Failed', '0/1']);
    const status = json(await c.k.ok(['-n', ns, 'get', 'job', 'flaky', '-o', 'json'])).status;
    expect(status.failed).toBe(3);
    expect(status.conditions.find((x: any) => x.type === 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(await c.k.ok(['-n', ns, 'describe', 'job', 'flaky'])).toMatch(/Warning\s+BackoffLimitExceeded\s+.*job-controller\s+Job has reached the specified backoff limit/);
    c.advance(600);
    expect(await names(ns)).toHaveLength(3);
  });

  it('counts container restarts against backoffLimit with restartPolicy OnFailure', async () => {
    const ns = await newNamespace(c.k, 'jobrestart');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: job('crashy', '  backoffLimit: 2\n', 'exit 3', 'OnFailure') });
    await c.ticking(() => c.k.ok(['-n', ns, 'wait', '--for=condition=failed', 'job/crashy', '--timeout=60s']));
    expect((await jobRow(ns, 'crashy'))[1]).toBe('Failed');
    expect(await names(ns)).toEqual([]);
  });

  it('fails with DeadlineExceeded when it runs past activeDeadlineSeconds, stopping its pods', async () => {
    const ns = await newNamespace(c.k, 'jobdeadline');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: job('slow', '  activeDeadlineSeconds: 20\n', 'sleep 3600') });
    c.advance(15);
    expect((await jobRow(ns, 'slow'))[1]).toBe('Running');
    c.advance(6);
    expect(await c.k.ok(['-n', ns, 'get', 'job', 'slow', '-o', 'jsonpath={.status.conditions[?(@.type=="FailureTarget")].reason}'])).toBe('DeadlineExceeded');
    c.advance(40);
    expect((await jobRow(ns, 'slow'))[1]).toBe('Failed');
    expect(await c.k.ok(['-n', ns, 'get', 'job', 'slow', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].message}'])).toBe('Job was active longer than specified deadline');
    expect(await names(ns)).toEqual([]);
  });

  it('gives each pod of an Indexed job its index', async () => {
    const ns = await newNamespace(c.k, 'jobindex');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: job('idx', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n', 'echo $JOB_COMPLETION_INDEX') });
    c.advance(1);
    const pods = json(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'json'])).items;
    expect(pods.map((p: any) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2']);
    for (const p of pods) {
      const i = p.metadata.annotations['batch.kubernetes.io/job-completion-index'];
      expect(p.metadata.name).toMatch(new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
      expect(p.spec.hostname).toBe(`idx-${i}`);
      expect(p.spec.containers[0].env).toContainEqual({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } });
    }
    c.advance(20);
    expect(await c.k.ok(['-n', ns, 'get', 'job', 'idx', '-o', 'jsonpath={.status.completedIndexes} {.status.succeeded}'])).toBe('0-2 3');
  });

  it('waits while suspended, and is deleted ttlSecondsAfterFinished after it finished', async () => {
    const ns = await newNamespace(c.k, 'jobttl');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: job('later', '  suspend: true\n  ttlSecondsAfterFinished: 30\n', 'echo hi') });
    c.advance(5);
    expect(await names(ns)).toEqual([]);
    expect(lines(await c.k.ok(['-n', ns, 'get', 'job', 'later']))[1]).toMatch(/^later\s+Suspended\s+0\/1\s+\d+s$/);
    await c.k.ok(['-n', ns, 'patch', 'job', 'later', '-p', '{"spec":{"suspend":false}}']);
    c.advance(10);
    expect((await jobRow(ns, 'later'))[1]).toBe('Complete');
    c.advance(15);
    expect(await names(ns, 'jobs')).toEqual(['later']);
    c.advance(20);
    expect(await names(ns, 'jobs')).toEqual([]);
    c.advance(40);
    expect(await names(ns)).toEqual([]);
  });

  it('takes its pods with it when deleted, and leaves them with --cascade=orphan', async () => {
    const ns = await newNamespace(c.k, 'jobgc');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: job('a', '', 'sleep 3600') + '---\n' + job('b', '', 'sleep 3600') });
    c.advance(5);
    await c.k.ok(['-n', ns, 'delete', 'job', 'b', '--cascade=orphan']);
    await c.ticking(() => c.k.ok(['-n', ns, 'delete', 'job', 'a']));
    c.advance(40);
    const left = await names(ns);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^b-/);
    expect(await c.k.ok(['-n', ns, 'get', 'pod', left[0], '-o', 'jsonpath={.metadata.finalizers}{.metadata.ownerReferences}'])).toBe('');
  });
});

const CLAIM_TEMPLATE = `  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;

const statefulSet = (name: string, replicas: number, spec = '', image = 'nginx', container = '') => workload('StatefulSet', name, { replicas, spec, image, container, tail: CLAIM_TEMPLATE });

describe('a statefulset', () => {
  it('starts its pods in order, each only once the one before is Ready, with a claim each', async () => {
    const ns = await newNamespace(c.k, 'sts');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: statefulSet('web', 3) });
    expect(await names(ns)).toEqual(['web-0']);
    c.advance(1);
    expect(await names(ns)).toEqual(['web-0']);
    await c.ticking(() => c.k.ok(['-n', ns, 'wait', '--for=condition=Ready', 'pod/web-0', '--timeout=60s']));
    c.advance(1);
    expect(await names(ns)).toContain('web-1');
    c.advance(15);
    expect(await names(ns)).toEqual(['web-0', 'web-1', 'web-2']);
    expect(lines(await c.k.ok(['-n', ns, 'get', 'sts', 'web']))[1]).toMatch(/^web\s+3\/3\s+\d+s$/);
    const pod = json(await c.k.ok(['-n', ns, 'get', 'pod', 'web-1', '-o', 'json']));
    expect(pod.spec.hostname).toBe('web-1');
    expect(pod.spec.subdomain).toBe('web');
    expect(pod.metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' });
    expect(pod.spec.volumes).toContainEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });
    expect(await names(ns, 'pvc')).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    expect(await c.k.ok(['-n', ns, 'rollout', 'status', 'sts/web'])).toBe('partitioned roll out complete: 3 new pods have been updated...\n');
    const events = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=SuccessfulCreate', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    expect(events).toMatch(/^create Pod web-0 in StatefulSet web successful$/m);
    expect(events).toMatch(/^create Claim www-web-0 Pod web-0 in StatefulSet web success$/m);
  });

  it('scales down from the highest ordinal, one at a time, keeping the claims', async () => {
    const ns = await newNamespace(c.k, 'stsdown');
    // A shell ignores SIGTERM, so each pod takes its grace period to go: the order shows.
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: statefulSet('db', 3, '', 'busybox', '        command: [sh, -c, "sleep 3600"]\n') });
    c.advance(60);
    expect(await names(ns)).toEqual(['db-0', 'db-1', 'db-2']);
    await c.k.ok(['-n', ns, 'scale', 'sts/db', '--replicas=1']);
    expect(json(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'json'])).items.filter((p: any) => p.metadata.deletionTimestamp).map((p: any) => p.metadata.name)).toEqual(['db-2']);
    c.advance(20);
    expect(await names(ns)).toEqual(['db-0', 'db-1', 'db-2']);
    c.advance(15);
    expect(await names(ns)).toEqual(['db-0', 'db-1']);
    expect(json(await c.k.ok(['-n', ns, 'get', 'pod', 'db-1', '-o', 'json'])).metadata.deletionTimestamp).toBeDefined();
    c.advance(35);
    expect(await names(ns)).toEqual(['db-0']);
    expect(await names(ns, 'pvc')).toEqual(['www-db-0', 'www-db-1', 'www-db-2']);
    const deleted = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=SuccessfulDelete', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    expect(lines(deleted)).toEqual(['delete Pod db-2 in StatefulSet db successful', 'delete Pod db-1 in StatefulSet db successful']);
  });

  it('starts all pods at once with podManagementPolicy Parallel', async () => {
    const ns = await newNamespace(c.k, 'stspar');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: statefulSet('par', 3, '  podManagementPolicy: Parallel\n') });
    expect(await names(ns)).toEqual(['par-0', 'par-1', 'par-2']);
  });

  it('rolls a new template out from the highest ordinal, honouring the partition', async () => {
    const ns = await newNamespace(c.k, 'stsroll');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: statefulSet('web', 3, '  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {partition: 1}\n') });
    c.advance(20);
    await c.k.ok(['-n', ns, 'set', 'image', 'sts/web', 'web=nginx:1.27']);
    c.advance(20);
    const image = async (pod: string) => c.k.ok(['-n', ns, 'get', 'pod', pod, '-o', 'jsonpath={.spec.containers[0].image}']);
    expect([await image('web-0'), await image('web-1'), await image('web-2')]).toEqual(['nginx', 'nginx:1.27', 'nginx:1.27']);
    expect(await c.k.ok(['-n', ns, 'rollout', 'status', 'sts/web'])).toBe('partitioned roll out complete: 2 new pods have been updated...\n');
    await c.k.ok(['-n', ns, 'patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
    const status = await c.ticking(() => c.k.ok(['-n', ns, 'rollout', 'status', 'sts/web', '--timeout=60s']));
    expect(status.endsWith('partitioned roll out complete: 3 new pods have been updated...\n')).toBe(true);
    expect(await image('web-0')).toBe('nginx:1.27');
    expect(lines(await c.k.ok(['-n', ns, 'rollout', 'history', 'sts/web'])).slice(2)).toEqual([expect.stringMatching(/^1\s+<none>$/), expect.stringMatching(/^2\s+<none>$/)]);
  });

  it('takes its pods with it when deleted, and leaves the claims', async () => {
    const ns = await newNamespace(c.k, 'stsgc');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: statefulSet('web', 2, '  podManagementPolicy: Parallel\n') });
    c.advance(20);
    await c.ticking(() => c.k.ok(['-n', ns, 'delete', 'sts', 'web']));
    c.advance(40);
    expect(await names(ns)).toEqual([]);
    expect(await names(ns, 'pvc')).toEqual(['www-web-0', 'www-web-1']);
  });
});

function cronJob(name: string, schedule: string, extra = '', command = 'echo tick'): string {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: '${schedule}'
${extra}  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: tick
            image: busybox
            command: [sh, -c, '${command}']
`;
}

/** Steps the clock to just past the start of the next minute. */
function toNextMinute(): void {
  const ms = 60_000 - (c.clock.now().getTime() % 60_000);
  c.clock.advance(ms + 500);
}

describe('a cronjob', () => {
  it('creates a Job at its minute, named for the scheduled time, and records it', async () => {
    const ns = await newNamespace(c.k, 'cron');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: cronJob('tick', '*/1 * * * *') });
    expect(await names(ns, 'jobs')).toEqual([]);
    toNextMinute();
    const minute = Math.floor(c.clock.now().getTime() / 60_000);
    expect(await names(ns, 'jobs')).toEqual([`tick-${minute}`]);
    const job = json(await c.k.ok(['-n', ns, 'get', 'job', `tick-${minute}`, '-o', 'json']));
    expect(job.metadata.ownerReferences[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    expect(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(new Date(minute * 60_000).toISOString().replace('.000', ''));
    const row = table(await c.k.ok(['-n', ns, 'get', 'cronjob', 'tick'])).rows[0];
    expect(row.slice(0, 5)).toEqual(['tick', '*/1 * * * *', '<none>', 'False', '1']);
    c.advance(20);
    expect(await c.k.ok(['-n', ns, 'get', 'cronjob', 'tick', '-o', 'jsonpath={.status.active}'])).toBe('');
    expect(await c.k.ok(['-n', ns, 'get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastSuccessfulTime}'])).not.toBe('');
    const events = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.kind=CronJob', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    expect(events).toContain(`SuccessfulCreate: Created job tick-${minute}\n`);
    expect(events).toContain(`SawCompletedJob: Saw completed job: tick-${minute}, condition: Complete\n`);
    expect(await c.k.ok(['-n', ns, 'logs', `job/tick-${minute}`])).toBe('tick\n');
  });

  it('keeps only successfulJobsHistoryLimit finished jobs, and starts none while suspended', async () => {
    const ns = await newNamespace(c.k, 'cronhist');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: cronJob('keep', '* * * * *', '  successfulJobsHistoryLimit: 2\n') });
    for (let i = 0; i < 4; i++) {
      toNextMinute();
      c.advance(10);
    }
    const jobs = await names(ns, 'jobs');
    expect(jobs).toHaveLength(2);
    const minute = Math.floor(c.clock.now().getTime() / 60_000);
    expect(jobs).toEqual([`keep-${minute - 1}`, `keep-${minute}`]);
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=SuccessfulDelete', '-o', 'jsonpath={.items[0].message}'])).toMatch(/^Deleted job keep-\d+$/);
    await c.k.ok(['-n', ns, 'patch', 'cronjob', 'keep', '-p', '{"spec":{"suspend":true}}']);
    toNextMinute();
    toNextMinute();
    expect(await names(ns, 'jobs')).toEqual(jobs);
    expect(table(await c.k.ok(['-n', ns, 'get', 'cronjob'])).rows[0][3]).toBe('True');
  });

  it('with concurrencyPolicy Forbid, skips a run while the last one is still going', async () => {
    const ns = await newNamespace(c.k, 'cronforbid');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: cronJob('slow', '* * * * *', '  concurrencyPolicy: Forbid\n', 'sleep 90') });
    toNextMinute();
    toNextMinute();
    expect(await names(ns, 'jobs')).toHaveLength(1);
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=JobAlreadyActive', '-o', 'jsonpath={.items[0].message}'])).toBe('Not starting job because prior execution is running and concurrency policy is Forbid');
  });

  it('with concurrencyPolicy Replace, replaces a run that is still going', async () => {
    const ns = await newNamespace(c.k, 'cronreplace');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: cronJob('slow', '* * * * *', '  concurrencyPolicy: Replace\n', 'sleep 90') });
    toNextMinute();
    const [first] = await names(ns, 'jobs');
    toNextMinute();
    const jobs = await names(ns, 'jobs');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).not.toBe(first);
  });

  it('lets kubectl create a job from it by hand, and takes its jobs with it when deleted', async () => {
    const ns = await newNamespace(c.k, 'cronmanual');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: cronJob('tick', '0 0 1 1 *') });
    expect(await c.k.ok(['-n', ns, 'create', 'job', 'by-hand', '--from=cronjob/tick'])).toBe('job.batch/by-hand created\n');
    c.advance(20);
    expect(table(await c.k.ok(['-n', ns, 'get', 'job', 'by-hand'])).rows[0][1]).toBe('Complete');
    expect(await c.k.ok(['-n', ns, 'logs', 'job/by-hand'])).toBe('tick\n');
    await c.k.ok(['-n', ns, 'delete', 'cronjob', 'tick']);
    c.advance(5);
    expect(await names(ns, 'jobs')).toEqual([]);
    expect(await names(ns)).toEqual([]);
  });
});

const loadDeployment = (name: string, command: string, requests = 'requests: {cpu: 100m}') =>
  workload('Deployment', name, { containerName: 'load', image: 'polinux/stress', container: `        command: [sh, -c, '${command}']\n        resources:\n          ${requests}\n` });

describe('a horizontal pod autoscaler', () => {
  it('scales a busy deployment up, and back down once the load is gone and the window has passed', async () => {
    const ns = await newNamespace(c.k, 'hpa');
    // One CPU of load for two minutes against a request of 100m, then idle.
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: loadDeployment('busy', 'stress --cpu 1 --timeout 120; sleep 3600') });
    c.advance(5);
    expect(await c.k.ok(['-n', ns, 'autoscale', 'deploy', 'busy', '--cpu-percent=50', '--min=1', '--max=4'])).toBe('horizontalpodautoscaler.autoscaling/busy autoscaled\n');
    c.advance(1);
    const first = table(await c.k.ok(['-n', ns, 'get', 'hpa'])).rows[0];
    expect(first.slice(0, 2)).toEqual(['busy', 'Deployment/busy']);
    expect(first[2]).toMatch(/^cpu: \d+%\/50%$/);
    expect(Number(/(\d+)%\//.exec(first[2])![1])).toBeGreaterThan(500);
    c.advance(30);
    expect(lines(await c.k.ok(['-n', ns, 'get', 'deploy', 'busy']))[1]).toMatch(/^busy\s+\d\/4\s/);
    const rescale = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=SuccessfulRescale', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    // The default behaviour allows four more pods per 15 s: one step to the maximum.
    expect(rescale).toMatch(/^New size: 4; reason: cpu resource utilization \(percentage of request\) above target$/m);
    const status = json(await c.k.ok(['-n', ns, 'get', 'hpa', 'busy', '-o', 'json'])).status;
    expect(status.conditions.map((x: any) => `${x.type}=${x.status}`)).toEqual(['AbleToScale=True', 'ScalingActive=True', 'ScalingLimited=True']);
    expect(status.conditions[2].reason).toBe('TooManyReplicas');
    // The load stops; the autoscaler waits out its five-minute window before it scales down.
    c.advance(150);
    expect(await c.k.ok(['-n', ns, 'get', 'deploy', 'busy', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
    expect(await c.k.ok(['-n', ns, 'get', 'hpa', 'busy', '-o', 'jsonpath={.status.conditions[0].reason}'])).toBe('ScaleDownStabilized');
    c.advance(330);
    expect(await c.k.ok(['-n', ns, 'get', 'deploy', 'busy', '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
    expect(await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=SuccessfulRescale', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}'])).toMatch(/^New size: 1; reason: All metrics below target$/m);
  });

  it('scales php-apache under the walkthrough\'s wget load generator', async () => {
    const ns = await newNamespace(c.k, 'walk');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'php-apache', '--image=registry.k8s.io/hpa-example']);
    await c.k.ok(['-n', ns, 'set', 'resources', 'deployment', 'php-apache', '--requests=cpu=200m', '--limits=cpu=500m']);
    await c.k.ok(['-n', ns, 'expose', 'deployment', 'php-apache', '--port=80']);
    await c.k.ok(['-n', ns, 'autoscale', 'deployment', 'php-apache', '--cpu-percent=50', '--min=1', '--max=10']);
    c.advance(30);
    expect(await c.k.ok(['-n', ns, 'get', 'hpa', 'php-apache', '-o', 'jsonpath={.status.currentReplicas}'])).toBe('1');
    await c.k.ok(['-n', ns, 'run', 'load-generator', '--image=busybox:1.28', '--restart=Never', '--', '/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done']);
    c.advance(90);
    const replicas = Number(await c.k.ok(['-n', ns, 'get', 'deploy', 'php-apache', '-o', 'jsonpath={.spec.replicas}']));
    expect(replicas).toBeGreaterThan(1);
    expect(await c.k.ok(['-n', ns, 'logs', 'load-generator'])).toMatch(/^(OK!){5000,}/);
  });

  it('shows <unknown> and says why when the pods request no CPU', async () => {
    const ns = await newNamespace(c.k, 'hpanoreq');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: loadDeployment('plain', 'sleep 3600', 'requests: {memory: 10Mi}') });
    c.advance(5);
    await c.k.ok(['-n', ns, 'autoscale', 'deploy', 'plain', '--cpu-percent=50', '--max=3']);
    c.advance(1);
    expect(table(await c.k.ok(['-n', ns, 'get', 'hpa'])).rows[0][2]).toBe('cpu: <unknown>/50%');
    const describe = await c.k.ok(['-n', ns, 'describe', 'hpa', 'plain']);
    expect(describe).toMatch(/Warning\s+FailedGetResourceMetric\s+.*horizontal-pod-autoscaler\s+failed to get cpu utilization: missing request for cpu in container load of Pod plain-\S+/);
    expect(describe).toMatch(/ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu/);
  });
});
