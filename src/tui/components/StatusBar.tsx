// The bottom line: where the learner is, how far, how the checks stand, the keys, and in an exam
// the time left.
import { Box, Text } from 'ink';
import { useTheme } from './theme.js';

export function progressBar(done: number, total: number, width: number): string {
  const filled = total ? Math.round((done / total) * width) : 0;
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export interface StatusProps {
  width: number;
  where: string;
  stepsDone: number;
  steps: number;
  passed: number;
  failed: number;
  busy?: string;
  examMsLeft?: number;
}

export function StatusBar(p: StatusProps) {
  const theme = useTheme();
  const keys = 'F1 help  F2 hint  F3 solution  F4 lessons  F9 focus  F10 quit';
  return (
    <Box width={p.width} height={1}>
      <Text wrap="truncate-end">
        {p.examMsLeft !== undefined ? (
          <Text inverse color={p.examMsLeft < 5 * 60_000 ? theme.bad : theme.warn}>{` EXAM ${clock(p.examMsLeft)} left `}</Text>
        ) : null}
        <Text bold> {p.where} </Text>
        <Text color={theme.accent}>{progressBar(p.stepsDone, p.steps, 10)}</Text>
        <Text> {p.stepsDone}/{p.steps} </Text>
        {p.passed + p.failed > 0 ? (
          <Text>
            <Text color={theme.ok}>✓{p.passed}</Text> <Text color={p.failed ? theme.bad : theme.dim}>✗{p.failed}</Text>{' '}
          </Text>
        ) : null}
        {p.busy ? <Text color={theme.warn}>{p.busy}… </Text> : null}
        <Text color={theme.dim}>{keys}</Text>
      </Text>
    </Box>
  );
}
