// CronJob: a Job from the template at each scheduled time, evaluated on the cluster's clock with
// one wake-up for the next due time (never a poll). It keeps status.active and the last schedule
// and success times, honours concurrencyPolicy, startingDeadlineSeconds and suspend, and deletes
// finished Jobs past the history limits (pkg/controller/cronjob: cronjob_controllerv2.go, utils.go).
import { rfc3339 } from '../clock.js';
import { ApiError } from '../errors.js';
import { copyJson } from '../own.js';
import { CronParseError, nextSchedule } from './cron-schedule.js';
import type { CronJob, CronJobSpec, CronJobStatus, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { KObject, ObjectMeta, Stored } from '../kinds/types.js';
import { conditionTrue, isJobFinished } from './job.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { controllerOf, deleteIfPresent, kind, ownerRef, writeStatus } from './util.js';

const CRONJOBS = 'batch/cronjobs';
const JOBS = 'batch/jobs';
const SOURCE = { component: 'cronjob-controller' };
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Past this many missed times the controller says so (it still starts the latest). */
const TOO_MANY_MISSED = 100;
/** The real controller wakes a little after the due time, so the schedule has surely passed. */
const NEXT_SCHEDULE_DELTA_MS = 100;

// ---------------------------------------------------------------- pure helpers

/** `<cronjob>-<scheduled time in minutes since the epoch>` (getJobName). */
export function jobNameFor(cronJob: string, scheduled: Date): string {
  return `${cronJob}-${Math.floor(scheduled.getTime() / 60_000)}`;
}

/**
 * The latest schedule time in (since, now], and how many were missed on the way; `since` is the
 * last schedule time (or the creation time), moved forward to now - startingDeadlineSeconds when set.
 */
export function mostRecentSchedule(schedule: string, timeZone: string | undefined, since: Date, now: Date): { time?: Date; missed: number } {
  let t = nextSchedule(schedule, since, timeZone);
  let time: Date | undefined;
  let missed = 0;
  while (t && t.getTime() <= now.getTime()) {
    time = t;
    missed++;
    if (missed > 100_000) break;
    t = nextSchedule(schedule, t, timeZone);
  }
  return { time, missed };
}

function earliestTime(cronJob: Stored<CronJob>): Date {
  // A stored object has a creationTimestamp.
  const base = cronJob.status?.lastScheduleTime ?? cronJob.metadata.creationTimestamp!;
  return new Date(Date.parse(base));
}

// ---------------------------------------------------------------- the controller

export const cronJobController: Controller = {
  name: 'cronjob-controller',
  watches: [
    { resource: CRONJOBS, keys: (e) => (e.type === 'DELETED' ? [] : [keyOf(e.object)]) },
    {
      resource: JOBS,
      keys: (e) => {
        const ref = controllerOf(e.object);
        return ref?.kind === 'CronJob' ? [`${e.object.metadata.namespace}/${ref.name}`] : [];
      },
    },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list(CRONJOBS).map(keyOf),
  reconcile(key, ctx) {
    const [ns, name] = splitKey(key);
    const cj = ctx.cluster.store.get(CRONJOBS, ns, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    syncCronJob(cj, ctx);
  },
};

function syncCronJob(cronJob: Stored<CronJob>, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const cjDef = kind(cluster, 'batch', 'cronjobs');
  const jobDef = kind(cluster, 'batch', 'jobs');
  const on = { kind: 'CronJob', apiVersion: 'batch/v1', object: cronJob };
  const now = ctx.now();
  const jobs: Stored<Job>[] = cluster.dependentsOf(cronJob.metadata.uid!, JOBS).filter((j) => controllerOf(j)?.uid === cronJob.metadata.uid);
  const status: CronJobStatus = copyJson(cronJob.status ?? {});

  // status.active follows the Jobs: finished ones leave it (and may set lastSuccessfulTime),
  // running ones it forgot come back.
  const byUid = new Map(jobs.map((j) => [j.metadata.uid!, j]));
  let active: ObjectReference[] = (status.active ?? []).filter((ref) => byUid.has(ref.uid!));
  for (const j of jobs) {
    const listed = active.some((ref) => ref.uid === j.metadata.uid);
    if (isJobFinished(j)) {
      if (listed) {
        const condition = conditionTrue(j, 'Complete') ? 'Complete' : 'Failed';
        ctx.events.record(SOURCE, on, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${condition}`);
        active = active.filter((ref) => ref.uid !== j.metadata.uid);
      }
      const completion = j.status?.completionTime;
      if (conditionTrue(j, 'Complete') && completion && (!status.lastSuccessfulTime || Date.parse(status.lastSuccessfulTime) < Date.parse(completion))) status.lastSuccessfulTime = completion;
    } else if (!listed && !j.metadata.deletionTimestamp) {
      active.push(reference(j));
    }
  }

  const scheduled = schedule(cronJob, jobs, active, now, ctx);
  if (scheduled) {
    active = scheduled.active;
    status.lastScheduleTime = rfc3339(scheduled.time);
  }
  status.active = active.length ? active : undefined;
  if (!status.active) delete status.active;
  const current = cluster.store.get(CRONJOBS, cronJob.metadata.namespace, cronJob.metadata.name!);
  if (current) writeStatus(cluster, cjDef, current, status);
  cleanupFinishedJobs(cronJob, ctx, jobDef);
}

/** Starts the Job that is due, if any, and asks to be woken at the next schedule time. */
function schedule(cronJob: Stored<CronJob>, jobs: KObject[], active: ObjectReference[], now: Date, ctx: ControllerContext): { time: Date; active: ObjectReference[] } | undefined {
  const { cluster } = ctx;
  const on = { kind: 'CronJob', apiVersion: 'batch/v1', object: cronJob };
  const spec: Partial<CronJobSpec> = cronJob.spec ?? {};
  if (spec.suspend) return undefined;
  // Validation requires a schedule.
  const cron = spec.schedule!;
  const wakeForNext = () => {
    try {
      const next = nextSchedule(cron, now, spec.timeZone ?? undefined);
      if (next) ctx.requeueAfter(keyOf(cronJob), next.getTime() - now.getTime() + NEXT_SCHEDULE_DELTA_MS);
    } catch (err) {
      if (!(err instanceof CronParseError)) throw err;
    }
  };
  let since = earliestTime(cronJob);
  if (typeof spec.startingDeadlineSeconds === 'number') since = new Date(Math.max(since.getTime(), now.getTime() - spec.startingDeadlineSeconds * 1000));
  let found: { time?: Date; missed: number };
  try {
    found = mostRecentSchedule(cron, spec.timeZone ?? undefined, since, now);
  } catch (err) {
    if (!(err instanceof CronParseError)) throw err;
    ctx.events.record(SOURCE, on, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${spec.schedule}" : ${err.message}`);
    return undefined;
  }
  if (found.missed > TOO_MANY_MISSED) ctx.events.record(SOURCE, on, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
  wakeForNext();
  const time = found.time;
  if (!time) return undefined;
  const name = jobNameFor(cronJob.metadata.name!, time);
  if (jobs.some((j) => j.metadata.name === name) || cronJob.status?.lastScheduleTime === rfc3339(time)) return undefined;
  if (spec.concurrencyPolicy === 'Forbid' && active.length) {
    ctx.events.record(SOURCE, on, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return undefined;
  }
  let kept = active;
  if (spec.concurrencyPolicy === 'Replace') {
    for (const ref of active) {
      deleteIfPresent(cluster, kind(cluster, 'batch', 'jobs'), cronJob.metadata.namespace, ref.name!, { propagationPolicy: 'Background' });
      ctx.events.record(SOURCE, on, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
    }
    kept = [];
  }
  try {
    const job = cluster.create(kind(cluster, 'batch', 'jobs'), cronJob.metadata.namespace, jobFromTemplate(cronJob, time, ctx), { fieldManager: 'kube-controller-manager' }).object;
    ctx.events.record(SOURCE, on, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`);
    return { time, active: [...kept, reference(job)] };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.code === 409) return { time, active: kept };
    ctx.events.record(SOURCE, on, 'Warning', 'FailedCreate', `Error creating job: ${err.status.message}`);
    ctx.requeueAfter(keyOf(cronJob), 10_000);
    return undefined;
  }
}

/** getJobFromTemplate2: the template's labels and annotations, the scheduled time, the owner. */
export function jobFromTemplate(cronJob: Stored<CronJob>, scheduled: Date, ctx: ControllerContext): Stored<Job> {
  const template = cronJob.spec?.jobTemplate ?? {};
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
  annotations[SCHEDULED_TIMESTAMP] = rfc3339(scheduled);
  const metadata: ObjectMeta = {
    name: jobNameFor(cronJob.metadata.name!, scheduled),
    namespace: cronJob.metadata.namespace,
    annotations,
    ownerReferences: [ownerRef(kind(ctx.cluster, 'batch', 'cronjobs'), cronJob)],
  };
  if (template.metadata?.labels) metadata.labels = { ...template.metadata.labels };
  // Built as a KObject: a template without a spec still gives the Job an empty one ({}), which
  // Job validation then refuses with the API server's own message.
  const job: KObject = { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: copyJson(template.spec ?? {}) };
  return job;
}

function reference(job: KObject): ObjectReference {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

/** Keeps the newest successfulJobsHistoryLimit Complete and failedJobsHistoryLimit Failed Jobs. */
function cleanupFinishedJobs(cronJob: Stored<CronJob>, ctx: ControllerContext, jobDef: ReturnType<typeof kind>): void {
  const on = { kind: 'CronJob', apiVersion: 'batch/v1', object: cronJob };
  const jobs: Stored<Job>[] = ctx.cluster.dependentsOf(cronJob.metadata.uid!, JOBS).filter((j) => controllerOf(j)?.uid === cronJob.metadata.uid && !j.metadata.deletionTimestamp);
  const started = (j: Stored<Job>) => Date.parse(j.status?.startTime ?? j.metadata.creationTimestamp ?? '') || 0;
  const trim = (list: Stored<Job>[], limit: number | undefined) => {
    if (limit === undefined || limit === null || list.length <= limit) return;
    list.sort((a, b) => started(a) - started(b));
    for (const j of list.slice(0, list.length - limit)) {
      deleteIfPresent(ctx.cluster, jobDef, j.metadata.namespace, j.metadata.name!, { propagationPolicy: 'Background' });
      ctx.events.record(SOURCE, on, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
    }
  };
  trim(jobs.filter((j) => conditionTrue(j, 'Complete')), cronJob.spec?.successfulJobsHistoryLimit);
  trim(jobs.filter((j) => conditionTrue(j, 'Failed')), cronJob.spec?.failedJobsHistoryLimit);
}
