// Job: pods that run to completion. Active pods are kept at min(parallelism, what is still to
// do); each finished pod is counted exactly once through the job-tracking finalizer and
// status.uncountedTerminatedPods; failures wait an exponential back-off before a replacement, and
// the Job ends Complete when enough pods succeeded, or Failed past backoffLimit or
// activeDeadlineSeconds. Finished Jobs go after ttlSecondsAfterFinished, as the TTL-after-finished
// controller deletes them (pkg/controller/job: job_controller.go, backoff_utils.go,
// indexed_job_utils.go; pkg/controller/ttlafterfinished).
import { rfc3339 } from '../clock.js';
import { ApiError } from '../errors.js';
import { copyJson } from '../own.js';
import { JOB_NAME_LABEL } from '../kinds/job.js';
import type { Job, JobCondition, JobSpec, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KindDef, KObject, Stored } from '../kinds/types.js';
import { selectorFromLabelSelector } from '../selectors.js';
import type { Controller, ControllerContext } from './manager.js';
import { podChangeMatters } from './pod-change.js';
import { keyOf, splitKey } from './manager.js';
import { controllerOf, deleteIfPresent, isPodReady, kind, mutate, podFromTemplate, writeStatus } from './util.js';

const JOBS = 'batch/jobs';
const PODS = '/pods';
const SOURCE = { component: 'job-controller' };
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;
/** A key for a pod whose Job is gone: only its tracking finalizer is left to remove. */
const ORPHAN = 'pod:';

// ---------------------------------------------------------------- pure helpers

const phaseOf = (p: Stored<Pod>): string | undefined => p.status?.phase;
const isFinished = (p: Stored<Pod>) => phaseOf(p) === 'Succeeded' || phaseOf(p) === 'Failed';
/** A pod the Job still waits for: neither finished nor being deleted. */
const isActive = (p: Stored<Pod>) => !isFinished(p) && !p.metadata.deletionTimestamp;
/** A pod that will not succeed any more: failed, or deleted before it finished (counted as failed). */
const hasFailed = (p: Stored<Pod>) => phaseOf(p) === 'Failed' || (!!p.metadata.deletionTimestamp && phaseOf(p) !== 'Succeeded' && !stoppingOnNode(p));
/** Deleted, and its kubelet is still stopping it: it is counted once it has stopped. */
const stoppingOnNode = (p: Stored<Pod>) => !!p.metadata.deletionTimestamp && !!p.spec?.nodeName && !isFinished(p);

export function conditionTrue(job: Stored<Job>, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

export function isJobFinished(job: Stored<Job>): boolean {
  return conditionTrue(job, 'Complete') || conditionTrue(job, 'Failed');
}

/** When a pod finished: its last container's finishedAt, else its deletion or creation time. */
function finishedAt(p: Stored<Pod>): number {
  let t = 0;
  for (const s of p.status?.containerStatuses ?? []) {
    const at = Date.parse(s.state?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(at)) t = Math.max(t, at);
  }
  return t || Date.parse(p.metadata.deletionTimestamp ?? p.metadata.creationTimestamp ?? '') || 0;
}

/**
 * The wait before the next pod after failures (backoff_utils.go): 10 s doubling per failure since
 * the last success, at most 6 minutes, counted from the last failure.
 */
export function backoffRemaining(pods: Stored<Pod>[], now: number): number {
  const done = pods.filter((p) => isFinished(p)).sort((a, b) => finishedAt(a) - finishedAt(b));
  let failures = 0;
  let last = 0;
  for (const p of done) {
    if (phaseOf(p) === 'Succeeded') failures = 0;
    else {
      failures++;
      last = finishedAt(p);
    }
  }
  if (!failures) return 0;
  const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
  return Math.max(0, last + delay - now);
}

/** With restartPolicy OnFailure, container restarts of live pods count against backoffLimit. */
export function pastBackoffLimitOnFailure(job: Stored<Job>, pods: Stored<Pod>[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (isFinished(p)) continue;
    const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
    for (const s of statuses) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** "0-2,5": the compressed list of indexes in status.completedIndexes. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return parts.join(',');
}

export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.add(i);
  }
  return out;
}

