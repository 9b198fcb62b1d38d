// The scenarios of a folder as the doors list them: each with its progress key, its steps, and
// why it cannot be played here, if it cannot.
import path from 'node:path';
import { findScenarios, type Scenario } from './format.js';
import { unplayableReasons } from './feasibility.js';

export interface ScenarioEntry {
  /** The collection's path and the scenario's folder: the key of its progress. */
  key: string;
  /** As the collection names it (its folder). */
  id: string;
  title: string;
  steps: number;
  scenario?: Scenario;
  /** Why it cannot be played on the simulated cluster; empty when it can. */
  unplayable: string[];
  /** Why its folder could not be read. */
  error?: string;
}

/** The scenarios in `root`: one scenario's folder, or a collection of them. */
export function scenarioEntries(root: string): ScenarioEntry[] {
  const base = path.resolve(root);
  return findScenarios(root).map((f) => {
    const key = path.resolve(f.dir) === base ? base : path.join(base, f.id);
    if ('error' in f) return { key, id: f.id, title: f.id, steps: 0, unplayable: [], error: f.error };
    return { key, id: f.id, title: f.scenario.title, steps: f.scenario.steps.length, scenario: f.scenario, unplayable: unplayableReasons(f.scenario) };
  });
}

/** Whether the entry can be started: read, and nothing in it needs a real machine. */
export const playable = (e: ScenarioEntry): e is ScenarioEntry & { scenario: Scenario } => e.scenario !== undefined && !e.error && e.unplayable.length === 0;
