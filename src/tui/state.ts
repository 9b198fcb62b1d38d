// The tutor app's state and every way it changes: one pure reducer. A key is decided here from the
// state it arrives in, so keys typed faster than the screen redraws each see what the one before
// did. What the reducer cannot do itself (the shell, the core, quitting) it asks for as effects,
// which the app performs in order and answers with further actions.
import { pasteOf, type PlayState } from '../core/index.js';
import type { CheckOutcome, ClusterPicture, Inspection, ExamStanding, ExamTask, FinishedExam, Grade, Item, Lesson, LessonSummary, NamespaceSnapshot, Track } from '../core/index.js';
import type { Screen } from './pty/screen.js';
import type { LessonView } from './components/LessonPane.js';
import type { QuizState } from './components/QuizScreen.js';
import { functionKey, routeKey, type TutorKey } from './keys.js';
import { reportLines } from './exam-report.js';
import { hintsOf, visibleBlock, type ScenarioRow, type ScenarioView } from './scenario-view.js';

/** quiz-edit: the learner's editor is open in the shell on a quiz item's manifest file. */
export type Mode = 'lesson' | 'lessons' | 'quiz' | 'quiz-edit' | 'exam-start' | 'exam' | 'exam-results' | 'progress';
export type Confirm = 'solution' | 'reset' | 'submit';
export type Dialog =
  | { kind: 'help' }
  | { kind: 'confirm'; what: Confirm; text: string }
  | { kind: 'message'; text: string; error?: boolean }
  /** A scenario's scripts, read before the learner says whether they may run. */
  | { kind: 'consent'; key: string; title: string; lines: string[]; scroll: number };
export type Focus = 'shell' | 'lesson' | 'cluster';
const FOCUS_ORDER: Focus[] = ['shell', 'lesson', 'cluster'];

export interface ExamView {
  tasks: ExamTask[];
  selected: number;
  flagged: string[];
  /** Epoch milliseconds. */
  deadline: number;
  /** Domain id → name. */
  domains: Record<string, string>;
  /** Tasks whose checks all passed when last graded (after the learner's last command). */
  done?: string[];
}

export interface TutorState {
  mode: Mode;
  dialog?: Dialog;
  focus: Focus;
  lessonView?: LessonView;
  /** The shell's last frame. */
  screen: Screen;
  /** The cluster pane's namespace as last seen. */
  snapshot?: NamespaceSnapshot;
  /** The cluster picture, while it is open over the panes; its drawing once read. */
  picture?: { drawn?: ClusterPicture };
  /** The namespace as it was when the shell's last command finished: what the pane's changes are counted from. */
  baseline?: NamespaceSnapshot;
  /** The cluster pane's selected object: an index into selectableObjects(snapshot). */
  clusterRow: number;
  /** A closer look at the selected object (describe, logs, YAML), while open; its text once read. */
  inspect?: { title: string; lines?: string[]; scroll: number };
  /** What the core is doing, while it does it; nothing else starts meanwhile. */
  busy?: string;
  /** Lines the lesson pane is scrolled down. */
  scroll: number;
  lessons: { lessons: LessonSummary[]; next?: string; scenarios?: ScenarioRow[] };
  /** The Killercoda scenario being played, in the lesson pane's place. */
  scenario?: ScenarioView;
  /** The highlighted row of the lesson list (the scenarios' rows follow the lessons'). */
  selected: number;
  quiz?: QuizState;
  exam?: ExamView;
  examResult?: FinishedExam;
  /** The reports before this one, shown under it. */
  examHistory?: FinishedExam[];
  /** The exam clock's last tick, epoch milliseconds. */
  now: number;
}

/** The current lesson as the session has it. */
export interface ShownLesson {
  lesson: Lesson;
  stepIndex: number;
  lessonDone: boolean;
}

