// The quiz bank as a whole: enough items on every topic, each citing a notes section that exists,
// and every command and manifest item's model answer graded right by the grader itself.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBank } from '../../../src/core/quiz/bank.js';
import { gradeAnswer } from '../../../src/core/quiz/grade.js';
import { lessonsDir } from '../../../src/core/lessons/loader.js';
import { useHost } from '../../helpers/proving.js';

const bank = loadBank();
const NOTES = path.resolve(lessonsDir(), '..', '..', 'shared', 'notes');
const h = useHost();

describe('the quiz bank', () => {
  it('holds at least 300 items of every kind, over every topic of the notes', () => {
    expect(bank.length).toBeGreaterThanOrEqual(300);
    const kinds = new Set(bank.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(['choice', 'command', 'manifest', 'short']);
    const topics = new Set(bank.map((i) => i.topic));
    for (const t of ['architecture', 'kubectl', 'namespaces', 'pods', 'labels', 'deployments', 'services', 'dns', 'configmaps', 'secrets', 'health-checks', 'resources', 'volumes', 'jobs', 'daemonsets', 'scheduling', 'security', 'rbac', 'troubleshooting']) {
      expect(topics.has(t), t).toBe(true);
    }
    for (const d of [1, 2, 3]) expect(bank.some((i) => i.difficulty === d)).toBe(true);
  });

  it.skipIf(!existsSync(NOTES))('cites, for each item, a heading that exists in its notes file', () => {
    const headings = new Map<string, Set<string>>();
    for (const item of bank) {
      const file = path.join(NOTES, item.source.file);
      expect(existsSync(file), `${item.id}: ${item.source.file}`).toBe(true);
      if (!headings.has(file)) headings.set(file, new Set(readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/^#+\s*/, '').trim())));
      expect(headings.get(file)!.has(item.source.heading), `${item.id}: "${item.source.heading}"`).toBe(true);
    }
  });

  it('keeps questions from giving their short answers away', () => {
    for (const item of bank.filter((i) => i.kind === 'short')) {
      const answer = (item as { answer: string }).answer.toLowerCase();
      if (answer.length > 3) expect(item.question.toLowerCase().includes(answer), item.id).toBe(false);
    }
  });

  it('grades every command item\'s model answer right, on scratch clusters', async () => {
    const wrong: string[] = [];
    for (const item of bank.filter((i) => i.kind === 'command')) {
      const g = await gradeAnswer(item, (item as { answer: string }).answer, { host: h.host, env: h.env });
      if (g.verdict !== 'correct') wrong.push(`${item.id}: ${g.feedback} ${g.details.join('; ')}`);
    }
    expect(wrong).toEqual([]);
  }, 600_000);

  it('grades every manifest item\'s model answer right, and an unrelated manifest not', async () => {
    const wrong: string[] = [];
    const unrelated = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unrelated-answer\ndata:\n  x: "1"\n';
    for (const item of bank.filter((i) => i.kind === 'manifest')) {
      const good = await gradeAnswer(item, (item as { answer: string }).answer, { host: h.host, env: h.env });
      if (good.verdict !== 'correct') wrong.push(`${item.id}: model answer graded ${good.verdict}: ${good.details.join('; ')}`);
      const bad = await gradeAnswer(item, unrelated, { host: h.host, env: h.env });
      if (bad.verdict === 'correct') wrong.push(`${item.id}: an unrelated ConfigMap passes`);
    }
    expect(wrong).toEqual([]);
  }, 600_000);
});
