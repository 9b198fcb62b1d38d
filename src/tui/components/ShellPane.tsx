// The sandbox shell's screen inside a pane: the headless terminal's styled lines drawn as Ink
// text, with the cursor shown as an inverse cell while the pane has focus.
import { Box, Text } from 'ink';
import type { Screen, Span } from '../pty/screen.js';
import { useTheme } from './theme.js';

const NAMED = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright'];

/** A terminal colour as Ink names it. */
export function inkColour(c: string | number | undefined): string | undefined {
  if (c === undefined) return undefined;
  if (typeof c === 'string') return c;
  return c < 16 ? NAMED[c] : `ansi256(${c})`;
}

/** Splits a line's spans so the cursor's cell is a span of its own. */
export function withCursor(spans: Span[], x: number): Span[] {
  const out: Span[] = [];
  let col = 0;
  let placed = false;
  for (const s of spans) {
    const chars = [...s.text];
    if (!placed && x >= col && x < col + chars.length) {
      const at = x - col;
      if (at > 0) out.push({ ...s, text: chars.slice(0, at).join('') });
      out.push({ ...s, text: chars[at], inverse: !s.inverse });
      if (at + 1 < chars.length) out.push({ ...s, text: chars.slice(at + 1).join('') });
      placed = true;
    } else out.push(s);
    col += chars.length;
  }
  if (!placed) {
    if (x > col) out.push({ text: ' '.repeat(x - col) });
    out.push({ text: ' ', inverse: true });
  }
  return out;
}

export function ShellPane({ screen, focused }: { screen: Screen; focused: boolean }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" flexShrink={0}>
      {screen.lines.map((spans, y) => {
        const line = focused && screen.cursor && screen.cursor.y === y ? withCursor(spans, screen.cursor.x) : spans;
        return (
          <Text key={y} wrap="truncate-end">
            {line.length === 0
              ? ' '
              : line.map((s, i) => (
                  <Text
                    key={i}
                    color={theme.colour ? inkColour(s.fg) : undefined}
                    backgroundColor={theme.colour ? inkColour(s.bg) : undefined}
                    bold={s.bold}
                    dimColor={s.dim}
                    italic={s.italic}
                    underline={s.underline}
                    inverse={s.inverse}
                  >
                    {s.text}
                  </Text>
                ))}
          </Text>
        );
      })}
    </Box>
  );
}
