// The exam report in Slack: the whole report, every task with its checks and model solution, in
// code blocks that each fit Slack's limit, however long a 17-task drill's report runs.
import { describe, expect, it } from 'vitest';
import { reportMessage } from '../../../adapters/slack/exam-timers.js';
import { loadExamBank } from '../../../src/core/quiz/exam-bank.js';
import { buildExam, scoreExam } from '../../../src/core/quiz/exam.js';

describe('the exam report in Slack', () => {
  it('holds every task of a 17-task drill with its checks and solution, in blocks Slack takes', () => {
    const bank = loadExamBank('cka');
    const { tasks } = buildExam(bank, { seed: 7 });
    const results = tasks.map((t) => ({ taskId: t.id, checks: t.checks.map((_, i) => ({ passed: i === 0, label: `${t.id} check ${i + 1}`, message: i === 0 ? '' : `${t.id} check ${i + 1} failed` })) }));
    const report = { ...scoreExam(bank, tasks, results, [tasks[2].id]), startedAt: '2026-03-01T09:00:00.000Z', finishedAt: '2026-03-01T11:00:00.000Z' };
    const msg = reportMessage(report);
    expect(msg.text).toMatch(/^CKA.*: \d+\.\d%, not passed \(pass mark 66%\)\.$/);
    const blocks = (msg.blocks ?? []).map((b) => ('text' in b && b.text && typeof b.text === 'object' ? b.text.text : ''));
    expect(msg.blocks!.length).toBeLessThanOrEqual(50);
    for (const b of blocks) expect(b.length).toBeLessThanOrEqual(3000);
    const all = blocks.join('\n');
    expect(all).not.toMatch(/more lines?, too long/);
    for (const t of tasks) {
      expect(all).toContain(t.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      expect(all).toContain(`${t.id} check ${t.checks.length} failed`);
    }
    expect((all.match(/Model solution:/g) ?? []).length).toBe(17);
    expect(all).toContain(`Flagged: ${tasks[2].title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
  });
});
