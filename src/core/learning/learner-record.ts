// The local user's learner record, for the CLI and the terminal tutor: the progress store's
// handle for `local:<os user>` in the data directory of `env` ($KUBEDOJO_HOME).
import { openProgress, localLearnerId } from '../progress/index.js';
import type { LearnerRecord } from './tutor.js';

export function openLearnerRecord(env: NodeJS.ProcessEnv = process.env): LearnerRecord {
  return openProgress({ env }).learner(localLearnerId());
}
