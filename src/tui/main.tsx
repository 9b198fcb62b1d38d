// `kubedojo` with no command: the full-screen tutor. It takes the alternate screen and gives it
// back on every way out (quit, a signal, a crash), so the terminal is never left broken.
import { render } from 'ink';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ClusterHost, dataDir, defaultKubeconfig, KubeClient, LearnerError, NamespaceView, openLearnerRecord, renderProblem, serveInWorker, type ServingElsewhere, Tutor } from '../core/index.js';
import { scenarioEdges } from './scenario-edges.js';
import { ShellSession } from './pty/shell-session.js';
import { App } from './components/App.js';
import { openingLesson } from './components/use-tutor.js';
import { ThemeContext, themeFor } from './components/theme.js';
import { layout, MIN_COLS, MIN_ROWS } from './layout.js';

export interface TutorOptions {
  kubeconfig?: string;
  context?: string;
  /** How much faster than real time the simulated cluster runs. */
  speed?: number;
  env?: NodeJS.ProcessEnv;
  /** The simulated cluster, already starting (the command starts it before loading the tutor). */
  cluster?: Promise<ServingElsewhere>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Killercoda scenarios to play: a scenario's folder or a collection of them. */
  scenarios?: string;
}

const ENTER = '\u001b[?1049h\u001b[H';
// Leave the alternate screen, show the cursor, reset attributes and mouse/paste modes.
const LEAVE = '\u001b[?1000l\u001b[?1002l\u001b[?1006l\u001b[?2004l\u001b[0m\u001b[?25h\u001b[?1049l';

