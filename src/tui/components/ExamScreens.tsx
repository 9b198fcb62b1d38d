// Exam drill screens: choosing a track, the task list while the clock runs (in the lesson pane's
// place, beside the shell), and the results with a bar per domain and past attempts.
import { Box, Text } from 'ink';
import type { ExamTask, FinishedExam } from '../../core/index.js';
import { Markdown } from './Markdown.js';
import { progressBar } from './StatusBar.js';
import { useTheme } from './theme.js';

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

export function ExamTasks({ tasks, selected, flagged, domains }: { tasks: ExamTask[]; selected: number; flagged: string[]; domains: Record<string, string> }) {
  const theme = useTheme();
  const task = tasks[selected];
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text color={theme.dim}>↑↓ task · f flag · S submit (lesson pane focused)</Text>
      {tasks.map((t, i) => (
        <Text key={t.id} inverse={i === selected} wrap="truncate-end">
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

export function ExamResults({ report, history, width }: { report: FinishedExam; history: FinishedExam[]; width: number }) {
  const theme = useTheme();
  const bar = Math.max(10, Math.min(30, width - 50));
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold color={report.passed ? theme.ok : theme.bad}>
        {report.track.toUpperCase()}: {report.percent.toFixed(1)}% · {report.passed ? 'passed' : 'not passed'} (pass mark {report.passPercent}%)
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {report.domains.map((d) => (
          <Text key={d.id}>
            {d.name.slice(0, 40).padEnd(40)} <Text color={d.percent >= report.passPercent ? theme.ok : theme.bad}>{progressBar(Math.round(d.percent), 100, bar)}</Text> {d.percent.toFixed(0).padStart(3)}%{' '}
            <Text color={theme.dim}>(weight {d.weight}%)</Text>
          </Text>
        ))}
      </Box>
      {report.flagged.length ? <Text color={theme.warn}>Flagged: {report.flagged.join(', ')}</Text> : null}
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Past attempts</Text>
        {history.length ? (
          history.slice(-8).map((h, i) => (
            <Text key={i}>
              {h.finishedAt.slice(0, 16).replace('T', ' ')} {h.track.toUpperCase().padEnd(5)} <Text color={h.passed ? theme.ok : theme.bad}>{progressBar(Math.round(h.percent), 100, 20)}</Text> {h.percent.toFixed(1)}%
            </Text>
          ))
        ) : (
          <Text color={theme.dim}>none before this one</Text>
        )}
      </Box>
      <Text color={theme.dim}>Esc back</Text>
    </Box>
  );
}
