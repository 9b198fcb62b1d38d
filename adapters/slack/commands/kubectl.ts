// /kubectl ARGS: the learner's command, run by the real kubectl on their own cluster (or their
// channel's, in a team exercise). Ack at once; the output follows through response_url.
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { findLesson, LearnerError, renderProblem } from '../../../src/core/index.js';
import { filesNote, kubectlReply, problem } from '../blocks.js';
import { afterIo, learnerKey, type Deps } from '../deps.js';
import { readCommand } from '../text.js';

export function kubectlListener(deps: Deps) {
  return async ({ command, ack, respond }: Pick<SlackCommandMiddlewareArgs & AllMiddlewareArgs, 'command' | 'ack' | 'respond'>): Promise<void> => {
    await ack();
    // Let other requests waiting to be read get their acks before this one's work starts.
    await afterIo();
    // Slack's escapes and links read back, and what a phone or Mac changed put right, before the words are split.
    const { text, note } = readCommand(command.text);
    if (!text) {
      await respond(problem('Give a kubectl command, e.g. `/kubectl get pods`. `/kubedojo help` says more.'));
      return;
    }
    try {
      const reply = await deps.dojo.kubectl(learnerKey(command.team_id, command.user_id), command.channel_id, text);
      const shown = kubectlReply(`kubectl ${text.split('\n')[0].replace(/^kubectl\s+/, '')}`, reply, reply.where === 'team' ? command.user_id : undefined, note);
      // The step this command led to may name one of the lesson's files.
      const next = reply.step?.next && filesNote(findLesson(reply.step.lesson, deps.dojo.lessons), reply.step.next);
      await respond(next?.length ? { ...shown, blocks: [...(shown.blocks ?? []), ...next] } : shown);
    } catch (err) {
      if (!(err instanceof LearnerError)) deps.log.error('/kubectl failed', err);
      await respond(problem(renderProblem(err), note));
    }
  };
}

export function register(app: App, deps: Deps): void {
  app.command('/kubectl', kubectlListener(deps));
}
