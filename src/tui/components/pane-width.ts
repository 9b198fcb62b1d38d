// The inner width of the pane around a component. Frame provides it, so text laid out inside a
// pane (lesson Markdown, titles, solutions) fits it without every caller passing a width down.
import { createContext, useContext } from 'react';

export const PaneWidth = createContext<number | undefined>(undefined);

/** The width to lay text out to: the one given, else the pane's, else the terminal's. */
export function useWidth(width?: number): number {
  const pane = useContext(PaneWidth);
  return Math.max(1, width ?? pane ?? process.stdout.columns ?? 80);
}
