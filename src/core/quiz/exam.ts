// Exam drills, the pure part: choosing a drill's tasks so its domains weigh what the official
// exam's do, scoring the graded checks with partial credit, and the report by domain.
import type { ExamBank, ExamTask, Track } from './types.js';
import { solutionCommand } from '../lessons/workspace.js';

export interface BuiltExam {
  track: Track;
  minutes: number;
  tasks: ExamTask[];
}

/** One check as graded: what it asks in words, and why it failed (empty when it passed). */
export interface GradedCheck {
  label: string;
  passed: boolean;
  message: string;
}

/** One task's graded checks, in the order of the task's checks. */
export interface TaskResult {
  taskId: string;
  checks: { passed: boolean; label?: string; message?: string }[];
}

export interface TaskScore {
  id: string;
  domain: string;
  title: string;
  /** The task's weight inside its domain. */
  weight: number;
  /** weight × passed checks / all checks. */
  score: number;
  checksPassed: number;
  checksTotal: number;
  flagged: boolean;
  /** Each check in words, as graded. Reports kept before checks were recorded lack it. */
  checks?: GradedCheck[];
  /** The model solution, as commands a learner would type. Absent from older reports. */
  solution?: string[];
}

export interface DomainScore {
  id: string;
  name: string;
  /** The official weight, in percent of the exam. */
  weight: number;
  /** How many of the exam's tasks were in this domain. */
  tasks: number;
  score: number;
  max: number;
  /** score / max, in percent (0 when the exam had no task of this domain). */
  percent: number;
}

export interface ExamReport {
  track: Track;
  title: string;
  passPercent: number;
  /** Domain percents weighted by the official weights (of the domains the exam had tasks in). */
  percent: number;
  passed: boolean;
  domains: DomainScore[];
  tasks: TaskScore[];
  /** Ids of the tasks the learner flagged to come back to. */
  flagged: string[];
}

/** A small seeded generator (mulberry32): the same seed, the same exam. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * How many tasks each domain gets out of `count`: largest-remainder apportionment of the official
 * weights, at least one per domain (while count allows), never more than a domain has (`capacity`).
 */
export function apportion(domains: { id: string; weight: number }[], count: number, capacity: Record<string, number> = {}): Record<string, number> {
  const cap = (id: string) => capacity[id] ?? Infinity;
  const live = domains.filter((d) => cap(d.id) > 0);
  const total = live.reduce((s, d) => s + d.weight, 0);
  const seats: Record<string, number> = Object.fromEntries(domains.map((d) => [d.id, 0]));
  const room = live.reduce((s, d) => s + cap(d.id), 0);
  const n = Math.max(0, Math.min(count, room));
  if (!live.length || n === 0 || total <= 0) return seats;
  const quota = Object.fromEntries(live.map((d) => [d.id, (n * d.weight) / total]));
  // Heavier domains first wherever a tie has to be broken, then the bank's order.
  const order = [...live].sort((a, b) => b.weight - a.weight);
  for (const d of live) seats[d.id] = Math.min(cap(d.id), Math.floor(quota[d.id]));
  if (n >= live.length) for (const d of live) seats[d.id] = Math.max(1, seats[d.id]);
  const used = () => live.reduce((s, d) => s + seats[d.id], 0);
  const remainder = (id: string) => quota[id] - seats[id];
  while (used() < n) {
    const next = order.filter((d) => seats[d.id] < cap(d.id)).sort((a, b) => remainder(b.id) - remainder(a.id))[0];
    seats[next.id]++;
  }
  while (used() > n) {
    const floor = n >= live.length ? 1 : 0;
    const next = [...order].reverse().filter((d) => seats[d.id] > floor).sort((a, b) => remainder(a.id) - remainder(b.id))[0];
    seats[next.id]--;
  }
  return seats;
}

