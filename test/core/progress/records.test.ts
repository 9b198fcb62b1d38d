// The pure record updates: each returns a new record and leaves the one it was given untouched.
import { describe, expect, it } from 'vitest';
import * as rec from '../../../src/core/progress/records.js';
import { review } from '../../../src/core/quiz/schedule.js';
import type { LearnerData } from '../../../src/core/progress/types.js';

const T = (m: number) => new Date(Date.UTC(2026, 2, 1, 9, m));

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

function learner(): LearnerData {
  let d = rec.startLesson(rec.emptyLearner(), 'pods-1', T(0));
  d = rec.recordChecks(d, 'pods-1', 'make', [{ check: 'pod web exists', passed: false, message: 'there is no pod web' }]);
  d = rec.recordAnswer(d, 'pods-3', 'b', 'wrong', T(1));
  d = rec.saveCard(d, 'pods-3', review(undefined, 'wrong', T(1)));
  d = rec.startExam(d, { track: 'cka', taskIds: ['t1', 't2'], startedAt: T(2).toISOString(), deadline: T(122).toISOString(), flagged: [] });
  return deepFreeze(d);
}

describe('record updates', () => {
  it('never change the record they are given', () => {
    const d = learner();
    const before = structuredClone(d);
    rec.startLesson(d, 'pods-1', T(5));
    rec.recordChecks(d, 'pods-1', 'make', []);
    rec.passStep(d, 'pods-1', 'make', 1, T(5));
    rec.finishLesson(d, 'pods-1', 'learner', T(5));
    rec.recordHint(d, 'pods-1', 'make');
    rec.recordSolutionShown(d, 'pods-1', 'make');
    rec.recordAnswer(d, 'x', 'y', 'correct', T(5));
    rec.saveCard(d, 'x', review(undefined, 'correct', T(5)));
    rec.flagExamTask(d, 't1', true);
    rec.finishExam(d, {} as never);
    expect(d).toEqual(before);
  });

  it('starting a lesson makes it current and starts it afresh', () => {
    let d = rec.passStep(learner(), 'pods-1', 'make', 1, T(3));
    d = rec.startLesson(d, 'pods-1', T(9));
    expect(d.currentLesson).toBe('pods-1');
    expect(d.lessons['pods-1']).toEqual({ stepIndex: 0, startedAt: T(9).toISOString(), steps: {} });
  });

  it('keeps the first time a step passed, and moves the lesson to the step given', () => {
    let d = rec.passStep(learner(), 'pods-1', 'make', 1, T(3));
    d = rec.passStep(d, 'pods-1', 'make', 1, T(7));
    expect(d.lessons['pods-1'].steps.make.passedAt).toBe(T(3).toISOString());
    expect(d.lessons['pods-1'].stepIndex).toBe(1);
    expect(d.lessons['pods-1'].steps.make.lastChecks).toHaveLength(1);
  });

  it('counts hints per step', () => {
    let d: LearnerData = learner();
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = rec.recordHint(d, 'pods-1', 'make');
      d = r.data;
      counts.push(r.hints);
    }
    expect(counts).toEqual([1, 2, 3]);
    expect(rec.recordHint(d, 'pods-1', 'other').hints).toBe(1);
  });

  it('a lesson once solved by the learner stays solved by the learner', () => {
    let d = rec.finishLesson(learner(), 'pods-1', 'learner', T(4));
    d = rec.finishLesson(d, 'pods-1', 'solution', T(8));
    expect(d.lessons['pods-1']).toMatchObject({ finishedAt: T(4).toISOString(), solvedBy: 'learner' });
    expect(rec.finishLesson(learner(), 'pods-1', 'solution', T(4)).lessons['pods-1'].solvedBy).toBe('solution');
  });

  it('recording against a lesson never started starts its record', () => {
    const d = rec.recordSolutionShown(rec.emptyLearner(), 'svc-2', 'expose');
    expect(d.lessons['svc-2'].steps.expose).toEqual({ hints: 0, solutionShown: true });
    expect(d.currentLesson).toBeUndefined();
  });

  it('flags and unflags only tasks of the exam in progress', () => {
    let d = rec.flagExamTask(learner(), 't2', true);
    d = rec.flagExamTask(d, 't1', true);
    d = rec.flagExamTask(d, 't2', true);
    expect(d.currentExam!.flagged).toEqual(['t1', 't2']);
    d = rec.flagExamTask(d, 't1', false);
    expect(d.currentExam!.flagged).toEqual(['t2']);
    expect(rec.flagExamTask(d, 'not-in-exam', true)).toBe(d);
    expect(rec.flagExamTask(rec.emptyLearner(), 't1', true).currentExam).toBeUndefined();
  });

  it('finishing an exam keeps the report and ends the exam in progress', () => {
    const d = rec.finishExam(learner(), { track: 'cka', percent: 70 } as never);
    expect(d.currentExam).toBeUndefined();
    expect('currentExam' in d).toBe(false);
    expect(d.exams).toEqual([{ track: 'cka', percent: 70 }]);
  });

  it('reads exam reports kept before tasks carried their checks and solutions, and checks those that do', () => {
    const task = { id: 't', domain: 'd', title: 'T', weight: 1, score: 0, checksPassed: 0, checksTotal: 1, flagged: false };
    const report = { track: 'cka', title: 'CKA', passPercent: 66, percent: 0, passed: false, domains: [], flagged: [], startedAt: T(0).toISOString(), finishedAt: T(5).toISOString() };
    const old = { ...report, tasks: [task] };
    const now = { ...report, tasks: [{ ...task, checks: [{ label: 'Pod web exists', passed: false, message: 'there is no Pod web' }], solution: ['kubectl run web --image=nginx'] }] };
    const broken = { ...report, tasks: [{ ...task, checks: [{ label: 3 }], solution: 'kubectl' }] };
    const read = rec.normaliseLearner({ exams: [old, now, broken] });
    expect(read.data.exams).toEqual([old, now]);
    expect(read.problems).toEqual(['exam report 3 of 3 is not one, and was left out']);
  });

  it('stores a card with ISO dates and gives back the same card', () => {
    const card = review(review(undefined, 'correct', T(0)), 'correct', T(20));
    const stored = rec.cardToStored(card);
    expect(stored.due).toBe(card.due.toISOString());
    expect(stored.last_review).toBe(T(20).toISOString());
    expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
    expect(rec.cardFromStored(stored)).toEqual(card);
  });

  it('fills in the missing parts of a learner read from a file, and says what it could not use', () => {
    expect(rec.normaliseLearner({ currentLesson: 'a' })).toEqual({ data: { currentLesson: 'a', lessons: {}, answers: [], cards: {}, exams: [] }, problems: [] });
    expect(rec.normaliseLearner({ answers: 'nonsense', currentLesson: 'a' })).toEqual({ data: { currentLesson: 'a', lessons: {}, answers: [], cards: {}, exams: [] }, problems: ['the quiz answers are not a list, so none could be used'] });
    expect(rec.normaliseLearner(null)).toEqual({ data: rec.emptyLearner(), problems: ["the record is not a learner's record, so none of it could be used"] });
  });

  it('takes a sound record as it is', () => {
    const d = learner();
    expect(rec.normaliseLearner(JSON.parse(JSON.stringify(d)), { steps: (id) => (id === 'pods-1' ? [{ id: 'make' }] : undefined) })).toEqual({ data: d, problems: [] });
  });

  it('keeps a team exercise\'s sound parts and names the rest', () => {
    const { team, problems } = rec.normaliseTeam('C1', { lesson: 'l', startedBy: 'u', startedAt: T(0).toISOString(), passedBy: { a: 'u', b: 5 }, audit: [{ at: T(1).toISOString(), learner: 'u', command: 'kubectl get pods', code: 0, credited: [] }, 'x'] });
    expect(team).toEqual({ channel: 'C1', lesson: 'l', startedBy: 'u', startedAt: T(0).toISOString(), passedBy: { a: 'u' }, audit: [{ at: T(1).toISOString(), learner: 'u', command: 'kubectl get pods', code: 0, credited: [] }] });
    expect(problems).toEqual(['who first passed "b" in channel C1\'s exercise is not a learner, and was left out', 'command 2 of 2 of channel C1\'s exercise is not one, and was left out']);
    expect(rec.normaliseTeam('C2', { channel: 'C2' }).team).toBeUndefined();
  });
});
