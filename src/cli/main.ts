// The `kubedojo` command: the simulated cluster's server, and the tutor's commands for scripts
// (every one takes --json). Exit codes: 0 success, 1 checks not passed (or a learner's error),
// 2 a mistake in how the command was called, 70 a bug of ours.
import { LearnerError, renderProblem } from '../core/index.js';
import { UsageError } from './args.js';
import { HELP, loadCommand } from './commands.js';

async function main(argv: string[]): Promise<number> {
  // No command (or only options) opens the tutor.
  const [command = 'tutor', ...rest] = argv[0]?.startsWith('-') && argv[0] !== '-h' && argv[0] !== '--help' ? ['tutor', ...argv] : argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    const topic = rest[0] ? await loadCommand(rest[0]) : undefined;
    process.stdout.write(topic ? topic.help : HELP);
    return 0;
  }
  const cmd = await loadCommand(command);
  if (!cmd) throw new UsageError(`unknown command "${command}"`);
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  // Exit at once: the API client's keep-alive sockets would otherwise hold the process a while.
  (code) => process.exit(code),
  (err) => {
    const json = process.argv.includes('--json');
    if (json && err instanceof LearnerError) process.stdout.write(`${JSON.stringify({ error: err.message, next: err.nextStep ?? null })}\n`);
    else process.stderr.write(`${renderProblem(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : err instanceof LearnerError ? 1 : 70);
  },
);
