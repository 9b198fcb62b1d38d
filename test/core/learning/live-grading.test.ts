// Live grading against a real simulated cluster: the step is graded when what it reads changes,
// with no command in between, and its marks tell "not yet" from "wrong".
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveGrading } from '../../../src/core/learning/live-grading.js';
import { openLearnerRecord } from '../../../src/core/learning/learner-record.js';
import { Session, type CheckOutcome } from '../../../src/core/learning/session.js';
import type { Lesson } from '../../../src/core/lessons/types.js';
import { freshCluster, useHost } from '../../helpers/proving.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-live-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const h = useHost();

const lesson: Lesson = {
  id: 'live',
  title: 'Live',
  summary: '',
  topics: [],
  sources: [],
  minutes: 1,
  prerequisites: [],
  namespaces: ['live-grading'],
  steps: [
    {
      id: 'settings',
      title: 'Settings',
      explanation: '',
      outcome: 'done',
      hints: [],
      solution: [],
      tasks: [
        {
          text: 'Make a ConfigMap `settings` with `mode: fast`, and a Secret `token`.',
          checks: [{ field: { kind: 'ConfigMap', name: 'settings', path: '{.data.mode}', equals: 'fast' } }, { exists: { kind: 'Secret', name: 'token' } }],
        },
      ],
    },
    { id: 'second', title: 'Second', explanation: '', outcome: '', hints: [], solution: [], tasks: [{ text: 'x', checks: [{ exists: { kind: 'ConfigMap', name: 'other' } }] }] },
  ],
};

/** The next grade the live grader reports. */
const nextGrade = (live: LiveGrading) => new Promise<CheckOutcome>((resolve) => live.once('graded', resolve));
const states = (o: CheckOutcome) => o.tasks.flatMap((t) => t.checks.map((c) => c.state));
const configMap = (mode: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode } });

describe('live grading', () => {
  it('marks an untouched step pending, a wrong change failed and a right one passed, with no command run', async () => {
    const p = freshCluster(h.host);
    const session = new Session({ target: p.target, progress: openLearnerRecord({ KUBEDOJO_HOME: home }), lessons: [lesson] });
    await session.start('live');
    const live = new LiveGrading(session);
    try {
      const first = nextGrade(live);
      await live.start();
      expect(states(await first)).toEqual(['pending', 'pending']);

      let graded = nextGrade(live);
      await p.target.client!.apply(configMap('slow'), 'live-grading');
      expect(states(await graded)).toEqual(['failed', 'pending']);

      graded = nextGrade(live);
      await p.target.client!.apply(configMap('fast'), 'live-grading');
      expect(states(await graded)).toEqual(['passed', 'pending']);

      graded = nextGrade(live);
      await p.target.client!.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' }, stringData: { t: 'x' } }, 'live-grading');
      const passed = await graded;
      expect(passed.passed).toBe(true);
      expect(passed.next?.id).toBe('second');

      // The next step opens with nothing tried: a change to the last step's objects marks nothing.
      graded = nextGrade(live);
      await p.target.client!.apply(configMap('faster'), 'live-grading');
      expect(states(await graded)).toEqual(['pending']);
    } finally {
      live.stop();
      p.dispose();
    }
  });

  it('marks a check failed once a command names its object, though nothing changed where it looks', async () => {
    const p = freshCluster(h.host);
    const session = new Session({ target: p.target, progress: openLearnerRecord({ KUBEDOJO_HOME: home }), lessons: [lesson] });
    await session.start('live');
    const live = new LiveGrading(session);
    try {
      await live.start();
      const graded = nextGrade(live);
      // Made in the wrong namespace: the lesson's namespace never changes, but it was a try.
      live.noteCommand('kubectl create configmap settings --from-literal=mode=fast -n default');
      expect(states(await graded)).toEqual(['failed', 'pending']);
    } finally {
      live.stop();
      p.dispose();
    }
  });
});
