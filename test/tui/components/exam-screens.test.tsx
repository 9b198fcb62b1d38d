// The exam report and the quiz question as drawn, sized by props: the report lists every task with
// its checks in words and its model solution, domain names whole, and scrolls; a manifest question
// names the file it is written in.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ExamResults } from '../../../src/tui/components/ExamScreens.js';
import { QuizScreen } from '../../../src/tui/components/QuizScreen.js';
import { ThemeContext, MONO } from '../../../src/tui/components/theme.js';
import { reportLines, wrap } from '../../../src/tui/exam-report.js';
import type { FinishedExam } from '../../../src/core/learning/tutor.js';
import type { Item } from '../../../src/core/quiz/types.js';

const LONG = 'Cluster Architecture, Installation and Configuration';

function report(tasks = 3): FinishedExam {
  return {
    track: 'cka',
    title: 'CKA drill',
    passPercent: 66,
    percent: 33.3,
    passed: false,
    domains: [
      { id: 'arch', name: LONG, weight: 25, tasks, score: 1, max: tasks, percent: 33.3 },
      { id: 'storage', name: 'Storage', weight: 10, tasks: 0, score: 0, max: 0, percent: 0 },
    ],
    tasks: Array.from({ length: tasks }, (_, i) => ({
      id: `logs-to-configmap-${i}`,
      domain: 'arch',
      title: `Save the logs in a ConfigMap ${i + 1}`,
      weight: 1,
      score: i === 0 ? 1 : 0,
      checksPassed: i === 0 ? 2 : 0,
      checksTotal: 2,
      flagged: i === 1,
      checks: [
        { label: 'ConfigMap logs exists', passed: i === 0, message: i === 0 ? '' : 'there is no ConfigMap logs in exam-logs' },
        { label: 'ConfigMap logs holds the pod’s log', passed: i === 0, message: i === 0 ? '' : 'its data has no key app.log' },
      ],
      solution: [`kubectl create configmap logs -n exam-logs --from-file=app.log=/tmp/app-${i}.log`],
    })),
    flagged: ['logs-to-configmap-1'],
    startedAt: '2026-03-01T09:00:00.000Z',
    finishedAt: '2026-03-01T11:00:00.000Z',
  };
}

const draw = (node: React.ReactElement) => render(<ThemeContext.Provider value={MONO}>{node}</ThemeContext.Provider>);

describe('the exam report', () => {
  for (const [cols, rows] of [[80, 24], [200, 50]]) {
    it(`shows every task with ✓ or ✗, its checks in words, its model solution, and whole domain names at ${cols}×${rows}`, () => {
      const ui = draw(<ExamResults report={report()} history={[]} width={cols} height={200} scroll={0} />);
      const f = ui.lastFrame() ?? '';
      expect(f.replace(/\s+/g, ' ')).toContain(LONG);
      expect(f).toContain('✓ 1. Save the logs in a ConfigMap 1 (2/2 checks)');
      expect(f).toContain('✗ 2. Save the logs in a ConfigMap 2 (0/2 checks) ⚑ flagged');
      expect(f.replace(/\s+/g, ' ')).toContain('✗ ConfigMap logs exists: there is no ConfigMap logs in exam-logs');
      expect(f).toContain('Model solution:');
      expect(f).toContain('kubectl create configmap logs -n exam-logs');
      expect(f).toContain('Flagged: Save the logs in a ConfigMap 2');
      expect(f).not.toContain('Flagged: logs-to-configmap');
      for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(cols);
      ui.unmount();
    });
  }

  it('fits the screen when longer, says where it is, and scrolls', () => {
    const long = report(17);
    const top = draw(<ExamResults report={long} history={[]} width={80} height={23} scroll={0} />);
    const first = top.lastFrame() ?? '';
    expect(first.split('\n').length).toBeLessThanOrEqual(23);
    expect(first).toMatch(/lines 1–21 of \d+ · ↑↓ PgUp PgDn scroll · Esc back/);
    expect(first).toContain('CKA drill: 33.3%');
    top.unmount();
    const total = reportLines(long, [], 78).length;
    const end = draw(<ExamResults report={long} history={[]} width={80} height={23} scroll={10_000} />);
    const last = end.lastFrame() ?? '';
    expect(last).toContain(`of ${total}`);
    expect(last).toContain('Save the logs in a ConfigMap 17');
    expect(last).not.toContain('CKA drill: 33.3%');
    end.unmount();
  });

  it('wraps words to the width, never cutting a name short', () => {
    expect(wrap(LONG, 20, '  ')).toEqual(['Cluster', '  Architecture,', '  Installation and', '  Configuration']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('a manifest question', () => {
  it('shows the full path of the file it is written in, in the sandbox folder', () => {
    const item: Item = { id: 'pods/web 1', kind: 'manifest', topic: 'pods', difficulty: 1, source: { file: 'x.txt', heading: 'x' }, question: 'Write a Pod named web.', explanation: '', checks: [], answer: 'kind: Pod' };
    const ui = draw(<QuizScreen quiz={{ items: [item], index: 0, input: '', score: { correct: 0, answered: 0 } }} width={100} sandboxDir="/home/learner/.kubedojo/sandbox" />);
    const f = ui.lastFrame() ?? '';
    expect(f).toContain('/home/learner/.kubedojo/sandbox/quiz/pods-web-1.yaml');
    expect(f).toMatch(/Enter opens it in \S+; save and quit to grade it/);
    ui.unmount();
  });
});
