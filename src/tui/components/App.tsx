// The terminal tutor: lesson, shell and cluster panes with a status bar, and the screens over
// them (lesson list, quiz, exam, progress). All grading is the core's; this only shows it.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Text, useStdin } from 'ink';
import type { Tutor, FinishedExam } from '../../core/tutor.js';
import type { NamespaceSnapshot } from '../../core/kube/namespace-view.js';
import type { ExamTask, Track } from '../../core/quiz/types.js';
import type { LessonSummary } from '../../core/session.js';
import { LearnerError, renderProblem } from '../../core/problems.js';
import { loadExamBank } from '../../core/quiz/exam-bank.js';
import type { Screen } from '../pty/screen.js';
import { layout } from '../layout.js';
import { routeKey, type TutorKey } from '../keys.js';
import { Frame } from './Frame.js';
import { ShellPane } from './ShellPane.js';
import { ClusterPane } from './ClusterPane.js';
import { LessonPane, type LessonView } from './LessonPane.js';
import { StatusBar } from './StatusBar.js';
import { HelpOverlay, Overlay } from './HelpOverlay.js';
import { LessonList } from './LessonList.js';
import { QuizScreen, type QuizState } from './QuizScreen.js';
import { ExamResults, ExamStart, ExamTasks } from './ExamScreens.js';
import { ProgressScreen } from './ProgressScreen.js';
import { useTheme } from './theme.js';

/** The shell as the app uses it (a ShellSession). */
export interface ShellLike {
  screen(): Screen;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  scroll(lines: number): void;
  on(event: 'frame', fn: () => void): unknown;
  on(event: 'commandDone', fn: (code: number) => void): unknown;
  off(event: 'frame', fn: () => void): unknown;
  off(event: 'commandDone', fn: (code: number) => void): unknown;
}

export interface ViewLike {
  snapshot: NamespaceSnapshot;
  on(event: 'change', fn: (s: NamespaceSnapshot) => void): unknown;
  off(event: 'change', fn: (s: NamespaceSnapshot) => void): unknown;
  stop(): void;
}

export interface AppProps {
  tutor: Tutor;
  shell: ShellLike;
  viewFor: (namespace: string) => ViewLike;
  cols: number;
  rows: number;
  onQuit: () => void;
  /** Where the shell starts: relative manifest paths in quiz answers are read from here. */
  sandboxDir?: string;
  /** Resolves a manifest path typed in the quiz. */
  readFile?: (p: string) => string;
  /** Shown in a message box at the start: what went wrong with the saved cluster or progress. */
  notice?: string;
}

/** A round of ten questions, due ones first. */
const newQuiz = (tutor: Tutor): QuizState => ({ items: tutor.quiz({ count: 10 }), index: 0, input: '', score: { correct: 0, answered: 0 } });

type Mode = 'lesson' | 'lessons' | 'quiz' | 'exam-start' | 'exam' | 'exam-results' | 'progress';
type Dialog = { kind: 'help' } | { kind: 'confirm'; what: 'solution' | 'reset' | 'submit'; text: string } | { kind: 'message'; text: string; error?: boolean };
type Focus = 'shell' | 'lesson' | 'cluster';
const FOCUS_ORDER: Focus[] = ['shell', 'lesson', 'cluster'];

