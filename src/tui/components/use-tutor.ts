// The app's edges: keys, the shell, the cluster view and the exam clock become actions for the
// reducer, and the effects it asks for are performed here, against the core and the shell.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { useEffect, useEffectEvent, useRef, useState, useSyncExternalStore } from 'react';
import { useStdin } from 'ink';
import { type ClusterPicture, type ExamInProgress, type ExamTask, inspect, kindsOfChecks, kindsOfStep, LearnerError, LiveGrading, loadExamBank, type NamespaceSnapshot, renderProblem, type Tutor } from '../../core/index.js';
import { type KubeClient, NamespaceView, consentLines, needsConsent, playable, ScenarioPlay, scenarioEntries, type ScenarioRecords, scriptsHash } from '../../core/index.js';
import { scenarioView, type ScenarioRow } from '../scenario-view.js';
import type { CheckOutcome } from '../../core/index.js';
import type { Screen } from '../pty/screen.js';
import type { Layout } from '../layout.js';
import { createStore } from '../store.js';
import { FKEY_ACTIONS, functionKey } from '../keys.js';
import { initialState, namespaceOf, reducer, type Action, type Effect, type ShownLesson, type TutorState } from '../state.js';
import { manifestFile, type QuizState } from './QuizScreen.js';

/** The shell as the app uses it (a ShellSession). */
export interface ShellLike {
  screen(): Screen;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  scroll(lines: number): void;
  on(event: 'frame', fn: () => void): unknown;
  on(event: 'commandDone', fn: (code: number, line?: string, output?: string) => void): unknown;
  off(event: 'frame', fn: () => void): unknown;
  off(event: 'commandDone', fn: (code: number, line?: string, output?: string) => void): unknown;
}

export interface ViewLike {
  snapshot: NamespaceSnapshot;
  /** Shows these kinds too: what the current step is graded on. */
  follow?(kinds: string[]): Promise<void>;
  /** Nodes with their pods, and Services with theirs. */
  picture?(): Promise<ClusterPicture>;
  on(event: 'change', fn: (s: NamespaceSnapshot) => void): unknown;
  off(event: 'change', fn: (s: NamespaceSnapshot) => void): unknown;
  stop(): void;
}

/** What the app works with. */
export interface TutorEdges {
  tutor: Tutor;
  shell: ShellLike;
  viewFor: (namespace: string) => ViewLike;
  onQuit: () => void;
  /** Resolves a manifest path typed in the quiz. */
  readFile?: (p: string) => string;
  /** Shown in a message box at the start: what went wrong with the saved cluster or progress. */
  notice?: string;
  /** The learner's folder, where the shell starts and quiz manifests are written. */
  sandboxDir?: string;
  cols?: number;
  rows?: number;
  /** Killercoda scenarios to play (`kubedojo scenario DIR`). */
  scenarios?: ScenarioEdges;
}

/** A scenario's own cluster, made fresh when it starts. */
export interface ScenarioCluster {
  kubeconfig: string;
  client: KubeClient;
  dispose(): void;
}

export interface ScenarioEdges {
  /** A scenario's folder, or a collection of them. */
  root: string;
  progress: ScenarioRecords;
  /** Where scripts run and the terminal's scripts are written: the learner's folder. */
  home: string;
  cluster(): Promise<ScenarioCluster>;
  /** The scripts' environment for a cluster's kubeconfig. */
  env(kubeconfig: string): NodeJS.ProcessEnv;
  /** Points the shell's kubectl at this kubeconfig, or back at the tutor's cluster. */
  useKubeconfig(file?: string): void;
}

/** A round of ten questions, due ones first. */
const newQuiz = (tutor: Tutor): QuizState => ({ items: tutor.quiz({ count: 10 }), index: 0, input: '', score: { correct: 0, answered: 0 } });

/** An exam, started now or earlier, as the exam screens show it. */
function examEntered(started: { tasks: ExamTask[]; exam: ExamInProgress }): Action {
  const bank = loadExamBank(started.exam.track);
  const domains = Object.fromEntries(bank.domains.map((d) => [d.id, d.name]));
  return { type: 'exam-entered', exam: { tasks: started.tasks, flagged: started.exam.flagged, deadline: new Date(started.exam.deadline).getTime(), domains } };
}

