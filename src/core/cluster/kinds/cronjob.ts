// CronJob (batch/v1): a schedule in cron format that stamps out Jobs from a template. The schedule
// is validated by the parser the CronJob controller runs (controllers/cron-schedule.ts), so an
// invalid one is refused in the apiserver's words.
import type { KindDef, KObject } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, age, creationAge, containerCells } from './print.js';
import { defaultPodTemplateSpec } from './pod-spec.js';
import { formatLabelSelector } from '../selectors.js';
import { validateJobSpecCommon, type JobSpec } from './job.js';
import { CronParseError, parseCronSchedule, timeZoneProblem } from '../controllers/cron-schedule.js';

// ---------------------------------------------------------------- validation

// https://data.iana.org/time-zones/theory.html#naming; digits and '+' tolerated for legacy names.
const VALID_TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(timeZone: unknown, field: string): FieldError[] {
  if (timeZone === undefined || timeZone === null) return [];
  const tz = String(timeZone);
  if (tz.length === 0) return [fieldError.invalid(field, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !VALID_TZ_PART.test(part)) {
      return [fieldError.invalid(field, tz, `unknown time zone ${tz}`)];
    }
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') {
    errs.push(fieldError.invalid(field, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  }
  const problem = timeZoneProblem(tz);
  if (problem) errs.push(fieldError.invalid(field, tz, problem));
  return errs;
}

function validateScheduleFormat(schedule: string, allowTZInSchedule: boolean, timeZone: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  try {
    parseCronSchedule(schedule);
  } catch (err) {
    if (!(err instanceof CronParseError)) throw err;
    errs.push(fieldError.invalid(field, schedule, err.message));
  }
  if (allowTZInSchedule && schedule.includes('TZ') && timeZone !== undefined && timeZone !== null) {
    errs.push(fieldError.invalid(field, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZInSchedule && schedule.includes('TZ')) {
    errs.push(fieldError.invalid(field, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

interface CronJobSpec {
  schedule?: string;
  timeZone?: string | null;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: string;
  suspend?: boolean;
  jobTemplate?: { metadata?: Record<string, unknown>; spec?: JobSpec };
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

interface CronJobStatus {
  active?: unknown[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

const specOf = (obj: KObject): CronJobSpec => (obj.spec ?? {}) as CronJobSpec;
const statusOf = (obj: KObject): CronJobStatus => (obj.status ?? {}) as CronJobStatus;

function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [fieldError.invalid(field, value, 'must be greater than or equal to 0')] : [];
}

function validateCronJobSpec(spec: CronJobSpec, oldSpec: CronJobSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.schedule) {
    errs.push(fieldError.required('spec.schedule'));
  } else {
    const allowTZ = oldSpec !== undefined && (oldSpec.schedule ?? '').includes('TZ');
    errs.push(...validateScheduleFormat(spec.schedule, allowTZ, spec.timeZone, 'spec.schedule'));
  }
  if (spec.startingDeadlineSeconds !== undefined && spec.startingDeadlineSeconds !== null) {
    errs.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  }
  if (oldSpec === undefined || (oldSpec.timeZone ?? undefined) !== (spec.timeZone ?? undefined)) {
    errs.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
  }
  const policy = spec.concurrencyPolicy ?? '';
  if (policy === '') errs.push(fieldError.required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(policy)) {
    errs.push(fieldError.notSupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
  }
  // ValidateJobTemplateSpec: a job spec whose selector the controller will generate.
  const jobSpec = (spec.jobTemplate?.spec ?? {}) as JobSpec;
  errs.push(...validateJobSpecCommon(jobSpec, 'spec.jobTemplate.spec'));
  if (jobSpec.selector !== undefined && jobSpec.selector !== null) {
    errs.push(fieldError.invalid('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'));
  }
  if (jobSpec.manualSelector === true) {
    errs.push(fieldError.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  }
  if (spec.successfulJobsHistoryLimit !== undefined && spec.successfulJobsHistoryLimit !== null) {
    errs.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  }
  if (spec.failedJobsHistoryLimit !== undefined && spec.failedJobsHistoryLimit !== null) {
    errs.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  }
  return errs;
}

// ---------------------------------------------------------------- the kind

const JOB_SELECTOR_DESCRIPTION =
  'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

export const cronJob: KindDef = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
  columns: [
    { name: 'Schedule', type: 'string', description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.' },
    { name: 'Timezone', type: 'string', description: 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.' },
    { name: 'Suspend', type: 'boolean', description: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.' },
    { name: 'Active', type: 'integer', description: 'A list of pointers to currently running jobs.' },
    { name: 'Last Schedule', type: 'string', description: 'Information when was the last time the job was successfully scheduled.' },
    AGE_COLUMN,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
    { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
    { name: 'Selector', type: 'string', priority: 1, description: JOB_SELECTOR_DESCRIPTION },
  ],
  row(obj, ctx) {
    const spec = specOf(obj);
    const status = statusOf(obj);
    const now = ctx.now();
    const suspend = spec.suspend === undefined || spec.suspend === null ? '<unset>' : spec.suspend ? 'True' : 'False';
    const timeZone = spec.timeZone === undefined || spec.timeZone === null ? '<none>' : spec.timeZone;
    const last = status.lastScheduleTime ? age(status.lastScheduleTime, now) : '<none>';
    const [names, images] = containerCells(spec.jobTemplate?.spec?.template);
    return [
      spec.schedule ?? '',
      timeZone,
      suspend,
      (status.active ?? []).length,
      last,
      creationAge(obj, now),
      names,
      images,
      formatLabelSelector(spec.jobTemplate?.spec?.selector),
    ];
  },
  prepareForCreate(obj) {
    obj.status = {};
  },
  defaults(obj) {
    const spec = (obj.spec ??= {}) as CronJobSpec;
    if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
    if (spec.suspend === undefined || spec.suspend === null) spec.suspend = false;
    if (spec.successfulJobsHistoryLimit === undefined || spec.successfulJobsHistoryLimit === null) spec.successfulJobsHistoryLimit = 3;
    if (spec.failedJobsHistoryLimit === undefined || spec.failedJobsHistoryLimit === null) spec.failedJobsHistoryLimit = 1;
    // The job template's pod template is defaulted like any pod template; the JobSpec itself is
    // not (completions, backoffLimit... are filled in on the Jobs the controller creates).
    const template = spec.jobTemplate?.spec?.template;
    if (template && typeof template === 'object') defaultPodTemplateSpec(template as Record<string, unknown>);
  },
  validate(obj) {
    const errs = validateCronJobSpec(specOf(obj), undefined);
    const name = obj.metadata.name ?? '';
    // The controller appends an 11-character suffix to name its Jobs, which are DNS labels.
    if (name.length > 52) errs.push(fieldError.invalid('metadata.name', name, 'must be no more than 52 characters'));
    return errs;
  },
};
