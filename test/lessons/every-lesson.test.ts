// Every lesson proves itself: on a fresh cluster, every check of a step fails before its solution
// (after the solutions of the steps before it), naming no answer while it fails, and every step
// passes after it, with the real kubectl running the solution. Then reset leaves nothing.
import { describe, it } from 'vitest';
import { loadLessons } from '../../src/core/lessons/loader.js';
import { freshCluster, prove, useHost } from '../helpers/proving.js';

const lessons = loadLessons();
const h = useHost();

describe('every lesson', () => {
  for (const lesson of lessons) {
    it(`${lesson.id}: each check of a step fails before its solution without giving the answer away, and all pass after it`, async () => {
      const p = freshCluster(h.host);
      try {
        await prove(p, lesson, lesson.steps.map((s) => ({ name: `${lesson.id}/${s.id}`, tasks: s.tasks, solution: s.solution })));
      } finally {
        p.dispose();
      }
    }, 180_000);
  }
});