export type Action =
  /** A key or a paste from the terminal; pageRows is how far Shift+PgUp scrolls the shell. */
  | { type: 'input'; raw: string; pageRows: number; view?: { cols: number; rows: number } }
  | { type: 'screen'; screen: Screen }
  | { type: 'snapshot'; snapshot: NamespaceSnapshot }
  | { type: 'picture'; picture: ClusterPicture }
  | { type: 'inspected'; title: string; text: string }
  /** A command typed in the shell has finished; its line (when the shell said it), exit status and output. */
  | { type: 'command-done'; command?: string; code?: number; output?: string }
  | { type: 'tick'; now: number }
  | { type: 'busy'; what: string }
  | { type: 'idle' }
  | { type: 'failed'; text: string }
  /** Something to tell the learner that is no fault: a lesson followed from another terminal. */
  | { type: 'note'; text: string }
  /** The session's current lesson; afresh forgets the outcome of the step passed last. */
  | { type: 'lesson-shown'; shown: ShownLesson; afresh: boolean }
  /** A lesson set up from the list: shown afresh, with the shell to type in. */
  | { type: 'lesson-started'; shown: ShownLesson }
  | { type: 'checked'; outcome: CheckOutcome; lesson: Lesson }
  | { type: 'hint'; hint: { text: string; number: number; of: number } }
  | { type: 'solution'; commands: string[] }
  | { type: 'lessons'; overview: { lessons: LessonSummary[]; next?: string; scenarios?: ScenarioRow[] } }
  /** A scenario's scripts, to be agreed to before it starts. */
  | { type: 'scenario-consent'; key: string; title: string; lines: string[] }
  | { type: 'scenario-started'; view: ScenarioView }
  | { type: 'scenario-state'; play: PlayState }
  | { type: 'quiz'; quiz: QuizState }
  | { type: 'answered'; grade: Grade }
  /** An answer that could not be graded (not a choice, no such file): said under the question. */
  | { type: 'unanswerable'; text: string }
  /** No exam in progress: the screen to choose a track. */
  | { type: 'exam-choice' }
  | { type: 'exam-entered'; exam: Omit<ExamView, 'selected'> }
  | { type: 'exam-graded'; report: FinishedExam; history?: FinishedExam[] }
  /** Where the exam stands; ask: the learner asked to submit, so say what is left first. */
  | { type: 'exam-standing'; standing: ExamStanding; ask: boolean }
  /** The quiz's manifest file: the editor is opening on it in the shell. */
  | { type: 'quiz-editing'; path: string };

export type Effect =
  | { kind: 'write'; raw: string }
  | { kind: 'scroll-shell'; lines: number }
  /** Read the cluster picture for the namespace being worked in. */
  | { kind: 'read-picture' }
  /** Look closer at an object of the cluster pane. */
  | { kind: 'inspect'; how: Inspection; resource: string; name: string; namespace: string }
  | { kind: 'quit' }
  | { kind: 'hint' }
  | { kind: 'solution' }
  | { kind: 'reset' }
  /** Grade the step: after a command (which counts as a try), or when asked. */
  | { kind: 'check'; command?: string; code?: number; output?: string }
  | { kind: 'start-lesson'; id: string }
  /** A scenario from the list: asks for consent first when its scripts are new. */
  | { kind: 'open-scenario'; key: string }
  /** The learner agreed to the scenario's scripts: start it. */
  | { kind: 'play-scenario'; key: string }
  | { kind: 'lessons' }
  /** F5: a round of questions, once nothing is busy. */
  | { kind: 'open-quiz' }
  /** Another round from the end of one. */
  | { kind: 'new-quiz' }
  /** F6: the exam in progress, or the choice of track. */
  | { kind: 'exam' }
  | { kind: 'start-exam'; track: Track }
  | { kind: 'flag'; taskId: string; on: boolean }
  | { kind: 'submit-exam' }
  /** Grade the exam as it stands without ending it; ask: then ask about submitting. */
  | { kind: 'exam-standing'; ask: boolean }
  /** Open the learner's editor in the shell on the manifest file of a quiz item. */
  | { kind: 'edit-manifest'; item: Item }
  | { kind: 'answer'; item: Item; answer: string };

export interface Next {
  state: TutorState;
  effects: Effect[];
}

/** The state a tutor opens in; `notice` (damage found in saved state) is shown first. */
export function initialState(screen: Screen, now: number, notice?: string): TutorState {
  return { mode: 'lesson', focus: 'shell', screen, scroll: 0, clusterRow: 0, lessons: { lessons: [] }, selected: 0, now, ...(notice ? { dialog: { kind: 'message', text: notice, error: true } } : {}) };
}

const CONFIRMS: Record<Confirm, { text: string; then: Effect }> = {
  solution: { text: 'Show the solution for this step? It is recorded that you looked. (y/n)', then: { kind: 'solution' } },
  reset: { text: 'Reset this lesson? Its namespace is deleted and set up afresh, back at step 1. (y/n)', then: { kind: 'reset' } },
  submit: { text: 'Submit the exam now and see your score? (y/n)', then: { kind: 'submit-exam' } },
};

