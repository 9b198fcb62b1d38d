// The Slack bot: a Bolt app over the Dojo. HTTP mode listens on a port for Slack's signed
// requests (Bolt's receiver verifies the signature and refuses stale timestamps); Socket Mode is
// used when an app token is given. SLACK_API_URL points the Web API client elsewhere.
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dojo, type DojoLimits } from '../../src/core/dojo.js';
import { WorkerSandboxes } from '../../src/core/worker-sandboxes.js';
import { openProgress } from '../../src/core/progress/index.js';
import { LearnerError } from '../../src/core/problems.js';
import type { SandboxLimits } from '../../src/core/cluster/admission/sandbox-limits.js';
import { ExamTimers } from './exam-timers.js';
import { registerListeners } from './register.js';
import type { Deps } from './deps.js';
import type { Lesson } from '../../src/core/lessons/types.js';
import { loadLessons } from '../../src/core/lessons/loader.js';

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
}

export interface SlackBot {
  app: App;
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
  const dojo = new Dojo({ sandboxes, learners: (id) => progress.learner(id), learnerIds: () => progress.learnerIds(), state: progress, limits: opts.limits, env, lessons });
  const clientOptions = opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/` } : undefined;
  const logLevel = opts.logLevel ?? (opts.quiet ? LogLevel.ERROR : LogLevel.INFO);
  const receiver = opts.appToken
    ? new SocketModeReceiver({ appToken: opts.appToken, logLevel, installerOptions: { clientOptions } })
    : new HTTPReceiver({ signingSecret: opts.signingSecret!, endpoints: '/slack/events', processBeforeResponse: false, logLevel });
  const app = new App({ token: opts.botToken, receiver, clientOptions, logLevel, tokenVerificationEnabled: false });
  const log = { error: (...a: unknown[]) => app.logger.error(...a), info: (...a: unknown[]) => app.logger.info(...a) };
  const exams = new ExamTimers(dojo, app.client, log);
  const deps: Deps = { dojo, exams, log };
  app.use(dropReplays());
  registerListeners(app, deps);

  // Exams in progress when the bot last stopped get their clocks back.
  for (const id of progress.learnerIds()) {
    const exam = progress.learner(id).currentExam();
    if (exam && id.startsWith('slack:')) await exams.arm(id, id.split(':')[2], exam.deadline, false);
  }

  return {
    app,
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

/**
 * A request Slack sent once is acted on once: a replay of a signed request inside Bolt's five
 * minutes (same trigger or event id) is acknowledged and dropped.
 */
function dropReplays() {
  const seen = new Map<string, number>();
  return async ({ body, ack, next }: { body: unknown; ack?: () => Promise<void>; next: () => Promise<void> }) => {
    const b = body as { trigger_id?: string; event_id?: string; type?: string; view?: { id?: string; hash?: string } };
    const id = b.event_id ?? b.trigger_id;
    const now = Date.now();
    if (seen.size > 10_000) for (const [k, at] of seen) if (now - at > 10 * 60_000) seen.delete(k);
    if (id) {
      if (seen.has(id)) {
        await ack?.();
        return;
      }
      seen.set(id, now);
    }
    await next();
  };
}
