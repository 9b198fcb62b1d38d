// How a command's end reaches the shell: its exit code, or its error in words. Exit codes: 0
// success, 1 checks not passed (or a learner's error), 2 a mistake in how the command was
// called, 70 a bug of ours.
import { LearnerError, renderProblem } from '../core/index.js';
import { UsageError } from './args.js';

export function finish(run: Promise<number>): Promise<never> {
  return run.then(
    // Exit at once: the API client's keep-alive sockets would otherwise hold the process a while.
    (code) => process.exit(code),
    (err: unknown) => {
      const json = process.argv.includes('--json');
      if (json && err instanceof LearnerError) process.stdout.write(`${JSON.stringify({ error: err.message, next: err.nextStep ?? null })}\n`);
      else process.stderr.write(`${renderProblem(err)}\n`);
      process.exit(err instanceof UsageError ? 2 : err instanceof LearnerError ? 1 : 70);
    },
  );
}
