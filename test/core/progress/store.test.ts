// The progress store: every mutation is on disk when it returns, in one small file per learner (so
// a write costs the same however many learners there are), stores in one process or several lose
// none of each other's writes, and damage is reported in words, the file kept aside untouched,
// and everything that could be read kept.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { localLearnerId, openProgress, slackLearnerId, type LearnerHandle } from '../../../src/core/progress/index.js';
import { openLearnerRecord } from '../../../src/core/learning/learner-record.js';
import { BugError, LearnerError } from '../../../src/core/problems.js';
import { review } from '../../../src/core/quiz/schedule.js';
import { Tutor, type LearnerRecord } from '../../../src/core/learning/tutor.js';
import type { ChoiceItem } from '../../../src/core/quiz/types.js';

const T = (m: number) => new Date(Date.UTC(2026, 2, 1, 9, m));
const FIXED = () => new Date('2026-03-01T12:34:56.789Z');
const start = (channel: string) => () => ({ channel, lesson: 'pods-first', startedBy: 'slack:T1:U1', startedAt: T(0).toISOString(), passedBy: {}, audit: [] });
const run = (learner: string, m: number) => ({ at: T(m).toISOString(), learner, command: 'kubectl get pods', code: 0, credited: [] });
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-progress-'));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const learnerFile = (dir: string, id: string) => path.join(dir, 'progress', 'learners', `${encodeURIComponent(id)}.json`);
const recordOf = (dir: string, id: string) => JSON.parse(readFileSync(learnerFile(dir, id), 'utf8')).record;
const teamFile = (dir: string, channel: string) => path.join(dir, 'progress', 'teams', `${encodeURIComponent(channel)}.json`);

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('openProgress', () => {
  it('keeps one file per learner in $KUBEDOJO_HOME/progress, private, and creates nothing until something is recorded', () => {
    const home = path.join(tmp(), 'home');
    const store = openProgress({ env: { KUBEDOJO_HOME: home } });
    expect(store.path).toBe(path.join(home, 'progress'));
    expect(store.learner('local:ann').lessons()).toEqual({});
    expect(existsSync(home)).toBe(false);
    store.learner('local:ann').startLesson('pods-1', T(0));
    expect(JSON.parse(readFileSync(learnerFile(home, 'local:ann'), 'utf8'))).toEqual({
      kind: 'KubedojoLearner',
      version: 1,
      id: 'local:ann',
      record: { currentLesson: 'pods-1', lessons: { 'pods-1': { stepIndex: 0, startedAt: T(0).toISOString(), steps: {} } }, answers: [], cards: {}, exams: [] },
    });
    for (const d of [path.join(home, 'progress'), path.join(home, 'progress', 'learners')]) expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(statSync(learnerFile(home, 'local:ann')).mode & 0o777).toBe(0o600);
  });

  it('names learners as the local user or a Slack team and user, and refuses anything else', () => {
    expect(localLearnerId('ann')).toBe('local:ann');
    expect(localLearnerId()).toMatch(/^local:.+/);
    expect(slackLearnerId('T01', 'U02')).toBe('slack:T01:U02');
    const store = openProgress({ dir: tmp() });
    for (const bad of ['ann', 'local:', 'slack:T01', 'slack:T01:U02:x', '']) expect(caught(() => store.learner(bad))).toBeInstanceOf(BugError);
  });

  it('the local learner record is the store handle for local:<user> in $KUBEDOJO_HOME', () => {
    const home = tmp();
    const r = openLearnerRecord({ KUBEDOJO_HOME: home });
    r.recordAnswer('pods-1', 'a', 'correct', T(0));
    expect(openProgress({ dir: home }).learnerIds()).toEqual([localLearnerId()]);
    expect(recordOf(home, localLearnerId()).answers).toHaveLength(1);
  });
});

