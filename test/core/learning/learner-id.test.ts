import { describe, expect, it } from 'vitest';
import { isLearnerId, localLearnerId, parseLearnerId, slackLearnerId } from '../../../src/core/learning/learner-id.js';

describe('learner ids', () => {
  it('reads back what it builds, for both doors', () => {
    expect(parseLearnerId(localLearnerId('ada'))).toEqual({ door: 'local', user: 'ada' });
    expect(parseLearnerId(slackLearnerId('T1', 'U2'))).toEqual({ door: 'slack', team: 'T1', user: 'U2' });
    expect(slackLearnerId('T1', 'U2')).toBe('slack:T1:U2');
  });

  it('refuses what is not a learner id', () => {
    for (const id of ['', 'ada', 'local:', 'slack:T1', 'slack:T1:U2:x', 'slack::U2', 'team:C1', 'local:a b']) {
      expect(parseLearnerId(id)).toBeUndefined();
      expect(isLearnerId(id)).toBe(false);
    }
  });
});
