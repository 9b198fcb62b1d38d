// The `kubedojo` entry. Asked only for its help, it prints it without loading the rest: the
// tutor, the cluster and the lessons take the better part of a second to load, and help needs none
// of them. Everything else is src/cli/main.ts.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')) {
  const { HELP } = await import('./cli/help.js');
  process.stdout.write(HELP);
} else {
  await import('./cli/main.js');
}
