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

/** The keys, most useful first: as the bar narrows, the last ones go first. F1 lists them all. */
const KEYS: [key: string, word: string, short: string][] = [
  ['F1', 'help', 'help'],
  ['F2', 'hint', 'hint'],
  ['F3', 'solution', 'solve'],
  ['F4', 'lessons', 'list'],
  ['F10', 'quit', 'quit'],
  ['F9', 'focus', 'focus'],
];

/** In an exam there are no hints, solutions or lessons: only what an exam room allows. */
const EXAM_KEYS: [key: string, word: string, short: string][] = [
  ['F1', 'help', 'help'],
  ['F9', 'task list', 'tasks'],
  ['F10', 'quit', 'quit'],
];

export interface StatusFit {
  /** Cells of progress bar, 0 for none. */
  bar: number;
  keys: string;
  /** `where`, cut with an ellipsis only when nothing else is left to drop. */
  where: string;
}

const cellsOf = (s: string): number => [...s].length;

/**
 * What the bar holds at `width`: richest first, then closer key spacing, shorter key words, a shorter
 * progress bar, fewer keys (the least useful first), no progress bar, and only then a shorter `where`. Every
 * label is whole: a key is shown with its word or not at all.
 */
export function fitStatus(p: StatusProps): StatusFit {
  const fixed = (p.examMsLeft !== undefined ? cellsOf(` EXAM ${clock(p.examMsLeft)} left `) : 0) + cellsOf(` ${p.stepsDone}/${p.steps} `) + (p.passed + p.failed > 0 ? cellsOf(`✓${p.passed} ✗${p.failed} `) : 0) + (p.busy ? cellsOf(`${p.busy}… `) : 0);
  const offered = p.examMsLeft !== undefined ? EXAM_KEYS : KEYS;
  const keys = (n: number, gap: string, short = true) => offered.slice(0, n).map(([k, w, sh]) => `${k} ${short ? sh : w}`).join(gap);
  const all = offered.length;
  const tries: { bar: number; keys: string }[] = [
    { bar: 10, keys: keys(all, '  ', false) },
    { bar: 10, keys: keys(all, ' ', false) },
    { bar: 10, keys: keys(all, ' ') },
    { bar: 5, keys: keys(all, ' ') },
  ];
  for (let n = all - 1; n >= 1; n--) tries.push({ bar: 5, keys: keys(n, ' ') });
  tries.push({ bar: 0, keys: keys(1, ' ') }, { bar: 0, keys: '' });
  const whereCells = cellsOf(` ${p.where} `);
  for (const t of tries) if (whereCells + (t.bar ? t.bar : 0) + fixed + cellsOf(t.keys) <= p.width) return { ...t, where: p.where };
  const room = Math.max(1, p.width - fixed - 2);
  const chars = [...p.where];
  return { bar: 0, keys: '', where: chars.length <= room ? p.where : `${chars.slice(0, room - 1).join('')}…` };
}

export function StatusBar(p: StatusProps) {
  const theme = useTheme();
  const fit = fitStatus(p);
  return (
    <Box width={p.width} height={1}>
      <Text wrap="truncate-end">
        {p.examMsLeft !== undefined ? (
          <Text inverse color={p.examMsLeft < 5 * 60_000 ? theme.bad : theme.warn}>{` EXAM ${clock(p.examMsLeft)} left `}</Text>
        ) : null}
        <Text bold> {fit.where} </Text>
        {fit.bar ? <Text color={theme.accent}>{progressBar(p.stepsDone, p.steps, fit.bar)}</Text> : null}
        <Text> {p.stepsDone}/{p.steps} </Text>
        {p.passed + p.failed > 0 ? (
          <Text>
            <Text color={theme.ok}>✓{p.passed}</Text> <Text color={p.failed ? theme.bad : theme.dim}>✗{p.failed}</Text>{' '}
          </Text>
        ) : null}
        {p.busy ? <Text color={theme.warn}>{p.busy}… </Text> : null}
        <Text color={theme.dim}>{fit.keys}</Text>
      </Text>
    </Box>
  );
}
