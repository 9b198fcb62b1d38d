import { describe, expect, it } from 'vitest';
import { cronJob } from '../../../../src/core/cluster/kinds/cronjob.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';
import { expectGolden } from '../../../helpers/golden.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function newCronJob(spec: Record<string, unknown> = {}, name = 'hello'): KObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default', uid: 'c1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

function create(obj: KObject): { obj: KObject; errors: string[] } {
  cronJob.prepareForCreate!(obj, ctx);
  cronJob.defaults!(obj, ctx);
  return { obj, errors: cronJob.validate!(obj, ctx).map(fieldErrorMessage) };
}

describe('CronJob', () => {
  it('is served as batch/v1 cronjobs, short name cj, in category all', () => {
    expect([cronJob.group, cronJob.version, cronJob.plural, cronJob.singular, cronJob.namespaced]).toEqual(['batch', 'v1', 'cronjobs', 'cronjob', true]);
    expect(cronJob.shortNames).toEqual(['cj']);
    expect(cronJob.categories).toEqual(['all']);
    expect(cronJob.subresources).toEqual(['status']);
    expect(cronJob.columns!.map((c) => [c.name, c.type, c.priority ?? 0])).toEqual([
      ['Schedule', 'string', 0], ['Timezone', 'string', 0], ['Suspend', 'boolean', 0], ['Active', 'integer', 0],
      ['Last Schedule', 'string', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1],
    ]);
  });

  it('defaults the concurrency policy, suspend and the history limits', () => {
    const { obj, errors } = create(newCronJob());
    expect(errors).toEqual([]);
    const spec = obj.spec as any;
    expect([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit]).toEqual(['Allow', false, 3, 1]);
    // The job template is not defaulted as a Job: no completions or backoffLimit appear.
    expect(Object.keys(spec.jobTemplate.spec)).toEqual(['template']);
    expect(obj.status).toEqual({});
  });

  it('keeps what the user set', () => {
    const spec = create(newCronJob({ concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5 })).obj.spec as any;
    expect([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit]).toEqual(['Forbid', true, 0, 5]);
  });

  it('requires a schedule', () => {
    expect(create(newCronJob({ schedule: '' })).errors).toEqual(['spec.schedule: Required value']);
  });

  it('refuses an invalid schedule with the parser message', () => {
    expect(create(newCronJob({ schedule: 'bad' })).errors).toEqual(['spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]']);
    expect(create(newCronJob({ schedule: '0 25 * * *' })).errors).toEqual(['spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25']);
  });

  it('refuses a TZ prefix in the schedule', () => {
    expect(create(newCronJob({ schedule: 'TZ=UTC 0 0 * * *' })).errors).toEqual([
      'spec.schedule: Invalid value: "TZ=UTC 0 0 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
  });

  it('accepts a known time zone and refuses unknown ones', () => {
    expect(create(newCronJob({ timeZone: 'Europe/Paris' })).errors).toEqual([]);
    expect(create(newCronJob({ timeZone: 'Mars/Base' })).errors).toEqual(['spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base']);
    expect(create(newCronJob({ timeZone: 'europe/paris' })).errors).toEqual(['spec.timeZone: Invalid value: "europe/paris": unknown time zone europe/paris']);
    expect(create(newCronJob({ timeZone: 'utc' })).errors).toEqual(['spec.timeZone: Invalid value: "utc": unknown time zone utc']);
    expect(create(newCronJob({ timeZone: 'Etc/UTC' })).errors).toEqual([]);
    expect(create(newCronJob({ timeZone: '' })).errors).toEqual(['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']);
    expect(create(newCronJob({ timeZone: 'Local' })).errors).toEqual([
      'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
    ]);
  });

  it('refuses an unknown concurrency policy', () => {
    expect(create(newCronJob({ concurrencyPolicy: 'Sometimes' })).errors).toEqual([
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]);
  });

  it('validates the job template like a Job', () => {
    const o = newCronJob();
    (o.spec as any).jobTemplate.spec.template.spec.restartPolicy = 'Always';
    (o.spec as any).jobTemplate.spec.selector = { matchLabels: { a: 'b' } };
    expect(create(o).errors).toEqual([
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
    ]);
  });

  it('refuses names longer than 52 characters', () => {
    const name = 'x'.repeat(53);
    expect(create(newCronJob({}, name)).errors).toEqual([`metadata.name: Invalid value: "${name}": must be no more than 52 characters`]);
  });

  it('prints schedule, time zone, suspend, active jobs and last schedule', () => {
    const plain = create(newCronJob()).obj;
    const busy = create(newCronJob({ schedule: '0 9 * * 1-5', timeZone: 'Europe/Paris' }, 'report')).obj;
    busy.status = { active: [{ kind: 'Job', name: 'report-29400000' }], lastScheduleTime: '2026-01-01T00:08:00Z' };
    const paused = create(newCronJob({ suspend: true, schedule: '@hourly' }, 'paused')).obj;
    paused.status = { lastScheduleTime: '2025-12-31T23:00:00Z' };
    const unset = newCronJob({}, 'raw');
    const rows = [plain, busy, paused, unset].map((o) => [o.metadata.name, ...cronJob.row!(o, ctx)].join(' | '));
    expectGolden('kinds/cronjob', rows.join('\n'));
  });
});
