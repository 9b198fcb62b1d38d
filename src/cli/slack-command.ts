// `kubedojo slack`: the Slack bot, in HTTP mode on --port or in Socket Mode with SLACK_APP_TOKEN.
import { parse, portOption } from './args.js';
import { untilStopped } from './signals.js';

export const SLACK_HELP = `Usage: kubedojo slack [--port N]

Run the Slack bot. Every learner gets a sandbox cluster of their own; a channel gets a shared one
for a team exercise. Clusters and progress are kept in kubedojo's data dir and survive a restart.

Environment:
  SLACK_BOT_TOKEN       the bot token (xoxb-…), required
  SLACK_SIGNING_SECRET  the signing secret, required in HTTP mode
  SLACK_APP_TOKEN       an app-level token (xapp-…): use Socket Mode instead of HTTP
  SLACK_API_URL         another base URL for Slack's Web API (a proxy, or a test stand-in)
  KUBEDOJO_JAIL=off     run learners' kubectl without the bubblewrap jail (not advised; said loudly)

Options:
  --port N   where Slack's requests arrive in HTTP mode, at /slack/events (default 3000)

adapters/slack/manifest.yml creates the app in one step (see the README).
`;

export async function slackCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' } }, { min: 0, max: 0, usage: 'kubedojo slack [--port N]' });
  if (values.help) {
    process.stdout.write(SLACK_HELP);
    return 0;
  }
  const port = portOption(values.port) ?? 3000;
  const { createSlackBot } = await import('../../adapters/slack/app.js');
  const env = process.env;
  const bot = await createSlackBot({ signingSecret: env.SLACK_SIGNING_SECRET, botToken: env.SLACK_BOT_TOKEN, appToken: env.SLACK_APP_TOKEN, apiUrl: env.SLACK_API_URL, env });
  process.stdout.write(bot.jailless ? `kubedojo: learners' kubectl runs WITHOUT a jail (${bot.jailless}).\n` : 'kubedojo: learners\' kubectl runs in a jail (bubblewrap): no host files, programs, secrets or network but their cluster.\n');
  const listening = await bot.start(port);
  process.stdout.write(env.SLACK_APP_TOKEN ? 'kubedojo: the Slack bot is connected (Socket Mode).\n' : `kubedojo: the Slack bot listens on http://0.0.0.0:${listening ?? port}/slack/events\n`);
  await untilStopped();
  await bot.stop();
  process.stdout.write('kubedojo: the Slack bot stopped; clusters and progress are saved.\n');
  return 0;
}
