// Starts `bin/kubedojo slack` as an admin would, from a data dir of its own, against the loopback
// stand-in for Slack; in HTTP mode it is then driven by signed requests, in Socket Mode through a
// WebSocket standing in for Slack's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './serve.js';
import { FakeSlack, post, sign, slashBody } from './slack.js';

export const SIGNING_SECRET = 'e2e-signing-secret';
export const BOT_TOKEN = 'xoxb-e2e-bot-token';

export interface BotProcess {
  child: ChildProcess;
  home: string;
  /** The bot's own temporary folder (its TMPDIR), where its API server keeps kubeconfigs. */
  tmp: string;
  /** HTTP mode: where Slack's requests go. */
  url?: string;
  output(): string;
  /** HTTP mode: sends a signed slash command, which must be acked; returns its response_url's id. */
  send(cmd: '/kubectl' | '/kubedojo', text: string, opts?: { user?: string; channel?: string }): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startBot(slack: FakeSlack, opts: { home?: string; socketMode?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<BotProcess> {
  const home = opts.home ?? mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bot-e2e-'));
  const tmp = path.join(home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    KUBEDOJO_HOME: home,
    HOME: home,
    TMPDIR: tmp,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    ...(opts.socketMode ? { SLACK_APP_TOKEN: 'xapp-e2e-app-token' } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...(process.env.KUBEDOJO_KUBECTL ? { KUBEDOJO_KUBECTL: process.env.KUBEDOJO_KUBECTL } : {}),
    ...opts.env,
  };
  const child = spawn(process.execPath, [BIN, 'slack', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string | undefined>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubedojo slack did not start:\n${out}`)), 30_000);
    const check = () => {
      const http = /listens on http:\/\/0\.0\.0\.0:(\d+)(\/slack\/events)/.exec(out);
      if (http || /connected \(Socket Mode\)/.test(out)) {
        clearTimeout(timer);
        resolve(http ? `http://127.0.0.1:${http[1]}${http[2]}` : undefined);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubedojo slack exited (${code}) instead of serving:\n${out}`));
    });
  });
  const bot: BotProcess = {
    child,
    home,
    tmp,
    url,
    output: () => out,
    async send(cmd, text, o = {}) {
      const { id, ack } = await command(bot, slack, cmd, text, { user_id: o.user ?? 'U1', channel_id: o.channel ?? 'D1' });
      if (ack.status !== 200) throw new Error(`the bot answered ${ack.status}: ${ack.body}`);
      return id;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return bot;
}

let serial = 0;

/** Sends a signed slash command to a bot in HTTP mode; resolves to the ack and the answer's id. */
export async function command(bot: BotProcess, slack: FakeSlack, cmd: '/kubectl' | '/kubedojo', text: string, fields: { user_id?: string; channel_id?: string } = {}) {
  const id = `r${process.pid}-${++serial}`;
  const body = slashBody({ command: cmd, text, response_url: slack.responseUrl(id), trigger_id: `trig-${id}`, ...fields });
  const ack = await post(bot.url!, body, sign(SIGNING_SECRET, body));
  return { id, ack };
}

/** The text of everything the bot answered on a response_url (blocks included). */
export async function answerOf(slack: FakeSlack, id: string, timeoutMs = 30_000): Promise<string> {
  const r = await slack.waitFor(`/respond/${id}`, () => true, timeoutMs);
  return JSON.stringify(r.body);
}
