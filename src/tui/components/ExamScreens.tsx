// Exam drill screens: choosing a track, the task list while the clock runs (in the lesson pane's
// place, beside the shell), and the report: each task's checks and model solution, the domains, past attempts.
import { Box, Text } from 'ink';
import type { ExamTask, FinishedExam } from '../../core/index.js';
import { Markdown } from './Markdown.js';
import { useTheme } from './theme.js';
import { reportLines, type Tone } from '../exam-report.js';

export function ExamStart({ busy }: { busy?: string }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold color={theme.heading}>
        Exam drill
      </Text>
      <Text>Performance tasks weighted as the real exam's domains, 120 minutes, pass mark 66%.</Text>
      <Text>Each task works in its own namespace, made afresh now. Partial credit per check.</Text>
      <Box marginTop={1} flexDirection="column">
        <Text>
          <Text bold color={theme.accent}>a</Text> CKA (administrator)   <Text bold color={theme.accent}>d</Text> CKAD (developer)   <Text color={theme.dim}>Esc back</Text>
        </Text>
      </Box>
      {busy ? <Text color={theme.warn}>{busy}…</Text> : null}
    </Box>
  );
}

export function ExamTasks({ tasks, selected, flagged, domains, done = [] }: { tasks: ExamTask[]; selected: number; flagged: string[]; domains: Record<string, string>; done?: string[] }) {
  const theme = useTheme();
  const task = tasks[selected];
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text color={theme.dim}>↑↓ task · f flag · S submit (F9 to focus this pane) · ✓ all checks pass</Text>
      {tasks.map((t, i) => (
        <Text key={t.id} inverse={i === selected} wrap="truncate-end">
          {done.includes(t.id) ? <Text color={theme.ok}>✓</Text> : ' '}
          {flagged.includes(t.id) ? <Text color={theme.warn}>⚑</Text> : ' '} {String(i + 1).padStart(2)}. {t.title}
        </Text>
      ))}
      {task ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={theme.heading}>
            Task {selected + 1}: {task.title}
          </Text>
          <Text color={theme.dim}>
            {domains[task.domain] ?? task.domain} · namespace {task.namespace}
          </Text>
          <Markdown source={task.text} />
        </Box>
      ) : null}
    </Box>
  );
}

/** The report, scrolled: every task with its checks and model solution, the domains, the flags. */
export function ExamResults({ report, history, width, height, scroll }: { report: FinishedExam; history: FinishedExam[]; width: number; height: number; scroll: number }) {
  const theme = useTheme();
  const lines = reportLines(report, history, width - 2);
  const room = Math.max(1, height - 2);
  const top = Math.max(0, Math.min(scroll, lines.length - room));
  const shown = lines.slice(top, top + room);
  const colour = (tone?: Tone) => (tone ? theme[tone] : undefined);
  const more = top + room < lines.length;
  return (
    <Box flexDirection="column" paddingX={1}>
      {shown.map((l, i) => (
        <Text key={top + i} color={colour(l.tone)} bold={l.bold} wrap="truncate-end">
          {l.text || ' '}
        </Text>
      ))}
      <Text color={theme.dim}>
        {top > 0 || more ? `lines ${top + 1}–${top + shown.length} of ${lines.length} · ↑↓ PgUp PgDn scroll · ` : ''}Esc back
      </Text>
    </Box>
  );
}
