// The App Home tab: the learner's progress and what to do next.
import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { learnerKey, type Deps } from '../deps.js';
import { context, section } from '../blocks.js';

export async function homeView(deps: Deps, learner: string): Promise<{ type: 'home'; blocks: KnownBlock[] }> {
  const tutor = await deps.dojo.tutor(learner);
  const s = tutor.summary();
  const o = tutor.session.overview();
  const next = o.lessons.find((l) => l.id === o.next);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'kubedojo' } },
    section(`*Lessons:* ${s.lessons.done} of ${s.lessons.total} done (${s.lessons.byLearner} on your own)\n*Quiz:* ${s.quiz.answered} answers, ${s.quiz.correct} right, ${s.quiz.due} due for review\n*Exams:* ${s.exams.map((e) => `${e.track.toUpperCase()} ${e.percent.toFixed(0)}%`).join(', ') || 'none yet'}`),
    section(next ? `*Next:* ${next.title} — ${next.summary}\n\`/kubedojo start ${next.id}\`` : '*Every lesson is done.* Try `/kubedojo exam cka`.'),
    context('`/kubedojo help` lists every command; `/kubectl …` runs kubectl on your own cluster.'),
  ];
  return { type: 'home', blocks };
}

export function register(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    try {
      await client.views.publish({ user_id: event.user, view: await homeView(deps, learnerKey((body as { team_id?: string }).team_id, event.user)) });
    } catch (err) {
      deps.log.error('publishing the home tab failed', err);
    }
  });
}