describe('a learner handle', () => {
  it('writes every lesson event through: a store opened afresh sees it', () => {
    const dir = tmp();
    const me = openProgress({ dir }).learner('local:ann');
    const reopened = () => openProgress({ dir }).learner('local:ann');
    me.startLesson('pods-1', T(0));
    me.recordChecks('pods-1', 'make', [{ check: 'pod web is Running', passed: false, message: 'pod web is Pending' }]);
    expect(reopened().lesson('pods-1')!.steps.make.lastChecks).toEqual([{ check: 'pod web is Running', passed: false, message: 'pod web is Pending' }]);
    expect(me.recordHint('pods-1', 'make')).toBe(1);
    expect(me.recordHint('pods-1', 'make')).toBe(2);
    me.recordSolutionShown('pods-1', 'make');
    me.passStep('pods-1', 'make', 1, T(3));
    me.finishLesson('pods-1', 'solution', T(4));
    const r = reopened();
    expect(r.currentLesson()).toBe('pods-1');
    expect(r.lesson('pods-1')).toMatchObject({ stepIndex: 1, finishedAt: T(4).toISOString(), solvedBy: 'solution', steps: { make: { hints: 2, solutionShown: true, passedAt: T(3).toISOString() } } });
    expect(r.lesson('nope')).toBeUndefined();
  });

  it('keeps quiz answers in order and cards with their dates', () => {
    const dir = tmp();
    const me = openProgress({ dir }).learner('slack:T1:U1');
    const card = review(undefined, 'wrong', T(0));
    me.recordAnswer('svc-4', 'NodePort', 'close', T(0));
    me.recordAnswer('svc-5', '2', 'wrong', T(1));
    me.saveCard('svc-5', card);
    const r = openProgress({ dir }).learner('slack:T1:U1');
    expect(r.answers()).toEqual([
      { itemId: 'svc-4', answer: 'NodePort', verdict: 'close', at: T(0).toISOString() },
      { itemId: 'svc-5', answer: '2', verdict: 'wrong', at: T(1).toISOString() },
    ]);
    expect(r.cards()).toEqual({ 'svc-5': card });
    expect(r.card('svc-5')!.due).toBeInstanceOf(Date);
    expect(recordOf(dir, 'slack:T1:U1').cards['svc-5'].due).toBe(card.due.toISOString());
  });

  it('keeps an exam in progress with its flags, and its report once finished', () => {
    const dir = tmp();
    const me = openProgress({ dir }).learner('local:ann');
    const exam = { track: 'ckad' as const, taskIds: ['a', 'b'], startedAt: T(0).toISOString(), deadline: T(120).toISOString(), flagged: [] };
    me.startExam(exam);
    me.flagExamTask('b', true);
    expect(openProgress({ dir }).learner('local:ann').currentExam()).toEqual({ ...exam, flagged: ['b'] });
    const report = { track: 'ckad', title: 'CKAD drill', passPercent: 66, percent: 72.5, passed: true, domains: [], tasks: [], flagged: ['b'], startedAt: exam.startedAt, finishedAt: T(90).toISOString() } as const;
    me.finishExam({ ...report, domains: [], tasks: [], flagged: ['b'] });
    const r = openProgress({ dir }).learner('local:ann');
    expect(r.currentExam()).toBeUndefined();
    expect(r.examReports()).toEqual([report]);
  });

  it('hands out copies: changing what it returns changes nothing stored', () => {
    const me = openProgress({ dir: tmp() }).learner('local:ann');
    me.startLesson('pods-1', T(0));
    me.lesson('pods-1')!.stepIndex = 7;
    me.lessons()['pods-1'].steps.x = { hints: 9 };
    me.answers().push({ itemId: 'x', answer: '', verdict: 'correct', at: '' });
    expect(me.lesson('pods-1')).toEqual({ stepIndex: 0, startedAt: T(0).toISOString(), steps: {} });
    expect(me.answers()).toEqual([]);
  });

  it('is what the Session and the Tutor take as a learner record', async () => {
    const handle: LearnerHandle = openProgress({ dir: tmp() }).learner('local:ann');
    const learner: LearnerRecord = handle;
    const item: ChoiceItem = { id: 'arch-1', kind: 'choice', topic: 'architecture', difficulty: 1, source: { file: '001.md', heading: 'Architecture' }, question: 'Which stores cluster state?', choices: ['etcd', 'kubelet'], answer: 0, explanation: 'etcd.' };
    const other: ChoiceItem = { ...item, id: 'arch-2' };
    let now = T(0);
    const tutor = new Tutor({ target: { client: undefined as never }, learner, lessons: [], bank: [item, other], now: () => now });
    const answered = await tutor.answer('arch-1', 'b');
    expect(answered.grade.verdict).toBe('wrong');
    expect(handle.answers()).toMatchObject([{ itemId: 'arch-1', answer: 'b', verdict: 'wrong' }]);
    expect(handle.card('arch-1')!.due.getTime()).toBeGreaterThan(T(0).getTime());
    now = T(5);
    // Five minutes on, the item answered wrong is due again and comes before the new one.
    expect(tutor.quiz().map((i) => i.id)).toEqual(['arch-1', 'arch-2']);
    expect(tutor.summary().quiz).toMatchObject({ answered: 1, wrong: 1, due: 1 });
  });
});

