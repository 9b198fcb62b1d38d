// The cluster picture over the panes: nodes as boxes holding their pods (status in colour) and the
// Services with the pods they route to, laid out by picture-layout for the space there is.
import { Box, Text } from 'ink';
import type { ClusterPicture as Picture } from '../../core/index.js';
import { pictureLines } from '../picture-layout.js';
import { statusColour } from './ClusterPane.js';
import { useTheme } from './theme.js';

export function ClusterPicture({ picture, cols, rows }: { picture: Picture | undefined; cols: number; rows: number }) {
  const theme = useTheme();
  if (!picture) return <Text color={theme.dim}>Drawing the cluster…</Text>;
  const lines = pictureLines(picture, cols, rows);
  return (
    <Box flexDirection="column" width={cols} height={rows}>
      {lines.map((l, n) => (
        <Text key={n} wrap="truncate-end">
          {l.length === 0
            ? ' '
            : l.map((r, i) => (
                <Text key={i} bold={r.tone === 'heading'} color={r.status !== undefined ? statusColour(r.status, theme) : r.tone === 'heading' ? theme.heading : r.tone === 'dim' ? theme.dim : r.tone === 'bad' ? theme.bad : undefined}>
                  {r.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
