// Starts `bin/kubedojo slack` as an admin would, in HTTP mode on a free port, with its Web API and
// response_url calls going to a FakeSlack on loopback; and sends it signed slash commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './serve.js';
import { kubectlEnv } from './kubectl.js';
import { post, sign, slashBody, type FakeSlack } from './slack.js';

export const SIGNING_SECRET = 'process-signing-secret';

export interface SlackProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Sends a signed slash command; returns the id of its response_url. */
  command(cmd: string, text: string, opts?: { user?: string; channel?: string }): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

let sent = 0;

export async function startSlackProcess(home: string, slack: FakeSlack): Promise<SlackProcess> {
  const child = spawn(process.execPath, [BIN, 'slack', '--port', '0'], {
    env: { ...kubectlEnv(), KUBEDOJO_HOME: home, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubedojo slack did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /listens on http:\/\/0\.0\.0\.0:(\d+)(\/slack\/events)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}${m[2]}`);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`kubedojo slack exited early:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    async command(cmd, text, opts = {}) {
      const id = `p${process.pid}-${++sent}`;
      const body = slashBody({ command: cmd, text, user_id: opts.user ?? 'U1', channel_id: opts.channel ?? 'D1', response_url: slack.responseUrl(id), trigger_id: `trig-${id}` });
      const res = await post(url, body, sign(SIGNING_SECRET, body));
      if (res.status !== 200) throw new Error(`the bot answered ${res.status}: ${res.body}`);
      return id;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
