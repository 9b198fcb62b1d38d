// The `kubedojo` command.
import { parseArgs } from 'node:util';
import { serve } from './core/serve.js';
import { LearnerError, renderProblem } from './core/problems.js';

const HELP = `kubedojo: learn Kubernetes by doing, on a simulated cluster the real kubectl drives.

Usage:
  kubedojo [serve] [--port N] [--kubeconfig FILE] [--speed X]
      Start the simulated cluster's API server on 127.0.0.1 and write a kubeconfig for it.
  kubedojo help

Options for serve:
  --port N           listen on port N (default: any free port)
  --kubeconfig FILE  where to write the kubeconfig (default: in kubedojo's data dir)
  --speed X          run the cluster's clock X times faster than real time (default 1)
`;

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv[0]?.startsWith('-') ? ['serve', ...argv] : argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command !== 'serve') {
    throw new LearnerError(`unknown command "${command}"`, 'Run `kubedojo help` to see the commands.');
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { port: { type: 'string' }, kubeconfig: { type: 'string' }, speed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    throw new LearnerError((err as Error).message, 'Run `kubedojo help` for the options.');
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new LearnerError(`--port must be a port number from 0 to 65535, not "${values.port}"`);
  }
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  const serving = await serve({ port, kubeconfig: values.kubeconfig, speed });
  process.stdout.write(
    `kubedojo: the simulated cluster is up at ${serving.url}\n` +
      `To use it with kubectl in another shell, run:\n\n  export KUBECONFIG=${serving.kubeconfigPath}\n\n` +
      `then try: kubectl get nodes\nPress Ctrl-C to stop; the cluster is saved and comes back next time.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await serving.stop();
  process.stdout.write('kubedojo: stopped; the cluster is saved.\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${renderProblem(err)}\n`);
    process.exit(err instanceof LearnerError ? 1 : 70);
  },
);
