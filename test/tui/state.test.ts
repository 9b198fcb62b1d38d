// The tutor app's state, changed by its reducer alone: keys as a learner presses them, and what
// the core and the shell report back. No Ink, no shell, no cluster: what the app would do outside
// the state is read from the effects the reducer asks for.
import { describe, expect, it } from 'vitest';
import { examDue, initialState, namespaceOf, reducer, type Action, type ExamView, type Next, type TutorState } from '../../src/tui/state.js';
import { layout } from '../../src/tui/layout.js';
import { parseLesson } from '../../src/core/lessons/loader.js';
import type { CheckOutcome, LessonSummary } from '../../src/core/learning/session.js';
import type { ExamTask, Item } from '../../src/core/quiz/types.js';
import type { FinishedExam } from '../../src/core/learning/tutor.js';
import type { NamespaceSnapshot } from '../../src/core/kube/namespace-view.js';
import type { QuizState } from '../../src/tui/components/QuizScreen.js';

const LESSON = parseLesson(
  `id: state-drill
title: Ship a web server
summary: Make a Deployment and expose it.
topics: [deployments]
sources: [{ file: 001_109c03d2a4c17646.txt, heading: Running pods with controllers }]
minutes: 5
prerequisites: []
namespaces: [dojo-state]
steps:
  - id: deploy
    title: Make the Deployment
    explanation: A Deployment keeps pods running.
    tasks:
      - text: Create a Deployment named web.
        checks:
          - exists: { kind: deploy, name: web }
    hints: [Deployments can be made from the command line., kubectl create deployment]
    solution: [kubectl create deployment web --image=nginx -n dojo-state]
    outcome: The Deployment now exists.
  - id: expose
    title: Expose it
    explanation: A Service gives the pods one address.
    tasks:
      - text: Create a Service named web.
        checks:
          - exists: { kind: svc, name: web }
    hints: [Look at kubectl expose.]
    solution: [kubectl expose deployment web --port 80 -n dojo-state]
    outcome: The Service now exists.
`,
  'state-drill.yaml',
);

const KEY = {
  F1: '\u001bOP', F2: '\u001bOQ', F3: '\u001bOR', F4: '\u001bOS', F5: '\u001b[15~', F6: '\u001b[17~', F7: '\u001b[18~', F8: '\u001b[19~', F9: '\u001b[20~', F10: '\u001b[21~',
  esc: '\u001b', enter: '\r', tab: '\t', backspace: '\u007f', up: '\u001b[A', down: '\u001b[B', shiftPgUp: '\u001b[5;2~',
};

const press = (raw: string, pageRows = 10): Action => ({ type: 'input', raw, pageRows });

/** Actions in turn, as the app would dispatch them: the state after the last, and every effect asked for. */
function play(state: TutorState, ...actions: (Action | string)[]): Next {
  return actions.reduce<Next>(
    (n, a) => {
      const next = reducer(n.state, typeof a === 'string' ? press(a) : a);
      return { state: next.state, effects: [...n.effects, ...next.effects] };
    },
    { state, effects: [] },
  );
}

const fresh = (): TutorState => initialState({ cols: 40, rows: 10, lines: [], scrolledBack: 0 }, 0);
const inLesson = (over: Partial<TutorState> = {}): TutorState => ({ ...fresh(), lessonView: { lesson: LESSON, stepIndex: 0 }, ...over });
/** In the lesson with the lesson pane focused, so single keys are the tutor's. */
const paneFocused = (over: Partial<TutorState> = {}) => inLesson({ focus: 'lesson', ...over });

const outcome = (over: Partial<CheckOutcome>): CheckOutcome => ({
  lesson: LESSON.id,
  step: LESSON.steps[0],
  stepNumber: 1,
  steps: 2,
  tasks: [{ text: 'Create a Deployment named web.', checks: [{ label: 'deploy/web exists', passed: false, message: 'not found', state: 'failed' }], passed: false }],
  passed: false,
  ...over,
});

const summary = (id: string): LessonSummary => ({ id, title: id, summary: '', topics: [], minutes: 5, prerequisites: [], steps: 2, stepsDone: 0, status: 'new' });

const choice = (id: string): Item => ({ id, kind: 'choice', topic: 'pods', difficulty: 1, source: { file: 'x.txt', heading: 'x' }, question: 'Which?', explanation: '', choices: ['one', 'two'], answer: 0 });
const inQuiz = (over: Partial<QuizState> = {}) =>
  inLesson({ mode: 'quiz', quiz: { items: [choice('q1'), choice('q2')], index: 0, input: '', score: { correct: 0, answered: 0 }, ...over } });

