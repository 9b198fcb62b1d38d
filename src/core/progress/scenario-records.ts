// A learner's progress in Killercoda scenarios: pure updates of the record, as records.ts does for
// lessons. A scenario's id is its collection's path and its folder, so two clones of one
// collection keep apart. The steps passed survive a restart; the scripts' consent is kept with
// the hash of the scripts agreed to.
import { own, setOwn } from '../own.js';
import type { LearnerData, ScenarioRecord } from './types.js';

export type { ScenarioRecord };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The scenario records as read from a file: what cannot be used is left out and said. */
export function normaliseScenarios(raw: unknown, problems: string[]): Record<string, ScenarioRecord> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, ScenarioRecord> = {};
  if (!isObject(raw)) {
    problems.push('the scenarios are not a list of scenarios, so none could be used');
    return out;
  }
  for (const [id, r] of Object.entries(raw)) {
    if (!isObject(r)) {
      problems.push(`the record of scenario ${id} is not one, and was left out (play it again)`);
      continue;
    }
    const passed = Array.isArray(r.passed) ? r.passed.filter((n): n is number => Number.isInteger(n) && (n as number) >= 0) : [];
    const rec: ScenarioRecord = { passed: [...new Set(passed)].sort((a, b) => a - b) };
    if (typeof r.agreed === 'string' && /^[0-9a-f]{64}$/.test(r.agreed)) rec.agreed = r.agreed;
    if (typeof r.startedAt === 'string') rec.startedAt = r.startedAt;
    if (typeof r.finishedAt === 'string') rec.finishedAt = r.finishedAt;
    setOwn(out, id, rec);
  }
  return out;
}

export function scenarioRecord(d: LearnerData, id: string): ScenarioRecord | undefined {
  return own<ScenarioRecord>(d.scenarios, id);
}

function withScenario(d: LearnerData, id: string, fn: (r: ScenarioRecord) => ScenarioRecord): LearnerData {
  const scenarios: Record<string, ScenarioRecord> = { ...d.scenarios };
  setOwn(scenarios, id, fn(scenarioRecord(d, id) ?? { passed: [] }));
  return { ...d, scenarios };
}

/** The learner said yes to the scripts whose hash this is. */
export function agreeToScenario(d: LearnerData, id: string, hash: string): LearnerData {
  return withScenario(d, id, (r) => ({ ...r, agreed: hash }));
}

/** The scenario is being played; the steps passed before are kept. */
export function startScenario(d: LearnerData, id: string, at: Date): LearnerData {
  return withScenario(d, id, (r) => ({ ...r, startedAt: r.startedAt ?? at.toISOString() }));
}

/** Step `index` of `steps` passed; with every step passed, the scenario is finished. */
export function passScenarioStep(d: LearnerData, id: string, index: number, steps: number, at: Date): LearnerData {
  return withScenario(d, id, (r) => {
    const passed = r.passed.includes(index) ? r.passed : [...r.passed, index].sort((a, b) => a - b);
    const finished = Array.from({ length: steps }, (_, i) => i).every((i) => passed.includes(i));
    return { ...r, passed, ...(finished && !r.finishedAt ? { finishedAt: at.toISOString() } : {}) };
  });
}

/** Where a scenario stands: the first step not passed (or `steps` when all are) and whether it is finished. */
export function scenarioPosition(r: ScenarioRecord | undefined, steps: number): { stepIndex: number; finished: boolean } {
  const passed = r?.passed ?? [];
  for (let i = 0; i < steps; i++) if (!passed.includes(i)) return { stepIndex: i, finished: false };
  return { stepIndex: steps, finished: true };
}
