// The headless terminal's screen as styled lines: runs of cells sharing one style, so a renderer
// (Ink, a test, a benchmark) draws spans, not cells.
import type { Terminal, IBufferCell } from '@xterm/headless';

export interface Style {
  /** `#rrggbb` for true colour, a number 0–255 for the palette, undefined for the default. */
  fg?: string | number;
  bg?: string | number;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface Span extends Style {
  text: string;
}

export type StyledLine = Span[];

export interface Screen {
  cols: number;
  rows: number;
  lines: StyledLine[];
  /** Where the cursor is on the visible screen (undefined when scrolled back or hidden). */
  cursor?: { x: number; y: number };
  /** How many lines the view is scrolled back from the bottom. */
  scrolledBack: number;
}

function colour(cell: IBufferCell, which: 'fg' | 'bg'): string | number | undefined {
  if (which === 'fg') {
    if (cell.isFgDefault()) return undefined;
    if (cell.isFgRGB()) return `#${cell.getFgColor().toString(16).padStart(6, '0')}`;
    return cell.getFgColor();
  }
  if (cell.isBgDefault()) return undefined;
  if (cell.isBgRGB()) return `#${cell.getBgColor().toString(16).padStart(6, '0')}`;
  return cell.getBgColor();
}

function styleOf(cell: IBufferCell): Style {
  const s: Style = {};
  const fg = colour(cell, 'fg');
  const bg = colour(cell, 'bg');
  if (fg !== undefined) s.fg = fg;
  if (bg !== undefined) s.bg = bg;
  if (cell.isBold()) s.bold = true;
  if (cell.isDim()) s.dim = true;
  if (cell.isItalic()) s.italic = true;
  if (cell.isUnderline()) s.underline = true;
  if (cell.isInverse()) s.inverse = true;
  return s;
}

function sameStyle(a: Style, b: Style): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic && a.underline === b.underline && a.inverse === b.inverse;
}

/** The visible screen, `scrolledBack` lines above the bottom. */
export function readScreen(term: Terminal, scrolledBack = 0, cursorHidden = false): Screen {
  const buf = term.buffer.active;
  const back = Math.max(0, Math.min(scrolledBack, buf.baseY));
  const top = buf.baseY - back;
  const lines: StyledLine[] = [];
  const cell = buf.getNullCell();
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(top + y);
    const spans: Span[] = [];
    if (line) {
      let current: Span | undefined;
      for (let x = 0; x < term.cols; x++) {
        line.getCell(x, cell);
        if (cell.getWidth() === 0) continue; // the second half of a wide character
        const chars = cell.getChars() || ' ';
        const style = styleOf(cell);
        if (current && sameStyle(current, style)) current.text += chars;
        else {
          current = { ...style, text: chars };
          spans.push(current);
        }
      }
    }
    // Trailing blanks in the default style carry nothing.
    const last = spans[spans.length - 1];
    if (last && sameStyle(last, {})) {
      last.text = last.text.replace(/ +$/, '');
      if (!last.text) spans.pop();
    }
    lines.push(spans);
  }
  const cursorVisible = back === 0 && !cursorHidden;
  return { cols: term.cols, rows: term.rows, lines, cursor: cursorVisible ? { x: buf.cursorX, y: buf.cursorY } : undefined, scrolledBack: back };
}

/** The screen's text alone, one string per row. */
export function screenText(screen: Screen): string[] {
  return screen.lines.map((l) => l.map((s) => s.text).join(''));
}
