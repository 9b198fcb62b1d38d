// Exam drills, the pure part: apportioning tasks by the official domain weights, scoring with
// partial credit and the 66% mark, the report; and the two exam banks themselves.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apportion, buildExam, renderReport, scoreExam, untouchedTasks, type TaskResult } from '../../../src/core/quiz/exam.js';
import { loadExamBank } from '../../../src/core/quiz/exam-bank.js';
import { lessonsDir } from '../../../src/core/lessons/loader.js';
import { checkKind } from '../../../src/core/lessons/checks.js';
import type { Check } from '../../../src/core/lessons/types.js';
import type { ExamBank, ExamTask } from '../../../src/core/quiz/types.js';

const CKA = { storage: 10, troubleshooting: 30, workloads: 15, architecture: 25, networking: 20 };
const CKAD = { design: 20, deployment: 20, observability: 15, environment: 25, networking: 20 };
const asDomains = (w: Record<string, number>) => Object.entries(w).map(([id, weight]) => ({ id, name: id, weight }));

function task(id: string, domain: string, checks = 2, weight?: number): ExamTask {
  return {
    id,
    domain,
    title: `Task ${id}`,
    text: `In namespace \`exam-t-${id}\`, do ${id}.`,
    namespace: `exam-t-${id}`,
    checks: Array.from({ length: checks }, (_, i): Check => ({ exists: { kind: 'ConfigMap', name: `${id}-${i}` } })),
    solution: [`kubectl create configmap ${id}-0 -n exam-t-${id}`],
    ...(weight ? { weight } : {}),
  };
}

function fakeBank(weights: Record<string, number>, perDomain = 10): ExamBank {
  return {
    track: 'cka',
    title: 'Test drill',
    minutes: 120,
    passPercent: 66,
    domains: asDomains(weights),
    tasks: Object.keys(weights).flatMap((d) => Array.from({ length: perDomain }, (_, i) => task(`${d}-${i}`, d))),
  };
}

const result = (taskId: string, ...passed: boolean[]): TaskResult => ({ taskId, checks: passed.map((p) => ({ passed: p })) });
const countBy = (tasks: ExamTask[]) => tasks.reduce<Record<string, number>>((m, t) => ({ ...m, [t.domain]: (m[t.domain] ?? 0) + 1 }), {});

describe('apportion', () => {
  it('gives the CKA domains their largest-remainder share of 17 tasks', () => {
    // quotas 1.7, 5.1, 2.55, 4.25, 3.4: floors 1+5+2+4+3 = 15, the two largest remainders (storage .7, workloads .55) get one more
    expect(apportion(asDomains(CKA), 17)).toEqual({ storage: 2, troubleshooting: 5, workloads: 3, architecture: 4, networking: 3 });
  });

  it('matches the weights exactly when they divide evenly, and breaks ties for the heavier domain', () => {
    expect(apportion(asDomains(CKA), 20)).toEqual({ storage: 2, troubleshooting: 6, workloads: 3, architecture: 5, networking: 4 });
    // quotas 1, 3, 1.5, 2.5, 2: workloads and architecture tie at .5; the heavier one wins the seat
    expect(apportion(asDomains(CKA), 10)).toEqual({ storage: 1, troubleshooting: 3, workloads: 1, architecture: 3, networking: 2 });
    expect(apportion(asDomains(CKAD), 20)).toEqual({ design: 4, deployment: 4, observability: 3, environment: 5, networking: 4 });
  });

  it('gives every domain at least one task, and stays within one task of each quota, for every count', () => {
    for (const weights of [CKA, CKAD]) {
      const domains = asDomains(weights);
      for (let count = 5; count <= 40; count++) {
        const seats = apportion(domains, count);
        expect(Object.values(seats).reduce((a, b) => a + b, 0)).toBe(count);
        for (const d of domains) {
          expect(seats[d.id]).toBeGreaterThanOrEqual(1);
          expect(Math.abs(seats[d.id] - (count * d.weight) / 100)).toBeLessThan(1);
        }
      }
    }
  });

  it('with fewer tasks than domains, gives them to the heaviest domains', () => {
    expect(apportion(asDomains(CKA), 3)).toEqual({ storage: 0, troubleshooting: 1, workloads: 0, architecture: 1, networking: 1 });
  });

  it('never gives a domain more tasks than it has, handing the rest to the others', () => {
    const seats = apportion(asDomains(CKA), 17, { storage: 1, troubleshooting: 3 });
    expect(seats.storage).toBe(1);
    expect(seats.troubleshooting).toBe(3);
    expect(seats.workloads + seats.architecture + seats.networking).toBe(13);
    expect(apportion(asDomains(CKA), 40, { storage: 1, troubleshooting: 1, workloads: 1, architecture: 1, networking: 1 })).toEqual({ storage: 1, troubleshooting: 1, workloads: 1, architecture: 1, networking: 1 });
  });
});