const task = (id: string): ExamTask => ({ id, domain: 'workloads', title: id, text: id, namespace: `exam-${id}`, checks: [], solution: [] });
const EXAM: Omit<ExamView, 'selected'> = { tasks: [task('t1'), task('t2'), task('t3')], flagged: [], deadline: 120_000, domains: { workloads: 'Workloads' } };
/** In an exam with the task list focused. */
const inExam = (over: Partial<TutorState> = {}) => ({ ...play(inLesson(), { type: 'exam-entered', exam: EXAM }).state, focus: 'lesson' as const, ...over });

describe('keys and the shell', () => {
  it('sends every key to the shell while it has focus, and leaves the state as it was', () => {
    const s = inLesson();
    const next = play(s, 'l', KEY.enter);
    expect(next.state).toBe(s);
    expect(next.effects).toEqual([{ kind: 'write', raw: 'l' }, { kind: 'write', raw: '\r' }]);
  });

  it('takes function keys for the tutor even while the shell has focus', () => {
    expect(play(inLesson(), KEY.F1).state.dialog).toEqual({ kind: 'help' });
  });

  it('scrolls the shell back by the height of its pane, as the terminal is sized when the key comes', () => {
    for (const [cols, rows] of [[100, 30], [90, 30], [160, 40]]) {
      const { shellRows } = layout(cols, rows);
      expect(play(inLesson(), press(KEY.shiftPgUp, shellRows)).effects).toEqual([{ kind: 'scroll-shell', lines: shellRows }]);
    }
  });

  it('keeps keys from the shell while a dialog is open', () => {
    const next = play(inLesson(), KEY.F1, 'l');
    expect(next.effects).toEqual([]);
    expect(next.state.dialog).toEqual({ kind: 'help' });
  });

  it('quits with F10 from anywhere, over a dialog too, and with x from a pane', () => {
    expect(play(inLesson(), KEY.F3, KEY.F10).effects).toEqual([{ kind: 'quit' }]);
    expect(play(paneFocused(), 'x').effects).toEqual([{ kind: 'quit' }]);
  });
});

describe('focus', () => {
  it('moves shell → lesson → cluster → shell with F9, or Tab once the shell has let go', () => {
    const seen = [KEY.F9, KEY.tab, KEY.F9].reduce<TutorState[]>((states, k) => [...states, play(states[states.length - 1], k).state], [inLesson()]);
    expect(seen.map((s) => s.focus)).toEqual(['shell', 'lesson', 'cluster', 'shell']);
  });

  it('goes back to the shell with Esc', () => {
    expect(play(inLesson({ focus: 'cluster' }), KEY.esc).state.focus).toBe('shell');
  });
});

describe('help', () => {
  it('opens with F1 and closes with F1 again or with Esc', () => {
    expect(play(inLesson(), KEY.F1, KEY.F1).state.dialog).toBeUndefined();
    expect(play(inLesson(), KEY.F1, KEY.esc).state.dialog).toBeUndefined();
  });

  it('opens with ? from a pane, and over another dialog', () => {
    expect(play(paneFocused(), '?').state.dialog).toEqual({ kind: 'help' });
    expect(play(inLesson(), KEY.F3, KEY.F1).state.dialog).toEqual({ kind: 'help' });
  });
});

describe('hints', () => {
  it('asks the session for a hint with F2 or h in a lesson', () => {
    expect(play(inLesson(), KEY.F2).effects).toEqual([{ kind: 'hint' }]);
    expect(play(paneFocused(), 'h').effects).toEqual([{ kind: 'hint' }]);
  });

  it('shows each hint the session gives in place of the one before, with its number', () => {
    const s = play(inLesson(), { type: 'hint', hint: { text: 'Deployments can be made from the command line.', number: 1, of: 2 } }, { type: 'hint', hint: { text: 'kubectl create deployment', number: 2, of: 2 } }).state;
    expect(s.lessonView?.hint).toEqual({ text: 'kubectl create deployment', number: 2, of: 2 });
  });

  it('has none to give in an exam, and says so for hints, solutions and resets', () => {
    for (const k of [KEY.F2, KEY.F3, KEY.F8]) {
      const next = play(inExam(), k);
      expect(next.effects).toEqual([]);
      expect(next.state.dialog).toMatchObject({ kind: 'message', text: expect.stringMatching(/off during an exam/) });
      expect(play(next.state, KEY.esc).state).toMatchObject({ mode: 'exam', dialog: undefined });
    }
  });

  it('says why when the session has none', () => {
    const s = play(inLesson(), { type: 'failed', text: 'no lesson is started' }).state;
    expect(s.dialog).toEqual({ kind: 'message', text: 'no lesson is started', error: true });
    expect(play(s, 'l').state.dialog).toBeUndefined();
  });
});

