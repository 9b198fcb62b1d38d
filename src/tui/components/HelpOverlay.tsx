// F1: every key, in a box over the panes.
import React from 'react';
import { Box, Text } from 'ink';
import { KEY_HELP, SCENARIO_KEY_HELP } from '../keys.js';
import { useTheme } from './theme.js';

export function Overlay({ title, width, children }: { title: string; width: number; children: React.ReactNode }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.accent} paddingX={1} width={width}>
      <Text bold color={theme.heading}>
        {title}
      </Text>
      {children}
    </Box>
  );
}

export function HelpOverlay({ width, scenario }: { width: number; scenario?: boolean }) {
  const theme = useTheme();
  return (
    <Overlay title="Keys" width={width}>
      {(scenario ? [...KEY_HELP, ...SCENARIO_KEY_HELP] : KEY_HELP).map(([k, what], i) =>
        what ? (
          <Text key={i}>
            <Text bold color={theme.accent}>
              {k.padEnd(18)}
            </Text>
            {what}
          </Text>
        ) : (
          <Text key={i} color={theme.dim}>
            {k}
          </Text>
        ),
      )}
      <Text color={theme.dim}>Esc or F1 closes this.</Text>
    </Overlay>
  );
}
