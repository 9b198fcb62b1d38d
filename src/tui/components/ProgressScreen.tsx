// Progress overview: lessons, quiz and exams in numbers, and a chart of work per day.
import { Box, Text } from 'ink';
import type { ProgressSummary } from '../../core/index.js';
import { progressBar } from './StatusBar.js';
import { useTheme } from './theme.js';

const BLOCKS = ' ▁▂▃▄▅▆▇█';

export function sparkColumns(values: number[], height: number): string[] {
  const max = Math.max(1, ...values);
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    rows.push(
      values
        .map((v) => {
          const level = (v / max) * height - r;
          return level >= 1 ? '█' : level <= 0 ? ' ' : BLOCKS[Math.round(level * 8)];
        })
        .join(''),
    );
  }
  return rows;
}

export function ProgressScreen({ summary, width }: { summary: ProgressSummary; width: number }) {
  const theme = useTheme();
  const days = summary.days.slice(-Math.max(7, Math.min(60, width - 20)));
  const chart = sparkColumns(days.map((d) => d.steps + d.correct), 5);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold color={theme.heading}>
        Your progress
      </Text>
      <Text>
        Lessons {progressBar(summary.lessons.done, summary.lessons.total, 20)} {summary.lessons.done}/{summary.lessons.total} done
        <Text color={theme.dim}> ({summary.lessons.byLearner} on your own, {summary.lessons.started} started)</Text>
      </Text>
      <Text>
        Quiz    {summary.quiz.answered} answers: <Text color={theme.ok}>{summary.quiz.correct} right</Text>, <Text color={theme.warn}>{summary.quiz.close} close</Text>, <Text color={theme.bad}>{summary.quiz.wrong} wrong</Text> · {summary.quiz.due} due for review
      </Text>
      <Text>
        Exams   {summary.exams.length ? summary.exams.map((e) => `${e.track.toUpperCase()} ${e.percent.toFixed(0)}%${e.passed ? '✓' : ''}`).join('  ') : 'none yet'}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Work per day (steps passed + right answers)</Text>
        {days.length ? (
          <>
            {chart.map((row, i) => (
              <Text key={i} color={theme.accent}>
                │{row}
              </Text>
            ))}
            <Text color={theme.dim}>
              └{'─'.repeat(days.length)} {days[0].day} → {days[days.length - 1].day}
            </Text>
          </>
        ) : (
          <Text color={theme.dim}>nothing yet: every step you pass shows here</Text>
        )}
      </Box>
      <Text color={theme.dim}>Esc back</Text>
    </Box>
  );
}
