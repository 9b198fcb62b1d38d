// An exam drill on a simulated cluster: tasks are set up in their own namespaces, and submitting
// clears them without waiting on pods' grace periods; the next drill's set-up waits instead.
import { afterEach, describe, expect, it } from 'vitest';
import { clearExam, examStanding, gradeExam, startExam } from '../../../src/core/quiz/exam-session.js';
import { loadExamBank } from '../../../src/core/quiz/exam-bank.js';
import type { ExamBank, ExamTask } from '../../../src/core/quiz/types.js';
import { freshCluster, useHost, type Proving } from '../../helpers/proving.js';

const shared = useHost();
let p: Proving | undefined;
afterEach(() => p?.dispose());

// A pod whose process ignores SIGTERM keeps its namespace Terminating for its 30 s grace period.
const task = (n: number): ExamTask => ({
  id: `stubborn-${n}`,
  domain: 'design',
  title: 'A pod that takes its time to stop',
  text: `Namespace \`exam-stubborn-${n}\`.`,
  namespace: `exam-stubborn-${n}`,
  setup: [{ apply: 'apiVersion: v1\nkind: Pod\nmetadata: { name: sleeper }\nspec:\n  containers:\n    - { name: c, image: busybox, command: [sleep, "3600"] }\n' }],
  checks: [{ pod: { name: 'sleeper', phase: 'Running' } }],
  solution: [],
});

function bankOf(tasks: ExamTask[]): ExamBank {
  const real = loadExamBank('ckad');
  return { ...real, domains: real.domains.filter((d) => d.id === 'design'), tasks };
}

describe('an exam drill on a cluster', () => {
  it('sets up every task in its own namespace, a few at a time', async () => {
    p = freshCluster(shared.host);
    const bank = bankOf([1, 2, 3, 4, 5].map(task));
    const { exam } = await p.ticking(() => startExam(bank, p!.target, { now: new Date(), seed: 1, count: 5 }));
    expect(exam.taskIds.sort()).toEqual(['stubborn-1', 'stubborn-2', 'stubborn-3', 'stubborn-4', 'stubborn-5']);
    for (let n = 1; n <= 5; n++) expect(await p.target.client!.get('pods', 'sleeper', `exam-stubborn-${n}`)).toBeDefined();
  });

  it('clears its namespaces without waiting for their pods to stop, and the next drill waits for them', async () => {
    p = freshCluster(shared.host);
    const bank = bankOf([task(1)]);
    const { exam } = await p.ticking(() => startExam(bank, p!.target, { now: new Date(), seed: 1, count: 1 }));
    for (let i = 0; i < 30; i++) p.clock.advance(1000);
    await new Promise((r) => setImmediate(r));
    expect((await gradeExam(bank, exam, p.target)).percent).toBe(100);

    await clearExam(bank, exam, p.target);
    const ns = await p.target.client!.get('namespaces', 'exam-stubborn-1');
    expect(ns?.metadata?.deletionTimestamp, 'the namespace is on its way out, not gone').toBeDefined();

    await p.ticking(() => startExam(bank, p!.target, { now: new Date(), seed: 2, count: 1 }));
    const again = await p.target.client!.get('namespaces', 'exam-stubborn-1');
    expect(again?.metadata?.deletionTimestamp).toBeUndefined();
    expect(await p.target.client!.get('pods', 'sleeper', 'exam-stubborn-1')).toBeDefined();
  });

  it('says which tasks are untouched and flagged before submitting, and grades each check in words with its solution', async () => {
    p = freshCluster(shared.host);
    const made: ExamTask = {
      id: 'cm',
      domain: 'design',
      title: 'A ConfigMap to make',
      text: 'Namespace `exam-cm`.',
      namespace: 'exam-cm',
      checks: [{ exists: { kind: 'ConfigMap', name: 'settings' } }, { field: { kind: 'ConfigMap', name: 'settings', path: '{.data.mode}', equals: 'fast' } }],
      solution: ['kubectl create configmap settings --from-literal=mode=fast -n exam-cm'],
    };
    const bank = bankOf([made, { ...made, id: 'cm2', title: 'Another', namespace: 'exam-cm2', text: 'Namespace `exam-cm2`.', solution: ['kubectl create configmap settings --from-literal=mode=fast -n exam-cm2'] }]);
    const { exam } = await p.ticking(() => startExam(bank, p!.target, { now: new Date(), seed: 1, count: 2 }));
    await p.target.client!.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'exam-cm' }, data: { mode: 'slow' } });
    const flagged = { ...exam, flagged: ['cm'] };
    expect(await examStanding(bank, flagged, p.target)).toEqual({ tasks: 2, untouched: ['cm2'], done: [], flagged: ['cm'] });

    const report = await gradeExam(bank, flagged, p.target);
    const cm = report.tasks.find((t) => t.id === 'cm')!;
    expect(cm.checks?.map((c) => c.passed)).toEqual([true, false]);
    for (const c of cm.checks ?? []) expect(c.label).not.toMatch(/\{\./);
    expect(cm.checks?.[1].message).not.toBe('');
    expect(cm.solution).toEqual(['kubectl create configmap settings --from-literal=mode=fast -n exam-cm']);
  });
});
