// Ages as kubectl prints them, recomputed from the timestamps a view keeps.
import { describe, expect, it } from 'vitest';
import { agedAt, ageSince, humanAge } from '../../../src/core/kube/age.js';

const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;

describe('ages as kubectl prints them', () => {
  it.each([
    [34 * s, '34s'],
    [119 * s, '119s'],
    [5 * m + 12 * s, '5m12s'],
    [7 * m, '7m'],
    [42 * m, '42m'],
    [3 * h, '3h'],
    [3 * h + 20 * m, '3h20m'],
    [30 * h, '30h'],
    [3 * d + 4 * h, '3d4h'],
    [40 * d, '40d'],
    [-500, '0s'],
  ])('prints %i ms as %s', (ms, text) => {
    expect(humanAge(ms)).toBe(text);
  });

  it('recomputes an AGE column for the moment asked, so a row read 12s ago says 34s 22s later', () => {
    const created = Date.parse('2026-01-01T00:00:00Z');
    const table = { columns: ['Name', 'Age'], rows: [['web', '12s']], since: ['2026-01-01T00:00:00Z'] };
    expect(agedAt(table, created + 34 * s).rows).toEqual([['web', '34s']]);
    expect(agedAt(table, created + 5 * m + 12 * s).rows).toEqual([['web', '5m12s']]);
  });

  it('counts an event from when it was last seen, and anything else from its creation', () => {
    const event = { kind: 'Event', metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, involvedObject: {}, lastTimestamp: '2026-01-01T00:05:00Z' };
    expect(ageSince(event)).toBe('2026-01-01T00:05:00Z');
    expect(ageSince({ kind: 'Pod', metadata: { creationTimestamp: '2026-01-01T00:00:00Z' } })).toBe('2026-01-01T00:00:00Z');
    expect(ageSince({ metadata: { ['__proto__']: 'x' } })).toBeUndefined();
  });
});
