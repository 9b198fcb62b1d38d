// Where the panes go for a terminal of a given size. Pure, so the shell can be sized to exactly
// the cells its pane shows. Each pane has a one-cell border.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  lesson: Rect;
  shell: Rect;
  cluster: Rect;
  status: Rect;
  /** The shell's inner size: what the pty is told. */
  shellCols: number;
  shellRows: number;
  wide: boolean;
}

export const MIN_COLS = 80;
export const MIN_ROWS = 24;

export function layout(cols: number, rows: number): Layout {
  const c = Math.max(cols, 20);
  const r = Math.max(rows, 8);
  const body = r - 1;
  const status: Rect = { x: 0, y: body, width: c, height: 1 };
  if (c >= 140) {
    // Three columns: lesson | shell | cluster.
    const lessonW = Math.floor(c * 0.28);
    const clusterW = Math.floor(c * 0.27);
    const shellW = c - lessonW - clusterW;
    const shell: Rect = { x: lessonW, y: 0, width: shellW, height: body };
    return { lesson: { x: 0, y: 0, width: lessonW, height: body }, shell, cluster: { x: lessonW + shellW, y: 0, width: clusterW, height: body }, status, shellCols: shellW - 2, shellRows: body - 2, wide: true };
  }
  // Lesson on the left; shell over cluster on the right.
  const lessonW = Math.max(24, Math.floor(c * 0.36));
  const rightW = c - lessonW;
  // The cluster pane gets two rows in five: at 120×36 a Services lesson's pods, Deployment and
  // Services all show, and the shell keeps room for a screenful of output.
  const clusterH = Math.max(5, Math.floor(body * 0.4));
  const shellH = body - clusterH;
  const shell: Rect = { x: lessonW, y: 0, width: rightW, height: shellH };
  return {
    lesson: { x: 0, y: 0, width: lessonW, height: body },
    shell,
    cluster: { x: lessonW, y: shellH, width: rightW, height: clusterH },
    status,
    shellCols: Math.max(10, rightW - 2),
    shellRows: Math.max(3, shellH - 2),
    wide: false,
  };
}