describe('buildExam', () => {
  const bank = fakeBank(CKA);

  it('draws 17 tasks by default, apportioned by the official weights, with the bank minutes', () => {
    const exam = buildExam(bank, { seed: 1 });
    expect(exam.track).toBe('cka');
    expect(exam.minutes).toBe(120);
    expect(exam.tasks).toHaveLength(17);
    expect(countBy(exam.tasks)).toEqual({ storage: 2, troubleshooting: 5, workloads: 3, architecture: 4, networking: 3 });
    expect(new Set(exam.tasks.map((t) => t.id)).size).toBe(17);
  });

  it('apportions for other counts too', () => {
    for (const count of [5, 10, 12, 20, 25]) {
      const exam = buildExam(bank, { seed: count, count });
      expect(countBy(exam.tasks)).toEqual(Object.fromEntries(Object.entries(apportion(bank.domains, count)).filter(([, n]) => n > 0)));
    }
  });

  it('is deterministic for a seed, and different seeds draw different exams', () => {
    const ids = (seed: number) => buildExam(bank, { seed }).tasks.map((t) => t.id);
    expect(ids(42)).toEqual(ids(42));
    expect(ids(7)).toEqual(ids(7));
    const drawn = new Set([1, 2, 3, 4, 5, 6].map((s) => ids(s).join(',')));
    expect(drawn.size).toBeGreaterThan(1);
  });

  it('takes every task once when more are asked for than the bank holds', () => {
    const small = fakeBank(CKA, 2);
    const exam = buildExam(small, { seed: 3, count: 40 });
    expect(exam.tasks.map((t) => t.id).sort()).toEqual(small.tasks.map((t) => t.id).sort());
  });
});

