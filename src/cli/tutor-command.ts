// `kubedojo` with no command (or `kubedojo tutor`): the full-screen terminal tutor.
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
  // Loaded only here: scripts running other commands never pay for React and node-pty.
  const { runTutor } = await importInteractively(() => import('../tui/main.js'));
  return runTutor({ kubeconfig: values.kubeconfig, context: values.context, speed });
}

/**
 * Ink decides once, when it is first imported, whether it runs under CI: there it draws nothing
 * until it exits. A learner whose shell happens to export CI=1 is still at a terminal, so the
 * variables are hidden while Ink loads and put back at once (the sandbox shell inherits them).
 */
async function importInteractively<T>(load: () => Promise<T>): Promise<T> {
  if (!process.stdout.isTTY) return load();
  const hidden: Record<string, string> = {};
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
    if (process.env[key] !== undefined) {
      hidden[key] = process.env[key]!;
      delete process.env[key];
    }
  }
  try {
    return await load();
  } finally {
    Object.assign(process.env, hidden);
  }
}
