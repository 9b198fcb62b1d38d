// What a learner has earned stays earned: revisiting a finished lesson does not undo it, and a
// new sitting opens on the next unfinished lesson rather than the one just finished.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLearnerRecord } from '../../../src/core/learning/learner-record.js';
import { Session } from '../../../src/core/learning/session.js';
import type { Lesson } from '../../../src/core/lessons/types.js';
import { freshCluster, useHost } from '../../helpers/proving.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-earned-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const h = useHost();

const lessonOf = (id: string, prerequisites: string[] = []): Lesson => ({
  id,
  title: id,
  summary: '',
  topics: [],
  sources: [],
  minutes: 1,
  prerequisites,
  namespaces: [`earned-${id}`],
  steps: [{ id: 'only', title: 'Only', explanation: '', outcome: '', hints: [], solution: [{ apply: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: done\n' }], tasks: [{ text: 'x', checks: [{ exists: { kind: 'ConfigMap', name: 'done' } }] }] }],
});

describe('progress across visits', () => {
  it('keeps a finished lesson finished when it is started again, and opens the next one', async () => {
    const p = freshCluster(h.host);
    try {
      const progress = openLearnerRecord({ KUBEDOJO_HOME: home });
      const session = new Session({ target: p.target, progress, lessons: [lessonOf('first'), lessonOf('second', ['first'])] });
      expect(session.opening()).toBe('first');
      await session.start('first');
      await session.solve();
      expect(session.overview().lessons[0].status).toBe('done');
      // Finished: a new sitting opens on what comes next.
      expect(session.opening()).toBe('second');

      await session.start('first');
      expect(session.overview().lessons[0]).toMatchObject({ status: 'done', stepsDone: 1 });
      // Being worked through again: a new sitting goes back to it.
      expect(session.opening()).toBe('first');
      await session.reset();
      expect(progress.lesson('first')?.finishedAt).toBeDefined();
    } finally {
      p.dispose();
    }
  });
});