describe('scoreExam', () => {
  const bank: ExamBank = {
    track: 'ckad',
    title: 'Scoring drill',
    minutes: 120,
    passPercent: 66,
    domains: [
      { id: 'a', name: 'Domain A', weight: 60 },
      { id: 'b', name: 'Domain B', weight: 40 },
      { id: 'c', name: 'Domain C', weight: 0 },
    ],
    tasks: [task('a1', 'a', 2), task('a2', 'a', 3, 2), task('b1', 'b', 4)],
  };

  it('gives partial credit per check and weighs tasks inside a domain', () => {
    const report = scoreExam(bank, bank.tasks, [result('a1', true, false), result('a2', true, true, true), result('b1', false, false, false, false)], []);
    const a1 = report.tasks.find((t) => t.id === 'a1')!;
    expect(a1).toMatchObject({ score: 0.5, checksPassed: 1, checksTotal: 2, weight: 1 });
    expect(report.tasks.find((t) => t.id === 'a2')).toMatchObject({ score: 2, checksPassed: 3, checksTotal: 3, weight: 2 });
    const a = report.domains.find((d) => d.id === 'a')!;
    expect(a.percent).toBeCloseTo((100 * 2.5) / 3, 4);
    expect(a.tasks).toBe(2);
    expect(report.domains.find((d) => d.id === 'b')!.percent).toBe(0);
    // overall: 60% of 83.33 + 40% of 0
    expect(report.percent).toBeCloseTo(50, 4);
    expect(report.passed).toBe(false);
  });

  it('weighs domains by their official weights, not by how many tasks they had', () => {
    const report = scoreExam(bank, bank.tasks, [result('a1', false, false), result('a2', false, false, false), result('b1', true, true, true, true)], []);
    expect(report.domains.find((d) => d.id === 'a')!.percent).toBe(0);
    expect(report.domains.find((d) => d.id === 'b')!.percent).toBe(100);
    expect(report.percent).toBeCloseTo(40, 6);
  });

  it('leaves a domain the exam had no task in out of the overall mark', () => {
    const tasks = bank.tasks.filter((t) => t.domain === 'b');
    const report = scoreExam(bank, tasks, [result('b1', true, true, true, false)], []);
    expect(report.percent).toBe(75);
    expect(report.domains.find((d) => d.id === 'a')).toMatchObject({ tasks: 0, percent: 0 });
    expect(report.tasks).toHaveLength(1);
  });

  it('scores a task nothing when it has no results', () => {
    const report = scoreExam(bank, bank.tasks, [], []);
    expect(report.tasks.every((t) => t.score === 0 && t.checksPassed === 0)).toBe(true);
    expect(report.tasks.find((t) => t.id === 'b1')!.checksTotal).toBe(4);
    expect(report.percent).toBe(0);
  });

  it('passes at 66% and fails at 65.9%', () => {
    const one: ExamBank = { ...bank, domains: [{ id: 'a', name: 'A', weight: 100 }], tasks: [task('big', 'a', 1000)] };
    const graded = (n: number) => [{ taskId: 'big', checks: Array.from({ length: 1000 }, (_, i) => ({ passed: i < n })) }];
    const at66 = scoreExam(one, one.tasks, graded(660), []);
    expect(at66.percent).toBe(66);
    expect(at66.passed).toBe(true);
    const at659 = scoreExam(one, one.tasks, graded(659), []);
    expect(at659.percent).toBeCloseTo(65.9, 6);
    expect(at659.passed).toBe(false);
    expect(scoreExam(one, one.tasks, graded(1000), []).percent).toBe(100);
  });

  it('passes at exactly 66% reached through weighted domains', () => {
    // A at 60% weight scores 100, B at 40% scores 15: 60 + 6 = 66
    const two: ExamBank = { ...bank, domains: [{ id: 'a', name: 'A', weight: 60 }, { id: 'b', name: 'B', weight: 40 }], tasks: [task('a', 'a', 1), task('b', 'b', 20)] };
    const report = scoreExam(two, two.tasks, [result('a', true), result('b', true, true, true, ...Array(17).fill(false))], []);
    expect(report.percent).toBe(66);
    expect(report.passed).toBe(true);
  });

  it('carries the flags into the report, once each', () => {
    const report = scoreExam(bank, bank.tasks, [result('a1', true, true)], ['b1', 'a2', 'b1']);
    expect(report.flagged).toEqual(['b1', 'a2']);
    expect(report.tasks.filter((t) => t.flagged).map((t) => t.id).sort()).toEqual(['a2', 'b1']);
    expect(report).toMatchObject({ track: 'ckad', title: 'Scoring drill', passPercent: 66 });
  });
});