export function App(props: AppProps) {
  const { tutor, shell, cols, rows } = props;
  const theme = useTheme();
  const { internal_eventEmitter: input, setRawMode, isRawModeSupported } = useStdin();
  const box = layout(cols, rows);

  const [mode, setModeState] = useState<Mode>('lesson');
  const [dialog, setDialogState] = useState<Dialog | undefined>(() => (props.notice ? { kind: 'message', text: props.notice, error: true } : undefined));
  const [focus, setFocusState] = useState<Focus>('shell');
  const [lessonView, setLessonView] = useState<LessonView>();
  const [screen, setScreen] = useState<Screen>(() => shell.screen());
  const [snapshot, setSnapshot] = useState<NamespaceSnapshot>();
  const [busy, setBusy] = useState<string>();
  const [scroll, setScroll] = useState(0);
  const [lessons, setLessons] = useState<{ lessons: LessonSummary[]; next?: string }>({ lessons: [] });
  const [selected, setSelectedState] = useState(0);
  const [quiz, setQuizState] = useState<QuizState>();
  const [exam, setExamState] = useState<{ tasks: ExamTask[]; selected: number; flagged: string[]; deadline: number; domains: Record<string, string> }>();
  const [examResult, setExamResult] = useState<FinishedExam>();
  const [now, setNow] = useState(() => Date.now());

  // Handlers read the latest state through this ref; closures would otherwise see old values.
  const state = useRef({ mode, dialog, focus, lessonView, busy, lessons, selected, quiz, exam });
  state.current = { mode, dialog, focus, lessonView, busy, lessons, selected, quiz, exam };
  // Key handlers may run twice before React renders again (a paste, keys typed fast): what one
  // sets, the next must see, so these setters write through to the ref at once.
  const through =
    <K extends 'mode' | 'dialog' | 'focus' | 'selected' | 'quiz' | 'exam'>(key: K, set: (v: (typeof state.current)[K]) => void) =>
    (v: (typeof state.current)[K]) => {
      state.current = { ...state.current, [key]: v };
      set(v);
    };
  const setMode = through('mode', setModeState);
  const setDialog = through('dialog', setDialogState);
  const setFocus = through('focus', setFocusState);
  const setSelected = through('selected', setSelectedState);
  const setQuiz = through('quiz', setQuizState);
  const setExam = through('exam', setExamState);

  const fail = useCallback((err: unknown) => {
    setDialog({ kind: 'message', text: renderProblem(err), error: true });
  }, []);

  /** Runs an action with a busy note in the status bar; errors become a message box. */
  const run = useCallback(
    async (what: string, fn: () => Promise<void> | void) => {
      if (state.current.busy) return;
      setBusy(what);
      try {
        await fn();
      } catch (err) {
        fail(err);
      } finally {
        setBusy(undefined);
      }
    },
    [fail],
  );

  const showLesson = useCallback(() => {
    const { lesson, index } = tutor.session.current();
    setLessonView((v) => ({ lesson, stepIndex: index, passed: v?.lesson.id === lesson.id ? v.passed : undefined, lessonDone: Boolean(tutor.learner.lesson(lesson.id)?.finishedAt) }));
    setScroll(0);
  }, [tutor]);

  const startLesson = useCallback(
    (id: string) =>
      run('setting the lesson up', async () => {
        await tutor.session.start(id);
        setLessonView(undefined);
        showLesson();
        setMode('lesson');
        setFocus('shell');
      }),
    [run, tutor, showLesson],
  );

  const check = useCallback(
    (quiet: boolean) =>
      run('checking', async () => {
        if (!tutor.learner.currentLesson()) return;
        const o = await tutor.session.check();
        const { lesson } = tutor.session.current();
        setLessonView((v) => {
          if (!o.passed) return { ...(v ?? { lesson, stepIndex: o.stepNumber - 1 }), lesson, stepIndex: o.stepNumber - 1, results: o.tasks };
          if (o.lessonDone) return { lesson, stepIndex: o.stepNumber - 1, results: o.tasks, passed: { title: o.step.title, outcome: o.outcome ?? '' }, lessonDone: true };
          return { lesson, stepIndex: o.stepNumber, passed: { title: o.step.title, outcome: o.outcome ?? '' } };
        });
        if (o.passed) setScroll(0);
        void quiet;
      }),
    [run, tutor],
  );

  // First frame: the current lesson, or the next one started for the learner.
  useEffect(() => {
    void run('starting', async () => {
      const current = tutor.learner.currentLesson();
      if (current) showLesson();
      else {
        const next = tutor.session.overview().next;
        if (next) {
          await tutor.session.start(next);
          showLesson();
        }
      }
    });
  }, [tutor, run, showLesson]);

  // The shell's screen, and a check after every command.
  useEffect(() => {
    const onFrame = () => setScreen(shell.screen());
    const onDone = () => {
      if (state.current.mode === 'lesson' && state.current.lessonView && !state.current.lessonView.lessonDone) void check(true);
    };
    shell.on('frame', onFrame);
    shell.on('commandDone', onDone);
    return () => {
      shell.off('frame', onFrame);
      shell.off('commandDone', onDone);
    };
  }, [shell, check]);

  useEffect(() => {
    shell.resize(box.shellCols, box.shellRows);
  }, [shell, box.shellCols, box.shellRows]);

  // The cluster pane follows the namespace being worked in.
  const namespace = mode === 'exam' && exam ? exam.tasks[exam.selected]?.namespace : lessonView?.lesson.namespaces[0];
  useEffect(() => {
    if (!namespace) return;
    const view = props.viewFor(namespace);
    setSnapshot(view.snapshot);
    const onChange = (s: NamespaceSnapshot) => setSnapshot(s);
    view.on('change', onChange);
    return () => {
      view.off('change', onChange);
      view.stop();
    };
  }, [namespace, props.viewFor]);

  // The exam clock.
  useEffect(() => {
    if (mode !== 'exam' || !exam) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [mode, exam]);

  const submitExam = useCallback(
    () =>
      run('grading the exam', async () => {
        const report = await tutor.submitExam();
        setExamResult(report);
        setExam(undefined);
        setMode('exam-results');
      }),
    [run, tutor],
  );

  useEffect(() => {
    if (mode === 'exam' && exam && now >= exam.deadline && !busy) void submitExam();
  }, [mode, exam, now, busy, submitExam]);

  const enterExam = useCallback(
    (started: { tasks: ExamTask[]; exam: { deadline: string; flagged: string[]; track: Track } }) => {
      const bank = loadExamBank(started.exam.track);
      setExam({ tasks: started.tasks, selected: 0, flagged: started.exam.flagged, deadline: new Date(started.exam.deadline).getTime(), domains: Object.fromEntries(bank.domains.map((d) => [d.id, d.name])) });
      setMode('exam');
      setFocus('shell');
    },
    [],
  );

  const openScreen = useCallback(
    (key: TutorKey) => {
      setDialog(undefined);
      if (key === 'lessons') {
        const o = tutor.session.overview();
        setLessons(o);
        setSelected(Math.max(0, o.lessons.findIndex((l) => l.id === o.next)));
        setMode('lessons');
      } else if (key === 'quiz') {
        void run('choosing questions', () => {
          setQuiz(newQuiz(tutor));
          setMode('quiz');
        });
      } else if (key === 'exam') {
        const current = tutor.exam();
        if (current) enterExam(current);
        else setMode('exam-start');
      } else if (key === 'progress') setMode('progress');
    },
    [tutor, run, enterExam],
  );

  const tutorKey = useCallback(
    (key: TutorKey, raw: string) => {
      const s = state.current;
      if (key === 'quit') return props.onQuit();
      if (key === 'help') return setDialog(s.dialog?.kind === 'help' ? undefined : { kind: 'help' });
      if (s.dialog) {
        if (s.dialog.kind === 'confirm' && (raw === 'y' || raw === 'Y')) {
          const what = s.dialog.what;
          setDialog(undefined);
          if (what === 'solution') {
            const sol = tutor.session.solution();
            setLessonView((v) => v && { ...v, solution: sol.commands });
          } else if (what === 'reset') {
            void run('resetting the lesson', async () => {
              await tutor.session.reset();
              setLessonView(undefined);
              showLesson();
            });
          } else if (what === 'submit') void submitExam();
          return;
        }
        if (key === 'escape' || key === 'enter' || raw === 'n' || raw === 'N' || s.dialog.kind === 'message') setDialog(undefined);
        return;
      }
      if (['lessons', 'quiz', 'exam', 'progress'].includes(key) && s.mode !== 'quiz') return openScreen(key);
      if (s.mode !== 'lesson' && s.mode !== 'exam') return screenKey(key, raw);
      switch (key) {
        case 'focus':
        case 'tab':
          return setFocus(FOCUS_ORDER[(FOCUS_ORDER.indexOf(s.focus) + 1) % FOCUS_ORDER.length]);
        case 'hint':
          if (s.mode !== 'lesson') return;
          try {
            const h = tutor.session.hint();
            setLessonView((v) => v && { ...v, hint: { text: h.hint, number: h.number, of: h.of } });
          } catch (err) {
            fail(err);
          }
          return;
        case 'solution':
          if (s.mode === 'lesson') setDialog({ kind: 'confirm', what: 'solution', text: 'Show the solution for this step? It is recorded that you looked. (y/n)' });
          return;
        case 'reset':
          if (s.mode === 'lesson') setDialog({ kind: 'confirm', what: 'reset', text: "Reset this lesson? Its namespace is deleted and set up afresh, back at step 1. (y/n)" });
          return;
        case 'check':
          if (s.mode === 'lesson') void check(false);
          return;
        case 'next-step':
        case 'prev-step':
          if (s.mode === 'lesson' && s.lessonView) {
            const max = s.lessonView.lesson.steps.length - 1;
            const next = Math.max(0, Math.min(max, s.lessonView.stepIndex + (key === 'next-step' ? 1 : -1)));
            setLessonView({ ...s.lessonView, stepIndex: next, results: undefined, hint: undefined, solution: undefined, passed: undefined, lessonDone: false });
            setScroll(0);
          } else if (s.mode === 'exam' && s.exam) setExam({ ...s.exam, selected: Math.max(0, Math.min(s.exam.tasks.length - 1, s.exam.selected + (key === 'next-step' ? 1 : -1))) });
          return;
        case 'up':
        case 'down':
          if (s.mode === 'exam' && s.exam) setExam({ ...s.exam, selected: Math.max(0, Math.min(s.exam.tasks.length - 1, s.exam.selected + (key === 'down' ? 1 : -1))) });
          else setScroll((n) => Math.max(0, n + (key === 'down' ? 1 : -1)));
          return;
        case 'scroll-up':
        case 'scroll-down':
          setScroll((n) => Math.max(0, n + (key === 'scroll-down' ? 10 : -10)));
          return;
        case 'escape':
          return setFocus('shell');
        default:
          if (s.mode === 'exam' && s.exam) {
            if (raw === 'f') {
              const id = s.exam.tasks[s.exam.selected].id;
              const on = !s.exam.flagged.includes(id);
              tutor.flag(id, on);
              setExam({ ...s.exam, flagged: on ? [...s.exam.flagged, id] : s.exam.flagged.filter((x) => x !== id) });
            } else if (raw === 'S') setDialog({ kind: 'confirm', what: 'submit', text: 'Submit the exam now and see your score? (y/n)' });
          }
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [tutor, run, fail, check, showLesson, openScreen, submitExam, props.onQuit],
  );

  // Keys on the full screens (lesson list, quiz, exam start and results, progress).
  const screenKey = (key: TutorKey, raw: string) => {
    const s = state.current;
    if (key === 'escape' && !(s.mode === 'quiz' && s.quiz && !s.quiz.grade && s.quiz.input)) {
      setMode(s.exam ? 'exam' : 'lesson');
      return;
    }
    if (s.mode === 'lessons') {
      if (key === 'up' || key === 'down') setSelected(Math.max(0, Math.min(s.lessons.lessons.length - 1, s.selected + (key === 'down' ? 1 : -1))));
      if (key === 'enter' && s.lessons.lessons[s.selected]) void startLesson(s.lessons.lessons[s.selected].id);
      return;
    }
    if (s.mode === 'exam-start') {
      if (raw === 'a' || raw === 'd') {
        void run(`setting up the ${raw === 'a' ? 'CKA' : 'CKAD'} tasks`, async () => enterExam(await tutor.startExam(raw === 'a' ? 'cka' : 'ckad')));
      }
      return;
    }
    if (s.mode === 'quiz' && s.quiz) {
      const q = s.quiz;
      if (q.index >= q.items.length) {
        if (key === 'enter') setQuiz(newQuiz(tutor));
        else if (key === 'escape') setMode(s.exam ? 'exam' : 'lesson');
        return;
      }
      if (q.grade) {
        if (key === 'enter') setQuiz({ ...q, index: q.index + 1, grade: undefined, input: '' });
        return;
      }
      if (key === 'escape') return setQuiz({ ...q, input: '' });
      if (key === 'backspace') return setQuiz({ ...q, input: q.input.slice(0, -1) });
      if (key === 'enter') {
        if (!q.input.trim()) return;
        const item = q.items[q.index];
        void run('grading', async () => {
          let answer = q.input.trim();
          try {
            if (item.kind === 'manifest') answer = readManifest(answer, props);
            const result = await tutor.answer(item.id, answer);
            setQuiz({ ...q, error: undefined, grade: result.grade, score: { correct: q.score.correct + (result.grade.verdict === 'correct' ? 1 : 0), answered: q.score.answered + 1 } });
          } catch (err) {
            // An answer that cannot be graded (not a choice, no such file) is said in place.
            if (!(err instanceof LearnerError)) throw err;
            setQuiz({ ...q, input: '', error: `${err.message}. ${err.nextStep ?? ''}`.trim() });
          }
        });
        return;
      }
      return;
    }
  };

  // Typed text in the quiz goes to its answer line.
  const typeInQuiz = (raw: string) => {
    const q = state.current.quiz;
    if (!q || q.grade || q.index >= q.items.length) return false;
    if (/^[\x20-\x7e]+$/.test(raw)) {
      setQuiz({ ...q, input: q.input + raw });
      return true;
    }
    return false;
  };

  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const onInput = (raw: string) => {
      const s = state.current;
      const shellFocused = (s.mode === 'lesson' || s.mode === 'exam') && s.focus === 'shell' && !s.dialog;
      const route = routeKey(raw, shellFocused, box.shellRows);
      if (route.to === 'scroll') return shell.scroll(route.lines);
      if (route.to === 'shell') return shell.write(route.raw);
      if (route.to === 'text') {
        if (s.dialog?.kind === 'confirm' && /^[yYnN]$/.test(route.raw)) tutorKey('enter', route.raw);
        else if (s.mode === 'quiz' && !s.dialog) typeInQuiz(route.raw);
        else if (s.mode === 'exam' || s.mode === 'exam-start') tutorKey('enter', route.raw);
        return;
      }
      // In the quiz, letters are answers, not shortcuts.
      if (s.mode === 'quiz' && !s.dialog && route.raw.length === 1 && /[a-z?]/.test(route.raw) && typeInQuiz(route.raw)) return;
      tutorKey(route.key, route.raw);
    };
    input.on('input', onInput);
    return () => {
      input.off('input', onInput);
    };
  });

  const view = lessonView;
  const stepsDone = view ? view.lesson.steps.filter((st) => tutor.learner.lesson(view.lesson.id)?.steps[st.id]?.passedAt).length : 0;
  const checks = view?.results?.flatMap((t) => t.checks) ?? [];
  const where = mode === 'exam' && exam ? `exam · task ${exam.selected + 1}/${exam.tasks.length}` : view ? `${view.lesson.id} · step ${view.stepIndex + 1}/${view.lesson.steps.length}` : 'kubedojo';

  let body: React.ReactNode;
  if (mode === 'lesson' || mode === 'exam') {
    const leftTitle = mode === 'exam' ? 'Exam tasks' : 'Lesson';
    const left =
      mode === 'exam' && exam ? (
        <ExamTasks tasks={exam.tasks} selected={exam.selected} flagged={exam.flagged} domains={exam.domains} />
      ) : view ? (
        <LessonPane view={view} scroll={scroll} />
      ) : (
        <Text color={theme.dim}> {busy ?? 'No lesson yet: F4 opens the list.'}</Text>
      );
    const panes = (
      <>
        <Frame title={leftTitle} width={box.lesson.width} height={box.lesson.height} focused={focus === 'lesson'}>
          {left}
        </Frame>
        {/* Wide: shell and cluster are columns of their own; otherwise the cluster sits under the shell. */}
        <Box flexDirection={box.wide ? 'row' : 'column'}>
          <Frame title="Shell" width={box.shell.width} height={box.shell.height} focused={focus === 'shell'}>
            <ShellPane screen={screen} focused={focus === 'shell' && !dialog} />
          </Frame>
          <Frame title="Cluster" width={box.cluster.width} height={box.cluster.height} focused={focus === 'cluster'}>
            <ClusterPane snapshot={snapshot} width={box.cluster.width - 2} height={box.cluster.height - 2} />
          </Frame>
        </Box>
      </>
    );
    body = <Box flexDirection="row">{panes}</Box>;
  } else if (mode === 'lessons') body = <LessonList lessons={lessons.lessons} next={lessons.next} selected={selected} height={rows - 1} width={cols} />;
  else if (mode === 'quiz' && quiz) body = <QuizScreen quiz={quiz} width={cols} busy={Boolean(busy)} />;
  else if (mode === 'exam-start') body = <ExamStart busy={busy} />;
  else if (mode === 'exam-results' && examResult) body = <ExamResults report={examResult} history={tutor.learner.examReports().slice(0, -1)} width={cols} />;
  else if (mode === 'progress') body = <ProgressScreen summary={tutor.summary()} width={cols} />;

  // A dialog takes the body's place: Ink draws nothing opaque, so text under a box would show.
  const dialogWidth = Math.min(cols - 4, 70);
  return (
    <Box width={cols} height={rows} flexDirection="column">
      <Box height={rows - 1} flexDirection="column" overflow="hidden">
        {dialog ? (
          <Box flexDirection="column" alignItems="center" paddingTop={2} width={cols}>
            {dialog.kind === 'help' ? (
              <HelpOverlay width={dialogWidth} />
            ) : (
              <Overlay title={dialog.kind === 'confirm' ? 'Are you sure?' : dialog.error ? 'Something went wrong' : 'Note'} width={dialogWidth}>
                <Text color={dialog.kind === 'message' && dialog.error ? theme.bad : undefined}>{dialog.text}</Text>
                <Text color={theme.dim}>{dialog.kind === 'confirm' ? 'y yes · n no' : 'Enter or Esc closes this.'}</Text>
              </Overlay>
            )}
          </Box>
        ) : (
          body
        )}
      </Box>
      <StatusBar
        width={cols}
        where={where}
        stepsDone={mode === 'exam' && exam ? exam.flagged.length : stepsDone}
        steps={mode === 'exam' && exam ? exam.tasks.length : view?.lesson.steps.length ?? 0}
        passed={checks.filter((c) => c.passed).length}
        failed={checks.filter((c) => !c.passed).length}
        busy={busy}
        examMsLeft={mode === 'exam' && exam ? exam.deadline - now : undefined}
      />
    </Box>
  );
}

function readManifest(answer: string, props: AppProps): string {
  if (/^\s*(apiVersion|kind):/m.test(answer)) return answer;
  if (!props.readFile) throw new LearnerError('manifest files cannot be read here', 'Paste the manifest instead.');
  return props.readFile(answer);
}
