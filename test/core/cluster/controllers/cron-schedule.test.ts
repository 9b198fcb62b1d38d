// Cron schedules as robfig/cron/v3 parses them and as the CronJob controller finds their next time.
import { describe, expect, it } from 'vitest';
import { CronParseError, nextSchedule, parseCronSchedule } from '../../../../src/core/cluster/controllers/cron-schedule.js';

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