describe('the solution', () => {
  it('asks first, and on y asks the session for it and shows its commands', () => {
    const asked = play(inLesson(), KEY.F3);
    expect(asked.state.dialog).toMatchObject({ kind: 'confirm', what: 'solution', text: expect.stringMatching(/Show the solution for this step\?/) });
    const yes = play(asked.state, 'y');
    expect(yes.state.dialog).toBeUndefined();
    expect(yes.effects).toEqual([{ kind: 'solution' }]);
    const shown = play(yes.state, { type: 'solution', commands: ['kubectl create deployment web --image=nginx -n dojo-state'] }).state;
    expect(shown.lessonView?.solution).toEqual(['kubectl create deployment web --image=nginx -n dojo-state']);
  });

  it('takes Y as yes, and n, N, Esc or Enter as no', () => {
    expect(play(inLesson(), KEY.F3, 'Y').effects).toEqual([{ kind: 'solution' }]);
    for (const no of ['n', 'N', KEY.esc, KEY.enter]) {
      const next = play(inLesson(), KEY.F3, no);
      expect(next.state.dialog).toBeUndefined();
      expect(next.effects).toEqual([]);
    }
  });

  it('keeps asking when another key is pressed', () => {
    expect(play(inLesson(), KEY.F3, 'l').state.dialog).toMatchObject({ kind: 'confirm', what: 'solution' });
  });
});

describe('a reset', () => {
  it('asks first, and on y asks the session for it', () => {
    const asked = play(inLesson(), KEY.F8);
    expect(asked.state.dialog).toMatchObject({ kind: 'confirm', what: 'reset', text: expect.stringMatching(/^Reset this lesson\?/) });
    expect(play(asked.state, 'y').effects).toEqual([{ kind: 'reset' }]);
    expect(play(asked.state, 'n').effects).toEqual([]);
  });

  it('shows the lesson afresh: back at its first step, the last outcome forgotten', () => {
    const passed = inLesson({ lessonView: { lesson: LESSON, stepIndex: 1, passed: { title: 'Make the Deployment', outcome: 'The Deployment now exists.' } }, scroll: 4 });
    const s = play(passed, { type: 'lesson-shown', shown: { lesson: LESSON, stepIndex: 0, lessonDone: false }, afresh: true }).state;
    expect(s.lessonView).toEqual({ lesson: LESSON, stepIndex: 0, lessonDone: false });
    expect(s.scroll).toBe(0);
  });

  it('is only offered in a lesson: in an exam it says it is off, and asks nothing', () => {
    const next = play(inExam(), KEY.F8);
    expect(next.effects).toEqual([]);
    expect(next.state.dialog).toMatchObject({ kind: 'message', text: expect.stringMatching(/resets are off during an exam/) });
  });
});

describe('checking a step', () => {
  it('checks after each command in the shell, with its line as a try, while the lesson is open and not done', () => {
    expect(play(inLesson(), { type: 'command-done', command: 'kubectl get pods' }).effects).toEqual([{ kind: 'check', command: 'kubectl get pods' }]);
    expect(play(inLesson(), { type: 'command-done' }).effects).toEqual([{ kind: 'check', command: '' }]);
    expect(play(inLesson({ lessonView: { lesson: LESSON, stepIndex: 1, lessonDone: true } }), { type: 'command-done' }).effects).toEqual([]);
    expect(play(inLesson({ mode: 'progress' }), { type: 'command-done' }).effects).toEqual([]);
    expect(play(fresh(), { type: 'command-done' }).effects).toEqual([]);
  });

  it('checks with c from a pane', () => {
    expect(play(paneFocused(), 'c').effects).toEqual([{ kind: 'check' }]);
  });

  it('keeps the step and shows the results when the check fails', () => {
    const s = play(inLesson({ scroll: 3 }), { type: 'checked', outcome: outcome({}), lesson: LESSON }).state;
    expect(s.lessonView).toMatchObject({ stepIndex: 0, results: outcome({}).tasks });
    expect(s.scroll).toBe(3);
  });

  it('moves on to the next step with what happened when it passes', () => {
    const s = play(inLesson({ scroll: 3 }), { type: 'checked', outcome: outcome({ passed: true, outcome: 'The Deployment now exists.' }), lesson: LESSON }).state;
    expect(s.lessonView).toEqual({ lesson: LESSON, stepIndex: 1, passed: { title: 'Make the Deployment', outcome: 'The Deployment now exists.' } });
    expect(s.scroll).toBe(0);
  });

  it('stays on the last step, with its results, when the lesson is done', () => {
    const last = outcome({ step: LESSON.steps[1], stepNumber: 2, passed: true, outcome: 'The Service now exists.', lessonDone: true });
    const s = play(inLesson(), { type: 'checked', outcome: last, lesson: LESSON }).state;
    expect(s.lessonView).toMatchObject({ stepIndex: 1, lessonDone: true, passed: { title: 'Expose it' }, results: last.tasks });
  });

  it('keeps the outcome of the step just passed when the same lesson is shown again', () => {
    const passed = { title: 'Make the Deployment', outcome: 'The Deployment now exists.' };
    const s = play(inLesson({ lessonView: { lesson: LESSON, stepIndex: 1, passed } }), { type: 'lesson-shown', shown: { lesson: LESSON, stepIndex: 1, lessonDone: false }, afresh: false }).state;
    expect(s.lessonView?.passed).toEqual(passed);
  });
});

