// Before a scenario's first run: every script it would run, scrollable, and the question.
import { Text } from 'ink';
import type { Dialog } from '../state.js';
import { Overlay } from './HelpOverlay.js';
import { useTheme } from './theme.js';

export function ConsentDialog({ dialog, width, height }: { dialog: Extract<Dialog, { kind: 'consent' }>; width: number; height: number }) {
  const theme = useTheme();
  // The title, the question and the border take five rows.
  const rows = Math.max(3, height - 5);
  // Every character of a script is shown: a long line is broken, never cut, so nothing hides past the edge.
  const lines = broken(dialog.lines, Math.max(10, width - 4));
  const scroll = Math.min(dialog.scroll, Math.max(0, lines.length - rows));
  const shown = lines.slice(scroll, scroll + rows);
  const more = lines.length - scroll - shown.length;
  return (
    <Overlay title={`Run the scripts of "${dialog.title}"?`} width={width}>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end" color={l.startsWith('── ') ? theme.accent : undefined}>
          {l || ' '}
        </Text>
      ))}
      <Text bold color={theme.warn}>
        {more > 0 ? `(${more} more lines below) ` : ''}Run these scripts on this machine? y yes · n no
      </Text>
    </Overlay>
  );
}

/** Lines broken at `width` characters. */
export function broken(lines: string[], width: number): string[] {
  return lines.flatMap((l) => {
    const chars = [...l];
    if (chars.length <= width) return [l];
    const out: string[] = [];
    for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
    return out;
  });
}
