// Every exam task proves itself as lessons do: each of its checks fails on the fresh setup, naming
// no answer, and all pass after its solution, run with the real kubectl. And a task nobody touched
// scores nothing.
import { describe, expect, it } from 'vitest';
import { loadExamBank } from '../../src/core/quiz/exam-bank.js';
import { gradeExam, taskWorkspace } from '../../src/core/quiz/exam-session.js';
import { prepare } from '../../src/core/lessons/workspace.js';
import { freshCluster, prove, useHost } from '../helpers/proving.js';

const h = useHost();

for (const track of ['cka', 'ckad'] as const) {
  describe(`every ${track} exam task`, () => {
    for (const task of loadExamBank(track).tasks) {
      it(`exam ${track} ${task.id}: scores 0 when untouched`, async () => {
        const p = freshCluster(h.host);
        try {
          await p.ticking(() => prepare(taskWorkspace(task), p.target));
          const now = new Date();
          const report = await gradeExam(loadExamBank(track), { track, taskIds: [task.id], startedAt: now.toISOString(), deadline: now.toISOString(), flagged: [] }, p.target);
          expect(report.tasks.map((t) => ({ id: t.id, score: t.score, checksPassed: t.checksPassed }))).toEqual([{ id: task.id, score: 0, checksPassed: 0 }]);
          expect(report.percent).toBe(0);
        } finally {
          p.dispose();
        }
      }, 180_000);

      it(`exam ${track} ${task.id}: each of its checks fails before the solution without giving the answer away, and all pass after it`, async () => {
        const p = freshCluster(h.host);
        try {
          await prove(p, taskWorkspace(task), [{ name: task.id, tasks: [{ text: task.text, checks: task.checks }], solution: task.solution }]);
        } finally {
          p.dispose();
        }
      }, 180_000);
    }
  });
}
