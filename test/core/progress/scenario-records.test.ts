import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProgress } from '../../../src/core/progress/index.js';
import { emptyLearner, normaliseLearner } from '../../../src/core/progress/records.js';
import { agreeToScenario, passScenarioStep, scenarioPosition, scenarioRecord } from '../../../src/core/progress/scenario-records.js';

const at = new Date('2026-01-02T03:04:05Z');

describe('scenario progress', () => {
  it('moves to the first step not passed, and finishes when every step is', () => {
    let d = emptyLearner();
    expect(scenarioPosition(scenarioRecord(d, '/c/a'), 3)).toEqual({ stepIndex: 0, finished: false });
    d = passScenarioStep(d, '/c/a', 0, 3, at);
    expect(scenarioPosition(scenarioRecord(d, '/c/a'), 3)).toEqual({ stepIndex: 1, finished: false });
    d = passScenarioStep(d, '/c/a', 2, 3, at);
    expect(scenarioPosition(scenarioRecord(d, '/c/a'), 3)).toEqual({ stepIndex: 1, finished: false });
    expect(scenarioRecord(d, '/c/a')?.finishedAt).toBeUndefined();
    d = passScenarioStep(d, '/c/a', 1, 3, at);
    expect(scenarioPosition(scenarioRecord(d, '/c/a'), 3)).toEqual({ stepIndex: 3, finished: true });
    expect(scenarioRecord(d, '/c/a')?.finishedAt).toBe(at.toISOString());
  });

  it('keeps a scenario named __proto__ as a record, not as the prototype', () => {
    const d = agreeToScenario(emptyLearner(), '__proto__', 'a'.repeat(64));
    expect(scenarioRecord(d, '__proto__')?.agreed).toBe('a'.repeat(64));
    expect(Object.getPrototypeOf(d.scenarios)).toBe(Object.prototype);
    expect(scenarioRecord(d, 'toString')).toBeUndefined();
  });

  it('leaves out what a file holds that is not a scenario record, and says so', () => {
    const { data, problems } = normaliseLearner({ lessons: {}, answers: [], cards: {}, exams: [], scenarios: { '/c/a': { passed: [0, 'x', -1, 0], agreed: 'not a hash' }, '/c/b': 7 } });
    expect(data.scenarios).toEqual({ '/c/a': { passed: [0] } });
    expect(problems).toEqual(['the record of scenario /c/b is not one, and was left out (play it again)']);
  });

  it('keeps the steps passed and the consent across a restart, in the learner\'s file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-scenario-progress-'));
    const first = openProgress({ dir, report: () => undefined }).learner('local:me');
    first.agreeToScenario('/c/a', 'b'.repeat(64));
    first.passScenarioStep('/c/a', 0, 2, at);
    const again = openProgress({ dir, report: () => undefined }).learner('local:me');
    expect(again.scenario('/c/a')).toEqual({ agreed: 'b'.repeat(64), passed: [0] });
  });
});