describe('team exercises in the progress files', () => {

  it('are kept beside the learners, and a learner\'s write leaves them be', () => {
    const dir = tmp();
    const a = openProgress({ dir });
    a.updateTeam('C1', start('C1'));
    a.learner('slack:T1:U1').recordAnswer('x', 'y', 'correct', T(1));
    const b = openProgress({ dir });
    expect(b.teams()).toEqual({ C1: start('C1')() });
    expect(JSON.parse(readFileSync(teamFile(dir, 'C1'), 'utf8')).exercise.lesson).toBe('pods-first');
    expect(b.learner('slack:T1:U1').answers()).toHaveLength(1);
  });

  it('lose no member\'s command when two stores append to one exercise in turn', () => {
    const dir = tmp();
    const a = openProgress({ dir });
    const b = openProgress({ dir });
    a.updateTeam('C1', start('C1'));
    for (let i = 0; i < 5; i++) {
      a.updateTeam('C1', (t) => ({ ...t!, audit: [...t!.audit, run('slack:T1:U1', i)] }));
      b.updateTeam('C1', (t) => ({ ...t!, audit: [...t!.audit, run('slack:T1:U2', i)] }));
    }
    expect(openProgress({ dir }).teams().C1.audit.map((e) => e.learner)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 ? 'slack:T1:U2' : 'slack:T1:U1')));
  });

  it('hand out copies', () => {
    const store = openProgress({ dir: tmp() });
    store.updateTeam('C1', start('C1'));
    store.teams().C1.audit.push(run('slack:T1:U1', 0));
    expect(store.teams().C1.audit).toEqual([]);
  });
});