describe('renderReport', () => {
  const bank: ExamBank = {
    ...fakeBank({ troubleshooting: 50, storage: 50 }, 1),
    domains: [
      { id: 'troubleshooting', name: 'Troubleshooting', weight: 50 },
      { id: 'storage', name: 'Storage', weight: 50 },
    ],
  };
  bank.tasks[0].checks = Array.from({ length: 50 }, (_, i) => ({ exists: { kind: 'Pod', name: `p${i}` } }));

  it('shows a bar and a percent per domain, the verdict, the tasks and the flags', () => {
    const checks = Array.from({ length: 50 }, (_, i) => ({ passed: i < 31 }));
    const report = scoreExam(bank, bank.tasks, [{ taskId: 'troubleshooting-0', checks }, result('storage-0', true, true)], ['storage-0']);
    const text = renderReport(report);
    expect(text).toMatch(/Troubleshooting\s+██████░░░░\s+62%/);
    expect(text).toMatch(/Storage\s+██████████\s+100%/);
    expect(text).toContain('81.0%');
    expect(text).toContain('PASSED');
    expect(text).toContain('pass mark 66%');
    expect(text).toContain('(31/50 checks)');
    expect(text).toMatch(/Flagged: Task storage-0/);
  });

  it('lists every task with its checks in words, why each failed, and its model solution', () => {
    const worded = Array.from({ length: 50 }, (_, i) => ({ passed: i > 0, label: `Pod p${i} exists`, message: i > 0 ? '' : 'there is no Pod p0 in exam-t-troubleshooting-0' }));
    const report = scoreExam(bank, bank.tasks, [{ taskId: 'troubleshooting-0', checks: worded }, result('storage-0', false, false)], []);
    const text = renderReport(report);
    expect(text).toContain('~ 1. Task troubleshooting-0 (49/50 checks)');
    expect(text).toContain('✗ Pod p0 exists: there is no Pod p0 in exam-t-troubleshooting-0');
    expect(text).toContain('✓ Pod p1 exists');
    expect(text).toContain('✗ 2. Task storage-0 (0/2 checks)');
    expect(text).toContain('Model solution:');
    expect(text).toContain('kubectl create configmap troubleshooting-0-0 -n exam-t-troubleshooting-0');
    expect(text).not.toMatch(/\{\.|jsonpath/i);
  });

  it('keeps the checks and the solution in the report itself, with manifests as the command that applies them', () => {
    const withManifest: ExamTask = { ...task('m', 'storage'), solution: [{ apply: 'kind: ConfigMap\nmetadata: { name: m }\n' }] };
    const report = scoreExam(bank, [withManifest], [{ taskId: 'm', checks: [{ passed: true, label: 'ConfigMap m exists', message: '' }, { passed: false, label: 'ConfigMap m-1 exists', message: 'no such ConfigMap' }] }], []);
    expect(report.tasks[0].checks).toEqual([
      { label: 'ConfigMap m exists', passed: true, message: '' },
      { label: 'ConfigMap m-1 exists', passed: false, message: 'no such ConfigMap' },
    ]);
    expect(report.tasks[0].solution).toEqual(["kubectl apply -n exam-t-m -f - <<'EOF'\nkind: ConfigMap\nmetadata: { name: m }\nEOF"]);
  });

  it('prints the full names of long domains, never cut', () => {
    const long = 'Cluster Architecture, Installation and Configuration and Maintenance';
    const named: ExamBank = { ...bank, domains: [{ ...bank.domains[0], name: long }, bank.domains[1]] };
    expect(renderReport(scoreExam(named, named.tasks, [], []))).toContain(long);
  });

  it('renders a report kept before checks and solutions were recorded', () => {
    const report = scoreExam(bank, bank.tasks, [result('storage-0', true, true)], []);
    const old = { ...report, tasks: report.tasks.map(({ checks: _c, solution: _s, ...rest }) => rest) };
    const text = renderReport(old);
    expect(text).toContain('✓ 2. Task storage-0 (2/2 checks)');
    expect(text).not.toContain('Model solution');
  });

  it('says NOT PASSED below the mark and marks domains without tasks', () => {
    const report = scoreExam(bank, [bank.tasks[0]], [{ taskId: 'troubleshooting-0', checks: [{ passed: false }] }], []);
    const text = renderReport(report);
    expect(text).toContain('NOT PASSED');
    expect(text).toMatch(/Storage\s+░{10}\s+–\s+weight 50%, no task this time/);
    expect(text).not.toContain('Flagged');
  });
});

describe('untouchedTasks', () => {
  it('counts a task untouched while not one of its checks passes', () => {
    expect(untouchedTasks([result('a', false, false), result('b', false, true), result('c', true, true), result('d')])).toEqual(['a', 'd']);
  });
});

// ── The banks ────────────────────────────────────────────────────────────────────────────

const schema = JSON.parse(readFileSync(path.join(lessonsDir(), 'lesson.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validCheck = ajv.getSchema(`${schema.$id}#/$defs/check`)!;
const validSetup = ajv.getSchema(`${schema.$id}#/$defs/setupEntry`)!;
const validSolution = ajv.getSchema(`${schema.$id}#/$defs/solutionEntry`)!;
const CHECK_KINDS = ['exists', 'absent', 'field', 'count', 'pod', 'condition', 'event', 'endpoints', 'canI', 'exec'];
const CLUSTER_SCOPED = /^(PersistentVolume|StorageClass|ClusterRole|ClusterRoleBinding|PriorityClass|Node|IngressClass|CustomResourceDefinition|Namespace)$/;

for (const [track, official] of [['cka', CKA], ['ckad', CKAD]] as const) {
  describe(`the ${track} exam bank`, () => {
    const bank = loadExamBank(track);
    const raw = parse(readFileSync(path.join(lessonsDir(), 'exams', `${track}.yaml`), 'utf8')) as ExamBank;

    it('loads, with the official domains and weights, 120 minutes and the 66% mark', () => {
      expect(bank.track).toBe(track);
      expect(raw).toEqual(bank);
      expect(bank.minutes).toBe(120);
      expect(bank.passPercent).toBe(66);
      expect(Object.fromEntries(bank.domains.map((d) => [d.id, d.weight]))).toEqual(official);
      expect(bank.domains.reduce((s, d) => s + d.weight, 0)).toBe(100);
      expect(new Set(bank.domains.map((d) => d.name)).size).toBe(bank.domains.length);
    });

    it('has at least 24 tasks, unique ids, known domains, and at least 3 tasks per domain (more for heavier ones)', () => {
      expect(bank.tasks.length).toBeGreaterThanOrEqual(24);
      const ids = bank.tasks.map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const t of bank.tasks) {
        expect(t.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(Object.keys(official), t.id).toContain(t.domain);
        expect(t.title.trim().length, t.id).toBeGreaterThan(5);
      }
      const counts = countBy(bank.tasks);
      for (const d of bank.domains) expect(counts[d.id] ?? 0, d.id).toBeGreaterThanOrEqual(3);
      const heaviest = [...bank.domains].sort((a, b) => b.weight - a.weight)[0];
      const lightest = [...bank.domains].sort((a, b) => a.weight - b.weight)[0];
      expect(counts[heaviest.id]).toBeGreaterThan(counts[lightest.id]);
    });

    it('gives every task its own valid namespace, named in its text', () => {
      const seen = new Set<string>();
      for (const t of bank.tasks) {
        expect(t.namespace, t.id).toMatch(new RegExp(`^exam-${track}-[a-z0-9]([-a-z0-9]*[a-z0-9])?$`));
        expect(t.namespace.length, t.id).toBeLessThanOrEqual(63);
        expect(seen.has(t.namespace), `${t.namespace} is used twice`).toBe(false);
        seen.add(t.namespace);
        expect(t.text, t.id).toContain(t.namespace);
      }
    });

    it('grades each task by 2 to 5 checks of kinds the engine knows, valid against the lesson schema', () => {
      for (const t of bank.tasks) {
        expect(t.checks.length, t.id).toBeGreaterThanOrEqual(2);
        expect(t.checks.length, t.id).toBeLessThanOrEqual(5);
        for (const c of t.checks) {
          expect(CHECK_KINDS, t.id).toContain(checkKind(c));
          expect(validCheck(c), `${t.id}: ${JSON.stringify(c)} ${ajv.errorsText(validCheck.errors)}`).toBe(true);
        }
        const distinct = new Set(t.checks.map((c) => JSON.stringify(c)));
        expect(distinct.size, `${t.id} repeats a check`).toBe(t.checks.length);
      }
    });

    it('solves each task with kubectl lines and manifests that name its namespace', () => {
      for (const t of bank.tasks) {
        expect(t.solution.length, t.id).toBeGreaterThan(0);
        for (const s of t.solution) {
          expect(validSolution(s), `${t.id}: ${JSON.stringify(s)} ${ajv.errorsText(validSolution.errors)}`).toBe(true);
          if (typeof s === 'string') {
            expect(s, t.id).toMatch(/^kubectl /);
            const touchesNamespace = !/^kubectl (label|taint|cordon|uncordon|drain) node|^kubectl create (clusterrole|clusterrolebinding|priorityclass) |^kubectl (patch|label) pv /.test(s);
            if (touchesNamespace) expect(s, t.id).toContain(`-n ${t.namespace}`);
          } else {
            for (const doc of s.apply.split(/^---$/m).map((d) => parse(d)).filter(Boolean)) {
              if (!CLUSTER_SCOPED.test(doc.kind)) expect(doc.metadata?.namespace, `${t.id}: ${doc.kind} ${doc.metadata?.name}`).toBe(t.namespace);
            }
          }
        }
        for (const s of t.setup ?? []) expect(validSetup(s), `${t.id}: ${ajv.errorsText(validSetup.errors)}`).toBe(true);
      }
    });

    it('undoes in reset what a task changes outside its namespace', () => {
      for (const t of bank.tasks) {
        const manifests = [...t.solution, ...(t.setup ?? [])].flatMap((s) => (typeof s === 'object' && 'apply' in s ? s.apply.split(/^---$/m).map((d) => parse(d)).filter(Boolean) : []));
        for (const doc of manifests.filter((d) => CLUSTER_SCOPED.test(d.kind))) {
          expect(t.reset?.delete?.some((r) => r.kind === doc.kind && r.name === doc.metadata.name), `${t.id} leaves ${doc.kind} ${doc.metadata.name} behind`).toBe(true);
          expect(doc.metadata.name, `${t.id}: a cluster-scoped name should carry the track`).toMatch(new RegExp(`^exam-${track}-`));
        }
        for (const s of t.solution.filter((x): x is string => typeof x === 'string')) {
          const made = s.match(/^kubectl create (clusterrole|clusterrolebinding|priorityclass) (\S+)/);
          if (made) expect(t.reset?.delete?.some((r) => r.name === made[2]), `${t.id} leaves ${made[1]} ${made[2]} behind`).toBe(true);
          const label = s.match(/^kubectl label node (\S+) ([\w.-]+)=/);
          if (label) expect(t.reset?.run ?? [], t.id).toContain(`kubectl label node ${label[1]} ${label[2]}-`);
        }
      }
    });

    it('keeps node ports unique across both banks', () => {
      const ports = [...loadExamBank('cka').tasks, ...loadExamBank('ckad').tasks].flatMap((t) => [...new Set(JSON.stringify(t).match(/\bnodePort\W+(\d+)|node-port=(\d+)/g) ?? [])].map((m) => m.replace(/\D/g, '')));
      expect(ports.length).toBeGreaterThan(0);
      expect(new Set(ports).size).toBe(ports.length);
    });

    it('builds a drill of 17 distinct tasks apportioned by its domains', () => {
      const exam = buildExam(bank, { seed: 2024 });
      expect(exam.tasks).toHaveLength(17);
      expect(new Set(exam.tasks.map((t) => t.id)).size).toBe(17);
      expect(countBy(exam.tasks)).toEqual(apportion(bank.domains, 17));
    });
  });
}
