// What the listeners share: the Dojo (all the logic), and how a Slack user and team name a learner.
import { slackLearnerId, type Dojo } from '../../src/core/index.js';
import type { ExamTimers } from './exam-timers.js';

export interface Deps {
  dojo: Dojo;
  exams: ExamTimers;
  log: { error(...args: unknown[]): void; info(...args: unknown[]): void };
}

/** The learner id of a Slack user in a workspace. */
export function learnerKey(team: string | undefined, user: string): string {
  return slackLearnerId(team ?? 'T0', user);
}

/** The learner behind a button press or a modal submission (the team may sit on the user only). */
export function interactionLearner(body: { team?: { id?: string } | null; user: { id: string; team_id?: string } }): string {
  return learnerKey(body.team?.id ?? body.user.team_id, body.user.id);
}

/** Resolves after the event loop has polled for I/O once (pending requests are read first). */
export function afterIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
