// Every subcommand by name, each loaded only when it runs (or its help is asked for): the tutor
// loads Ink and React, serve and slack the simulated cluster, and `kubedojo lessons` needs none of
// that, so no command pays for another's modules.
import type { Command } from './command.js';
export { HELP } from './help.js';

const lessonCommand = (name: string) => async () => (await import('./lesson-commands.js')).lessonCommands[name];
const quizCommand = (name: string) => async () => (await import('./quiz-commands.js')).quizCommands[name];

const COMMANDS: Record<string, () => Promise<Command>> = {
  tutor: async () => {
    const { tutorCommand, TUTOR_HELP } = await import('./tutor-command.js');
    return { help: TUTOR_HELP, run: tutorCommand };
  },
  serve: async () => {
    const { serveCommand, SERVE_HELP } = await import('./serve-command.js');
    return { help: SERVE_HELP, run: serveCommand };
  },
  slack: async () => {
    const { slackCommand, SLACK_HELP } = await import('./slack-command.js');
    return { help: SLACK_HELP, run: slackCommand };
  },
  ...Object.fromEntries(['lessons', 'start', 'check', 'hint', 'solution', 'solve', 'reset'].map((name) => [name, lessonCommand(name)])),
  ...Object.fromEntries(['quiz', 'answer', 'progress'].map((name) => [name, quizCommand(name)])),
  exam: async () => (await import('./exam-command.js')).examCommand,
  scenario: async () => {
    const { scenarioCommand, SCENARIO_HELP } = await import('./scenario-command.js');
    return { help: SCENARIO_HELP, run: scenarioCommand };
  },
};

/** The command called `name`, loaded; undefined when there is none (a typed word, so not a key of Object). */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name]() : undefined;
}
