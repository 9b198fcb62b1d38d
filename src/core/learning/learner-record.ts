// The local user's learner record, for the CLI and the terminal tutor: the progress store's
// handle for `local:<os user>` in the data directory of `env` ($KUBEDOJO_HOME). The lessons are
// given so that a record pointing past a lesson's steps is caught as damage.
import { openProgress, localLearnerId } from '../progress/index.js';
import { loadLessons } from '../lessons/loader.js';
import type { LearnerRecord } from './tutor.js';

/** `report` hears of damaged progress found (and kept aside); by default it goes to stderr. */
export function openLearnerRecord(env: NodeJS.ProcessEnv = process.env, report?: (message: string) => void): LearnerRecord {
  return openProgress({ env, lessons: loadLessons(), report }).learner(localLearnerId());
}
