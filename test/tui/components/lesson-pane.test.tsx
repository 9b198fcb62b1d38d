// The lesson pane at the widths the layout gives it: whole titles, tables as tables, checks with
// their marks, and a solution whose commands a copy gives back.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { findLesson } from '../../../src/core/index.js';
import { loadLessons } from '../../../src/core/lessons/loader.js';
import { Frame } from '../../../src/tui/components/Frame.js';
import { LessonPane, type LessonView } from '../../../src/tui/components/LessonPane.js';
import { MONO, ThemeContext } from '../../../src/tui/components/theme.js';
import { shellWords } from '../../../src/tui/markdown-lines.js';

const lessons = loadLessons();

/** The pane in a Frame of `width` columns, as App draws it; the lines inside the borders. */
function pane(view: LessonView, width: number): string[] {
  const ui = render(
    <ThemeContext.Provider value={MONO}>
      <Frame title="Lesson" width={width} height={200}>
        <LessonPane view={view} scroll={0} />
      </Frame>
    </ThemeContext.Provider>,
  );
  const lines = (ui.lastFrame() ?? '').split('\n');
  ui.unmount();
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
  return lines.slice(1, -1).map((l) => l.slice(1, -1).trimEnd());
}

describe('the lesson pane', () => {
  for (const width of [40, 80, 120]) {
    it(`shows the cronjobs lesson's whole title and its schedule table as a table at ${width} columns`, () => {
      const lesson = findLesson('cronjobs', lessons);
      const lines = pane({ lesson, stepIndex: 0 }, width);
      expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(lesson.title);
      const header = lines.findIndex((l) => /^ schedule\s+│ runs/.test(l));
      expect(header).toBeGreaterThan(0);
      expect(lines[header + 1]).toMatch(/^ ─+┼─+$/);
      expect(lines[header + 2]).toMatch(/^ \*\/1 \* \* \* \*\s+│ every/);
      // Laid out to the pane's own width: nothing is cut off at its right edge.
      expect(lines.filter((l) => l.endsWith('…') && !l.endsWith('COMMAND…'))).toEqual([]);
    });

    it(`shows a solution's commands broken only between words at ${width} columns, so a copy runs them`, () => {
      const lesson = findLesson('kubectl-first-steps', lessons);
      const solution = lesson.steps[0].solution.filter((s): s is string => typeof s === 'string');
      const lines = pane({ lesson, stepIndex: 0, solution }, width);
      const start = lines.findIndex((l) => /Solution/.test(l));
      const box = lines.slice(start + 1, lines.findIndex((l, i) => i > start && /╰/.test(l))).map((l) => l.replace(/^ *│ /, '').replace(/ *│$/, '').trimEnd());
      const pasted = box.join('\n').replace(/\\\n/g, '').split('\n').map((l) => shellWords(l).join(' '));
      expect(pasted).toEqual(solution);
      if (width >= 80) expect(box.join('\n')).not.toMatch(/--from-literal=ser\n/);
    });
  }

  it('keeps each task\'s mark and each check\'s mark, the check\'s words without backticks', () => {
    const lesson = findLesson('kubectl-first-steps', lessons);
    const task = lesson.steps[0].tasks[0];
    const lines = pane(
      {
        lesson,
        stepIndex: 0,
        results: [{ text: task.text, passed: false, checks: [{ label: 'first-look holds the server\'s version under `server-version`', passed: false, message: 'The ConfigMap first-look has no key `server-version`.', state: 'failed' }, { label: 'first-look holds the number of nodes under `node-count`', passed: true, message: '', state: 'passed' }] }],
      },
      80,
    );
    const text = lines.join('\n');
    expect(text).toMatch(/^ ✗ Create a ConfigMap/m);
    expect(text).toMatch(/^ {4}✗ The ConfigMap first-look has no key server-version\./m);
    expect(text).toMatch(/^ {4}✓ first-look holds the number of nodes under/m);
    expect(text).not.toContain('`');
  });
});
