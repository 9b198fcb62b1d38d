// The lesson list: every lesson with its progress, the next one marked, ↑↓ and Enter to start.
import { Box, Text } from 'ink';
import type { LessonSummary } from '../../core/index.js';
import type { ScenarioRow } from '../scenario-view.js';
import { wrap } from '../markdown-lines.js';
import { Lines } from './Markdown.js';
import { progressBar } from './StatusBar.js';
import { useTheme } from './theme.js';

/** A title in exactly `width` cells: padded, or cut with an ellipsis when longer. */
export function fit(title: string, width: number): string {
  const chars = [...title];
  return chars.length <= width ? title + ' '.repeat(width - chars.length) : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * The row's columns for `width` cells: a title gets what the other columns and the longest note
 * (← next, (solution)) leave, up to the longest title. When titles would be cut, the progress
 * bar goes first, then the minutes (the chosen lesson's line below still gives them); a title
 * longer than all that room is cut with an ellipsis.
 */
export function listColumns(lessons: LessonSummary[], next: string | undefined, width: number): { number: number; title: number; bar: number; steps: number; minutes: boolean } {
  const number = Math.max(2, String(lessons.length).length);
  const steps = Math.max(3, ...lessons.map((l) => `${l.stepsDone}/${l.steps}`.length));
  const note = Math.max(0, ...lessons.map((l) => (l.id === next ? 7 : 0) + (l.solvedBy === 'solution' ? 11 : 0)));
  const longest = Math.max(5, ...lessons.map((l) => [...l.title].length));
  // The mark, the number and the spaces around the title; then the steps.
  const fixed = 1 + 1 + number + 1 + 1 + steps + note;
  const choices = [
    { bar: 8, minutes: true },
    { bar: 0, minutes: true },
    { bar: 0, minutes: false },
  ];
  const room = (c: { bar: number; minutes: boolean }) => width - fixed - (c.bar ? c.bar + 1 : 0) - (c.minutes ? 9 : 0);
  // The richest row that cuts the fewest titles.
  const cut = (c: { bar: number; minutes: boolean }) => lessons.filter((l) => [...l.title].length > room(c)).length;
  const chosen = choices.reduce((best, c) => (cut(c) < cut(best) ? c : best));
  return { number, title: Math.max(5, Math.min(longest, room(chosen))), steps, ...chosen };
}

export function LessonList({ lessons, scenarios = [], next, selected, height, width }: { lessons: LessonSummary[]; scenarios?: ScenarioRow[]; next?: string; selected: number; height: number; width: number }) {
  const theme = useTheme();
  const chosen = lessons[selected];
  const scenario = scenarios[selected - lessons.length];
  // The chosen lesson's lines below the list, wrapped here so the list leaves them room.
  const about = scenario
    ? wrap([{ text: scenario.blocked ? `Cannot be played here: ${scenario.blocked}.` : `Killercoda scenario · ${scenario.steps} steps · its scripts are shown before they first run`, role: scenario.blocked ? undefined : 'dim' }], width - 2)
    : chosen
    ? [
        ...wrap([{ text: chosen.summary }], width - 2),
        ...wrap([{ text: `${chosen.minutes} min · topics: ${chosen.topics.join(', ')}${chosen.prerequisites.length ? ` · after: ${chosen.prerequisites.join(', ')}` : ''}`, role: 'dim' }], width - 2),
      ]
    : [];
  // The heading, the keys, a blank line, then the rows; a blank line and the chosen lesson's lines.
  const visible = Math.max(3, height - 3 - (about.length ? about.length + 1 : 0));
  // The scenarios follow the lessons under a heading row of their own.
  const rowCount = lessons.length + (scenarios.length ? scenarios.length + 1 : 0);
  const selectedRow = selected < lessons.length ? selected : selected + 1;
  const top = Math.max(0, Math.min(selectedRow - Math.floor(visible / 2), rowCount - visible));
  const done = lessons.filter((l) => l.status === 'done').length;
  const cols = listColumns(lessons, next, width - 2);
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      <Text bold color={theme.heading}>
        Lessons <Text color={theme.dim}>· {done} of {lessons.length} done{next ? ` · next: ${next}` : ''}</Text>
      </Text>
      <Text color={theme.dim}>↑↓ choose · Enter start · Esc back</Text>
      <Box flexDirection="column" marginTop={1}>
        {[...lessons.slice(top, top + visible).map((l, i) => {
          const n = top + i;
          const mark = l.status === 'done' ? '✓' : l.status === 'started' ? '▸' : ' ';
          return (
            <Text key={l.id} inverse={n === selected} wrap="truncate-end">
              <Text color={l.status === 'done' ? theme.ok : l.status === 'started' ? theme.warn : undefined}>{mark}</Text>
              {` ${String(n + 1).padStart(cols.number)} ${fit(l.title, cols.title)} `}
              {cols.bar ? <Text color={theme.accent}>{progressBar(l.stepsDone, l.steps, cols.bar)} </Text> : null}
              {`${l.stepsDone}/${l.steps}`.padEnd(cols.steps)}
              {cols.minutes ? `  ${String(l.minutes).padStart(3)} min` : ''}
              {l.id === next ? <Text color={theme.accent}> ← next</Text> : null}
              {l.solvedBy === 'solution' ? <Text color={theme.dim}> (solution)</Text> : null}
            </Text>
          );
        }),
        ...scenarioRows(scenarios, lessons.length, selected, top, visible, width - 2, theme)]}
      </Box>
      {about.length ? (
        <Box marginTop={1}>
          <Lines lines={about} />
        </Box>
      ) : null}
    </Box>
  );
}

/** The scenarios' heading and rows, those of them in the list's window (rows from `top`, `visible` of them). */
function scenarioRows(scenarios: ScenarioRow[], offset: number, selected: number, top: number, visible: number, width: number, theme: ReturnType<typeof useTheme>) {
  if (!scenarios.length) return [];
  const title = Math.max(5, Math.min(Math.max(...scenarios.map((r) => [...r.title].length)), width - 20));
  const rows = [
    <Text key="scenarios" bold color={theme.heading}>
      Killercoda scenarios <Text color={theme.dim}>· {scenarios.filter((r) => r.status === 'done').length} of {scenarios.length} done</Text>
    </Text>,
    ...scenarios.map((r, i) => {
      const n = offset + i;
      const mark = r.blocked ? '✗' : r.status === 'done' ? '✓' : r.status === 'started' ? '▸' : ' ';
      const steps = `${r.stepsDone}/${r.steps}`;
      return (
        <Text key={r.key} inverse={n === selected} wrap="truncate-end">
          <Text color={r.blocked ? theme.bad : r.status === 'done' ? theme.ok : r.status === 'started' ? theme.warn : undefined}>{mark}</Text>
          {` ${fit(r.title, title)} `}
          {r.blocked ? <Text color={theme.dim}>not playable</Text> : steps}
        </Text>
      );
    }),
  ];
  // Row numbers: the heading is row `offset`, scenario i is row offset + 1 + i.
  return rows.filter((_, i) => offset + i >= top && offset + i < top + visible);
}
