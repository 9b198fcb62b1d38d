// The Slack bot: a Bolt app over the Dojo. HTTP mode listens on a port for Slack's signed
// requests (Bolt's receiver verifies the signature and refuses stale timestamps, requests.ts
// those from the future and replays); Socket Mode is used when an app token is given.
// SLACK_API_URL points the Web API client elsewhere.
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { dataDir, Dojo, type DojoLimits, GuardedRunner, LearnerError, type Lesson, loadLessons, openProgress, parseLearnerId, type SandboxLimits, WorkerSandboxes } from '../../src/core/index.js';
import { ExamTimers } from './exam-timers.js';
import { registerListeners } from './register.js';
import { dropReplays, refuseFutureRequests, SeenRequests } from './requests.js';
import type { Deps } from './deps.js';

export interface SlackBotOptions {
  signingSecret?: string;
  botToken?: string;
  appToken?: string;
  apiUrl?: string;
  env?: NodeJS.ProcessEnv;
  limits?: Partial<DojoLimits>;
  sandboxLimits?: SandboxLimits;
  logLevel?: LogLevel;
  /** Log errors only. */
  quiet?: boolean;
  /** The lessons (default: lessons/). */
  lessons?: Lesson[];
  /** Where the bot says that kubectl runs without a jail (default: standard error). */
  warn?: (text: string) => void;
}

export interface SlackBot {
  app: App;
  /** Why kubectl runs without a jail here, if it does. */
  jailless?: string;
  dojo: Dojo;
  sandboxes: WorkerSandboxes;
  exams: ExamTimers;
  /** HTTP mode: listens on the port (0 for any) and returns it. Socket Mode: connects. */
  start(port?: number): Promise<number | undefined>;
  stop(): Promise<void>;
}

export async function createSlackBot(opts: SlackBotOptions): Promise<SlackBot> {
  const env = opts.env ?? process.env;
  if (!opts.botToken) throw new LearnerError('SLACK_BOT_TOKEN is not set', 'Set it to the bot token (xoxb-…) from your app\'s OAuth & Permissions page; the README walks through creating the app.');
  if (!opts.appToken && !opts.signingSecret) throw new LearnerError('SLACK_SIGNING_SECRET is not set', 'Set it to the signing secret from your app\'s Basic Information page, or set SLACK_APP_TOKEN (xapp-…) to use Socket Mode.');
  const lessons = opts.lessons ?? loadLessons();
  // Given the lessons, the store catches a record that points past a lesson's steps.
  const progress = openProgress({ env, lessons });
  // The sandboxes run in a worker thread: this one only answers Slack, so acks stay quick.
  const sandboxes = await WorkerSandboxes.start({ env: { ...env }, limits: opts.sandboxLimits });
  // Every kubectl a learner triggers runs through this one runner: the policy, then the jail.
  const { runner, jailless } = GuardedRunner.create({ env, jail: env.KUBEDOJO_JAIL !== 'off', slots: opts.limits?.concurrent, timeoutMs: opts.limits?.kubectlTimeoutMs });
  if (jailless) {
    (opts.warn ?? ((t: string) => process.stderr.write(t)))(
      `\n*** WARNING: kubectl runs WITHOUT A JAIL: ${jailless}.\n*** Learners' commands are still read by the policy, but a jail is the second wall between them and this machine.\n*** Install bubblewrap and a C compiler (Debian: apt-get install bubblewrap gcc libc6-dev), rebuild (npm run build) and restart.\n\n`,
    );
  }
  const dojo = new Dojo({ runner, sandboxes, learners: (id) => progress.learner(id), learnerIds: () => progress.learnerIds(), state: progress, limits: opts.limits, env, lessons });
  const clientOptions = opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/` } : undefined;
  const logLevel = opts.logLevel ?? (opts.quiet ? LogLevel.ERROR : LogLevel.INFO);
  const receiver = opts.appToken
    ? new SocketModeReceiver({ appToken: opts.appToken, logLevel, installerOptions: { clientOptions } })
    : new HTTPReceiver({ signingSecret: opts.signingSecret!, endpoints: '/slack/events', processBeforeResponse: false, logLevel });
  const app = new App({ token: opts.botToken, receiver, clientOptions, logLevel, tokenVerificationEnabled: false });
  if (receiver instanceof HTTPReceiver) refuseFutureRequests(receiver, app.logger);
  const log = { error: (...a: unknown[]) => app.logger.error(...a), info: (...a: unknown[]) => app.logger.info(...a) };
  const exams = new ExamTimers(dojo, app.client, log);
  const deps: Deps = { dojo, exams, log };
  app.use(dropReplays(new SeenRequests(path.join(dataDir(env), 'slack-requests.json'))));
  registerListeners(app, deps);

  // Exams in progress when the bot last stopped get their clocks back.
  for (const id of progress.learnerIds()) {
    const exam = progress.learner(id).currentExam();
    const learner = parseLearnerId(id);
    if (exam && learner?.door === 'slack') await exams.arm(id, learner.user, exam.deadline, false);
  }

  return {
    app,
    jailless,
    dojo,
    sandboxes,
    exams,
    async start(port = 3000) {
      const started = (await app.start(port)) as Server | undefined;
      const address = started && typeof started.address === 'function' ? (started.address() as AddressInfo | null) : null;
      return address?.port;
    },
    async stop() {
      exams.stop();
      await app.stop().catch(() => undefined);
      await sandboxes.close();
    },
  };
}
