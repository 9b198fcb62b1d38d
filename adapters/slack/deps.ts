// What the listeners share: the Dojo (all the logic), and how a Slack user and team name a learner.
import type { Dojo } from '../../src/core/dojo.js';
import type { ExamTimers } from './exam-timers.js';

export interface Deps {
  dojo: Dojo;
  exams: ExamTimers;
  log: { error(...args: unknown[]): void; info(...args: unknown[]): void };
}

/** The learner id of a Slack user in a workspace. */
export function learnerKey(team: string | undefined, user: string): string {
  return `slack:${team ?? 'T0'}:${user}`;
}

/** Resolves after the event loop has polled for I/O once (pending requests are read first). */
export function afterIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
