// Draws parsed Markdown with Ink: bold headings, indented code in a box, bullets and numbers.
import { Box, Text } from 'ink';
import { parseMarkdown, type Inline } from '../markdown.js';
import { useTheme } from './theme.js';

function Inlines({ inlines }: { inlines: Inline[] }) {
  const theme = useTheme();
  return (
    <Text>
      {inlines.map((i, n) => (
        <Text key={n} bold={i.bold} italic={i.italic} color={i.code ? theme.code : undefined}>
          {i.text}
        </Text>
      ))}
    </Text>
  );
}

export function Markdown({ source }: { source: string }) {
  const theme = useTheme();
  const blocks = parseMarkdown(source);
  return (
    <Box flexDirection="column">
      {blocks.map((b, n) => {
        const gap = n === 0 ? 0 : 1;
        switch (b.kind) {
          case 'heading':
            return (
              <Box key={n} marginTop={gap}>
                <Text bold color={theme.heading} underline={b.level === 1}>
                  <Inlines inlines={b.inlines} />
                </Text>
              </Box>
            );
          case 'paragraph':
            return (
              <Box key={n} marginTop={gap}>
                <Inlines inlines={b.inlines} />
              </Box>
            );
          case 'list':
            return (
              <Box key={n} marginTop={gap} flexDirection="column">
                {b.items.map((item, k) => (
                  <Box key={k}>
                    <Text color={theme.accent}>{b.ordered ? `${k + 1}. ` : '• '}</Text>
                    <Box flexShrink={1}>
                      <Inlines inlines={item} />
                    </Box>
                  </Box>
                ))}
              </Box>
            );
          case 'code':
            return (
              <Box key={n} marginTop={gap} paddingLeft={1} borderStyle="single" borderLeft borderRight={false} borderTop={false} borderBottom={false} borderColor={theme.dim} flexDirection="column">
                {b.lines.map((l, k) => (
                  <Text key={k} color={theme.code} wrap="truncate-end">
                    {l || ' '}
                  </Text>
                ))}
              </Box>
            );
          case 'rule':
            return (
              <Box key={n} marginTop={gap}>
                <Text color={theme.dim}>────────</Text>
              </Box>
            );
        }
      })}
    </Box>
  );
}
