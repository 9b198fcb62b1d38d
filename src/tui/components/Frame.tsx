// A bordered pane with its title in the top border; the border is bold and coloured while the
// pane has focus. What is inside learns the pane's inner width from PaneWidth.
import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from './theme.js';
import { PaneWidth } from './pane-width.js';

export function topBorder(title: string, width: number, focused: boolean): string {
  const [l, h, r] = focused ? ['┏', '━', '┓'] : ['╭', '─', '╮'];
  const label = ` ${title}${focused ? ' ●' : ''} `;
  const inner = Math.max(0, width - 2);
  const text = label.length + 1 > inner ? label.slice(0, Math.max(0, inner - 1)) : label;
  return `${l}${h}${text}${h.repeat(Math.max(0, inner - 1 - text.length))}${r}`;
}

export function Frame({ title, width, height, focused, children }: { title: string; width: number; height: number; focused?: boolean; children: React.ReactNode }) {
  const theme = useTheme();
  const colour = focused ? theme.focus : theme.border;
  return (
    <Box width={width} height={height} flexDirection="column">
      <Text color={colour} bold={focused} wrap="truncate">
        {topBorder(title, width, Boolean(focused))}
      </Text>
      <Box width={width} height={height - 1} flexDirection="column" borderStyle={focused ? 'bold' : 'round'} borderTop={false} borderColor={colour} overflow="hidden">
        <PaneWidth.Provider value={Math.max(1, width - 2)}>{children}</PaneWidth.Provider>
      </Box>
    </Box>
  );
}