const SCREEN_KEYS: TutorKey[] = ['lessons', 'quiz', 'exam', 'progress'];

const to = (state: TutorState, ...effects: Effect[]): Next => ({ state, effects });
const clamp = (n: number, max: number) => Math.max(0, Math.min(max, n));
const confirm = (what: Confirm): Dialog => ({ kind: 'confirm', what, text: CONFIRMS[what].text });

/** Keys go to the shell only while it has focus and nothing is over it. */
export function shellFocused(s: TutorState): boolean {
  return (s.mode === 'lesson' || s.mode === 'exam' || s.mode === 'quiz-edit') && s.focus === 'shell' && !s.dialog;
}

/** The namespace the cluster pane follows: the exam task's, else the lesson's. */
export function namespaceOf(s: TutorState): string | undefined {
  if (s.mode === 'exam' && s.exam) return s.exam.tasks[s.exam.selected]?.namespace;
  // A scenario's cluster is its own; its scripts work in the default namespace.
  return s.scenario ? 'default' : s.lessonView?.lesson.namespaces[0];
}

/** The exam's time is up and nothing holds its grading back. */
export function examDue(s: TutorState): boolean {
  return s.mode === 'exam' && s.exam !== undefined && s.now >= s.exam.deadline && !s.busy;
}

export function reducer(state: TutorState, action: Action): Next {
  const next = reduce(state, action);
  // The exam is graded when its time is up, whatever happened last: the clock ticked, or the
  // work that held grading back ended.
  if (examDue(next.state) && !next.effects.some((e) => e.kind === 'submit-exam')) return to(next.state, ...next.effects, { kind: 'submit-exam' });
  return next;
}

function reduce(s: TutorState, a: Action): Next {
  switch (a.type) {
    case 'input':
      return input(s, a.raw, a.pageRows, a.view);
    case 'screen':
      return to({ ...s, screen: a.screen });
    case 'snapshot':
      // An open picture is drawn afresh whenever the namespace changes.
      return s.picture ? to({ ...s, snapshot: a.snapshot }, { kind: 'read-picture' }) : to({ ...s, snapshot: a.snapshot });
    case 'picture':
      return to(s.picture ? { ...s, picture: { drawn: a.picture } } : s);
    case 'inspected':
      return to(s.inspect?.title === a.title ? { ...s, inspect: { ...s.inspect, lines: a.text.split('\n') } } : s);
    case 'command-done': {
      // What changed since this command is measured from here.
      const t = { ...s, baseline: s.snapshot };
      // The editor a quiz item opened has quit: the file it saved is the answer.
      if (s.mode === 'quiz-edit' && s.quiz?.editing) return to({ ...t, mode: 'quiz', quiz: { ...s.quiz, input: s.quiz.editing, editing: undefined } }, { kind: 'answer', item: s.quiz.items[s.quiz.index], answer: s.quiz.editing });
      if (s.mode === 'exam') return to(t, { kind: 'exam-standing', ask: false });
      if (s.mode === 'lesson' && s.scenario) return s.scenario.play.finished ? to(t) : to(t, { kind: 'check', command: a.command ?? '', code: a.code, output: a.output });
      return s.mode === 'lesson' && s.lessonView && !s.lessonView.lessonDone ? to(t, { kind: 'check', command: a.command ?? '', code: a.code, output: a.output }) : to(t);
    }
    case 'tick':
      return to({ ...s, now: a.now });
    case 'busy':
      return to({ ...s, busy: a.what });
    case 'idle':
      return to({ ...s, busy: undefined });
    case 'failed':
      return to({ ...s, dialog: { kind: 'message', text: a.text, error: true } });
    case 'note':
      return to({ ...s, dialog: { kind: 'message', text: a.text } });
    case 'lesson-shown': {
      const { lesson, stepIndex, lessonDone } = a.shown;
      const kept = !a.afresh && s.lessonView?.lesson.id === lesson.id ? s.lessonView.passed : undefined;
      return to({ ...s, lessonView: { lesson, stepIndex, passed: kept, lessonDone }, scroll: 0 });
    }
    case 'lesson-started':
      return to({ ...reduce(s, { type: 'lesson-shown', shown: a.shown, afresh: true }).state, mode: 'lesson', focus: 'shell', scenario: undefined });
    case 'scenario-consent':
      return to({ ...s, dialog: { kind: 'consent', key: a.key, title: a.title, lines: a.lines, scroll: 0 } });
    case 'scenario-started':
      return to({ ...s, scenario: a.view, mode: 'lesson', focus: 'shell', scroll: 0 });
    case 'scenario-state': {
      const v = s.scenario;
      if (!v) return to(s);
      // A new page opens with its help hidden again, at its top.
      const moved = a.play.stepIndex !== v.play.stepIndex || a.play.finished !== v.play.finished;
      return to({ ...s, scenario: { ...v, play: a.play, ...(moved ? { hints: 0, solved: false } : {}) }, scroll: moved ? 0 : s.scroll });
    }
    case 'checked':
      return checked(s, a.outcome, a.lesson);
    case 'hint':
      return to({ ...s, lessonView: s.lessonView && { ...s.lessonView, hint: a.hint } });
    case 'solution':
      return to({ ...s, lessonView: s.lessonView && { ...s.lessonView, solution: a.commands } });
    case 'lessons':
      return to({ ...s, lessons: a.overview, selected: listStart(s, a.overview), mode: 'lessons' });
    case 'quiz':
      return to({ ...s, quiz: a.quiz, mode: 'quiz' });
    case 'answered': {
      const q = s.quiz;
      if (!q) return to(s);
      const score = { correct: q.score.correct + (a.grade.verdict === 'correct' ? 1 : 0), answered: q.score.answered + 1 };
      return to({ ...s, quiz: { ...q, error: undefined, grade: a.grade, score } });
    }
    case 'unanswerable':
      return to({ ...s, quiz: s.quiz && { ...s.quiz, input: '', error: a.text } });
    case 'exam-choice':
      return to({ ...s, mode: 'exam-start' });
    case 'exam-entered':
      return to({ ...s, exam: { ...a.exam, selected: 0 }, mode: 'exam', focus: 'shell' });
    case 'exam-graded':
      return to({ ...s, examResult: a.report, examHistory: a.history ?? [], exam: undefined, mode: 'exam-results', scroll: 0 });
    case 'exam-standing':
      return standing(s, a.standing, a.ask);
    case 'quiz-editing':
      return to({ ...s, mode: 'quiz-edit', focus: 'shell', quiz: s.quiz && { ...s.quiz, editing: a.path, error: undefined } });
  }
}