describe('stepping through a lesson', () => {
  it('moves between steps with n and p, within the lesson, forgetting what was shown on the last', () => {
    const shown = paneFocused({ lessonView: { lesson: LESSON, stepIndex: 0, hint: { text: 'x', number: 1, of: 2 }, solution: ['y'] }, scroll: 5 });
    const on = play(shown, 'n', 'n').state;
    expect(on.lessonView).toEqual({ lesson: LESSON, stepIndex: 1, lessonDone: false });
    expect(on.scroll).toBe(0);
    expect(play(on, 'p', 'p').state.lessonView?.stepIndex).toBe(0);
  });

  it('scrolls the lesson pane with the arrows and the page keys, never above the top', () => {
    expect(play(paneFocused(), KEY.down, KEY.down, KEY.up).state.scroll).toBe(1);
    expect(play(paneFocused(), '\u001b[6~').state.scroll).toBe(10);
    expect(play(paneFocused(), KEY.up, '\u001b[5~').state.scroll).toBe(0);
  });
});

describe('the lesson list', () => {
  const overview = { lessons: [summary('a'), summary('b'), summary('c')], next: 'b' };

  it('asks for the lessons with F4 or l, and opens on the next one', () => {
    expect(play(inLesson(), KEY.F4).effects).toEqual([{ kind: 'lessons' }]);
    expect(play(paneFocused(), 'l').effects).toEqual([{ kind: 'lessons' }]);
    const s = play(inLesson(), { type: 'lessons', overview }).state;
    expect(s.mode).toBe('lessons');
    expect(s.selected).toBe(1);
  });

  it('moves with the arrows within the list, and starts the chosen lesson with Enter', () => {
    const open = play(inLesson(), { type: 'lessons', overview }).state;
    expect(play(open, KEY.down, KEY.down, KEY.down).state.selected).toBe(2);
    expect(play(open, KEY.up, KEY.up).state.selected).toBe(0);
    expect(play(open, KEY.up, KEY.enter).effects).toEqual([{ kind: 'start-lesson', id: 'a' }]);
  });

  it('opens on the first lesson when none is next, and starts nothing when the list is empty', () => {
    expect(play(inLesson(), { type: 'lessons', overview: { lessons: [summary('a')] } }).state.selected).toBe(0);
    expect(play(inLesson(), { type: 'lessons', overview: { lessons: [] } }, KEY.down, KEY.enter).effects).toEqual([]);
  });

  it('shows a started lesson at its first step with the shell focused', () => {
    const s = play(inLesson({ mode: 'lessons', focus: 'cluster' }), { type: 'lesson-started', shown: { lesson: LESSON, stepIndex: 0, lessonDone: false } }).state;
    expect(s.mode).toBe('lesson');
    expect(s.focus).toBe('shell');
    expect(s.lessonView).toEqual({ lesson: LESSON, stepIndex: 0, lessonDone: false });
  });

  it('goes back to the lesson with Esc', () => {
    expect(play(inLesson({ mode: 'lessons' }), KEY.esc).state.mode).toBe('lesson');
  });
});

