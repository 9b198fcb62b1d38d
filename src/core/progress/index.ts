// The learner progress store (see store.ts): what the doors use.
export { openProgress, localLearnerId, slackLearnerId, LearnerHandle, PROGRESS_DIR, SINGLE_FILE, type OpenOptions, type ProgressStore } from './store.js';
export * from './types.js';
export { scenarioPosition } from './scenario-records.js';