/** Chooses a drill's tasks: domains apportioned by their official weights, tasks drawn by the seed. */
export function buildExam(bank: ExamBank, opts: { count?: number; seed: number }): BuiltExam {
  const count = opts.count ?? 17;
  const rand = seededRandom(opts.seed);
  const byDomain = new Map(bank.domains.map((d) => [d.id, bank.tasks.filter((t) => t.domain === d.id)]));
  const capacity = Object.fromEntries([...byDomain].map(([id, tasks]) => [id, tasks.length]));
  const seats = apportion(bank.domains, count, capacity);
  const chosen: ExamTask[] = [];
  for (const d of bank.domains) chosen.push(...shuffle(byDomain.get(d.id) ?? [], rand).slice(0, seats[d.id]));
  return { track: bank.track, minutes: bank.minutes, tasks: shuffle(chosen, rand) };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Scores graded tasks: partial credit per check, domain percents, and the overall mark by official weights. */
export function scoreExam(bank: ExamBank, tasks: ExamTask[], results: TaskResult[], flagged: string[]): ExamReport {
  const flags = [...new Set(flagged)];
  const scores: TaskScore[] = tasks.map((task) => {
    const checks = results.find((r) => r.taskId === task.id)?.checks ?? [];
    const total = checks.length || task.checks.length;
    const passed = checks.filter((c) => c.passed).length;
    const weight = task.weight ?? 1;
    const worded = checks.map((c, i): GradedCheck => ({ label: c.label ?? `check ${i + 1}`, passed: c.passed, message: c.passed ? '' : (c.message ?? '') }));
    const solution = task.solution.map((entry) => solutionCommand(entry, task.namespace));
    return { id: task.id, domain: task.domain, title: task.title, weight, score: total ? (weight * passed) / total : 0, checksPassed: passed, checksTotal: total, flagged: flags.includes(task.id), checks: worded, solution };
  });
  const domains: DomainScore[] = bank.domains.map((d) => {
    const mine = scores.filter((s) => s.domain === d.id);
    const score = mine.reduce((s, t) => s + t.score, 0);
    const max = mine.reduce((s, t) => s + t.weight, 0);
    return { id: d.id, name: d.name, weight: d.weight, tasks: mine.length, score: round(score), max, percent: max ? round((100 * score) / max) : 0 };
  });
  const present = domains.filter((d) => d.max > 0);
  const weights = present.reduce((s, d) => s + d.weight, 0);
  const percent = weights ? round(present.reduce((s, d) => s + d.weight * d.percent, 0) / weights) : 0;
  return { track: bank.track, title: bank.title, passPercent: bank.passPercent, percent, passed: percent >= bank.passPercent, domains, tasks: scores, flagged: flags };
}

function bar(percent: number, width = 10): string {
  const full = Math.max(0, Math.min(width, Math.round((percent / 100) * width)));
  return '█'.repeat(full) + '░'.repeat(width - full);
}

const pct = (x: number) => `${Math.round(x)}%`.padStart(4);

/** The report as plain text: the verdict, a bar per domain, then each task's checks. */
export function renderReport(report: ExamReport): string {
  const lines: string[] = [];
  lines.push(`${report.title}: ${report.percent.toFixed(1)}% · ${report.passed ? 'PASSED' : 'NOT PASSED'} (pass mark ${report.passPercent}%)`);
  lines.push('');
  const pad = Math.max(...report.domains.map((d) => d.name.length), 6) + 2;
  for (const d of report.domains) {
    const tail = d.tasks ? `  weight ${d.weight}%, ${d.tasks} task${d.tasks === 1 ? '' : 's'}` : `  weight ${d.weight}%, no task this time`;
    lines.push(`${d.name.padEnd(pad)}${bar(d.percent)} ${d.tasks ? pct(d.percent) : '   –'}${tail}`);
  }
  if (report.tasks.length) {
    lines.push('', 'Tasks:');
    report.tasks.forEach((t, i) => {
      lines.push('', `${taskMark(t)} ${i + 1}. ${t.title} (${t.checksPassed}/${t.checksTotal} checks)${t.flagged ? ' ⚑ flagged' : ''}`);
      lines.push(`     ${report.domains.find((d) => d.id === t.domain)?.name ?? t.domain}`);
      for (const c of t.checks ?? []) lines.push(`     ${c.passed ? '✓' : '✗'} ${c.label}${c.passed || !c.message ? '' : `: ${c.message}`}`);
      if (t.solution?.length) {
        lines.push('     Model solution:');
        for (const command of t.solution) lines.push(...command.split('\n').map((l) => `       ${l}`));
      }
    });
  }
  const flagged = flaggedTitles(report);
  if (flagged.length) lines.push('', `Flagged: ${flagged.join('; ')}`);
  return lines.join('\n');
}

/** ✓ every check passed, ~ some, ✗ none. */
export function taskMark(t: Pick<TaskScore, 'checksPassed' | 'checksTotal'>): '✓' | '~' | '✗' {
  return t.checksTotal && t.checksPassed === t.checksTotal ? '✓' : t.checksPassed ? '~' : '✗';
}

/** The flagged tasks by title, in the order they were flagged. */
export function flaggedTitles(report: Pick<ExamReport, 'flagged' | 'tasks'>): string[] {
  return report.flagged.map((id) => report.tasks.find((t) => t.id === id)?.title ?? id);
}

/**
 * The tasks not started yet, as far as grading can tell: not one of their checks passes. (A task
 * whose only passing checks are ones that hold before any work, an absent object say, counts as
 * started; the count errs toward saying less is untouched, never more.)
 */
export function untouchedTasks(results: TaskResult[]): string[] {
  return results.filter((r) => !r.checks.some((c) => c.passed)).map((r) => r.taskId);
}