const indexOf = (p: KObject): number | undefined => {
  const v = p.metadata.annotations?.[COMPLETION_INDEX];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
};

function condition(type: string, reason: string, message: string, now: string, status = 'True'): JobCondition {
  return { type, status, reason, message, lastProbeTime: now, lastTransitionTime: now };
}

function withCondition(conditions: JobCondition[], next: JobCondition): JobCondition[] {
  const i = conditions.findIndex((c) => c.type === next.type);
  if (i < 0) return [...conditions, next];
  const old = conditions[i];
  if (old.status === next.status && old.reason === next.reason) return conditions;
  const list = [...conditions];
  list[i] = next;
  return list;
}

// ---------------------------------------------------------------- the controller

function jobKeysForPod(pod: KObject | undefined, ctx: ControllerContext): string[] {
  if (!pod) return [];
  const ref = controllerOf(pod);
  if (ref?.kind === 'Job') {
    const job = ctx.cluster.store.get(JOBS, pod.metadata.namespace, ref.name);
    if (job && job.metadata.uid === ref.uid) return [`${pod.metadata.namespace}/${ref.name}`];
  }
  // A pod whose Job is gone (or that was orphaned) still carries the finalizer that tracked it.
  return pod.metadata.finalizers?.includes(TRACKING_FINALIZER) ? [`${ORPHAN}${keyOf(pod)}`] : [];
}

export const jobController: Controller = {
  name: 'job-controller',
  watches: [
    { resource: JOBS, keys: (e) => [keyOf(e.object)] },
    { resource: PODS, keys: (e, ctx) => (podChangeMatters(e) ? new Set([...jobKeysForPod(e.object, ctx), ...jobKeysForPod(e.previous, ctx)]) : []) },
  ],
  initialKeys: (ctx) => [
    ...ctx.cluster.store.list(JOBS).map(keyOf),
    ...ctx.cluster.store
      .list(PODS)
      .filter((p) => p.metadata.finalizers?.includes(TRACKING_FINALIZER))
      .flatMap((p) => jobKeysForPod(p, ctx)),
  ],
  reconcile(key, ctx) {
    if (key.startsWith(ORPHAN)) return releaseOrphan(key.slice(ORPHAN.length), ctx);
    const [ns, name] = splitKey(key);
    const job = ctx.cluster.store.get(JOBS, ns, name);
    if (!job) return;
    syncJob(job, ctx);
  },
};

function releaseOrphan(key: string, ctx: ControllerContext): void {
  const [ns, name] = splitKey(key);
  const pod = ctx.cluster.store.get(PODS, ns, name);
  if (!pod || !pod.metadata.finalizers?.includes(TRACKING_FINALIZER)) return;
  const ref = controllerOf(pod);
  if (ref?.kind === 'Job' && ctx.cluster.store.get(JOBS, ns, ref.name)?.metadata.uid === ref.uid) return;
  dropFinalizer(pod, ctx);
}

function dropFinalizer(pod: KObject, ctx: ControllerContext): void {
  mutate(ctx.cluster, kind(ctx.cluster, '', 'pods'), pod, (p) => {
    // Only a pod carrying the tracking finalizer gets here.
    p.metadata.finalizers = p.metadata.finalizers!.filter((f) => f !== TRACKING_FINALIZER);
    if (!p.metadata.finalizers.length) delete p.metadata.finalizers;
  });
}

interface Defs {
  job: KindDef;
  pod: KindDef;
}

