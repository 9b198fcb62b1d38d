// The Dojo's pure parts: crediting team members and ranking learners.
import { describe, expect, it } from 'vitest';
import { creditTeam, rankLearners, teamBoard, type TeamExercise } from '../../../src/core/learning/dojo.js';

const team: TeamExercise = { channel: 'C1', lesson: 'pods-first', startedBy: 'ann', startedAt: '2026-01-01T00:00:00Z', passedBy: { 'run: pod exists': 'ann' }, audit: [] };
const entry = (learner: string) => ({ at: '2026-01-01T00:01:00Z', learner, command: 'kubectl apply -f -', code: 0 });

describe('crediting a team member', () => {
  it('credits the checks that pass now and that nobody had made pass, and audits the command', () => {
    const { team: after, credited } = creditTeam(team, entry('bob'), ['run: pod exists', 'run: pod is Running']);
    expect(credited).toEqual(['run: pod is Running']);
    expect(after.passedBy).toEqual({ 'run: pod exists': 'ann', 'run: pod is Running': 'bob' });
    expect(after.audit).toEqual([{ ...entry('bob'), credited: ['run: pod is Running'] }]);
    expect(team.audit, 'the exercise it was given is left as it was').toEqual([]);
  });

  it('audits a command that made nothing pass, crediting nobody', () => {
    const { team: after, credited } = creditTeam(team, { ...entry('cy'), code: 1 }, []);
    expect(credited).toEqual([]);
    expect(after.passedBy).toEqual(team.passedBy);
    expect(teamBoard(after)).toEqual([{ learner: 'ann', checks: 1, commands: 0 }, { learner: 'cy', checks: 0, commands: 1 }]);
  });
});

describe('ranking learners', () => {
  it('puts lessons finished first, then right answers, then the best exam, then the name', () => {
    const rows = [
      { learner: 'd', lessons: 1, correct: 5 },
      { learner: 'c', lessons: 2, correct: 0 },
      { learner: 'b', lessons: 1, correct: 5, bestExam: 70 },
      { learner: 'a', lessons: 1, correct: 5 },
    ];
    expect(rankLearners(rows).map((r) => r.learner)).toEqual(['c', 'b', 'a', 'd']);
  });
});
