import { describe, expect, it } from 'vitest';
import { CronParseError, cronJob, nextSchedule, parseCronSchedule } from '../../../../src/core/cluster/kinds/cronjob.js';
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

const next = (schedule: string, after: string, tz?: string) => nextSchedule(schedule, new Date(after), tz)?.toISOString();
const parseError = (schedule: string) => {
  try {
    parseCronSchedule(schedule);
  } catch (err) {
    expect(err).toBeInstanceOf(CronParseError);
    return (err as Error).message;
  }
  return undefined;
};

describe('nextSchedule', () => {
  it('fires every five minutes on the next multiple of five', () => {
    expect(next('*/5 * * * *', '2026-01-01T00:10:00Z')).toBe('2026-01-01T00:15:00.000Z');
    expect(next('*/5 * * * *', '2026-01-01T00:12:34.500Z')).toBe('2026-01-01T00:15:00.000Z');
  });

  it('is strictly after the given time', () => {
    expect(next('* * * * *', '2026-01-01T00:10:00Z')).toBe('2026-01-01T00:11:00.000Z');
    expect(next('0 0 * * *', '2026-01-01T00:00:00Z')).toBe('2026-01-02T00:00:00.000Z');
  });

  it('understands ranges, lists and steps', () => {
    expect(next('15,45 9-17/4 * * *', '2026-01-01T10:00:00Z')).toBe('2026-01-01T13:15:00.000Z');
    expect(next('30 2-4 * * *', '2026-01-01T04:31:00Z')).toBe('2026-01-02T02:30:00.000Z');
    expect(next('5/20 * * * *', '2026-01-01T00:26:00Z')).toBe('2026-01-01T00:45:00.000Z');
  });

  it('understands month and weekday names in any case', () => {
    // 2026-01-01 is a Thursday.
    expect(next('0 9 * * MON-fri', '2026-01-02T10:00:00Z')).toBe('2026-01-05T09:00:00.000Z');
    expect(next('0 0 1 jun *', '2026-01-01T00:00:00Z')).toBe('2026-06-01T00:00:00.000Z');
  });

  it('fires when either the day of month or the weekday matches, unless one is a star', () => {
    expect(next('0 0 13 * 5', '2026-01-01T00:00:00Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('0 0 13 * *', '2026-01-01T00:00:00Z')).toBe('2026-01-13T00:00:00.000Z');
    expect(next('0 0 * * 0', '2026-01-01T00:00:00Z')).toBe('2026-01-04T00:00:00.000Z');
  });

  it('understands the descriptors', () => {
    expect(next('@hourly', '2026-01-01T00:10:00Z')).toBe('2026-01-01T01:00:00.000Z');
    expect(next('@daily', '2026-01-01T00:10:00Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('@midnight', '2026-01-01T00:10:00Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('@weekly', '2026-01-01T00:10:00Z')).toBe('2026-01-04T00:00:00.000Z');
    expect(next('@monthly', '2026-01-01T00:10:00Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(next('@yearly', '2026-01-01T00:10:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('@annually', '2026-01-01T00:10:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('@every 90s', '2026-01-01T00:10:00.250Z')).toBe('2026-01-01T00:11:30.000Z');
    expect(next('@every 1h30m', '2026-01-01T00:10:00Z')).toBe('2026-01-01T01:40:00.000Z');
  });

  it('reads the schedule in the given time zone', () => {
    // New York is UTC-5 in winter, UTC-4 in summer.
    expect(next('0 9 * * *', '2026-01-01T00:10:00Z', 'America/New_York')).toBe('2026-01-01T14:00:00.000Z');
    expect(next('0 9 * * *', '2026-07-01T00:10:00Z', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    // 05:30 in Kolkata (UTC+5:30) is midnight UTC.
    expect(next('30 5 * * *', '2026-01-01T00:00:00Z', 'Asia/Kolkata')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('TZ=Asia/Tokyo 0 0 * * *', '2026-01-01T00:10:00Z')).toBe('2026-01-01T15:00:00.000Z');
  });

  it('skips a wall-clock time a DST change leaves out', () => {
    // 2026-03-08 02:30 does not exist in New York; the next 02:30 is the day after.
    expect(next('30 2 * * *', '2026-03-08T05:00:00Z', 'America/New_York')).toBe('2026-03-09T06:30:00.000Z');
  });

  it('finds nothing for a date that never comes', () => {
    expect(next('0 0 30 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it('throws the parser error for a bad schedule', () => {
    expect(() => nextSchedule('bad', new Date())).toThrow('expected exactly 5 fields, found 1: [bad]');
  });
});

describe('parseCronSchedule', () => {
  it('reports robfig/cron errors in its own words', () => {
    expect(parseError('')).toBe('empty spec string');
    expect(parseError('bad')).toBe('expected exactly 5 fields, found 1: [bad]');
    expect(parseError('0 0 * * * *')).toBe('expected exactly 5 fields, found 6: [0 0 * * * *]');
    expect(parseError('60 * * * *')).toBe('end of range (60) above maximum (59): 60');
    expect(parseError('* 24 * * *')).toBe('end of range (24) above maximum (23): 24');
    expect(parseError('* * 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
    expect(parseError('* * * * 7')).toBe('end of range (7) above maximum (6): 7');
    expect(parseError('5-1 * * * *')).toBe('beginning of range (5) beyond end of range (1): 5-1');
    expect(parseError('*/0 * * * *')).toBe('step of range should be a positive number: */0');
    expect(parseError('1-2-3 * * * *')).toBe('too many hyphens: 1-2-3');
    expect(parseError('*/2/3 * * * *')).toBe('too many slashes: */2/3');
    expect(parseError('a * * * *')).toBe('failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax');
    expect(parseError('* * * foo *')).toBe('failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax');
    expect(parseError('@often')).toBe('unrecognized descriptor: @often');
    expect(parseError('@every soon')).toBe('failed to parse duration @every soon: time: invalid duration "soon"');
    expect(parseError('TZ=Mars/Base 0 * * * *')).toBe('provided bad location Mars/Base: unknown time zone Mars/Base');
  });

  it('accepts what ParseStandard accepts', () => {
    for (const s of ['0 0 * * *', '*/15 * * * *', '0 9-17 * * 1-5', '? * * * *', '0 0 1,15 * *', '@every 5m', 'CRON_TZ=UTC 0 0 * * *']) {
      expect(parseError(s), s).toBeUndefined();
    }
  });
});

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
