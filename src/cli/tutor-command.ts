// `kubedojo` with no command (or `kubedojo tutor`): the full-screen terminal tutor.
import { serveInWorker } from '../core/index.js';
import { parse, speedOption } from './args.js';

export const TUTOR_HELP = `Usage: kubedojo [tutor] [--kubeconfig FILE] [--context NAME] [--speed X]

Open the full-screen tutor: the lesson, a real shell with kubectl pointed at your cluster, and a
live view of the lesson's namespace. Without --kubeconfig it runs the simulated cluster itself.

Options:
  --kubeconfig FILE  use your own cluster (kind, minikube, a cloud cluster) instead
  --context NAME     a context of that kubeconfig
  --speed X          run the simulated cluster's clock X times faster (default 1)

Keys: F1 help, F10 quit; the rest are listed under F1.
`;

export async function tutorCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { speed: { type: 'string' } }, { min: 0, max: 0, usage: 'kubedojo [--kubeconfig FILE] [--context NAME] [--speed X]' });
  if (values.help) {
    process.stdout.write(TUTOR_HELP);
    return 0;
  }
  const speed = speedOption(values.speed);
  // The simulated cluster starts on its own thread first, and comes up while the tutor loads.
  const cluster = values.kubeconfig || !process.stdin.isTTY || !process.stdout.isTTY ? undefined : serveInWorker({ speed });
  cluster?.catch(() => undefined);
  // Loaded only here: scripts running other commands never pay for React and node-pty.
  let runTutor: typeof import('../tui/main.js').runTutor;
  try {
    ({ runTutor } = await importInteractively(() => import('../tui/main.js')));
  } catch (err) {
    await (await cluster?.catch(() => undefined))?.stop();
    throw err;
  }
  return runTutor({ kubeconfig: values.kubeconfig, context: values.context, speed, cluster });
}

/**
 * Ink decides once, when it is first imported, whether it runs under CI: there it draws nothing
 * until it exits. A learner whose shell happens to export CI=1 is still at a terminal, so the
 * variables are hidden while Ink loads and put back at once (the sandbox shell inherits them).
 * Fetch is hidden too: Yoga, Ink's layout engine, fetches its WebAssembly (a data: URL in the
 * bundle) whenever fetch exists, and Node's first fetch loads a whole HTTP client to decode what
 * Yoga decodes itself without it.
 */
export async function importInteractively<T>(load: () => Promise<T>): Promise<T> {
  const hidden: Record<string, string> = {};
  for (const key of process.stdout.isTTY ? ['CI', 'CONTINUOUS_INTEGRATION'] : []) {
    if (process.env[key] !== undefined) {
      hidden[key] = process.env[key]!;
      delete process.env[key];
    }
  }
  const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetch?.configurable) Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.assign(process.env, hidden);
    if (fetch?.configurable) Object.defineProperty(globalThis, 'fetch', fetch);
  }
}
