// The lesson list: every lesson with its progress, the next one marked, ↑↓ and Enter to start.
import { Box, Text } from 'ink';
import type { LessonSummary } from '../../core/index.js';
import { progressBar } from './StatusBar.js';
import { useTheme } from './theme.js';

export function LessonList({ lessons, next, selected, height, width }: { lessons: LessonSummary[]; next?: string; selected: number; height: number; width: number }) {
  const theme = useTheme();
  const visible = Math.max(3, height - 6);
  const top = Math.max(0, Math.min(selected - Math.floor(visible / 2), lessons.length - visible));
  const done = lessons.filter((l) => l.status === 'done').length;
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      <Text bold color={theme.heading}>
        Lessons <Text color={theme.dim}>· {done} of {lessons.length} done{next ? ` · next: ${next}` : ''}</Text>
      </Text>
      <Text color={theme.dim}>↑↓ choose · Enter start · Esc back</Text>
      <Box flexDirection="column" marginTop={1}>
        {lessons.slice(top, top + visible).map((l, i) => {
          const n = top + i;
          const mark = l.status === 'done' ? '✓' : l.status === 'started' ? '▸' : ' ';
          return (
            <Text key={l.id} inverse={n === selected} wrap="truncate-end">
              <Text color={l.status === 'done' ? theme.ok : l.status === 'started' ? theme.warn : undefined}>{mark}</Text>
              {` ${String(n + 1).padStart(2)} ${l.title.padEnd(36).slice(0, 36)} `}
              <Text color={theme.accent}>{progressBar(l.stepsDone, l.steps, 8)}</Text>
              {` ${l.stepsDone}/${l.steps}  ${String(l.minutes).padStart(3)} min`}
              {l.id === next ? <Text color={theme.accent}> ← next</Text> : null}
              {l.solvedBy === 'solution' ? <Text color={theme.dim}> (solution)</Text> : null}
            </Text>
          );
        })}
      </Box>
      {lessons[selected] ? (
        <Box marginTop={1} flexDirection="column">
          <Text>{lessons[selected].summary}</Text>
          <Text color={theme.dim}>
            topics: {lessons[selected].topics.join(', ')}
            {lessons[selected].prerequisites.length ? ` · after: ${lessons[selected].prerequisites.join(', ')}` : ''}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
