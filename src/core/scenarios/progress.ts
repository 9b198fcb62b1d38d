// The local learner's scenario progress, in the same per-learner file as their lessons.
import { localLearnerId, openProgress } from '../progress/index.js';
import type { ScenarioProgress } from './play.js';

export interface ScenarioRecords extends ScenarioProgress {
  agreeToScenario(id: string, hash: string): void;
}

/** `report` hears of damage found in the file (the tutor's own record reports it too). */
export function openScenarioProgress(env: NodeJS.ProcessEnv = process.env, report: (message: string) => void = () => undefined): ScenarioRecords {
  return openProgress({ env, report }).learner(localLearnerId());
}
