// Lesson text laid out for the terminal at the widths learners use: tables stay tables, wrapped
// lines start with a word, and commands break only between their words.
import { describe, expect, it } from 'vitest';
import { findLesson } from '../../src/core/index.js';
import { loadLessons } from '../../src/core/lessons/loader.js';
import { readMarkdown } from '../../src/tui/markdown.js';
import { cells, codeText, columnWidths, markdownLines, shellWords, textOf } from '../../src/tui/markdown-lines.js';

const lessons = loadLessons();
const lines = (md: string, width: number) => textOf(markdownLines(readMarkdown(md), width));
/** The words a shell reads from lines copied off the screen: a backslash before a line's end joins it to the next. */
const pasted = (shown: string[]) => shellWords(shown.join('\n').replace(/\\\n/g, '')).join(' ');

describe('lesson text laid out to a width', () => {
  for (const width of [40, 80, 120]) {
    it(`keeps every line within ${width} columns and starts no wrapped line with a space`, () => {
      const md = lessons.flatMap((l) => l.steps.map((s) => s.explanation)).join('\n\n');
      const out = lines(md, width);
      for (const l of out) expect(cells(l)).toBeLessThanOrEqual(width);
      const para = lines('Kubernetes    keeps   what you asked for running, and a controller puts back whatever drifts from it; `kubectl get pods -o wide` shows where each pod runs.', width);
      expect(para.length).toBeGreaterThan(width >= 120 ? 0 : 1);
      for (const l of para) expect(l).toMatch(/^\S/);
      expect(para.join(' ')).toBe('Kubernetes keeps what you asked for running, and a controller puts back whatever drifts from it; kubectl get pods -o wide shows where each pod runs.');
    });

    it(`draws the cronjobs lesson's schedule table as a table at ${width} columns`, () => {
      const out = lines(findLesson('cronjobs', lessons).steps[0].explanation, width);
      const header = out.findIndex((l) => /^schedule\s+│ runs/.test(l));
      expect(header).toBeGreaterThanOrEqual(0);
      expect(out[header + 1]).toMatch(/^─+┼─+$/);
      expect(out[header + 2]).toMatch(/^\*\/1 \* \* \* \*\s+│ every minute/);
      const bars = out.slice(header, header + 5).map((l) => l.search(/[│┼]/));
      expect(new Set(bars).size).toBe(1);
    });
  }

  it('fits the health-checks table into 40 columns by wrapping its cells, columns kept aligned', () => {
    const out = lines(findLesson('health-checks', lessons).steps.map((s) => s.explanation).join('\n\n'), 40);
    const header = out.findIndex((l) => /^field\s+│ meaning/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    const table = out.slice(header, out.indexOf('', header));
    const bar = table[0].indexOf('│');
    for (const l of table) {
      expect(cells(l)).toBeLessThanOrEqual(40);
      expect(l.search(/[│┼]/)).toBe(bar);
    }
    expect(table.join('\n')).toMatch(/initialDelaySeconds\s+│ wait this long/);
    // A cell too long for its column continues on the next line, under itself.
    expect(table.length).toBeGreaterThan(6);
  });

  it('keeps a short piece of inline code on one line, in a narrow table cell and in a paragraph', () => {
    const out = lines(findLesson('cronjobs', lessons).steps[0].explanation, 24).map((l) => l.trimEnd());
    expect(out).toContain('*/1 * * * * │ every');
    expect(out).toContain('30 2 * * 1  │ at 02:30');
    const para = lines('Set the schedule to `30 2 * * 1` for a weekly run.', 24);
    expect(para.some((l) => l.includes('30 2 * * 1'))).toBe(true);
  });

  it('shrinks the widest columns first and keeps words whole while it can', () => {
    expect(columnWidths([10, 60], [10, 12], 40)).toEqual([10, 27]);
    expect(columnWidths([5, 5], [5, 5], 40)).toEqual([5, 5]);
  });

  it('draws lists with bullets, numbers and nesting, wrapped under their text', () => {
    expect(lines('- a pod **runs** one or more containers that share a network namespace\n  - and volumes\n- `kubectl get`\n\n9. nine\n10. ten', 30)).toEqual([
      '• a pod runs one or more',
      '  containers that share a',
      '  network namespace',
      '  ◦ and volumes',
      '• kubectl get',
      '',
      ' 9. nine',
      '10. ten',
    ]);
  });

  it('shows a link\'s text and its address, a quote with its bar, and a rule', () => {
    expect(lines('See [the docs](https://kubernetes.io/docs/) or <https://k8s.io>.\n\n> Pods are *cattle*.\n\n---', 70)).toEqual(['See the docs <https://kubernetes.io/docs/> or https://k8s.io.', '', '▎ Pods are cattle.', '', '─'.repeat(40)]);
  });

  it('styles inline code instead of showing its backticks', () => {
    const [line] = markdownLines(readMarkdown('Run `kubectl get pods` now.'), 80);
    expect(line.map((s) => s.text).join('')).toBe('Run kubectl get pods now.');
    expect(line.find((s) => s.text.includes('kubectl'))).toMatchObject({ role: 'code' });
  });
});

describe('commands laid out to a width', () => {
  const command = 'kubectl create configmap first-look -n dojo-kubectl --from-literal=server-version=v1.33.1 --from-literal=node-count=3';

  for (const width of [40, 80, 120]) {
    it(`breaks a long command only between its words at ${width} columns, and a copy gives it back`, () => {
      const shown = textOf(codeText(command, width, 'sh'));
      for (const l of shown) expect(cells(l)).toBeLessThanOrEqual(width);
      expect(pasted(shown)).toBe(command);
      if (width < cells(command)) expect(shown.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
      else expect(shown).toEqual([command]);
      // Each word whole on one line, where the line has room for it.
      if (width >= 40) expect(shown.join('\n')).toContain('--from-literal=server-version=v1.33.1');
    });
  }

  it('breaks a word wider than the pane with a bare backslash and no indent, which the shell joins back', () => {
    const shown = textOf(codeText(command, 24, 'sh'));
    for (const l of shown) expect(cells(l)).toBeLessThanOrEqual(24);
    expect(shown.some((l) => /[^ ]\\$/.test(l))).toBe(true);
    expect(shown.join('\n').replace(/\\\n/g, '').replace(/\s+/g, ' ')).toBe(command);
  });

  it('never breaks inside quotes, where a backslash would not join the lines', () => {
    const cron = "kubectl create cronjob tick --image=busybox:1.36 --schedule='*/1 * * * *' -n dojo-cronjobs -- echo tick";
    expect(shellWords(cron)).toContain("--schedule='*/1 * * * *'");
    const shown = textOf(codeText(cron, 32, 'sh'));
    expect(shown.some((l) => l.includes("--schedule='*/1 * * * *'"))).toBe(true);
    expect(pasted(shown)).toBe(cron);
  });

  it('draws a code block with a bar and breaks it the same way', () => {
    const shown = lines('```\n' + command + '\n```', 50);
    for (const l of shown) expect(l.startsWith('│ ')).toBe(true);
    expect(pasted(shown.map((l) => l.slice(2)))).toBe(command);
  });
});