/** The app's state, kept by the reducer, with the world around it wired in. */
export function useTutor(edges: TutorEdges, box: Layout): TutorState {
  const { tutor, shell, viewFor } = edges;
  const { internal_eventEmitter: input, setRawMode, isRawModeSupported } = useStdin();
  // The lesson the sitting opens on is in the first frame, and its set-up (below) follows it: the
  // text needs no cluster, and the cluster pane shows the namespace as the set-up fills it. The
  // pane's view of it starts here too, so what it has read already is in that frame.
  const firstView = useRef<ViewLike | undefined>(undefined);
  const [store] = useState(() => {
    const st = createStore(reducer, initialState(shell.screen(), Date.now(), edges.notice));
    const first = openingLesson(tutor);
    if (first) st.dispatch({ type: 'lesson-shown', shown: first, afresh: false });
    const ns = first?.lesson.namespaces[0];
    if (ns) {
      firstView.current = viewFor(ns);
      st.dispatch({ type: 'snapshot', snapshot: firstView.current.snapshot });
    }
    return st;
  });
  const state = useSyncExternalStore(store.subscribe, store.getState);
  // The step graded live: when the cluster changes under it, and after each command.
  const [live] = useState(() => new LiveGrading(tutor.session));
  // The exam's standing after a command: one grading at a time, and one more if asked meanwhile.
  const standing = useRef<{ running: boolean; again: boolean }>({ running: false, again: false });

  // The cluster pane's view of the namespace being worked in.
  const [view, setView] = useState<ViewLike>();
  // The scenario being played and its cluster.
  const playing = useRef<{ play: ScenarioPlay; cluster: ScenarioCluster } | undefined>(undefined);

  /**
   * The learner's current lesson and when it was (re)started, as the record on disk has it: a
   * change this tutor did not make is a lesson started or reset from another terminal.
   */
  const recordMark = () => {
    const id = tutor.learner.currentLesson();
    return id ? `${id}@${tutor.learner.lesson(id)?.startedAt ?? ''}` : '';
  };
  const seen = useRef<string | undefined>(undefined);
  // Keys typed while the opening lesson is set up (the frame is up, so a learner may type at once)
  // wait for it, then go where they would have gone: a command typed into the shell runs in the
  // namespace as set up, and a lesson chosen from the list starts instead of being dropped as busy.
  const held = useRef<string[] | undefined>([]);

  const shown = (): ShownLesson => {
    seen.current = recordMark();
    return currentLesson(tutor);
  };

  const fail = (err: unknown) => send({ type: 'failed', text: renderProblem(err) });

  /** Grades the exam as it stands, quietly, so the task list can mark the tasks done. */
  const markDone = async (): Promise<void> => {
    if (standing.current.running) {
      standing.current.again = true;
      return;
    }
    standing.current.running = true;
    try {
      do {
        standing.current.again = false;
        if (!tutor.exam()) return;
        send({ type: 'exam-standing', standing: await tutor.examStanding(), ask: false });
      } while (standing.current.again);
    } catch {
      // The marks wait for the next command; submitting grades afresh anyway.
    } finally {
      standing.current.running = false;
    }
  };

  /** Runs work in the core with a busy note in the status bar; errors become a message box. */
  const run = async (what: string, fn: () => Promise<void> | void) => {
    if (store.getState().busy) return;
    send({ type: 'busy', what });
    try {
      await fn();
    } catch (err) {
      fail(err);
    } finally {
      send({ type: 'idle' });
    }
  };

  /** Ends the scenario being played: its checks stop, its cluster goes, the shell's kubectl goes back. */
  const leaveScenario = () => {
    const p = playing.current;
    if (!p) return;
    playing.current = undefined;
    p.play.stop();
    p.cluster.dispose();
    edges.scenarios?.useKubeconfig(undefined);
  };

  const scenarioRows = (): ScenarioRow[] | undefined => {
    const sc = edges.scenarios;
    if (!sc) return undefined;
    return scenarioEntries(sc.root).map((e) => {
      const r = sc.progress.scenario(e.key);
      const stepsDone = r?.passed.filter((i) => i < e.steps).length ?? 0;
      const blocked = e.error ?? (e.unplayable.length ? e.unplayable.join('; ') : undefined);
      return { key: e.key, title: e.title, steps: e.steps, stepsDone, status: r?.finishedAt ? 'done' : r ? 'started' : 'new', ...(blocked ? { blocked } : {}) };
    });
  };

  const findScenario = (key: string) => {
    const entry = edges.scenarios && scenarioEntries(edges.scenarios.root).find((x) => x.key === key);
    return entry && playable(entry) ? entry : undefined;
  };

  const perform = (e: Effect): void => {
    switch (e.kind) {
      case 'open-scenario': {
        const sc = edges.scenarios;
        const entry = findScenario(e.key);
        if (!sc || !entry) return send({ type: 'note', text: 'That scenario cannot be played here: F4 lists it with the reason.' });
        if (needsConsent(entry.scenario, sc.progress.scenario(e.key)?.agreed)) return send({ type: 'scenario-consent', key: e.key, title: entry.scenario.title, lines: consentLines(entry.scenario) });
        return perform({ kind: 'play-scenario', key: e.key });
      }
      case 'play-scenario':
        return void run('starting the scenario on a fresh cluster', async () => {
          const sc = edges.scenarios;
          const entry = findScenario(e.key);
          if (!sc || !entry) return;
          // Asked again before running scripts that changed since the question was shown.
          sc.progress.agreeToScenario(e.key, scriptsHash(entry.scenario));
          leaveScenario();
          const cluster = await sc.cluster();
          sc.useKubeconfig(cluster.kubeconfig);
          const play = new ScenarioPlay({ scenario: entry.scenario, id: e.key, progress: sc.progress, env: sc.env(cluster.kubeconfig), home: sc.home, client: cluster.client });
          playing.current = { play, cluster };
          play.on('state', (st) => playing.current?.play === play && send({ type: 'scenario-state', play: st }));
          play.on('problem', (text) => playing.current?.play === play && send({ type: 'failed', text }));
          // Ctrl+U first: a half-typed line would run with it.
          play.on('foreground', (command) => playing.current?.play === play && shell.write(`\u0015${command}\r`));
          send({ type: 'scenario-started', view: scenarioView(e.key, entry.scenario, play.current()) });
          play.start();
        });
      case 'write':
        return shell.write(e.raw);
      case 'scroll-shell':
        return shell.scroll(e.lines);
      case 'inspect':
        return void inspect(tutor.target, e.how, e.resource, e.name, e.namespace)
          .then((r) => send({ type: 'inspected', title: `${e.how} ${e.resource}/${e.name}`, text: r.command ? `$ ${r.command}\n${r.text}` : r.text }))
          .catch((err: unknown) => send({ type: 'inspected', title: `${e.how} ${e.resource}/${e.name}`, text: renderProblem(err) }));
      case 'read-picture':
        // A picture that cannot be read (the cluster restarting) is read again at the next change.
        return void view
          ?.picture?.()
          .then((picture) => send({ type: 'picture', picture }))
          .catch(() => undefined);
      case 'quit':
        return edges.onQuit();
      case 'hint':
        return void run('finding a hint', async () => {
          const h = await tutor.session.hint();
          send({ type: 'hint', hint: { text: h.hint, number: h.number, of: h.of } });
        });
      case 'solution':
        return send({ type: 'solution', commands: tutor.session.solution().commands });
      case 'reset':
        return void run('resetting the lesson', async () => {
          await tutor.session.reset();
          live.restart();
          send({ type: 'lesson-shown', shown: shown(), afresh: true });
        });
      case 'check':
        if (playing.current && store.getState().scenario) return e.command === undefined ? playing.current.play.check() : playing.current.play.noteCommand(e.command);
        if (!tutor.learner.currentLesson()) return;
        return e.command === undefined ? live.grade() : live.noteCommand(e.command, e.code ?? 0, e.output);
      case 'start-lesson':
        return void run('setting the lesson up', async () => {
          leaveScenario();
          await tutor.session.start(e.id);
          live.restart();
          send({ type: 'lesson-started', shown: shown() });
        });
      case 'lessons':
        return send({ type: 'lessons', overview: { ...tutor.session.overview(), scenarios: scenarioRows() } });
      case 'open-quiz':
        return void run('choosing questions', () => perform({ kind: 'new-quiz' }));
      case 'new-quiz':
        return send({ type: 'quiz', quiz: newQuiz(tutor) });
      case 'exam': {
        const current = tutor.exam();
        return send(current ? examEntered(current) : { type: 'exam-choice' });
      }
      case 'start-exam':
        return void run(`setting up the ${e.track.toUpperCase()} tasks`, async () => send(examEntered(await tutor.startExam(e.track))));
      case 'flag':
        return tutor.flag(e.taskId, e.on);
      case 'submit-exam':
        return void run('grading the exam', async () => {
          const report = await tutor.submitExam();
          send({ type: 'exam-graded', report, history: tutor.learner.examReports().slice(0, -1) });
        });
      case 'exam-standing':
        if (e.ask) return void run('counting what is left', async () => send({ type: 'exam-standing', standing: await tutor.examStanding(), ask: true }));
        return void markDone();
      case 'edit-manifest': {
        if (!edges.sandboxDir) return send({ type: 'unanswerable', text: 'There is no sandbox folder to write the manifest in here. Type the path of a manifest file instead.' });
        const file = manifestFile(edges.sandboxDir, e.item.id);
        try {
          mkdirSync(path.dirname(file), { recursive: true });
          if (!existsSync(file)) writeFileSync(file, '# Write the manifest below, then save and quit (in vim: Esc, then :wq) to have it graded.\n');
        } catch (err) {
          return send({ type: 'unanswerable', text: `The file ${file} could not be made (${(err as Error).message}). Type the path of a manifest file you made yourself instead.` });
        }
        send({ type: 'quiz-editing', path: file });
        // Ctrl+U first: whatever was half typed at the prompt would run with the editor.
        return shell.write(`\u0015\${EDITOR:-vim} '${file.replace(/'/g, `'\\''`)}'\r`);
      }
      case 'answer':
        return void run('grading', async () => {
          try {
            const answer = e.item.kind === 'manifest' ? readManifest(e.answer, edges.readFile) : e.answer;
            send({ type: 'answered', grade: (await tutor.answer(e.item.id, answer)).grade });
          } catch (err) {
            // An answer that cannot be graded (not a choice, no such file) is said in place.
            if (!(err instanceof LearnerError)) throw err;
            send({ type: 'unanswerable', text: `${err.message}. ${err.nextStep ?? ''}`.trim() });
          }
        });
    }
  };

  // An effect event: whichever listener or finished work calls it, it performs with the props of
  // the last render, and no listener needs subscribing again when they change.
  const send = useEffectEvent((action: Action) => {
    for (const e of store.dispatch(action)) perform(e);
  });

  // First frame: the lesson in progress, or the next unfinished one, shown already and set up now.
  useEffect(() => {
    const started = run('setting the lesson up', async () => {
      try {
        const open = tutor.session.opening();
        if (open && open !== tutor.learner.currentLesson()) await tutor.session.start(open);
      } finally {
        // With no lesson yet, the first one started elsewhere is followed too.
        seen.current = recordMark();
        // A set-up that failed leaves the session's lesson as it was: that is the one shown.
        if (tutor.learner.currentLesson()) {
          send({ type: 'lesson-shown', shown: shown(), afresh: false });
          live.restart();
        }
      }
    });
    void started.then(() => {
      // Nothing is busy now: the keys typed meanwhile are acted on, in order.
      const keys = held.current ?? [];
      held.current = undefined;
      for (const raw of keys) onKey(raw);
      // `kubedojo scenario DIR`: one scenario opens at once; a collection opens the list.
      if (!edges.scenarios) return;
      const entries = scenarioEntries(edges.scenarios.root);
      if (entries.length === 1 && playable(entries[0])) perform({ kind: 'open-scenario', key: entries[0].key });
      else perform({ kind: 'lessons' });
    });
    return () => leaveScenario();
  }, [tutor]);

  useEffect(() => {
    const onGraded = (outcome: CheckOutcome) => send({ type: 'checked', outcome, lesson: tutor.session.current().lesson });
    live.on('graded', onGraded);
    // A grade that fails (the cluster restarting) is tried again at the next change or command.
    const onFailed = () => undefined;
    live.on('failed', onFailed);
    return () => {
      live.off('graded', onGraded);
      live.off('failed', onFailed);
      live.stop();
    };
  }, [live]);

  const onKey = useEffectEvent((raw: string) => {
    // Quitting is never held back, set-up or not.
    if (held.current && FKEY_ACTIONS[functionKey(raw) ?? 0] !== 'quit') return void held.current.push(raw);
    send({ type: 'input', raw, pageRows: box.shellRows, view: edges.cols && edges.rows ? { cols: edges.cols, rows: edges.rows } : undefined });
  });
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const onInput = (raw: string) => onKey(raw);
    input.on('input', onInput);
    return () => {
      input.off('input', onInput);
    };
  }, [input, setRawMode, isRawModeSupported]);

  // The shell's screen, and a check after every command.
  useEffect(() => {
    const onFrame = () => send({ type: 'screen', screen: shell.screen() });
    const onDone = (code: number, command?: string, output?: string) => send({ type: 'command-done', command, code, output });
    shell.on('frame', onFrame);
    shell.on('commandDone', onDone);
    return () => {
      shell.off('frame', onFrame);
      shell.off('commandDone', onDone);
    };
  }, [shell]);

  useEffect(() => {
    shell.resize(box.shellCols, box.shellRows);
  }, [shell, box.shellCols, box.shellRows]);

  // The cluster pane follows the namespace being worked in, and the kinds its step is graded on.
  const namespace = namespaceOf(state);
  const scenarioKey = state.scenario?.key;
  useEffect(() => {
    if (!namespace) return;
    // A scenario's cluster is its own: the pane looks there while it plays.
    const own = scenarioKey ? playing.current?.cluster.client : undefined;
    const kept = firstView.current;
    firstView.current = undefined;
    if (kept && (own || kept.snapshot.namespace !== namespace)) kept.stop();
    const v = own ? new NamespaceView(own, namespace).start() : kept && kept.snapshot.namespace === namespace ? kept : viewFor(namespace);
    setView(v);
    send({ type: 'snapshot', snapshot: v.snapshot });
    const onChange = (snapshot: NamespaceSnapshot) => send({ type: 'snapshot', snapshot });
    v.on('change', onChange);
    return () => {
      v.off('change', onChange);
      v.stop();
    };
  }, [namespace, viewFor, scenarioKey]);
  const step = state.mode === 'lesson' ? state.lessonView?.lesson.steps[state.lessonView.stepIndex] : undefined;
  const task = state.mode === 'exam' && state.exam ? state.exam.tasks[state.exam.selected] : undefined;
  const stepKinds = (step ? kindsOfStep(step) : task ? kindsOfChecks(task.checks) : []).join(' ');
  useEffect(() => {
    void view?.follow?.(stepKinds ? stepKinds.split(' ') : []);
  }, [view, stepKinds]);

  // A lesson started or reset elsewhere (`kubedojo start` in another terminal, on the same data):
  // the record is looked at each second, a stat unless it changed, and the tutor follows it.
  const follow = useEffectEvent(() => {
    const s = store.getState();
    if (s.busy || s.mode !== 'lesson' || seen.current === undefined) return;
    const mark = recordMark();
    if (mark === seen.current || !mark) return;
    send({ type: 'lesson-shown', shown: shown(), afresh: true });
    live.restart();
    send({ type: 'note', text: `${tutor.session.current().lesson.title} was started from another terminal; the tutor follows it.` });
  });
  useEffect(() => {
    const timer = setInterval(() => follow(), 1000);
    return () => clearInterval(timer);
  }, []);

  // The clock: the exam's time left, and the cluster pane's ages, tick each second.
  const { mode, exam } = state;
  const clocked = mode === 'exam' || mode === 'lesson';
  useEffect(() => {
    if (!clocked) return;
    const timer = setInterval(() => send({ type: 'tick', now: Date.now() }), 1000);
    return () => clearInterval(timer);
  }, [clocked, exam]);

  return state;
}

function readManifest(answer: string, readFile: ((p: string) => string) | undefined): string {
  if (/^\s*(apiVersion|kind):/m.test(answer)) return answer;
  if (!readFile) throw new LearnerError('manifest files cannot be read here', 'Paste the manifest instead.');
  try {
    return readFile(answer);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'EACCES') throw err;
    throw new LearnerError(`there is no manifest file to read at "${answer}"`, 'Clear the line and press Enter to write it in your editor, or type the path of a file in your sandbox folder.');
  }
}

/** The session's lesson at its current step, as the lesson pane shows it. */
function currentLesson(tutor: Tutor): ShownLesson {
  const { lesson, index } = tutor.session.current();
  return { lesson, stepIndex: index, lessonDone: Boolean(tutor.learner.lesson(lesson.id)?.finishedAt) };
}

/** The lesson a sitting opens on, as it will show once set up: the one in progress, or the next at its first step. */
export function openingLesson(tutor: Tutor): ShownLesson | undefined {
  const id = tutor.session.opening();
  if (!id) return undefined;
  if (id === tutor.learner.currentLesson()) return currentLesson(tutor);
  const lesson = tutor.session.lessons.find((l) => l.id === id);
  return lesson && { lesson, stepIndex: 0, lessonDone: false };
}