describe('the quiz', () => {
  it('asks for a round with F5, and opens on it', () => {
    expect(play(inLesson(), KEY.F5).effects).toEqual([{ kind: 'open-quiz' }]);
    const quiz = { items: [choice('q1')], index: 0, input: '', score: { correct: 0, answered: 0 } };
    expect(play(inLesson(), { type: 'quiz', quiz }).state).toMatchObject({ mode: 'quiz', quiz });
  });

  it('takes typed letters as the answer, shortcuts elsewhere included', () => {
    expect(play(inQuiz(), 'x', 'l', 'S', ' ', '?', KEY.backspace).state.quiz?.input).toBe('xlS ');
  });

  it('asks for the trimmed answer to be graded with Enter, and for nothing when none is typed', () => {
    expect(play(inQuiz(), ' ', KEY.enter).effects).toEqual([]);
    expect(play(inQuiz(), ' ', 'b', ' ', KEY.enter).effects).toEqual([{ kind: 'answer', item: choice('q1'), answer: 'b' }]);
  });

  it('counts a grade in the score, and moves to the next question with Enter', () => {
    const graded = play(inQuiz({ input: 'a' }), { type: 'answered', grade: { verdict: 'correct', feedback: 'Yes.', details: [] } }).state;
    expect(graded.quiz).toMatchObject({ grade: { verdict: 'correct' }, score: { correct: 1, answered: 1 } });
    expect(play(graded, 'b').state.quiz?.input).toBe('a');
    const next = play(graded, KEY.enter).state.quiz;
    expect(next).toMatchObject({ index: 1, input: '', score: { correct: 1, answered: 1 } });
    expect(next?.grade).toBeUndefined();
    const wrong = play(graded, KEY.enter, 'b', { type: 'answered', grade: { verdict: 'wrong', feedback: 'No.', details: [] } }).state;
    expect(wrong.quiz?.score).toEqual({ correct: 1, answered: 2 });
  });

  it('says under the question why an answer could not be graded, and clears the line', () => {
    const s = play(inQuiz({ input: 'zzz' }), { type: 'unanswerable', text: '"zzz" is not one of the choices.' }).state;
    expect(s.quiz).toMatchObject({ input: '', error: '"zzz" is not one of the choices.' });
  });

  it('clears a half-typed answer with Esc, then leaves with the next Esc', () => {
    const cleared = play(inQuiz({ input: 'ab' }), KEY.esc).state;
    expect(cleared).toMatchObject({ mode: 'quiz', quiz: { input: '' } });
    expect(play(cleared, KEY.esc).state.mode).toBe('lesson');
  });

  it('asks for another round with Enter at the end of one', () => {
    expect(play(inQuiz({ index: 2 }), KEY.enter).effects).toEqual([{ kind: 'new-quiz' }]);
  });

  it('takes an answer sent with its Enter in one write, as tmux send-keys and pastes send it', () => {
    expect(play(inQuiz(), 'b\r').effects).toEqual([{ kind: 'answer', item: choice('q1'), answer: 'b' }]);
    expect(play(inQuiz(), 'b\n').effects).toEqual([{ kind: 'answer', item: choice('q1'), answer: 'b' }]);
    expect(play(inQuiz(), 'a,b\r\n').effects).toEqual([{ kind: 'answer', item: choice('q1'), answer: 'a,b' }]);
  });

  it('takes a bracketed paste, in one write or with its marks apart, as typed text', () => {
    expect(play(inQuiz(), '\u001b[200~b\u001b[201~').state.quiz?.input).toBe('b');
    expect(play(inQuiz(), '\u001b[200~', 'b', '\u001b[201~').state.quiz?.input).toBe('b');
    expect(play(inQuiz(), '\u001b[200~b\r\u001b[201~').effects).toEqual([{ kind: 'answer', item: choice('q1'), answer: 'b' }]);
  });

  it('takes up a round stepped out of where it was, score kept, with F5', () => {
    const graded = play(inQuiz({ index: 1, score: { correct: 1, answered: 1 } }), KEY.esc).state;
    expect(graded.mode).toBe('lesson');
    const back = play(graded, KEY.F5);
    expect(back.effects).toEqual([]);
    expect(back.state).toMatchObject({ mode: 'quiz', quiz: { index: 1, score: { correct: 1, answered: 1 } } });
  });

  it('offers a new round with F5 after a finished one: Enter starts it', () => {
    const finished = play(inQuiz({ index: 2, score: { correct: 2, answered: 2 } }), KEY.esc).state;
    const back = play(finished, KEY.F5);
    expect(back.state.mode).toBe('quiz');
    expect(play(back.state, KEY.enter).effects).toEqual([{ kind: 'new-quiz' }]);
  });

  it('opens the editor on a manifest item with Enter, gives the shell the keys, and grades the file when the editor quits', () => {
    const manifest: Item = { id: 'mf1', kind: 'manifest', topic: 'pods', difficulty: 1, source: { file: 'x.txt', heading: 'x' }, question: 'Write a Pod.', explanation: '', checks: [], answer: 'kind: Pod' };
    const s = inLesson({ mode: 'quiz', quiz: { items: [manifest], index: 0, input: '', score: { correct: 0, answered: 0 } } });
    expect(play(s, KEY.enter).effects).toEqual([{ kind: 'edit-manifest', item: manifest }]);
    const editing = play(s, { type: 'quiz-editing', path: '/home/me/sandbox/quiz/mf1.yaml' }).state;
    expect(editing).toMatchObject({ mode: 'quiz-edit', focus: 'shell', quiz: { editing: '/home/me/sandbox/quiz/mf1.yaml' } });
    expect(play(editing, 'i', KEY.esc, ':').effects).toEqual([{ kind: 'write', raw: 'i' }, { kind: 'write', raw: KEY.esc }, { kind: 'write', raw: ':' }]);
    const looked = play(editing, KEY.F5).state;
    expect(looked.mode).toBe('quiz');
    expect(play(looked, KEY.esc).state).toMatchObject({ mode: 'quiz-edit', focus: 'shell' });
    const done = play(editing, { type: 'command-done', command: 'vim /home/me/sandbox/quiz/mf1.yaml' });
    expect(done.effects).toEqual([{ kind: 'answer', item: manifest, answer: '/home/me/sandbox/quiz/mf1.yaml' }]);
    expect(done.state).toMatchObject({ mode: 'quiz', quiz: { editing: undefined } });
  });

  it('ignores the keys for other screens while a round is open', () => {
    const s = inQuiz();
    const next = play(s, KEY.F4, KEY.F6, KEY.F7);
    expect(next.state).toBe(s);
    expect(next.effects).toEqual([]);
  });
});

