// The prototype-safe JSON helpers live in src/core/own.ts, outside the simulator: the learner
// engine walks learners' objects too, and it may not import the simulator. This re-export keeps
// the simulator's own imports of them as they were.
export * from '../own.js';