export async function runTutor(opts: TutorOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) {
    await (await opts.cluster?.catch(() => undefined))?.stop();
    throw new LearnerError('the tutor needs a terminal, and this is not one', 'Run `kubedojo` in a terminal, or use the commands for scripts: `kubedojo help`.');
  }
  // The cluster: the learner's own when they name one, otherwise the simulated one, on a thread of
  // its own. It comes up while this thread reads the lessons and the shell starts.
  const starting = opts.kubeconfig ? undefined : (opts.cluster ?? serveInWorker({ env, speed: opts.speed }));
  // Unclaimed until awaited below: a failed start must not count as an unhandled rejection first.
  starting?.catch(() => undefined);

  // What went wrong with the saved cluster or progress: shown when the tutor opens, and again after it closes.
  const notices: string[] = [];
  const sandbox = path.join(dataDir(env), 'sandbox');
  let serving: ServingElsewhere | undefined;
  let shell: ShellSession | undefined;
  let client: KubeClient;
  let tutor: Tutor;
  let host: Promise<ClusterHost> | undefined;
  let shellKubeconfig = path.resolve(defaultKubeconfig(env));
  const size = () => ({ cols: Math.max(stdout.columns || MIN_COLS, 20), rows: Math.max(stdout.rows || MIN_ROWS, 8) });
  let { cols, rows } = size();
  try {
    mkdirSync(sandbox, { recursive: true });
    const learner = openLearnerRecord(env, (m) => notices.push(`kubedojo: ${m}`));
    const box = layout(cols, rows);
    const startShell = (kubeconfig: string) =>
      new ShellSession({
        cwd: sandbox,
        cols: box.shellCols,
        rows: box.shellRows,
        frameMs: 8,
        env: { KUBECONFIG: kubeconfig, KUBEDOJO_SANDBOX: '1' },
      }).start();
    // The simulated cluster's kubeconfig is known before it is written: the shell starts now, and
    // its first kubectl comes after the tutor shows, when the cluster is up.
    // Playing scenarios, the shell reads a file of the tutor's own, pointed at each scenario's cluster.
    if (starting && !opts.scenarios) shell = startShell(path.resolve(defaultKubeconfig(env)));
    // The kubeconfig is YAML, and its parser loads on first use: it loads here, while this thread
    // waits for the cluster, rather than after, when the frame waits for the kubeconfig.
    if (starting) createRequire(import.meta.url)('yaml');
    serving = await starting;
    for (const n of serving?.notices ?? []) notices.push(`kubedojo: ${n}`);
    const kubeconfig = serving?.kubeconfigPath ?? opts.kubeconfig!;
    client = new KubeClient({ kubeconfig, context: opts.context });
    // A cluster of the learner's own is asked first, so one that cannot be reached is said before
    // the screen is taken. The simulated one is up: what it serves is read while the first frame
    // is drawn (the grading that needs it waits for the same answer).
    if (serving) client.apiResources().catch(() => undefined);
    else await client.apiResources();
    tutor = new Tutor({
      target: { client, kubeconfig, context: opts.context },
      learner,
      host: () => (host ??= ClusterHost.start()),
      filesDir: sandbox,
      env,
    });
    if (!shell) {
      // With --context, the shell's kubectl gets a kubeconfig whose current context is that one.
      shellKubeconfig = kubeconfig;
      if (opts.context || opts.scenarios) {
        shellKubeconfig = path.join(sandbox, '.kubeconfig');
        writeFileSync(shellKubeconfig, client.kc.exportConfig(), { mode: 0o600 });
      }
      shell = startShell(shellKubeconfig);
    }
  } catch (err) {
    shell?.dispose();
    await (await starting?.catch(() => undefined))?.stop();
    throw err;
  }
  const term = shell!;
  // The cluster pane's first read starts now, while the first frame is laid out, instead of after
  // it is drawn: the namespace of the lesson the tutor opens on is known before it draws.
  const openingNamespace = opts.scenarios ? undefined : openingLesson(tutor)?.lesson.namespaces[0];
  let early = openingNamespace ? new NamespaceView(client, openingNamespace).start() : undefined;
  // The simulated cluster answers at once: its first read is waited for (a moment at most), and
  // comes back before the first frame is laid out, which holds this thread for a while and any
  // answer arriving meanwhile with it.
  if (early && serving) await Promise.race([once(early, 'change'), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  const viewFor = (ns: string) => {
    const kept = early;
    early = undefined;
    if (kept?.namespace === ns) return kept;
    kept?.stop();
    return new NamespaceView(client, ns).start();
  };
  const scenarios = opts.scenarios ? scenarioEdges({ root: opts.scenarios, env, home: sandbox, host: () => (host ??= ClusterHost.start()), shellKubeconfig, tutorKubeconfig: () => client.kc.exportConfig(), report: (m) => notices.push(`kubedojo: ${m}`) }) : undefined;

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      stdout.write(LEAVE);
      if (stdin.isTTY) stdin.setRawMode(false);
    } catch {
      // The terminal may be gone already.
    }
  };
  stdout.write(ENTER);
  process.once('exit', restore);

  let quit!: () => void;
  const done = new Promise<void>((resolve) => (quit = resolve));
  const onSignal = () => quit();
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(sig, onSignal);
  const onCrash = (err: unknown) => {
    restore();
    process.stderr.write(`${renderProblem(err)}\n`);
    process.exit(70);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  const theme = themeFor(env);
  const tree = () => (
    <ThemeContext.Provider value={theme}>
      <App tutor={tutor} shell={term} viewFor={viewFor} scenarios={scenarios} cols={cols} rows={rows} onQuit={quit} sandboxDir={sandbox} readFile={(p) => readFileSync(path.resolve(sandbox, p), 'utf8')} notice={notices.join('\n\n') || undefined} />
    </ThemeContext.Provider>
  );
  const ink = render(tree(), { stdin, stdout, exitOnCtrlC: false, patchConsole: true, maxFps: 60 });
  const onResize = () => {
    ({ cols, rows } = size());
    ink.rerender(tree());
  };
  stdout.on('resize', onResize);

  try {
    await done;
  } finally {
    stdout.off('resize', onResize);
    ink.unmount();
    early?.stop();
    term.dispose();
    restore();
    for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(sig, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    if (host) await (await host).close();
    if (serving) await serving.stop();
  }
  for (const n of notices) process.stderr.write(`${n}\n`);
  process.stdout.write('kubedojo: see you next time. Your progress and the cluster are saved.\n');
  return 0;
}