describe('the exam', () => {
  it('asks for the exam in progress with F6, and starts one on the track chosen with a or d', () => {
    expect(play(inLesson(), KEY.F6).effects).toEqual([{ kind: 'exam' }]);
    const choosing = play(inLesson(), { type: 'exam-choice' }).state;
    expect(choosing.mode).toBe('exam-start');
    expect(play(choosing, 'a').effects).toEqual([{ kind: 'start-exam', track: 'cka' }]);
    expect(play(choosing, 'd').effects).toEqual([{ kind: 'start-exam', track: 'ckad' }]);
    expect(play(choosing, 'z').effects).toEqual([]);
  });

  it('opens on the first task with the shell focused, and the cluster pane follows the selected task', () => {
    const s = play(inLesson({ focus: 'cluster' }), { type: 'exam-entered', exam: EXAM }).state;
    expect(s).toMatchObject({ mode: 'exam', focus: 'shell', exam: { selected: 0 } });
    expect(namespaceOf(s)).toBe('exam-t1');
    expect(namespaceOf(play(s, KEY.F9, KEY.down).state)).toBe('exam-t2');
    expect(namespaceOf(inLesson())).toBe('dojo-state');
  });

  it('moves between tasks with the arrows and n and p, within the list', () => {
    expect(play(inExam(), KEY.down, 'n', 'n', 'n').state.exam?.selected).toBe(2);
    expect(play(inExam(), KEY.up, 'p').state.exam?.selected).toBe(0);
  });

  it('flags the selected task with f and unflags it with f again, telling the core each time', () => {
    const flagged = play(inExam(), KEY.down, 'f');
    expect(flagged.state.exam?.flagged).toEqual(['t2']);
    expect(flagged.effects).toEqual([{ kind: 'flag', taskId: 't2', on: true }]);
    const unflagged = play(flagged.state, 'f');
    expect(unflagged.state.exam?.flagged).toEqual([]);
    expect(unflagged.effects).toEqual([{ kind: 'flag', taskId: 't2', on: false }]);
  });

  it('asks before submitting with S, saying how many tasks are untouched and flagged, and submits on y', () => {
    const counting = play(inExam(), 'S');
    expect(counting.effects).toEqual([{ kind: 'exam-standing', ask: true }]);
    const asked = play(counting.state, { type: 'exam-standing', standing: { tasks: 3, untouched: ['t1', 't3'], done: [], flagged: ['t3'] }, ask: true });
    expect(asked.state.dialog).toMatchObject({ kind: 'confirm', what: 'submit', text: '2 of 3 tasks untouched (not one check passes), 1 flagged. Submit anyway? (y/n)' });
    expect(play(asked.state, 'y').effects).toEqual([{ kind: 'submit-exam' }]);
    expect(play(asked.state, 'n').effects).toEqual([]);
    const started = play(counting.state, { type: 'exam-standing', standing: { tasks: 3, untouched: [], done: ['t2'], flagged: [] }, ask: true }).state;
    expect(started.dialog).toMatchObject({ text: 'All 3 tasks started, 0 flagged. Submit anyway? (y/n)' });
  });

  it('grades where the exam stands after each command in the shell, and marks the tasks done', () => {
    const s = inExam({ focus: 'shell' });
    expect(play(s, { type: 'command-done', command: 'kubectl get pods' }).effects).toEqual([{ kind: 'exam-standing', ask: false }]);
    const marked = play(s, { type: 'exam-standing', standing: { tasks: 3, untouched: ['t1'], done: ['t2'], flagged: [] }, ask: false }).state;
    expect(marked.exam?.done).toEqual(['t2']);
    expect(marked.dialog).toBeUndefined();
  });

  it('keeps the lesson list shut while an exam runs, and says why', () => {
    for (const over of [{}, { mode: 'progress' as const }]) {
      const next = play(inExam(over), KEY.F4);
      expect(next.effects).toEqual([]);
      expect(next.state.dialog).toMatchObject({ kind: 'message', text: expect.stringMatching(/An exam is running/) });
    }
    expect(play(inExam(), KEY.F4, KEY.esc).state).toMatchObject({ mode: 'exam', dialog: undefined });
  });

  it('scrolls a report longer than the screen, and no further than its last line', () => {
    const tasks = Array.from({ length: 17 }, (_, i) => ({ id: `t${i}`, domain: 'd', title: `Task ${i}`, weight: 1, score: 0, checksPassed: 0, checksTotal: 2, flagged: false, checks: [{ label: 'Pod web exists', passed: false, message: 'there is no Pod web' }, { label: 'Pod web is Running', passed: false, message: 'not Running' }], solution: ['kubectl run web --image=nginx'] }));
    const report: FinishedExam = { track: 'ckad', title: 'CKAD', passPercent: 66, percent: 0, passed: false, domains: [{ id: 'd', name: 'Application Design and Build', weight: 100, tasks: 17, score: 0, max: 17, percent: 0 }], tasks, flagged: [], startedAt: '', finishedAt: '' };
    const view = { cols: 80, rows: 24 };
    const s = play(inExam(), { type: 'exam-graded', report }).state;
    const down = (n: number) => Array.from({ length: n }, () => ({ type: 'input' as const, raw: KEY.down, pageRows: 10, view }));
    expect(play(s, ...down(3)).state.scroll).toBe(3);
    const bottom = play(s, ...down(500)).state.scroll;
    expect(bottom).toBeGreaterThan(17 * 5 - 21);
    expect(bottom).toBeLessThan(500);
    expect(play({ ...s, scroll: bottom }, { type: 'input', raw: KEY.up, pageRows: 10, view }).state.scroll).toBe(bottom - 1);
    expect(play(s, { type: 'input', raw: '\u001b[6~', pageRows: 10, view }).state.scroll).toBe(21);
  });

  it('submits when the clock passes the deadline, once nothing else is busy', () => {
    expect(play(inExam(), { type: 'tick', now: 119_000 }).effects).toEqual([]);
    expect(play(inExam(), { type: 'tick', now: 120_000 }).effects).toEqual([{ kind: 'submit-exam' }]);
    const busy = play(inExam(), { type: 'busy', what: 'checking' }, { type: 'tick', now: 121_000 });
    expect(busy.effects).toEqual([]);
    expect(examDue(busy.state)).toBe(false);
    expect(play(busy.state, { type: 'idle' }).effects).toEqual([{ kind: 'submit-exam' }]);
  });

  it('asks once for a submission that y and the clock both call for', () => {
    const asked = play(inExam(), 'S', { type: 'tick', now: 119_999 }).state;
    expect(play({ ...asked, now: 120_000 }, 'y').effects).toEqual([{ kind: 'submit-exam' }]);
  });

  it('shows the results once graded, and Esc then goes back to the lesson', () => {
    const report: FinishedExam = { track: 'cka', title: 'CKA', passPercent: 66, percent: 70, passed: true, domains: [], tasks: [], flagged: [], startedAt: '', finishedAt: '' };
    const s = play(inExam(), { type: 'exam-graded', report }).state;
    expect(s).toMatchObject({ mode: 'exam-results', examResult: report });
    expect(s.exam).toBeUndefined();
    expect(play(s, KEY.esc).state.mode).toBe('lesson');
  });

  it('comes back to the exam, not the lesson, from another screen', () => {
    expect(play(inExam(), KEY.F7, KEY.esc).state.mode).toBe('exam');
  });

  it('takes other keys to the shell while it has focus', () => {
    expect(play(inExam({ focus: 'shell' }), 'f').effects).toEqual([{ kind: 'write', raw: 'f' }]);
  });
});

