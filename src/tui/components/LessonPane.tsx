// The lesson pane: the step's explanation and tasks, each check's last result, and once a step
// passes, what happened in the cluster.
import { Box, Text } from 'ink';
import type { CheckState, Diagnosis, Lesson, MarkedTask } from '../../core/index.js';
import { Markdown } from './Markdown.js';
import { useTheme } from './theme.js';

export interface LessonView {
  lesson: Lesson;
  stepIndex: number;
  results?: MarkedTask[];
  /** The outcome of the step just passed, shown above the next one. */
  passed?: { title: string; outcome: string };
  lessonDone?: boolean;
  hint?: { text: string; number: number; of: number };
  /** The last command failed: what it likely got wrong. */
  aboutCommand?: Diagnosis[];
  solution?: string[];
}

/** ✓ done, ✗ tried and wrong, ○ not yet tried (no red before anything is tried). */
const MARK: Record<CheckState | 'none', string> = { passed: '✓', failed: '✗', pending: '○', none: '•' };

export function LessonPane({ view, scroll }: { view: LessonView; scroll: number }) {
  const theme = useTheme();
  const { lesson, stepIndex } = view;
  const step = lesson.steps[stepIndex];
  return (
    <Box flexDirection="column" marginTop={-scroll} paddingX={1} flexShrink={0}>
      <Text bold color={theme.heading}>
        {lesson.title}
      </Text>
      <Text color={theme.dim}>
        step {stepIndex + 1} of {lesson.steps.length} · namespace {lesson.namespaces[0]}
      </Text>
      {view.passed ? (
        <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor={theme.ok} paddingX={1}>
          <Text bold color={theme.ok}>
            ✓ {view.passed.title}
          </Text>
          <Markdown source={view.passed.outcome} />
        </Box>
      ) : null}
      {view.lessonDone ? (
        <Box marginTop={1}>
          <Text bold color={theme.ok}>
            Lesson done. F4 opens the lesson list for the next one.
          </Text>
        </Box>
      ) : (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{step.title}</Text>
          {/* The task first, then help, then the reading: in a small pane the task stays in sight. */}
          <Box marginTop={1} flexDirection="column">
            <Text bold color={theme.accent}>
              Your task
            </Text>
            {step.tasks.map((t, i) => {
              const r = view.results?.[i];
              const task: CheckState | undefined = r && (r.passed ? 'passed' : r.checks.some((c) => c.state === 'failed') ? 'failed' : 'pending');
              const color = (m: CheckState | undefined) => (m === 'passed' ? theme.ok : m === 'failed' ? theme.bad : theme.dim);
              return (
                <Box key={i} flexDirection="column">
                  <Box>
                    <Text color={color(task)}>{MARK[task ?? 'none']} </Text>
                    <Box flexShrink={1}>
                      <Markdown source={t.text} />
                    </Box>
                  </Box>
                  {r
                    ? r.checks.map((c, k) => (
                        <Box key={k} flexDirection="column">
                          <Text color={color(c.state)}>
                            {'   '}
                            {MARK[c.state]} {c.state === 'failed' ? c.message : c.label}
                          </Text>
                          {c.diagnosis?.map((d, j) => <DiagnosisLine key={j} d={d} />)}
                        </Box>
                      ))
                    : null}
                </Box>
              );
            })}
          </Box>
          {view.aboutCommand?.length ? (
            <Box marginTop={1} flexDirection="column" borderStyle="round" borderColor={theme.warn} paddingX={1}>
              <Text bold color={theme.warn}>
                About your last command
              </Text>
              {view.aboutCommand.map((d, j) => (
                <DiagnosisLine key={j} d={d} indent="" />
              ))}
            </Box>
          ) : null}
          {view.hint ? (
            <Box marginTop={1} flexDirection="column" borderStyle="round" borderColor={theme.warn} paddingX={1}>
              <Text bold color={theme.warn}>
                Hint {view.hint.number} of {view.hint.of}
              </Text>
              <Markdown source={view.hint.text} />
            </Box>
          ) : null}
          {view.solution ? (
            <Box marginTop={1} flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
              <Text bold color={theme.accent}>
                Solution
              </Text>
              {view.solution.map((c, i) => (
                <Text key={i} color={theme.code}>
                  {c}
                </Text>
              ))}
            </Box>
          ) : null}
          <Box marginTop={1}>
            <Markdown source={step.explanation} />
          </Box>
        </Box>
      )}
    </Box>
  );
}

/** A named mistake under a failed check: what went wrong, then the command that fixes it. */
function DiagnosisLine({ d, indent = '     ' }: { d: Diagnosis; indent?: string }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" paddingLeft={indent.length}>
      <Text color={theme.warn}>→ {d.mistake}</Text>
      {d.fix ? <Text color={theme.code}>  {d.fix}</Text> : null}
    </Box>
  );
}
