// The modal for typed answers (short answers, kubectl commands, manifests), and its submission.
import type { App, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { type Item, LearnerError, renderProblem } from '../../../src/core/index.js';
import { context, problem, verdict, type Message } from '../blocks.js';
import { mrkdwn } from '../mrkdwn.js';
import { interactionLearner, type Deps } from '../deps.js';
import { readAnswer } from '../text.js';

export function answerModal(item: Item, meta: { channel: string }): ModalView {
  return {
    type: 'modal',
    callback_id: 'quiz_answer',
    private_metadata: JSON.stringify({ item: item.id, channel: meta.channel }),
    title: { type: 'plain_text', text: 'Your answer' },
    submit: { type: 'plain_text', text: 'Answer' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(item.question).slice(0, 2900) } },
      {
        type: 'input',
        block_id: 'answer',
        label: { type: 'plain_text', text: item.kind === 'command' ? 'One kubectl command' : item.kind === 'manifest' ? 'The manifest (YAML)' : 'Answer' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: item.kind === 'manifest', max_length: 3000 },
      },
    ],
  };
}

export function register(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>('quiz_answer', async ({ ack, body, view, client }) => {
    await ack();
    const { item, channel } = JSON.parse(view.private_metadata || '{}') as { item: string; channel: string };
    const user = body.user.id;
    // An ephemeral message to the channel the question was asked in, else a direct message.
    const post = (reply: Message) => client.chat.postEphemeral({ channel, user, text: reply.text, blocks: reply.blocks }).catch(() => client.chat.postMessage({ channel: user, text: reply.text, blocks: reply.blocks }));
    let reply: Message;
    let note: string | undefined;
    try {
      const tutor = await deps.dojo.tutor(interactionLearner(body));
      const found = tutor.items().find((i) => i.id === item);
      const kind = found?.kind === 'command' || found?.kind === 'manifest' ? found.kind : 'text';
      const given = readAnswer(view.state.values.answer?.value?.value ?? '', kind);
      note = given.note;
      // A command or a manifest is tried on a scratch cluster, which takes seconds.
      if (kind !== 'text') await post({ text: 'Trying your answer on a scratch cluster…', blocks: [context(`:hourglass_flowing_sand: Trying your ${kind} on a scratch cluster…`)] });
      const result = await tutor.answer(item, given.text);
      reply = verdict(result.item, result.grade, given.text, note);
    } catch (err) {
      if (!(err instanceof LearnerError)) deps.log.error('quiz answer failed', err);
      reply = problem(renderProblem(err), note);
    }
    await post(reply);
  });
}
