// The `kubedojo` entry. Asked only for its help, it prints it without loading the rest: the
// tutor, the cluster and the lessons take the better part of a second to load, and help needs none
// of them; `serve` loads the cluster alone. Everything else is src/cli/main.ts.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')) {
  const { HELP } = await import('./cli/help.js');
  process.stdout.write(HELP);
} else if (argv[0] === 'serve') {
  // The server alone: the bundle then loads the cluster and its API server, not the tutor's and
  // lessons' code every other command may need (half of what there is to load).
  const [{ serveCommand }, { finish }] = await Promise.all([import('./cli/serve-command.js'), import('./cli/outcome.js')]);
  await finish(serveCommand(argv.slice(1)));
} else {
  await import('./cli/main.js');
}
