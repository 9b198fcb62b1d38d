// Every subcommand: its help, its flags, and how it renders the engine's answer as text or JSON.
import { serveCommand, SERVE_HELP } from './serve-command.js';
import { lessonCommands } from './lesson-commands.js';
import { quizCommands } from './quiz-commands.js';
import { examCommand } from './exam-command.js';
import { tutorCommand, TUTOR_HELP } from './tutor-command.js';
import { slackCommand, SLACK_HELP } from './slack-command.js';
import { scenarioCommand, SCENARIO_HELP } from './scenario-command.js';
import type { Command } from './command.js';
export { HELP } from './help.js';

export const COMMANDS: Record<string, Command> = {
  tutor: { help: TUTOR_HELP, run: tutorCommand },
  serve: { help: SERVE_HELP, run: serveCommand },
  slack: { help: SLACK_HELP, run: slackCommand },
  ...lessonCommands,
  ...quizCommands,
  exam: examCommand,
  scenario: { help: SCENARIO_HELP, run: scenarioCommand },
};