describe('progress', () => {
  it('opens with F7 or g, and goes back with Esc', () => {
    expect(play(inLesson(), KEY.F7).state.mode).toBe('progress');
    expect(play(paneFocused(), 'g', KEY.esc).state.mode).toBe('lesson');
  });
});

describe('the cluster picture', () => {
  const picture = { namespace: 'dojo', nodes: [{ name: 'node-1', ready: true, pods: [] }], unscheduled: [], services: [] };

  it('opens with p in the cluster pane and asks for the picture, while p in the lesson pane still goes back a step', () => {
    const opened = play(inLesson({ focus: 'cluster' }), 'p');
    expect(opened.state.picture).toEqual({});
    expect(opened.effects).toEqual([{ kind: 'read-picture' }]);
    const lesson = play(paneFocused({ lessonView: { lesson: LESSON, stepIndex: 1 } }), 'p');
    expect(lesson.state.picture).toBeUndefined();
    expect(lesson.state.lessonView?.stepIndex).toBe(0);
  });

  it('keeps the picture once read, draws it afresh when the namespace changes, and closes with Esc', () => {
    const open = play(inLesson({ focus: 'cluster' }), 'p', { type: 'picture', picture }).state;
    expect(open.picture).toEqual({ drawn: picture });
    expect(play(open, { type: 'snapshot', snapshot: { namespace: 'dojo', tables: [] } }).effects).toEqual([{ kind: 'read-picture' }]);
    // Keys meant for the panes do nothing while it is open; Esc closes it.
    expect(play(open, 'n').state.lessonView?.stepIndex).toBe(0);
    expect(play(open, KEY.esc).state.picture).toBeUndefined();
    // A picture read after it closed is not shown.
    expect(play(open, KEY.esc, { type: 'picture', picture }).state.picture).toBeUndefined();
  });
});

