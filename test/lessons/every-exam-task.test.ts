// Every exam task proves itself as lessons do: its checks fail on the fresh setup and all pass
// after its solution, run with the real kubectl.
import { describe, it } from 'vitest';
import { loadExamBank } from '../../src/core/quiz/exam-bank.js';
import { taskWorkspace } from '../../src/core/quiz/exam-session.js';
import { freshCluster, prove, useHost } from '../helpers/proving.js';

const h = useHost();

for (const track of ['cka', 'ckad'] as const) {
  describe(`every ${track} exam task`, () => {
    for (const task of loadExamBank(track).tasks) {
      it(`exam ${track} ${task.id}: its checks fail before the solution and pass after it`, async () => {
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