describe('two stores on one data directory', () => {
  it('lose none of each other\'s writes, for different learners or the same one', () => {
    const dir = tmp();
    const a = openProgress({ dir });
    const b = openProgress({ dir });
    for (let i = 0; i < 10; i++) {
      a.learner('local:ann').recordAnswer(`a-${i}`, 'x', 'correct', T(i));
      b.learner('slack:T1:U1').recordAnswer(`b-${i}`, 'x', 'wrong', T(i));
      (i % 2 ? a : b).learner('local:shared').recordAnswer(`s-${i}`, 'x', 'close', T(i));
    }
    const c = openProgress({ dir });
    expect(c.learnerIds()).toEqual(['local:ann', 'local:shared', 'slack:T1:U1']);
    expect(c.learner('local:ann').answers()).toHaveLength(10);
    expect(c.learner('slack:T1:U1').answers()).toHaveLength(10);
    expect(c.learner('local:shared').answers().map((x) => x.itemId)).toEqual(Array.from({ length: 10 }, (_, i) => `s-${i}`));
    // And each store reads what the other wrote.
    expect(a.learner('slack:T1:U1').answers()).toHaveLength(10);
    expect(b.learner('local:ann').answers()).toHaveLength(10);
  });

  it('lose none of each other\'s writes across processes either', async () => {
    const dir = tmp();
    const built = path.resolve('dist/src/core/progress/index.js');
    if (!existsSync(built)) throw new Error('run `npm run build` first (`npm test` does)');
    // A second process writing through the built store while this one writes too.
    const script = `import { writeSync } from 'node:fs';
      const { openProgress } = await import(${JSON.stringify(pathToFileURL(built).href)});
      const l = openProgress({ dir: ${JSON.stringify(dir)} }).learner('slack:T9:U9');
      writeSync(1, 'ready\\n');
      for (let i = 0; i < 150; i++) l.recordAnswer('child-' + i, 'x', 'correct', new Date(0));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const me = openProgress({ dir }).learner('local:ann');
    for (let i = 0; i < 150; i++) {
      me.recordAnswer(`parent-${i}`, 'x', 'correct', T(0));
      await new Promise((r) => setImmediate(r));
    }
    expect(await exited).toBe(0);
    const store = openProgress({ dir });
    expect(store.learner('slack:T9:U9').answers()).toHaveLength(150);
    expect(store.learner('local:ann').answers()).toHaveLength(150);
  });
});

describe('a learner\'s file that cannot be read at all', () => {
  const cases: [string, string][] = [
    ['not JSON', '{"kind": "KubedojoLearner", "version": 1, "record": {'],
    ['an array', '[1, 2, 3]'],
    ['a string', '"progress"'],
    ['null', 'null'],
    ['without a version', '{"kind": "KubedojoLearner", "record": {}}'],
    ['a record that is not an object', '{"kind": "KubedojoLearner", "version": 1, "record": [1]}'],
  ];
  for (const [what, text] of cases) {
    it(`is reported, moved aside untouched, and started anew when it is ${what}`, () => {
      const dir = tmp();
      mkdirSync(path.dirname(learnerFile(dir, 'local:ann')), { recursive: true });
      writeFileSync(learnerFile(dir, 'local:ann'), text);
      const reports: string[] = [];
      const store = openProgress({ dir, now: FIXED, report: (m) => reports.push(m) });
      expect(store.learner('local:ann').answers()).toEqual([]);
      const aside = `${learnerFile(dir, 'local:ann')}.damaged-2026-03-01T12-34-56-789Z`;
      expect(reports).toEqual([expect.stringMatching(new RegExp(`^the progress file .*local%3Aann\\.json could not be read: .*It was moved to ${aside.replace(/[.]/g, '\\.')}, untouched, and this record starts anew\\. To get it back, repair that copy and move it back`))]);
      expect(readFileSync(aside, 'utf8')).toBe(text);
      // The next write starts afresh and leaves the copy alone.
      store.learner('local:ann').recordAnswer('x', 'y', 'correct', T(0));
      expect(readFileSync(aside, 'utf8')).toBe(text);
      expect(recordOf(dir, 'local:ann').answers).toHaveLength(1);
    });
  }

  it('is moved aside with a learner\'s error when a newer kubedojo wrote it', () => {
    const dir = tmp();
    mkdirSync(path.dirname(learnerFile(dir, 'local:ann')), { recursive: true });
    const text = JSON.stringify({ kind: 'KubedojoLearner', version: 2, id: 'local:ann', record: { somethingNew: true } });
    writeFileSync(learnerFile(dir, 'local:ann'), text);
    const err = caught(() => openProgress({ dir, now: FIXED }).learner('local:ann')) as LearnerError;
    expect(err).toBeInstanceOf(LearnerError);
    expect(err.message).toContain('newer kubedojo (format 2; this one reads format 1)');
    expect(err.nextStep).toContain('Update kubedojo');
    expect(readFileSync(`${learnerFile(dir, 'local:ann')}.newer-2026-03-01T12-34-56-789Z`, 'utf8')).toBe(text);
  });

  it('never overwrites an earlier copy kept aside', () => {
    const dir = tmp();
    mkdirSync(path.dirname(learnerFile(dir, 'local:ann')), { recursive: true });
    for (const text of ['one', 'two', 'three']) {
      writeFileSync(learnerFile(dir, 'local:ann'), text);
      openProgress({ dir, now: FIXED, report: () => undefined }).learner('local:ann');
    }
    const aside = readdirSync(path.dirname(learnerFile(dir, 'local:ann'))).filter((f) => f.includes('.damaged-')).sort();
    expect(aside).toHaveLength(3);
    expect(aside.map((f) => readFileSync(path.join(dir, 'progress', 'learners', f), 'utf8')).sort()).toEqual(['one', 'three', 'two']);
  });

  it('is caught when it goes bad while a store is open: reported, kept aside, and the write goes to a new record', () => {
    const dir = tmp();
    const reports: string[] = [];
    const me = openProgress({ dir, now: FIXED, report: (m) => reports.push(m) }).learner('local:ann');
    me.recordAnswer('a', 'x', 'correct', T(0));
    writeFileSync(learnerFile(dir, 'local:ann'), 'garbage');
    me.recordAnswer('b', 'x', 'correct', T(1));
    expect(reports).toHaveLength(1);
    expect(readFileSync(`${learnerFile(dir, 'local:ann')}.damaged-2026-03-01T12-34-56-789Z`, 'utf8')).toBe('garbage');
    expect(recordOf(dir, 'local:ann').answers.map((a: { itemId: string }) => a.itemId)).toEqual(['b']);
  });
});

describe('a learner\'s file whose JSON is sound but some fields are not', () => {
  const lessons = [{ id: 'pods-1', steps: [{ id: 'make' }, { id: 'expose' }] }];
  const damaged = {
    currentLesson: 'pods-1',
    lessons: {
      'pods-1': { stepIndex: 99, startedAt: T(0).toISOString(), steps: { make: { hints: 2, passedAt: T(1).toISOString() }, expose: { hints: 'many' } } },
      'svc-1': null,
    },
    answers: [{ itemId: 'q1', answer: 'a', verdict: 'correct', at: T(2).toISOString() }, null, { itemId: 5 }],
    cards: { q1: { due: 'soon' } },
    exams: [{ percent: 'x' }],
  };

  it('keeps what can be used, reports each part it could not, and keeps the file as it was aside', () => {
    const dir = tmp();
    mkdirSync(path.dirname(learnerFile(dir, 'local:ann')), { recursive: true });
    const text = JSON.stringify({ kind: 'KubedojoLearner', version: 1, id: 'local:ann', record: damaged });
    writeFileSync(learnerFile(dir, 'local:ann'), text);
    const reports: string[] = [];
    const me = openProgress({ dir, now: FIXED, lessons, report: (m) => reports.push(m) }).learner('local:ann');
    expect(me.lesson('pods-1')).toEqual({ stepIndex: 1, startedAt: T(0).toISOString(), steps: { make: { hints: 2, passedAt: T(1).toISOString() }, expose: { hints: 0 } } });
    expect(me.lesson('svc-1')).toBeUndefined();
    expect(me.answers()).toEqual([{ itemId: 'q1', answer: 'a', verdict: 'correct', at: T(2).toISOString() }]);
    expect(me.cards()).toEqual({});
    expect(me.examReports()).toEqual([]);
    expect(reports).toHaveLength(1);
    const aside = `${learnerFile(dir, 'local:ann')}.damaged-2026-03-01T12-34-56-789Z`;
    for (const said of [
      'lesson pods-1 was at stepIndex 99, which is not one of its 2 steps, so it is at step 2 now',
      'the hints seen in step expose of lesson pods-1 ("many") are not a count, so none count as seen',
      'the record of lesson svc-1 is not one, and was left out (start the lesson again)',
      'quiz answer 2 of 3 is not one, and was left out',
      'quiz answer 3 of 3 is not one, and was left out',
      'the review card of q1 is not one, and was left out (it will be asked as new)',
      'exam report 1 of 1 is not one, and was left out',
      `The rest is kept. The file as it was is kept in ${aside}, untouched`,
    ]) expect(reports[0]).toContain(said);
    expect(readFileSync(aside, 'utf8')).toBe(text);
    // Written back as read: said once, and the copy aside stays as it was.
    const again: string[] = [];
    openProgress({ dir, now: FIXED, lessons, report: (m) => again.push(m) }).learner('local:ann');
    expect(again).toEqual([]);
    expect(recordOf(dir, 'local:ann').lessons['pods-1'].stepIndex).toBe(1);
    expect(readFileSync(aside, 'utf8')).toBe(text);
  });

  it('sets a step number out of range back to the first step not passed', () => {
    const dir = tmp();
    mkdirSync(path.dirname(learnerFile(dir, 'local:ann')), { recursive: true });
    writeFileSync(learnerFile(dir, 'local:ann'), JSON.stringify({ kind: 'KubedojoLearner', version: 1, id: 'local:ann', record: { lessons: { 'pods-1': { stepIndex: -1, startedAt: T(0).toISOString(), steps: {} } } } }));
    const me = openProgress({ dir, now: FIXED, lessons, report: () => undefined }).learner('local:ann');
    expect(me.lesson('pods-1')!.stepIndex).toBe(0);
  });
});

describe('the single progress file of an older kubedojo', () => {
  it('is moved into one file per learner and per team, and kept under another name', () => {
    const dir = tmp();
    const old = { version: 1, learners: { 'local:ann': { currentLesson: 'pods-1', lessons: { 'pods-1': { stepIndex: 0, startedAt: T(0).toISOString(), steps: {} } }, answers: [], cards: {}, exams: [] }, 'slack:T1:U1': { answers: [{ itemId: 'q', answer: 'a', verdict: 'wrong', at: T(1).toISOString() }] } }, teams: { C1: start('C1')() } };
    writeFileSync(path.join(dir, 'progress.json'), JSON.stringify(old));
    const reports: string[] = [];
    const store = openProgress({ dir, now: FIXED, report: (m) => reports.push(m) });
    expect(reports).toEqual([]);
    expect(store.learnerIds()).toEqual(['local:ann', 'slack:T1:U1']);
    expect(store.learner('local:ann').currentLesson()).toBe('pods-1');
    expect(store.learner('slack:T1:U1').answers()).toHaveLength(1);
    expect(store.teams()).toEqual({ C1: start('C1')() });
    expect(existsSync(path.join(dir, 'progress.json'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dir, 'progress.json.moved-2026-03-01T12-34-56-789Z'), 'utf8'))).toEqual(old);
  });

  it('that cannot be read is reported and kept aside, and progress starts anew', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'progress.json'), '{"version": 1, "learners": {');
    const reports: string[] = [];
    const store = openProgress({ dir, now: FIXED, report: (m) => reports.push(m) });
    expect(reports[0]).toMatch(/progress\.json could not be read: it is not a progress record\. It was moved to .*progress\.json\.damaged-2026-03-01T12-34-56-789Z, untouched/);
    expect(store.learnerIds()).toEqual([]);
  });

  it('that a newer kubedojo wrote is moved aside with a learner\'s error', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'progress.json'), JSON.stringify({ version: 2, learners: {} }));
    const err = caught(() => openProgress({ dir, now: FIXED })) as LearnerError;
    expect(err).toBeInstanceOf(LearnerError);
    expect(err.message).toContain('newer kubedojo (format 2; this one reads format 1)');
    expect(existsSync(path.join(dir, 'progress.json.newer-2026-03-01T12-34-56-789Z'))).toBe(true);
  });
});

describe('leftovers of a writer that died', () => {
  it('a lock held by a process that is gone is broken, and its temp file swept', () => {
    const dir = tmp();
    const learners = path.join(dir, 'progress', 'learners');
    mkdirSync(learners, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(`${learnerFile(dir, 'local:ann')}.lock`, dead);
    writeFileSync(path.join(learners, `.local%3Aann.json.${dead}.tmp`), '{"half');
    const me = openProgress({ dir }).learner('local:ann');
    expect(existsSync(path.join(learners, `.local%3Aann.json.${dead}.tmp`))).toBe(false);
    me.recordAnswer('a', 'x', 'correct', T(0));
    expect(readdirSync(learners).sort()).toEqual(['local%3Aann.json']);
  });
});
