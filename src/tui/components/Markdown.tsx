// Lesson Markdown drawn with Ink: marked's blocks laid out to the pane's width by
// markdown-lines.ts, one Ink line per laid-out line, so Ink never wraps (or pads) them itself.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, measureElement, Text, type DOMElement } from 'ink';
import { readMarkdown } from '../markdown.js';
import { markdownLines, type Line, type Role } from '../markdown-lines.js';
import { useTheme, type Theme } from './theme.js';
import { useWidth } from './pane-width.js';

const colour = (theme: Theme, role: Role | undefined): string | undefined => (role ? { code: theme.code, heading: theme.heading, accent: theme.accent, dim: theme.dim, link: theme.accent }[role] : undefined);

/** Laid-out lines drawn as they are; `color` is for the text no role colours. */
export function Lines({ lines, color }: { lines: Line[]; color?: string }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      {lines.map((line, n) => (
        <Text key={n} wrap="truncate-end">
          {line.length
            ? line.map((s, k) => (
                <Text key={k} bold={s.bold} italic={s.italic} underline={s.underline} strikethrough={s.strike} color={colour(theme, s.role) ?? color}>
                  {s.text}
                </Text>
              ))
            : ' '}
        </Text>
      ))}
    </Box>
  );
}

/**
 * Without a `width`, the text is laid out to the width its box is given (measured after the first
 * layout), so a screen's padding is allowed for without the screen saying so.
 */
export function Markdown({ source, width, color }: { source: string; width?: number; color?: string }) {
  const ref = useRef<DOMElement>(null);
  const [measured, setMeasured] = useState<number>();
  const fallback = useWidth(width);
  useEffect(() => {
    if (width !== undefined || !ref.current) return;
    const w = measureElement(ref.current).width;
    if (w > 0 && w !== measured) setMeasured(w);
  });
  const room = width ?? measured ?? fallback;
  // The shell redraws the screen many times a second; the lesson's text is laid out once per width.
  const lines = useMemo(() => markdownLines(readMarkdown(source), room), [source, room]);
  return (
    // A full-width box, in a row as in a column, so what is measured is the room, not the text.
    <Box ref={ref} flexDirection="column" width={width === undefined ? '100%' : undefined}>
      <Lines lines={lines} color={color} />
    </Box>
  );
}
