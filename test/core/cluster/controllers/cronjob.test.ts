import { describe, expect, it } from 'vitest';
import { jobNameFor, mostRecentSchedule } from '../../../../src/core/cluster/controllers/cronjob.js';

describe('CronJob scheduling', () => {
  it('names a Job after its scheduled time in minutes since the epoch', () => {
    expect(jobNameFor('hello', new Date('2026-03-01T10:05:00Z'))).toBe(`hello-${Date.parse('2026-03-01T10:05:00Z') / 60_000}`);
  });

  it('finds the latest due time since the last one, and how many were missed', () => {
    const r = mostRecentSchedule('*/5 * * * *', undefined, new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T10:17:30Z'));
    expect(r.time?.toISOString()).toBe('2026-03-01T10:15:00.000Z');
    expect(r.missed).toBe(3);
  });

  it('finds nothing when the next time is still to come', () => {
    expect(mostRecentSchedule('@hourly', undefined, new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T10:59:59Z'))).toEqual({ time: undefined, missed: 0 });
  });

  it('reads the schedule in its time zone', () => {
    const r = mostRecentSchedule('0 9 * * *', 'Europe/Paris', new Date('2026-03-01T00:00:00Z'), new Date('2026-03-01T12:00:00Z'));
    expect(r.time?.toISOString()).toBe('2026-03-01T08:00:00.000Z');
  });

  it('understands ranges and lists', () => {
    const r = mostRecentSchedule('0,30 9-17 * * 1-5', undefined, new Date('2026-03-02T00:00:00Z'), new Date('2026-03-02T23:00:00Z'));
    expect(r.time?.toISOString()).toBe('2026-03-02T17:30:00.000Z');
    expect(r.missed).toBe(18);
  });
});
