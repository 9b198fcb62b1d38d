// Every lesson proves itself: on a fresh cluster, no step passes before its solution, and every
// step passes after it, with the real kubectl running the solution. Then reset leaves nothing.
import { describe, it } from 'vitest';
import { loadLessons } from '../../src/core/lessons/loader.js';
import { freshCluster, prove, useHost } from '../helpers/proving.js';

const lessons = loadLessons();
const h = useHost();

describe('every lesson', () => {
  for (const lesson of lessons) {
    it(`${lesson.id}: each step fails before its solution and passes after it`, async () => {
      const p = freshCluster(h.host);
      try {
        await prove(p, lesson, lesson.steps.map((s) => ({ name: `${lesson.id}/${s.id}`, tasks: s.tasks, solution: s.solution })));
      } finally {
        p.dispose();
      }
    }, 180_000);
  }
});