function syncJob(job: Stored<Job>, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const defs: Defs = { job: kind(cluster, 'batch', 'jobs'), pod: kind(cluster, '', 'pods') };
  // The Job as this sync began (its spec is read from here); `job` follows the writes below.
  const j = job;
  const on = { kind: 'Job', apiVersion: 'batch/v1', object: job };
  const now = ctx.now();
  const nowText = rfc3339(now);
  const selector = selectorFromLabelSelector(j.spec?.selector);
  const pods = cluster.dependentsOf(job.metadata.uid!, PODS).filter((p) => controllerOf(p)?.uid === job.metadata.uid && selector.matches(p.metadata.labels));
  const status: JobStatus = copyJson(j.status ?? {});
  let conditions: JobCondition[] = status.conditions ?? [];

  // Count the finished pods that still carry the tracking finalizer, once: first into
  // uncountedTerminatedPods, then the finalizer goes, then into succeeded/failed.
  const uncounted = { succeeded: new Set<string>(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set<string>(status.uncountedTerminatedPods?.failed ?? []) };
  // Once the Job's end is decided, pods it stops are no longer failures of the Job.
  const ending = isJobFinished(job) || conditionTrue(job, 'FailureTarget') || conditionTrue(job, 'SuccessCriteriaMet');
  const completed = parseIndexes(status.completedIndexes);
  const release = new Set<string>();
  for (const p of pods) {
    if (!p.metadata.finalizers?.includes(TRACKING_FINALIZER)) continue;
    const uid = p.metadata.uid!;
    if (phaseOf(p) === 'Succeeded') {
      uncounted.succeeded.add(uid);
      if (indexOf(p) !== undefined) completed.add(indexOf(p)!);
    } else if (hasFailed(p)) {
      if (ending) release.add(uid);
      else uncounted.failed.add(uid);
    }
  }
  const hasUncounted = uncounted.succeeded.size + uncounted.failed.size > 0;
  if (hasUncounted) {
    job = writeStatus(cluster, defs.job, job, { ...status, uncountedTerminatedPods: { ...(uncounted.succeeded.size ? { succeeded: [...uncounted.succeeded] } : {}), ...(uncounted.failed.size ? { failed: [...uncounted.failed] } : {}) } });
    status.succeeded = (status.succeeded ?? 0) + uncounted.succeeded.size;
    status.failed = (status.failed ?? 0) + uncounted.failed.size;
    if (j.spec?.completionMode === 'Indexed') status.completedIndexes = formatIndexes(completed);
  }
  for (const p of pods) {
    const uid = p.metadata.uid!;
    if (!uncounted.succeeded.has(uid) && !uncounted.failed.has(uid) && !release.has(uid)) continue;
    const fresh = cluster.store.get(PODS, p.metadata.namespace, p.metadata.name!);
    if (fresh?.metadata.uid === uid && fresh.metadata.finalizers?.includes(TRACKING_FINALIZER)) dropFinalizer(fresh, ctx);
  }
  status.uncountedTerminatedPods = {};
  job = cluster.store.get(JOBS, job.metadata.namespace, job.metadata.name!) ?? job;
  const live = () => cluster.dependentsOf(job.metadata.uid!, PODS).filter((p) => controllerOf(p)?.uid === job.metadata.uid);

  const spec: Partial<JobSpec> = j.spec ?? {};
  const parallelism: number = spec.parallelism ?? 1;
  const completions: number | undefined = spec.completions ?? undefined;
  const succeeded: number = status.succeeded ?? 0;
  const failed: number = status.failed ?? 0;
  const suspended = !!spec.suspend;
  let active = live().filter(isActive);

  // Suspension: no pods, a Suspended condition, and the deadline clock stopped.
  if (!isJobFinished(job)) {
    const wasSuspended = conditions.some((c) => c.type === 'Suspended' && c.status === 'True');
    if (suspended && !wasSuspended) {
      conditions = withCondition(conditions, condition('Suspended', 'JobSuspended', 'Job suspended', nowText));
      delete status.startTime;
      ctx.events.record(SOURCE, on, 'Normal', 'Suspended', 'Job suspended');
    } else if (!suspended && wasSuspended) {
      conditions = withCondition(conditions, condition('Suspended', 'JobResumed', 'Job resumed', nowText, 'False'));
      ctx.events.record(SOURCE, on, 'Normal', 'Resumed', 'Job resumed');
    }
    if (!suspended && !status.startTime) status.startTime = nowText;
  }

  // What ends the Job.
  let failure: { reason: string; message: string } | undefined = undefined;
  let success = false;
  if (!isJobFinished(job)) {
    const existing = conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True');
    // This controller writes FailureTarget with a reason and a message.
    if (existing) failure = { reason: existing.reason!, message: existing.message! };
    else if (failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(j, live())) failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (!suspended && spec.activeDeadlineSeconds !== undefined && status.startTime && Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 <= now.getTime()) {
      failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    }
    if (!failure) {
      if (spec.completionMode === 'Indexed') success = completions !== undefined && parseIndexes(status.completedIndexes).size >= completions;
      else if (completions !== undefined) success = succeeded >= completions;
      // A work queue (no completions): done once one pod succeeded and none is still running.
      else success = succeeded > 0 && active.length === 0;
    }
  }

  if (failure) {
    if (!conditions.some((c) => c.type === 'FailureTarget')) {
      conditions = withCondition(conditions, condition('FailureTarget', failure.reason, failure.message, nowText));
      ctx.events.record(SOURCE, on, 'Warning', failure.reason, failure.message);
    }
    for (const p of active) deletePod(p, job, ctx, defs);
    active = [];
  } else if (success) {
    if (!conditions.some((c) => c.type === 'SuccessCriteriaMet')) conditions = withCondition(conditions, condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', nowText));
    for (const p of active) deletePod(p, job, ctx, defs);
    active = [];
  } else if (!isJobFinished(job)) {
    if (suspended) {
      for (const p of active) deletePod(p, job, ctx, defs);
      active = [];
    } else {
      active = manageActive(job, active, live(), succeeded, parseIndexes(status.completedIndexes), ctx, defs);
    }
  }

  // The terminal condition waits until no pod of the Job is still running or terminating.
  const lingering = live().some((p) => !isFinished(p));
  if (!isJobFinished(job) && !lingering) {
    if (failure) {
      conditions = withCondition(conditions, condition('Failed', failure.reason, failure.message, nowText));
    } else if (success) {
      conditions = withCondition(conditions, condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', nowText));
      status.completionTime = nowText;
      ctx.events.record(SOURCE, on, 'Normal', 'Completed', 'Job completed');
    }
  }

  const current = cluster.store.get(JOBS, job.metadata.namespace, job.metadata.name!);
  if (!current) return;
  const next: JobStatus = { ...status };
  if (conditions.length) next.conditions = conditions;
  const running = live().filter(isActive);
  if (running.length) next.active = running.length;
  else delete next.active;
  next.ready = running.filter(isPodReady).length;
  next.terminating = live().filter((p) => p.metadata.deletionTimestamp && !isFinished(p)).length;
  if (!next.succeeded) delete next.succeeded;
  if (!next.failed) delete next.failed;
  const written = writeStatus(cluster, defs.job, current, next);
  afterwards(written, ctx);
}

/** Time-based work: the deadline, the TTL after finishing. */
function afterwards(job: Stored<Job>, ctx: ControllerContext): void {
  const now = ctx.now().getTime();
  if (isJobFinished(job)) {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return;
    const end = (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.lastTransitionTime;
    const due = Date.parse(end ?? '') + ttl * 1000;
    if (due <= now) deleteIfPresent(ctx.cluster, kind(ctx.cluster, 'batch', 'jobs'), job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Background' });
    else ctx.requeueAfter(keyOf(job), due - now);
    return;
  }
  const deadline = job.spec?.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && job.status?.startTime && !job.spec?.suspend) {
    ctx.requeueAfter(keyOf(job), Math.max(1, Date.parse(job.status.startTime) + deadline * 1000 - now));
  }
}

function deletePod(p: KObject, job: KObject, ctx: ControllerContext, defs: Defs): void {
  deleteIfPresent(ctx.cluster, defs.pod, p.metadata.namespace, p.metadata.name!);
  ctx.events.record(SOURCE, { kind: 'Job', apiVersion: 'batch/v1', object: job }, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
}

/** Creates or deletes pods so min(parallelism, what is left) run, honouring the failure back-off. */
function manageActive(job: Stored<Job>, active: Stored<Pod>[], all: Stored<Pod>[], succeeded: number, done: Set<number>, ctx: ControllerContext, defs: Defs): Stored<Pod>[] {
  const spec: Partial<JobSpec> = job.spec ?? {};
  const parallelism: number = spec.parallelism ?? 1;
  const completions: number | undefined = spec.completions ?? undefined;
  const indexed = spec.completionMode === 'Indexed';
  let wanted: number;
  let missingIndexes: number[] = [];
  if (indexed) {
    const running = new Set(active.map(indexOf));
    for (let i = 0; i < (completions ?? 0); i++) if (!done.has(i) && !running.has(i)) missingIndexes.push(i);
    wanted = Math.min(parallelism, missingIndexes.length + active.length);
  } else if (completions !== undefined) {
    wanted = Math.min(parallelism, Math.max(0, completions - succeeded));
  } else {
    // A work queue stops starting pods once one succeeded.
    wanted = succeeded > 0 ? Math.min(active.length, parallelism) : parallelism;
  }
  if (active.length > wanted) {
    // Excess pods go: not-yet-running ones first, then the newest.
    const doomed = [...active].sort((a, b) => Number(phaseOf(b) === 'Pending') - Number(phaseOf(a) === 'Pending') || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
    for (const p of doomed.slice(0, active.length - wanted)) deletePod(p, job, ctx, defs);
    return doomed.slice(active.length - wanted);
  }
  if (active.length === wanted) return active;
  const wait = backoffRemaining(all, ctx.now().getTime());
  if (wait > 0) {
    ctx.requeueAfter(keyOf(job), wait);
    return active;
  }
  const on = { kind: 'Job', apiVersion: 'batch/v1', object: job };
  const out = [...active];
  for (let i = 0; i < wanted - active.length; i++) {
    const index = indexed ? missingIndexes[i] : undefined;
    const pod = podFor(job, index, defs);
    try {
      const created = ctx.cluster.create(defs.pod, job.metadata.namespace, pod, { fieldManager: 'kube-controller-manager' }).object;
      ctx.events.record(SOURCE, on, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      out.push(created);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.events.record(SOURCE, on, 'Warning', 'FailedCreate', `Error creating: ${err.status.message}`);
      ctx.requeueAfter(keyOf(job), 10_000);
      break;
    }
  }
  return out;
}

/** The pod of one completion: the template, the tracking finalizer, and for Indexed Jobs its index. */
export function podFor(job: Stored<Job>, index: number | undefined, defs: { job: KindDef }): Stored<Pod> {
  const name = job.metadata.name!;
  const extra = index === undefined ? {} : { generateName: `${name}-${index}-`, labels: { [COMPLETION_INDEX]: String(index) }, annotations: { [COMPLETION_INDEX]: String(index) } };
  const pod = podFromTemplate(job.spec?.template ?? {}, job, defs.job, extra);
  // podFromTemplate always gives the pod labels and a spec.
  const labels = pod.metadata.labels!;
  const spec = pod.spec!;
  pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), TRACKING_FINALIZER];
  if (!labels[JOB_NAME_LABEL]) labels[JOB_NAME_LABEL] = name;
  if (index !== undefined) {
    // The index reaches the containers as JOB_COMPLETION_INDEX, and the pod's hostname names it.
    spec.hostname ??= `${name}-${index}`;
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      if (!(c.env ?? []).some((e) => e.name === 'JOB_COMPLETION_INDEX')) c.env = [...(c.env ?? []), env];
    }
  }
  return pod;
}
