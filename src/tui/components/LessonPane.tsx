// The lesson pane: the step's explanation and tasks, each check's last result, and once a step
// passes, what happened in the cluster.
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { CheckState, Diagnosis, Lesson, MarkedTask } from '../../core/index.js';
import { codeText, wrap } from '../markdown-lines.js';
import { Lines, Markdown } from './Markdown.js';
import { useWidth } from './pane-width.js';
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

/**
 * `width` is the pane's inner width; inside a Frame it is known without being given. Drawn again
 * only when its lesson view changes, not with every frame of the shell beside it.
 */
export const LessonPane = memo(function LessonPane({ view, scroll, width }: { view: LessonView; scroll: number; width?: number }) {
  const theme = useTheme();
  const { lesson, stepIndex } = view;
  const step = lesson.steps[stepIndex];
  // Text is laid out to the cells it has: the pane less its padding, a boxed part less its border
  // and padding too, a task less its mark.
  const inner = Math.max(8, useWidth(width) - 2);
  const boxed = Math.max(8, inner - 4);
  return (
    <Box flexDirection="column" marginTop={-scroll} paddingX={1} flexShrink={0}>
      <Lines lines={wrap([{ text: lesson.title, bold: true, role: 'heading' }], inner)} />
      <Lines lines={wrap([{ text: `step ${stepIndex + 1} of ${lesson.steps.length} · namespace ${lesson.namespaces[0]}`, role: 'dim' }], inner)} />
      {view.passed ? (
        <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor={theme.ok} paddingX={1}>
          <Lines lines={wrap([{ text: `✓ ${view.passed.title}`, bold: true }], boxed)} color={theme.ok} />
          <Markdown source={view.passed.outcome} width={boxed} />
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
          <Lines lines={wrap([{ text: step.title, bold: true }], inner)} />
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
                      <Markdown source={t.text} width={inner - 2} />
                    </Box>
                  </Box>
                  {r
                    ? r.checks.map((c, k) => (
                        <Box key={k} flexDirection="column">
                          <Box>
                            <Text color={color(c.state)}>
                              {'   '}
                              {MARK[c.state]}{' '}
                            </Text>
                            <Markdown source={c.state === 'failed' ? c.message : c.label} width={inner - 5} color={color(c.state)} />
                          </Box>
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
              <Markdown source={view.hint.text} width={boxed} />
            </Box>
          ) : null}
          {view.solution ? (
            <Box marginTop={1} flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
              <Text bold color={theme.accent}>
                Solution
              </Text>
              {/* Whole commands: a long one breaks between its words with a backslash, so a copy still runs. */}
              <Lines lines={view.solution.flatMap((c) => codeText(c, boxed, 'sh'))} />
            </Box>
          ) : null}
          <Box marginTop={1}>
            <Markdown source={step.explanation} width={inner} />
          </Box>
        </Box>
      )}
    </Box>
  );
});

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
