// Quiz buttons: a choice is graded at once; "type the answer" opens a modal (views/answer.ts);
// "next question" asks another, due ones first.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { LearnerError, renderProblem } from '../../../src/core/index.js';
import { problem, quizItem, verdict } from '../blocks.js';
import { interactionLearner, type Deps } from '../deps.js';
import { answerModal } from '../views/answer.js';

const NEXT = { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Next question' }, action_id: 'quiz_next', value: 'next' }] } as const;

export function register(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(/^quiz_choice:\d+$/, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const { item, choice } = JSON.parse(action.value ?? '{}') as { item: string; choice: string };
      const tutor = await deps.dojo.tutor(interactionLearner(body));
      const result = await tutor.answer(item, choice);
      const v = verdict(result.item, result.grade, choice);
      await respond({ ...v, blocks: [...(v.blocks ?? []), NEXT as never] });
    } catch (err) {
      if (!(err instanceof LearnerError)) deps.log.error('quiz choice failed', err);
      await respond(problem(renderProblem(err)));
    }
  });

  app.action<BlockAction<ButtonAction>>('quiz_open_answer', async ({ ack, body, action, client }) => {
    await ack();
    const { item } = JSON.parse(action.value ?? '{}') as { item: string };
    const tutor = await deps.dojo.tutor(interactionLearner(body));
    const found = tutor.items().find((i) => i.id === item);
    if (!found) return;
    await client.views.open({ trigger_id: body.trigger_id, view: answerModal(found, { channel: body.channel?.id ?? body.user.id }) });
  });

  app.action<BlockAction<ButtonAction>>('quiz_next', async ({ ack, body, respond }) => {
    await ack();
    try {
      const tutor = await deps.dojo.tutor(interactionLearner(body));
      const [item] = tutor.quiz({ count: 1 });
      await respond({ text: item.question, blocks: quizItem(item, 1, 1), response_type: 'ephemeral', replace_original: false });
    } catch (err) {
      await respond(problem(renderProblem(err)));
    }
  });
}
