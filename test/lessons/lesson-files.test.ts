// The lesson files as a whole: they follow the schema, cite notes sections that exist, keep to
// their own namespaces, cover every topic of the notes, and teach in their own words.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLessons, lessonsDir } from '../../src/core/lessons/loader.js';
import { checkKind, labelOf } from '../../src/core/lessons/checks.js';
import type { CheckKind, CheckWords } from '../../src/core/lessons/types.js';
import { loadExamBank } from '../../src/core/quiz/exam-bank.js';
import { leakedAnswers } from '../helpers/answers.js';

const lessons = loadLessons();
const exams = (['cka', 'ckad'] as const).map((track) => loadExamBank(track));
const NOTES = path.resolve(lessonsDir(), '..', '..', 'shared', 'notes');
const haveNotes = existsSync(NOTES);

function headingsOf(file: string): Set<string> {
  const text = readFileSync(path.join(NOTES, file), 'utf8');
  return new Set(text.split('\n').map((l) => l.replace(/^#+\s*/, '').trim()).filter(Boolean));
}

describe('the lesson files', () => {
  it('are at least thirty, each named after its id and valid against the schema', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(30);
    const files = readdirSync(lessonsDir()).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(lessons.map((l) => `${l.id}.yaml`).sort());
  });

  it('cover every topic the notes teach', () => {
    const topics = new Set(lessons.flatMap((l) => l.topics));
    for (const t of ['architecture', 'kubectl', 'kubeconfig', 'namespaces', 'pods', 'labels', 'annotations', 'replicasets', 'deployments', 'services', 'dns', 'configmaps', 'secrets', 'health-checks', 'resources', 'volumes', 'storage', 'jobs', 'cronjobs', 'daemonsets', 'statefulsets', 'scheduling', 'nodes', 'security', 'rbac', 'quotas', 'ingress', 'troubleshooting']) {
      expect(topics.has(t), `no lesson on ${t}`).toBe(true);
    }
  });

  it('each keep to namespaces of their own', () => {
    const owner = new Map<string, string>();
    for (const l of lessons) {
      for (const ns of l.namespaces) {
        expect(owner.get(ns), `${ns} is used by ${owner.get(ns)} and ${l.id}`).toBeUndefined();
        expect(ns).toMatch(/^dojo-/);
        owner.set(ns, l.id);
      }
    }
  });

  it('use only check kinds the engine knows, with hints and an outcome for every step', () => {
    const known = ['exists', 'absent', 'field', 'count', 'pod', 'condition', 'event', 'endpoints', 'canI', 'exec'];
    for (const l of lessons) {
      for (const s of l.steps) {
        expect(s.hints.length, `${l.id}/${s.id} hints`).toBeGreaterThanOrEqual(2);
        expect(s.outcome.trim().length, `${l.id}/${s.id} outcome`).toBeGreaterThan(20);
        for (const t of s.tasks) for (const c of t.checks) expect(known).toContain(checkKind(c));
      }
    }
  });

  it("list every check, lessons and exam tasks alike, by a label and with a `says` that name none of the check's answers", () => {
    const checks = [
      ...lessons.flatMap((l) => l.steps.flatMap((s) => s.tasks.map((t) => ({ where: `${l.id}/${s.id}`, ns: l.namespaces[0], task: t })))),
      ...exams.flatMap((b) => b.tasks.map((t) => ({ where: `${b.track} ${t.id}`, ns: t.namespace, task: t }))),
    ].flatMap(({ where, ns, task }) => task.checks.map((check) => ({ where, ns, check, text: task.text })));
    expect(checks.length).toBeGreaterThan(500);
    const telling = checks.flatMap(({ where, ns, check, text }) => {
      const label = check.label ?? labelOf(check, ns);
      const leaked = leakedAnswers(check, `${label}\n${check.says ?? ''}`, text);
      return leaked.length || /[{}]|(^|\s)[=≠≥≤](\s|$)/.test(label) ? [`${where}: "${label}" ${leaked.join(', ')}`] : [];
    });
    expect(telling).toEqual([]);
  });

  it('have a schema whose checks take exactly the kinds and words that the lesson types name', () => {
    // Records keyed by the types' unions: tsc fails here when a kind or a word is added to one side only.
    const kinds: Record<CheckKind, true> = { exists: true, absent: true, field: true, count: true, pod: true, condition: true, event: true, endpoints: true, canI: true, exec: true };
    const words: Record<keyof CheckWords, true> = { says: true, label: true };
    const schema = JSON.parse(readFileSync(path.join(lessonsDir(), 'lesson.schema.json'), 'utf8'));
    const check = schema.$defs.check;
    expect(Object.keys(check.properties).sort()).toEqual([...Object.keys(kinds), ...Object.keys(words)].sort());
    expect(check.oneOf.map((o: { required: string[] }) => o.required[0]).sort()).toEqual(Object.keys(kinds).sort());
    expect(check.maxProperties).toBe(1 + Object.keys(words).length);
  });

  it.skipIf(!haveNotes)('cite notes sections that exist', () => {
    const cache = new Map<string, Set<string>>();
    for (const l of lessons) {
      for (const src of l.sources) {
        expect(existsSync(path.join(NOTES, src.file)), `${l.id}: ${src.file}`).toBe(true);
        if (!cache.has(src.file)) cache.set(src.file, headingsOf(src.file));
        expect(cache.get(src.file)!.has(src.heading), `${l.id}: "${src.heading}" is not a heading of ${src.file}`).toBe(true);
      }
    }
  });

  it.skipIf(!haveNotes)('copy no sentence from the notes (no run of ten words in common)', () => {
    const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').split(/\s+/).filter(Boolean);
    const runs = new Set<string>();
    for (const f of readdirSync(NOTES).filter((x) => x.endsWith('.txt'))) {
      const w = words(readFileSync(path.join(NOTES, f), 'utf8').split('\n').filter((l) => !/^\s*(kubectl|#|\$|-|apiVersion|kind|metadata|spec|name|image)/.test(l)).join(' '));
      for (let i = 0; i + 10 <= w.length; i++) runs.add(w.slice(i, i + 10).join(' '));
    }
    for (const l of lessons) {
      const prose = [l.summary, ...l.steps.flatMap((s) => [s.explanation, s.outcome, ...s.hints, ...s.tasks.map((t) => t.text)])].join(' ');
      const w = words(prose);
      for (let i = 0; i + 10 <= w.length; i++) expect(runs.has(w.slice(i, i + 10).join(' ')), `${l.id} repeats the notes: "${w.slice(i, i + 10).join(' ')}"`).toBe(false);
    }
  });
});
