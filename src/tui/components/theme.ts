// Colours in one place, and none at all under NO_COLOR: every component asks the theme.
import { createContext, useContext } from 'react';

export interface Theme {
  colour: boolean;
  heading?: string;
  accent?: string;
  code?: string;
  dim?: string;
  ok?: string;
  bad?: string;
  warn?: string;
  focus?: string;
  border?: string;
}

export const COLOUR: Theme = { colour: true, heading: 'cyan', accent: 'cyan', code: 'yellow', dim: 'gray', ok: 'green', bad: 'red', warn: 'yellow', focus: 'cyan', border: 'gray' };
export const MONO: Theme = { colour: false };

export function themeFor(env: NodeJS.ProcessEnv): Theme {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? MONO : COLOUR;
}

export const ThemeContext = createContext<Theme>(COLOUR);
export const useTheme = () => useContext(ThemeContext);
