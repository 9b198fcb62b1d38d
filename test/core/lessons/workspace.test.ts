// A lesson's workspace on a target without a cluster: commands that only read the learner's
// record work without one, and whatever needs one says so as a learner's error.
import { describe, expect, it } from 'vitest';
import { clientOf, prepare } from '../../../src/core/lessons/workspace.js';
import { LearnerError } from '../../../src/core/problems.js';

describe('a target without a cluster', () => {
  it('tells the learner that no cluster is reachable and what to do, when a lesson needs one', async () => {
    expect(() => clientOf({})).toThrow(LearnerError);
    const err = await prepare({ namespaces: ['dojo-x'] }, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LearnerError);
    expect((err as LearnerError).message).toBe('No cluster is reachable, and this needs one.');
    expect((err as LearnerError).nextStep).toMatch(/kubedojo serve/);
  });
});