/** A check's outcome in the lesson pane: the results where it failed, what happened where it passed. */
function checked(s: TutorState, o: CheckOutcome, lesson: Lesson): Next {
  const v = s.lessonView;
  if (!o.passed) return to({ ...s, lessonView: { ...(v ?? { lesson, stepIndex: o.stepNumber - 1 }), lesson, stepIndex: o.stepNumber - 1, results: o.tasks, aboutCommand: o.aboutCommand } });
  const passed = { title: o.step.title, outcome: o.outcome ?? '' };
  // A finished lesson stays on its last step, with the results; otherwise the next step shows.
  const lessonView: LessonView = o.lessonDone ? { lesson, stepIndex: o.stepNumber - 1, results: o.tasks, passed, lessonDone: true } : { lesson, stepIndex: o.stepNumber, passed };
  return to({ ...s, lessonView, scroll: 0 });
}

/** Bracketed paste's start and end marks (ESC [200~ … ESC [201~). */
const PASTE_MARK = /\u001b\[20[01]~/;
/** How far a key scrolls the exam report, in lines; a page is the screen's height less the status bar and the note. */
const REPORT_SCROLL = new Map<TutorKey, (rows: number) => number>([
  ['up', () => -1],
  ['down', () => 1],
  ['scroll-up', (rows) => -(rows - 3)],
  ['scroll-down', (rows) => rows - 3],
]);

function input(s: TutorState, raw: string, pageRows: number, view?: { cols: number; rows: number }): Next {
  // A paste, or text sent with its Enter in one write (tmux send-keys, a fast typist over ssh):
  // each line is typed, and each line break is an Enter, as if keyed one by one.
  if (s.mode === 'quiz' && !s.dialog && raw.length > 1 && (PASTE_MARK.test(raw) || /[^\r\n][\r\n]|[\r\n][^\r\n]/.test(raw))) {
    const parts = raw.replace(new RegExp(PASTE_MARK.source, 'g'), '').split(/(\r\n|\r|\n)/);
    let next = to(s);
    for (const part of parts) {
      if (!part) continue;
      const step = input(next.state, /^[\r\n]+$/.test(part) ? '\r' : part, pageRows, view);
      next = { state: step.state, effects: [...next.effects, ...step.effects] };
      // Once an answer is on its way to be graded, what follows waits for the verdict.
      if (step.effects.some((e) => e.kind === 'answer' || e.kind === 'edit-manifest')) break;
    }
    return next;
  }
  if (s.mode === 'exam-results' && !s.dialog && s.examResult && view) {
    const k = routeKey(raw, false, pageRows);
    const by = k.to === 'tutor' ? REPORT_SCROLL.get(k.key)?.(view.rows) : undefined;
    if (by !== undefined) {
      const max = Math.max(0, reportLines(s.examResult, s.examHistory ?? [], view.cols - 2).length - (view.rows - 3));
      return to({ ...s, scroll: clamp(s.scroll + by, max) });
    }
  }
  const copy = s.mode === 'lesson' && s.scenario && !s.dialog ? copyKey(s, s.scenario, raw) : undefined;
  if (copy) return copy;
  const cluster = (s.mode === 'lesson' || s.mode === 'exam') && !s.dialog && !shellFocused(s) ? clusterKey(s, raw) : undefined;
  if (cluster) return cluster;
  const route = routeKey(raw, shellFocused(s), pageRows);
  if (route.to === 'scroll') return to(s, { kind: 'scroll-shell', lines: route.lines });
  if (route.to === 'shell') return to(s, { kind: 'write', raw: route.raw });
  if (route.to === 'text') {
    if ((s.dialog?.kind === 'confirm' || s.dialog?.kind === 'consent') && /^[yYnN]$/.test(route.raw)) return key(s, 'enter', route.raw);
    if (s.mode === 'quiz' && !s.dialog) return to(typed(s, route.raw) ?? s);
    if (s.mode === 'exam' || s.mode === 'exam-start') return key(s, 'enter', route.raw);
    return to(s);
  }
  // In the quiz, letters are answers, not shortcuts.
  const answer = s.mode === 'quiz' && !s.dialog && route.raw.length === 1 && /[a-z?]/.test(route.raw) ? typed(s, route.raw) : undefined;
  return answer ? to(answer) : key(s, route.key, route.raw);
}

/** Text typed on the quiz's answer line; undefined where there is no line to type on. */
function typed(s: TutorState, raw: string): TutorState | undefined {
  const q = s.quiz;
  if (!q || q.grade || q.index >= q.items.length || !/^[\x20-\x7e]+$/.test(raw)) return undefined;
  return { ...s, quiz: { ...q, input: q.input + raw } };
}

function key(s: TutorState, k: TutorKey, raw: string): Next {
  if (k === 'quit') return to(s, { kind: 'quit' });
  if (k === 'help') return to({ ...s, dialog: s.dialog?.kind === 'help' ? undefined : { kind: 'help' } });
  if (s.dialog) return dialogKey(s, s.dialog, k, raw);
  if (k === 'lessons' && s.exam) return to({ ...s, dialog: { kind: 'message', text: EXAM_RUNNING } });
  if (SCREEN_KEYS.includes(k) && s.mode !== 'quiz') return openScreen(s, k);
  if (s.mode !== 'lesson' && s.mode !== 'exam') return screenKey(s, k, raw);
  return paneKey(s, k, raw);
}

/** A dialog takes every key: y answers a question, and most others close it. */
function dialogKey(s: TutorState, dialog: Dialog, k: TutorKey, raw: string): Next {
  const closed = { ...s, dialog: undefined };
  if (dialog.kind === 'consent') return consentKey(s, dialog, k, raw);
  // A scenario's solutions are its own <details>, shown in the pane: nothing to ask the core.
  if (dialog.kind === 'confirm' && dialog.what === 'solution' && s.scenario && (raw === 'y' || raw === 'Y')) return to({ ...closed, scenario: { ...s.scenario, solved: true } });
  if (dialog.kind === 'confirm' && (raw === 'y' || raw === 'Y')) return to(closed, CONFIRMS[dialog.what].then);
  if (k === 'escape' || k === 'enter' || raw === 'n' || raw === 'N' || dialog.kind === 'message') return to(closed);
  return to(s);
}

function openScreen(s: TutorState, k: TutorKey): Next {
  if (k === 'lessons') return to(s, { kind: 'lessons' });
  // A round stepped out of is taken up where it was, its score kept; a finished one offers another.
  if (k === 'quiz') return s.quiz ? to({ ...s, mode: s.quiz.editing && s.mode !== 'quiz-edit' ? 'quiz-edit' : 'quiz', focus: s.quiz.editing ? 'shell' : s.focus }) : to(s, { kind: 'open-quiz' });
  if (k === 'exam') return to(s, { kind: 'exam' });
  return to({ ...s, mode: 'progress' });
}

/** Keys on the full screens: the lesson list, the quiz, the exam's start and results, progress. */
function screenKey(s: TutorState, k: TutorKey, raw: string): Next {
  const q = s.quiz;
  // Esc leaves a screen, except that on a half-typed answer it clears the line first.
  if (s.mode === 'quiz-edit') return to(s);
  // Leaving the question while its manifest is open in the editor goes back to the editor.
  if (k === 'escape' && !(s.mode === 'quiz' && q && !q.grade && q.input)) return to({ ...s, mode: s.mode === 'quiz' && q?.editing ? 'quiz-edit' : s.exam ? 'exam' : 'lesson' });
  if (s.mode === 'lessons') {
    const list = s.lessons.lessons;
    const rows = list.length + (s.lessons.scenarios?.length ?? 0);
    if (k === 'up' || k === 'down') return to({ ...s, selected: clamp(s.selected + (k === 'down' ? 1 : -1), rows - 1) });
    if (k === 'enter' && list[s.selected]) return to(s, { kind: 'start-lesson', id: list[s.selected].id });
    const row = s.lessons.scenarios?.[s.selected - list.length];
    if (k === 'enter' && row) return row.blocked ? to({ ...s, dialog: { kind: 'message', text: `${row.title} cannot be played here: ${row.blocked}.` } }) : to(s, { kind: 'open-scenario', key: row.key });
    return to(s);
  }
  if (s.mode === 'exam-start') return raw === 'a' || raw === 'd' ? to(s, { kind: 'start-exam', track: raw === 'a' ? 'cka' : 'ckad' }) : to(s);
  if (s.mode !== 'quiz' || !q) return to(s);
  if (q.index >= q.items.length) return k === 'enter' ? to(s, { kind: 'new-quiz' }) : to(s);
  if (q.grade) return k === 'enter' ? to({ ...s, quiz: { ...q, index: q.index + 1, grade: undefined, input: '' } }) : to(s);
  if (k === 'escape') return to({ ...s, quiz: { ...q, input: '' } });
  if (k === 'backspace') return to({ ...s, quiz: { ...q, input: q.input.slice(0, -1) } });
  if (k === 'enter' && q.input.trim()) return to(s, { kind: 'answer', item: q.items[q.index], answer: q.input.trim() });
  // A manifest is written in the learner's editor, on a file in the sandbox folder.
  if (k === 'enter' && q.items[q.index].kind === 'manifest') return to(s, { kind: 'edit-manifest', item: q.items[q.index] });
  return to(s);
}

/** Keys beside the shell, in a lesson or an exam, when the shell does not have them. */
function paneKey(s: TutorState, k: TutorKey, raw: string): Next {
  const inLesson = s.mode === 'lesson';
  if (inLesson && s.scenario) {
    const help = scenarioHelpKey(s, s.scenario, k);
    if (help) return help;
  }
  switch (k) {
    case 'focus':
    case 'tab':
      return to({ ...s, focus: FOCUS_ORDER[(FOCUS_ORDER.indexOf(s.focus) + 1) % FOCUS_ORDER.length] });
    case 'hint':
      return inLesson ? to(s, { kind: 'hint' }) : to({ ...s, dialog: { kind: 'message', text: EXAM_NO_HELP } });
    case 'solution':
    case 'reset':
      return inLesson ? to({ ...s, dialog: confirm(k) }) : to({ ...s, dialog: { kind: 'message', text: EXAM_NO_HELP } });
    case 'check':
      return inLesson ? to(s, { kind: 'check' }) : to(s);
    case 'next-step':
    case 'prev-step': {
      const by = k === 'next-step' ? 1 : -1;
      const v = s.lessonView;
      if (inLesson && v) {
        const stepIndex = clamp(v.stepIndex + by, v.lesson.steps.length - 1);
        return to({ ...s, lessonView: { ...v, stepIndex, results: undefined, hint: undefined, solution: undefined, passed: undefined, lessonDone: false }, scroll: 0 });
      }
      return to(moveTask(s, by));
    }
    case 'up':
    case 'down': {
      const by = k === 'down' ? 1 : -1;
      return to(s.mode === 'exam' && s.exam ? moveTask(s, by) : { ...s, scroll: Math.max(0, s.scroll + by) });
    }
    case 'scroll-up':
    case 'scroll-down':
      return to({ ...s, scroll: Math.max(0, s.scroll + (k === 'scroll-down' ? 10 : -10)) });
    case 'escape':
      return to({ ...s, focus: 'shell' });
    default:
      return s.mode === 'exam' && s.exam ? examKey(s, s.exam, raw) : to(s);
  }
}

/** The objects the cluster pane can select, in the order shown: every kind's rows but events'. */
export function selectableObjects(snapshot: NamespaceSnapshot | undefined): { kind: string; name: string }[] {
  return (snapshot?.tables ?? []).filter((t) => t.kind !== 'events').flatMap((t) => t.names.map((name) => ({ kind: t.kind, name })));
}

const INSPECT_KEYS: Record<string, Inspection> = { d: 'describe', l: 'logs', y: 'yaml' };

/**
 * Keys for the cluster pane and what it opens, k9s-style: arrows select an object, d describes it,
 * l shows its logs, y its YAML, p draws the cluster; in an open view, arrows and PgUp/PgDn scroll
 * and Esc closes. Undefined leaves the key to the rest of the tutor (function keys always).
 */
function clusterKey(s: TutorState, raw: string): Next | undefined {
  const route = routeKey(raw, false);
  if (functionKey(raw) !== undefined) return undefined;
  const k = route.to === 'tutor' ? route.key : undefined;
  if (s.inspect) {
    const v = s.inspect;
    if (k === 'escape' || k === 'enter') return to({ ...s, inspect: undefined });
    const by = k === 'up' ? -1 : k === 'down' ? 1 : k === 'scroll-up' ? -10 : k === 'scroll-down' ? 10 : 0;
    return to({ ...s, inspect: { ...v, scroll: clamp(v.scroll + by, Math.max(0, (v.lines?.length ?? 1) - 1)) } });
  }
  if (s.picture) return k === 'escape' || k === 'enter' || raw === 'p' ? to({ ...s, picture: undefined }) : route.to === 'text' || route.to === 'tutor' ? to(s) : undefined;
  if (s.focus !== 'cluster') return undefined;
  // p draws the cluster here (n and p still move steps from the lesson pane).
  if (raw === 'p') return to({ ...s, picture: {} }, { kind: 'read-picture' });
  const objects = selectableObjects(s.snapshot);
  if (k === 'up' || k === 'down') return to({ ...s, clusterRow: clamp(s.clusterRow + (k === 'down' ? 1 : -1), Math.max(0, objects.length - 1)) });
  const how = Object.hasOwn(INSPECT_KEYS, raw) ? INSPECT_KEYS[raw] : undefined;
  if (!how) return undefined;
  const o = objects[Math.min(s.clusterRow, objects.length - 1)];
  const namespace = s.snapshot?.namespace;
  if (!o || !namespace) return to(s);
  const title = `${how} ${o.kind}/${o.name}`;
  return to({ ...s, inspect: { title, scroll: 0 } }, { kind: 'inspect', how, resource: o.kind, name: o.name, namespace });
}

/** The selected exam task moves; the list does not wrap. */
function moveTask(s: TutorState, by: number): TutorState {
  if (s.mode !== 'exam' || !s.exam) return s;
  return { ...s, exam: { ...s.exam, selected: clamp(s.exam.selected + by, s.exam.tasks.length - 1) } };
}

/** f flags the selected task to come back to (or unflags it); S asks to submit. */
function examKey(s: TutorState, exam: ExamView, raw: string): Next {
  if (raw === 'f') {
    const id = exam.tasks[exam.selected].id;
    const on = !exam.flagged.includes(id);
    const flagged = on ? [...exam.flagged, id] : exam.flagged.filter((x) => x !== id);
    return to({ ...s, exam: { ...exam, flagged } }, { kind: 'flag', taskId: id, on });
  }
  if (raw === 'S') return to(s, { kind: 'exam-standing', ask: true });
  return to(s);
}

const EXAM_NO_HELP = 'Hints, solutions and resets are off during an exam, as in the real one. Each task’s model solution is in the report after you submit (S in the task list).';
const EXAM_RUNNING = 'An exam is running: the lesson list opens again once it is submitted (S in the task list) or its time is up. Esc goes back to the exam.';

/** Where the exam stands: the task list marks what is done; when asked to submit, the question says what is left. */
function standing(s: TutorState, st: ExamStanding, ask: boolean): Next {
  if (!s.exam) return to(s);
  const exam = { ...s.exam, done: st.done };
  if (!ask) return to({ ...s, exam });
  const n = (x: number, one: string, many = `${one}s`) => `${x} ${x === 1 ? one : many}`;
  const untouched = st.untouched.length ? `${st.untouched.length} of ${n(st.tasks, 'task')} untouched (not one check passes)` : `All ${n(st.tasks, 'task')} started`;
  const text = `${untouched}, ${st.flagged.length} flagged. Submit anyway? (y/n)`;
  return to({ ...s, exam, dialog: { kind: 'confirm', what: 'submit', text } });
}

/** Where the F4 list opens: on the scenario being played, else the next lesson. */
function listStart(s: TutorState, o: { lessons: LessonSummary[]; next?: string; scenarios?: ScenarioRow[] }): number {
  const playing = s.scenario ? (o.scenarios ?? []).findIndex((r) => r.key === s.scenario?.key) : -1;
  if (playing >= 0) return o.lessons.length + playing;
  // Opened on scenarios (`kubedojo scenario DIR`): the first one left to play.
  const open = (o.scenarios ?? []).findIndex((r) => r.status !== 'done' && !r.blocked);
  if (open >= 0) return o.lessons.length + open;
  return Math.max(0, o.lessons.findIndex((l) => l.id === o.next));
}

/**
 * Alt+N (from anywhere) or N (with the lesson pane focused) puts the page's block N into the
 * shell's input line, as a click on a Killercoda block does; Enter is the learner's to press.
 */
function copyKey(s: TutorState, v: ScenarioView, raw: string): Next | undefined {
  const m = /^\u001b([1-9])$/.exec(raw) ?? (s.focus === 'lesson' ? /^([1-9])$/.exec(raw) : null);
  if (!m) return undefined;
  const block = visibleBlock(v, Number(m[1]));
  if (block === undefined) return to(s);
  return to({ ...s, focus: 'shell' }, { kind: 'write', raw: pasteOf(block) });
}

/** F2, F3, F8, n and p while a scenario plays: its own hints and solutions, no lesson steps to move. */
function scenarioHelpKey(s: TutorState, v: ScenarioView, k: TutorKey): Next | undefined {
  if (k === 'hint') {
    const { hints } = hintsOf(v);
    if (v.hints < hints.length) return to({ ...s, scenario: { ...v, hints: v.hints + 1 } });
    const text = hints.length ? 'Every hint of this step is shown. F3 shows its solution.' : 'This page has no hints of its own. F3 shows its solution, where it has one.';
    return to({ ...s, dialog: { kind: 'message', text } });
  }
  if (k === 'solution' && !hintsOf(v).solutions.length) return to({ ...s, dialog: { kind: 'message', text: 'This page has no solution to show: its text says what to do.' } });
  if (k === 'reset') return to({ ...s, dialog: { kind: 'message', text: 'To play this scenario afresh, open it again from the F4 list: it starts on a new cluster, with the steps you passed kept.' } });
  if (k === 'next-step' || k === 'prev-step' || k === 'check') return k === 'check' ? to(s, { kind: 'check' }) : to(s);
  return undefined;
}

/** The consent dialog: y lets the scripts run, n or Esc does not; arrows and pages scroll. */
function consentKey(s: TutorState, d: Extract<Dialog, { kind: 'consent' }>, k: TutorKey, raw: string): Next {
  if (raw === 'y' || raw === 'Y') return to({ ...s, dialog: undefined }, { kind: 'play-scenario', key: d.key });
  if (raw === 'n' || raw === 'N' || k === 'escape') return to({ ...s, dialog: { kind: 'message', text: `${d.title} was not started: nothing of it ran. Open it again from F4 to read its scripts again.` } });
  const by = k === 'up' ? -1 : k === 'down' ? 1 : k === 'scroll-up' ? -10 : k === 'scroll-down' ? 10 : 0;
  return to({ ...s, dialog: { ...d, scroll: clamp(d.scroll + by, Math.max(0, d.lines.length - 1)) } });
}
