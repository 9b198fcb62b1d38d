// Before a scenario's first run: every script it would run, scrollable, and the question.
import { Text } from 'ink';
import type { Dialog } from '../state.js';
import { Overlay } from './HelpOverlay.js';
import { useTheme } from './theme.js';

export function ConsentDialog({ dialog, width, height }: { dialog: Extract<Dialog, { kind: 'consent' }>; width: number; height: number }) {
  const theme = useTheme();
  // The title, the question and the border take five rows.
  const rows = Math.max(3, height - 5);
  const shown = dialog.lines.slice(dialog.scroll, dialog.scroll + rows);
  const more = dialog.lines.length - dialog.scroll - shown.length;
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
