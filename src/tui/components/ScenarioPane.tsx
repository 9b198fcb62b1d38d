// The lesson pane while a Killercoda scenario plays: its steps with their marks, the page of the
// current step (or the finish page), and the hints and solutions asked for.
import { Box, Text } from 'ink';
import type { StepMark } from '../../core/index.js';
import { wrap } from '../markdown-lines.js';
import { currentPage, hintsOf, type ScenarioView } from '../scenario-view.js';
import { Lines, Markdown } from './Markdown.js';
import { useWidth } from './pane-width.js';
import { useTheme } from './theme.js';

/** The marks lessons use: ✓ done, ✗ tried and not done, ○ not yet tried. */
const MARK: Record<StepMark, string> = { passed: '✓', failed: '✗', pending: '○' };

export function ScenarioPane({ view, scroll, width }: { view: ScenarioView; scroll: number; width?: number }) {
  const theme = useTheme();
  const inner = Math.max(8, useWidth(width) - 2);
  const boxed = Math.max(8, inner - 4);
  const { play } = view;
  const page = currentPage(view);
  const { hints, solutions } = hintsOf(view);
  const color = (m: StepMark) => (m === 'passed' ? theme.ok : m === 'failed' ? theme.bad : theme.dim);
  return (
    <Box flexDirection="column" marginTop={-scroll} paddingX={1} flexShrink={0}>
      <Lines lines={wrap([{ text: view.title, bold: true, role: 'heading' }], inner)} />
      <Lines lines={wrap([{ text: play.finished ? 'scenario finished' : `Killercoda scenario · step ${play.stepIndex + 1} of ${view.steps.length}`, role: 'dim' }], inner)} />
      <Box flexDirection="column" marginTop={1}>
        {view.steps.map((st, i) => (
          <Text key={i} wrap="truncate-end" bold={i === play.stepIndex && !play.finished}>
            <Text color={color(play.marks[i] ?? 'pending')}>{MARK[play.marks[i] ?? 'pending']} </Text>
            {st.title}
          </Text>
        ))}
      </Box>
      {play.stepIndex === 0 && !play.finished && view.intro.markdown ? (
        <Box marginTop={1} flexDirection="column">
          <Markdown source={view.intro.markdown} width={inner} />
        </Box>
      ) : null}
      {play.finished ? (
        <Box marginTop={1}>
          <Text bold color={theme.ok}>
            Scenario done. F4 opens the list for the next one.
          </Text>
        </Box>
      ) : (
        <Box marginTop={1}>
          <Lines lines={wrap([{ text: view.steps[play.stepIndex]?.title ?? '', bold: true }], inner)} />
        </Box>
      )}
      {hints.slice(0, view.hints).map((h, i) => (
        <Box key={`h${i}`} marginTop={1} flexDirection="column" borderStyle="round" borderColor={theme.warn} paddingX={1}>
          <Text bold color={theme.warn}>
            {h.title} ({i + 1} of {hints.length})
          </Text>
          <Markdown source={h.text} width={boxed} />
        </Box>
      ))}
      {view.solved
        ? solutions.map((h, i) => (
            <Box key={`s${i}`} marginTop={1} flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
              <Text bold color={theme.accent}>
                {h.title}
              </Text>
              <Markdown source={h.text} width={boxed} />
            </Box>
          ))
        : null}
      <Box marginTop={1} flexDirection="column">
        <Markdown source={page.markdown} width={inner} />
      </Box>
    </Box>
  );
}
