// The `kubedojo` command: the simulated cluster's server, and the tutor's commands for scripts
// (every one takes --json). Exit codes are outcome.ts's.
import { UsageError } from './args.js';
import { HELP, loadCommand } from './commands.js';
import { finish } from './outcome.js';

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

await finish(main(process.argv.slice(2)));
