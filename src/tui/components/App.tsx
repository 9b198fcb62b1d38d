// The terminal tutor: lesson, shell and cluster panes with a status bar, and the screens over
// them (lesson list, quiz, exam, progress). All grading is the core's; this only shows it.
import type React from 'react';
import { Box, Text } from 'ink';
import { layout } from '../layout.js';
import { Frame } from './Frame.js';
import { ShellPane } from './ShellPane.js';
import { ClusterPane } from './ClusterPane.js';
import { ClusterPicture } from './ClusterPicture.js';
import { LessonPane } from './LessonPane.js';
import { ScenarioPane } from './ScenarioPane.js';
import { ConsentDialog } from './ConsentDialog.js';
import { StatusBar } from './StatusBar.js';
import { HelpOverlay, Overlay } from './HelpOverlay.js';
import { LessonList } from './LessonList.js';
import { QuizScreen } from './QuizScreen.js';
import { ExamResults, ExamStart, ExamTasks } from './ExamScreens.js';
import { ProgressScreen } from './ProgressScreen.js';
import { useTheme } from './theme.js';
import { useTutor, type TutorEdges } from './use-tutor.js';
import { selectableObjects } from '../state.js';

export interface AppProps extends TutorEdges {
  cols: number;
  rows: number;
  /** Where the shell starts: relative manifest paths in quiz answers are read from here. */
  sandboxDir?: string;
}

export function App(props: AppProps) {
  const { tutor, cols, rows } = props;
  const theme = useTheme();
  const box = layout(cols, rows);
  const { mode, dialog, focus, scenario, lessonView: view, screen, snapshot, baseline, picture, inspect, clusterRow, busy, scroll, lessons, selected, quiz, exam, examResult, examHistory, now } = useTutor(props, box);

  const stepsDone = scenario ? scenario.play.marks.filter((m) => m === 'passed').length : view ? view.lesson.steps.filter((st) => tutor.learner.lesson(view.lesson.id)?.steps[st.id]?.passedAt).length : 0;
  // In an exam the lesson's check counts would say nothing about the exam: none are shown.
  const checks = exam ? [] : (view?.results?.flatMap((t) => t.checks) ?? []);
  const inExam = mode === 'exam' && exam;
  const where = inExam
    ? `exam · task ${exam.selected + 1}/${exam.tasks.length} · ${exam.done?.length ?? 0} done · ${exam.flagged.length} flagged`
    : mode === 'quiz-edit' && quiz?.editing
      ? 'quiz · save and quit the editor to grade'
      : scenario && mode === 'lesson'
        ? `${scenario.title} · ${scenario.play.finished ? 'finished' : `step ${scenario.play.stepIndex + 1}/${scenario.steps.length}`}`
        : view
        ? `${view.lesson.id} · step ${view.stepIndex + 1}/${view.lesson.steps.length}`
        : 'kubedojo';

  let body: React.ReactNode;
  if (mode === 'lesson' || mode === 'exam' || mode === 'quiz-edit') {
    const leftTitle = mode === 'exam' ? 'Exam tasks' : mode === 'quiz-edit' ? 'Quiz' : scenario ? 'Scenario' : 'Lesson';
    const left =
      mode === 'exam' && exam ? (
        <ExamTasks tasks={exam.tasks} selected={exam.selected} flagged={exam.flagged} domains={exam.domains} done={exam.done} />
      ) : mode === 'quiz-edit' && quiz ? (
        <QuizScreen quiz={quiz} width={box.lesson.width - 2} busy={Boolean(busy)} sandboxDir={props.sandboxDir} />
      ) : scenario ? (
        <ScenarioPane view={scenario} scroll={scroll} />
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
          <Frame title={snapshot ? `Cluster · ${snapshot.namespace}` : 'Cluster'} width={box.cluster.width} height={box.cluster.height} focused={focus === 'cluster'}>
            <ClusterPane snapshot={snapshot} width={box.cluster.width - 2} height={box.cluster.height - 2} now={now} selected={focus === 'cluster' ? selectableObjects(snapshot)[clusterRow] : undefined} baseline={baseline} />
          </Frame>
        </Box>
      </>
    );
    body = inspect ? (
      <Frame title={`${inspect.title} · ↑↓ PgUp PgDn scroll · Esc closes`} width={cols} height={rows - 1} focused>
        {(inspect.lines ?? ['Asking kubectl…']).slice(inspect.scroll, inspect.scroll + rows - 3).map((l, n) => (
          <Text key={n} wrap="truncate-end">
            {l || ' '}
          </Text>
        ))}
      </Frame>
    ) : picture ? (
      <Frame title="Cluster picture · p or Esc closes" width={cols} height={rows - 1} focused>
        <ClusterPicture picture={picture.drawn} cols={cols - 2} rows={rows - 3} />
      </Frame>
    ) : (
      <Box flexDirection="row">{panes}</Box>
    );
  } else if (mode === 'lessons') body = <LessonList lessons={lessons.lessons} scenarios={lessons.scenarios} next={lessons.next} selected={selected} height={rows - 1} width={cols} />;
  else if (mode === 'quiz' && quiz) body = <QuizScreen quiz={quiz} width={cols} busy={Boolean(busy)} sandboxDir={props.sandboxDir} />;
  else if (mode === 'exam-start') body = <ExamStart busy={busy} />;
  else if (mode === 'exam-results' && examResult) body = <ExamResults report={examResult} history={examHistory ?? []} width={cols} height={rows - 1} scroll={scroll} />;
  else if (mode === 'progress') body = <ProgressScreen summary={tutor.summary()} width={cols} />;

  // A dialog takes the body's place: Ink draws nothing opaque, so text under a box would show.
  const dialogWidth = Math.min(cols - 4, 70);
  return (
    <Box width={cols} height={rows} flexDirection="column">
      <Box height={rows - 1} flexDirection="column" overflow="hidden">
        {dialog ? (
          <Box flexDirection="column" alignItems="center" paddingTop={2} width={cols}>
            {dialog.kind === 'help' ? (
              <HelpOverlay width={dialogWidth} scenario={Boolean(scenario)} />
            ) : dialog.kind === 'consent' ? (
              <ConsentDialog dialog={dialog} width={Math.min(cols - 2, 100)} height={rows - 4} />
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
        stepsDone={mode === 'exam' && exam ? (exam.done?.length ?? 0) : stepsDone}
        steps={mode === 'exam' && exam ? exam.tasks.length : scenario ? scenario.steps.length : (view?.lesson.steps.length ?? 0)}
        passed={checks.filter((c) => c.passed).length}
        failed={checks.filter((c) => c.state === 'failed').length}
        busy={busy}
        examMsLeft={mode === 'exam' && exam ? exam.deadline - now : undefined}
      />
    </Box>
  );
}
