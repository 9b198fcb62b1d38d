// The status bar at the widths learners use: every label whole, the least useful dropped first.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { StatusBar, type StatusProps } from '../../../src/tui/components/StatusBar.js';
import { MONO, ThemeContext } from '../../../src/tui/components/theme.js';

function bar(p: Partial<StatusProps> & { width: number }): string {
  const props: StatusProps = { where: 'cronjobs · step 1/3', stepsDone: 1, steps: 3, passed: 0, failed: 0, ...p };
  const ui = render(
    <ThemeContext.Provider value={MONO}>
      <StatusBar {...props} />
    </ThemeContext.Provider>,
  );
  const line = ui.lastFrame() ?? '';
  ui.unmount();
  expect([...line].length).toBeLessThanOrEqual(p.width);
  return line;
}

/** Every key shown comes with its whole word, and the line ends with one. */
const whole = (line: string) => {
  expect(line).not.toContain('…');
  expect(line).toMatch(/F\d+ (help|hint|solution|solve|lessons|list|quit|focus|task list|tasks)$/);
};

describe('the status bar', () => {
  it('shows every key with its full word at 120 columns', () => {
    const line = bar({ width: 120 });
    whole(line);
    expect(line).toMatch(/cronjobs · step 1\/3 █+░+ 1\/3 F1 help {2}F2 hint {2}F3 solution {2}F4 lessons {2}F10 quit {2}F9 focus$/);
  });

  it('fits at 80 columns, with checks and a lesson in progress, every label whole', () => {
    const line = bar({ width: 80, passed: 1, failed: 2 });
    whole(line);
    expect(line).toMatch(/cronjobs · step 1\/3 [█░]+ 1\/3 ✓1 ✗2 F1 help F2 hint F3 solve F4 list/);
  });

  it('drops the least useful keys first as it narrows, keeping F1 help to the last', () => {
    const line = bar({ width: 50, passed: 1, failed: 2 });
    whole(line);
    expect(line).toContain('F1 help');
    expect(line).not.toContain('F9');
    const narrow = bar({ width: 40 });
    whole(narrow);
    expect(narrow).toMatch(/F1 help$/);
  });

  it('keeps the exam clock and cuts the place name only when nothing else is left', () => {
    const line = bar({ width: 46, where: 'exam · task 3/12', examMsLeft: 65 * 60_000 });
    expect(line).toMatch(/^ EXAM 1:05:00 left {2}exam · task 3\/12/);
    const tight = bar({ width: 30, where: 'services-externalname-headless · step 1/3' });
    expect(tight).toMatch(/^ services-exte\S*… +1\/3 ?$/);
  });

  it('offers only the keys an exam allows, never a hint or a solution', () => {
    const line = bar({ width: 120, where: 'exam · task 3/12', examMsLeft: 65 * 60_000 });
    whole(line);
    expect(line).toMatch(/F1 help {2}F9 task list {2}F10 quit$/);
    expect(line).not.toMatch(/F2|F3|F4/);
  });
});
