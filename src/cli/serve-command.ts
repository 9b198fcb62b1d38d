// `kubedojo serve`: the simulated cluster's API server, until Ctrl-C.
import { isClusterShape, LearnerError, serveInWorker } from '../core/index.js';
import { parse, portOption, speedOption } from './args.js';
import { untilStopped } from './signals.js';

export const SERVE_HELP = `Usage: kubedojo serve [--port N] [--kubeconfig FILE] [--speed X] [--shape kind|killercoda]

Start the simulated cluster's API server on 127.0.0.1 and write a kubeconfig for it.

Options:
  --port N           listen on port N (default: any free port)
  --kubeconfig FILE  where to write the kubeconfig (default: in kubedojo's data dir)
  --speed X          run the cluster's clock X times faster than real time (default 1)
  --shape S          kind (default): three nodes as kind makes them; killercoda: the two nodes
                     controlplane and node01 with the local-path StorageClass, as Killercoda's
                     scenarios expect. Each shape keeps its own saved cluster and kubeconfig.
`;

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' }, speed: { type: 'string' }, shape: { type: 'string' } }, { min: 0, max: 0, usage: 'kubedojo serve [--port N] [--kubeconfig FILE] [--speed X] [--shape kind|killercoda]' });
  if (values.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  const shape = values.shape ?? 'kind';
  if (!isClusterShape(shape)) throw new LearnerError(`--shape must be kind or killercoda, not "${shape}"`, 'Leave --shape out for the lessons\' cluster, or use --shape killercoda for Killercoda scenarios.');
  // On a thread of its own, as the tutor's: the thread is made with the young generation a big
  // cluster needs (CLUSTER_THREAD_LIMITS), which a process's main thread cannot be given once started.
  const serving = await serveInWorker({ port: portOption(values.port), kubeconfig: values.kubeconfig, speed: speedOption(values.speed), shape });
  for (const notice of serving.notices) process.stderr.write(`kubedojo: ${notice}\n`);
  // Listening before saying it is up: a stop sent the moment the message is read still stops cleanly.
  const stopped = untilStopped();
  process.stdout.write(
    `kubedojo: the simulated cluster is up at ${serving.url}\n` +
      `To use it with kubectl in another shell, run:\n\n  export KUBECONFIG=${serving.kubeconfigPath}\n\n` +
      `then try: kubectl get nodes\nPress Ctrl-C to stop; every change is saved as it is made and comes back next time.\n`,
  );
  await stopped;
  await serving.stop();
  process.stdout.write('kubedojo: stopped; the cluster is saved.\n');
  return 0;
}