describe('the cluster pane keys', () => {
  const table = (kind: string, names: string[]) => ({ kind, columns: ['Name'], rows: names.map((n) => [n]), since: names.map(() => undefined), names, versions: names.map(() => '1') });
  const snapshot = { namespace: 'dojo', tables: [table('pods', ['web-1', 'web-2']), table('events', ['ev-1']), table('configmaps', ['app-config'])] };
  const inCluster = () => play(inLesson({ focus: 'cluster' }), { type: 'snapshot', snapshot }).state;

  it('selects objects with the arrows, across kinds but never an event, and stops at the ends', () => {
    expect(play(inCluster(), KEY.down).state.clusterRow).toBe(1);
    expect(play(inCluster(), KEY.down, KEY.down, KEY.down, KEY.down).state.clusterRow).toBe(2);
    expect(play(inCluster(), KEY.up).state.clusterRow).toBe(0);
  });

  it('describes the selected object with d, shows a pod\'s logs with l and its YAML with y, in a view that scrolls and Esc closes', () => {
    const d = play(inCluster(), KEY.down, 'd');
    expect(d.effects).toEqual([{ kind: 'inspect', how: 'describe', resource: 'pods', name: 'web-2', namespace: 'dojo' }]);
    expect(d.state.inspect).toEqual({ title: 'describe pods/web-2', scroll: 0 });
    expect(play(inCluster(), 'l').effects).toEqual([{ kind: 'inspect', how: 'logs', resource: 'pods', name: 'web-1', namespace: 'dojo' }]);
    expect(play(inCluster(), KEY.down, KEY.down, 'y').effects).toEqual([{ kind: 'inspect', how: 'yaml', resource: 'configmaps', name: 'app-config', namespace: 'dojo' }]);
    const read = play(d.state, { type: 'inspected', title: 'describe pods/web-2', text: Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') }).state;
    expect(read.inspect?.lines).toHaveLength(40);
    expect(play(read, KEY.down, KEY.down).state.inspect?.scroll).toBe(2);
    expect(play(read, '\u001b[6~').state.inspect?.scroll).toBe(10);
    // l in the open view is not the lesson list; Esc closes it and leaves the pane focused.
    expect(play(read, 'l').state.mode).toBe('lesson');
    const closed = play(read, KEY.esc).state;
    expect(closed.inspect).toBeUndefined();
    expect(closed.focus).toBe('cluster');
  });

  it('keeps the namespace as it was when a command finished, to count the changes since from', () => {
    const s = play(inCluster(), { type: 'command-done', command: 'kubectl get po' });
    expect(s.state.baseline).toBe(snapshot);
    const later = { namespace: 'dojo', tables: [table('pods', ['web-1'])] };
    expect(play(s.state, { type: 'snapshot', snapshot: later }).state.baseline).toBe(snapshot);
  });

  it('leaves l to open the lesson list from the lesson pane, and function keys to the tutor in the cluster pane', () => {
    expect(play(paneFocused(), 'l').effects).toEqual([{ kind: 'lessons' }]);
    expect(play(inCluster(), KEY.F1).state.dialog).toEqual({ kind: 'help' });
  });
});

describe('what the app reports', () => {
  it('keeps the shell’s frames, the cluster’s snapshot, and the busy note while work runs', () => {
    const screen = { cols: 40, rows: 10, lines: [[{ text: 'dojo$ ' }]], scrolledBack: 0 };
    const snapshot: NamespaceSnapshot = { namespace: 'dojo-state', tables: [] };
    const s = play(fresh(), { type: 'screen', screen }, { type: 'snapshot', snapshot }, { type: 'busy', what: 'checking' }).state;
    expect(s).toMatchObject({ screen, snapshot, busy: 'checking' });
    expect(play(s, { type: 'idle' }).state.busy).toBeUndefined();
  });
});
