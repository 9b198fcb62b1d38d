// Two kinds of error, rendered by one top-level handler in every door (CLI, TUI, Slack):
// a learner's (what went wrong and what to try next) and ours (a bug, with what to report).

export class LearnerError extends Error {
  constructor(
    message: string,
    readonly nextStep?: string,
  ) {
    super(message);
    this.name = 'LearnerError';
  }
}

export class BugError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'BugError';
  }
}

/** The text a person reads for any error. */
export function renderProblem(err: unknown): string {
  if (err instanceof LearnerError) return err.nextStep ? `Error: ${err.message}\n${err.nextStep}` : `Error: ${err.message}`;
  const e = err instanceof Error ? err : new Error(String(err));
  return [
    `kubedojo hit a bug: ${e.message}`,
    'This is not something you did. Please report it with the lines below.',
    e.stack ?? '',
  ].join('\n');
}
