// The lesson list at the widths learners use: titles take the room there is, and are cut (with
// an ellipsis) only when there is none.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { LessonSummary } from '../../../src/core/index.js';
import { loadLessons } from '../../../src/core/lessons/loader.js';
import { LessonList } from '../../../src/tui/components/LessonList.js';
import { MONO, ThemeContext } from '../../../src/tui/components/theme.js';

const summaries: LessonSummary[] = loadLessons().map((l, i) => ({
  id: l.id,
  title: l.title,
  summary: l.summary,
  topics: l.topics,
  minutes: l.minutes,
  prerequisites: l.prerequisites,
  steps: l.steps.length,
  stepsDone: i === 0 ? l.steps.length : 0,
  status: i === 0 ? 'done' : 'new',
  solvedBy: i === 0 ? 'solution' : undefined,
}));

function list(width: number, selected = 0, height = 200): string[] {
  const ui = render(
    <ThemeContext.Provider value={MONO}>
      <LessonList lessons={summaries} next={summaries[1].id} selected={selected} height={height} width={width} />
    </ThemeContext.Provider>,
  );
  const lines = (ui.lastFrame() ?? '').split('\n');
  ui.unmount();
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
  return lines;
}

describe('the lesson list', () => {
  const longest = summaries.reduce((a, b) => (b.title.length > a.title.length ? b : a));
  const health = summaries.find((l) => l.id === 'health-checks');

  for (const width of [80, 120, 200]) {
    it(`shows every title whole at ${width} columns (but one too long for 80), with its steps after it and, when there is room, progress and minutes`, () => {
      const text = list(width).join('\n');
      // At 80 columns only a title longer than the row can hold beside its steps is cut.
      const cut = summaries.filter((l) => !text.includes(l.title));
      expect(cut.length).toBeLessThanOrEqual(width >= 120 ? 0 : 1);
      for (const l of cut) expect(text).toMatch(new RegExp(`${l.title.slice(0, 50)}[^\\n]*… +\\d+/\\d+`));
      if (width >= 120) expect(text).toContain(`${longest.title} `);
      expect(text).toMatch(new RegExp(`${health?.title}\\s+${width >= 120 ? '░+ ' : ''}0/\\d+${width >= 120 ? '\\s+\\d+ min' : ''}`));
      expect(text).toMatch(/← next/);
      expect(text).toMatch(/\(solution\)/);
    });
  }

  it('cuts titles with an ellipsis only when the width leaves no room, and drops the progress bar first', () => {
    const lines = list(40);
    const text = lines.join('\n');
    expect(text).not.toMatch(/[█░]/);
    expect(text).toMatch(/…/);
    expect(text).toMatch(new RegExp(`${summaries[0].minutes} min · topics`));
  });

  it('fits the rows it shows, the heading and the chosen lesson\'s wrapped summary into the height it has', () => {
    const chosen = summaries.findIndex((l) => l.summary.length > 80);
    const lines = list(80, chosen, 23);
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines[0]).toMatch(/^ Lessons · 1 of \d+ done/);
    expect(lines.join('\n')).toContain(summaries[chosen].title);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(summaries[chosen].summary);
    expect(lines[lines.length - 1]).toMatch(/min · topics:/);
  });
});
