// A learner's id, the key their record is kept under: `local:<os user>` for the terminal doors and
// `slack:<team>:<user>` for the Slack bot. Built and read here only, so the doors, the leaderboard
// and the records cannot drift apart on its format.

const LEARNER_ID = /^(?:local:(\S+)|slack:([^:\s]+):([^:\s]+))$/;

export type ParsedLearnerId = { door: 'local'; user: string } | { door: 'slack'; team: string; user: string };

export function localLearnerId(user: string): string {
  return `local:${user}`;
}

export function slackLearnerId(team: string, user: string): string {
  return `slack:${team}:${user}`;
}

/** What an id says, or undefined when it is not a learner id. */
export function parseLearnerId(id: string): ParsedLearnerId | undefined {
  const m = LEARNER_ID.exec(id);
  if (!m) return undefined;
  return m[1] !== undefined ? { door: 'local', user: m[1] } : { door: 'slack', team: m[2], user: m[3] };
}

export function isLearnerId(id: string): boolean {
  return LEARNER_ID.test(id);
}
