// /kubedojo SUBCOMMAND: lessons, checks, hints, quizzes, exam drills, progress, leaderboards and
// team exercises. Each answer comes from the Dojo; this file only words it for Slack.
import type { AllMiddlewareArgs, App, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { findLesson, LearnerError, type Lesson, renderProblem, splitWords } from '../../../src/core/index.js';
import { code, codeBlocks, context, filesNote, mention, message, noted, problem, quizItem, section, tasksText, typed, type Message } from '../blocks.js';
import { afterIo, learnerKey, type Deps } from '../deps.js';
import { mrkdwn } from '../mrkdwn.js';
import { escapeText, readCommand } from '../text.js';

export const HELP = [
  '*kubedojo* — learn Kubernetes by doing, on a cluster of your own.',
  '`/kubectl ARGS` runs kubectl on your cluster (a team exercise\'s cluster in its channel).',
  '`/kubedojo lessons` · `start LESSON` · `check` · `hint` · `solution` · `reset`',
  '`/kubedojo files` lists the lesson\'s files · `file NAME` shows one (`/kubectl apply -f NAME` applies it).',
  '`/kubedojo quiz [TOPIC]` · `exam cka|ckad` · `exam status|flag N|submit` · `progress` · `leaderboard`',
  '`/kubedojo team start LESSON` · `team status` · `team end` — a shared cluster for this channel.',
].join('\n');

interface Ctx {
  deps: Deps;
  learner: string;
  team: string | undefined;
  user: string;
  channel: string;
  respond: RespondFn;
  /** Says at once what is happening, before work that takes seconds; the answer follows. */
  working(what: string): Promise<void>;
}

export function kubedojoListener(deps: Deps) {
  return async ({ command, ack, respond }: Pick<SlackCommandMiddlewareArgs & AllMiddlewareArgs, 'command' | 'ack' | 'respond'>): Promise<void> => {
    await ack();
    // Let other requests waiting to be read get their acks before this one's work starts.
    await afterIo();
    const working = async (what: string) => void (await respond({ text: what, blocks: [context(`:hourglass_flowing_sand: ${what}`)], response_type: 'ephemeral' }));
    const ctx: Ctx = { deps, learner: learnerKey(command.team_id, command.user_id), team: command.team_id, user: command.user_id, channel: command.channel_id, respond, working };
    // Slack's escapes and links read back, and what a phone or Mac changed put right, before the words are split.
    const { text, note } = readCommand(command.text);
    try {
      const reply = await answer(splitWords(text), ctx);
      await respond(note ? { ...reply, blocks: [...(reply.blocks ?? []), ...noted(note)] } : reply);
    } catch (err) {
      if (!(err instanceof LearnerError)) deps.log.error('/kubedojo failed', err);
      await respond(problem(renderProblem(err), note));
    }
  };
}

export function register(app: App, deps: Deps): void {
  app.command('/kubedojo', kubedojoListener(deps));
}

async function answer([sub = 'help', ...args]: string[], ctx: Ctx): Promise<Message> {
  const { dojo } = ctx.deps;
  switch (sub) {
    case 'help':
      return message(HELP);
    case 'lessons': {
      const tutor = await dojo.tutor(ctx.learner);
      const o = tutor.session.overview();
      const lines = o.lessons.map((l) => `${l.status === 'done' ? ':white_check_mark:' : l.status === 'started' ? ':arrow_forward:' : ':white_circle:'} \`${l.id}\` ${l.title} · ${l.stepsDone}/${l.steps} steps · ${l.minutes} min`);
      return message(`*Lessons* (${o.lessons.filter((l) => l.status === 'done').length} of ${o.lessons.length} done)${o.next ? ` — next: \`/kubedojo start ${o.next}\`` : ''}\n${lines.join('\n')}`.slice(0, 2990));
    }
    case 'start': {
      if (!args[0]) throw new LearnerError('which lesson?', 'Say `/kubedojo start LESSON`; `/kubedojo lessons` lists them.');
      const wanted = findLesson(args[0], dojo.lessons);
      const tutor = await dojo.tutor(ctx.learner);
      // Set-up objects take seconds to apply, and a lesson started before is torn down first.
      if (wanted.setup?.length || tutor.learner.lesson(wanted.id)) await ctx.working(`Setting up *${wanted.title}* in your cluster…`);
      const { lesson, step } = await tutor.session.start(wanted.id);
      return message(`*${lesson.title}* (namespace \`${lesson.namespaces[0]}\`)\n*Step 1 of ${lesson.steps.length}: ${step.title}*\n${mrkdwn(step.explanation.trim())}`, [section(`*Your task*\n${step.tasks.map((t) => `• ${mrkdwn(t.text.trim())}`).join('\n')}`), ...filesNote(lesson, step), context('Use `/kubectl …`; a command that passes the step says so. `/kubedojo hint` helps.')]);
    }
    case 'check': {
      const tutor = await dojo.tutor(ctx.learner);
      const o = await tutor.session.check();
      const head = o.passed ? `:white_check_mark: *Step ${o.stepNumber} of ${o.steps} passed: ${o.step.title}*` : `*Step ${o.stepNumber} of ${o.steps}: ${o.step.title}* — not yet`;
      const next = o.lessonDone ? '\n:tada: Lesson done!' : o.next ? `\n*Next: ${o.next.title}*\n${mrkdwn(o.next.explanation.trim())}\n${o.next.tasks.map((t) => `• ${mrkdwn(t.text.trim())}`).join('\n')}` : '';
      const shown = o.lessonDone ? undefined : o.passed ? o.next : o.step;
      return message(`${head}\n${tasksText(o.tasks)}${o.passed ? `\n${mrkdwn(o.outcome ?? '')}` : ''}${next}`, shown ? filesNote(findLesson(o.lesson, dojo.lessons), shown) : []);
    }
    case 'hint': {
      const h = await (await dojo.tutor(ctx.learner)).session.hint();
      return message(`*Hint ${h.number} of ${h.of}:* ${mrkdwn(h.hint.trim())}`);
    }
    case 'solution': {
      const s = (await dojo.tutor(ctx.learner)).session.solution();
      return message(`*Solution to "${s.step.title}"* (recorded)`, [section(code(s.commands.join('\n')))]);
    }
    case 'reset': {
      const tutor = await dojo.tutor(ctx.learner);
      // The lesson's namespaces are deleted and waited for before it is set up again.
      await ctx.working(`Setting *${tutor.session.current().lesson.title}* up afresh in your cluster…`);
      const { lesson } = await tutor.session.reset();
      return message(`Lesson \`${lesson.id}\` is set up afresh, back at step 1.`);
    }
    case 'quiz': {
      const tutor = await dojo.tutor(ctx.learner);
      const [item] = tutor.quiz({ topic: args[0], count: 1 });
      return { text: item.question, blocks: quizItem(item, 1, 1), response_type: 'ephemeral' };
    }
    case 'exam':
      return exam(args, ctx);
    case 'progress': {
      const s = (await dojo.tutor(ctx.learner)).summary();
      return message(
        `*Your progress*\nLessons: ${s.lessons.done} of ${s.lessons.total} done (${s.lessons.byLearner} on your own), ${s.lessons.started} started\nQuiz: ${s.quiz.answered} answers, ${s.quiz.correct} right, ${s.quiz.due} due for review\nExams: ${s.exams.map((e) => `${e.track.toUpperCase()} ${e.percent.toFixed(0)}%${e.passed ? ' ✓' : ''}`).join(', ') || 'none yet'}`,
      );
    }
    case 'leaderboard': {
      if (dojo.activeTeam(ctx.channel)) {
        const { board } = dojo.teamStatus(ctx.channel);
        return message(`*Team leaderboard*\n${board.map((r, i) => `${i + 1}. ${mention(r.learner)} — ${r.checks} checks, ${r.commands} commands`).join('\n') || 'Nobody has run a command yet.'}`, [], 'in_channel');
      }
      const board = await dojo.leaderboard(ctx.team);
      return message(`*Leaderboard*\n${board.map((r, i) => `${i + 1}. ${mention(r.learner)} — ${r.lessons} lessons, ${r.correct} right answers${r.bestExam !== undefined ? `, best exam ${r.bestExam.toFixed(0)}%` : ''}`).join('\n') || 'Nobody yet: be the first with `/kubedojo start`.'}`);
    }
    case 'team':
      return team(args, ctx);
    case 'files': {
      const lesson = await lessonHere(ctx);
      const files = Object.entries(lesson.files ?? {});
      if (!files.length) return message(`*${lesson.title}* has no files of its own. A manifest goes on the lines after \`/kubectl apply -f -\`.`);
      const list = files.map(([name, content]) => `• \`${escapeText(name)}\` (${lineCount(content)} lines)`).join('\n');
      return message(`*Files of ${lesson.title}*\n${list}`, [context('`/kubedojo file NAME` shows one; `/kubectl apply -f NAME` applies it.')]);
    }
    case 'file': {
      const lesson = await lessonHere(ctx);
      const names = Object.keys(lesson.files ?? {});
      if (!args[0]) throw new LearnerError('which file?', names.length ? `Say \`/kubedojo file NAME\`: ${names.map((n) => `\`${n}\``).join(', ')}.` : `*${lesson.title}* has no files.`);
      // `./kuard-pod.yaml` names the same file as a learner would type it in a terminal.
      const name = args[0].replace(/^\.\//, '');
      const content = lesson.files?.[name];
      if (content === undefined) throw new LearnerError(`${lesson.title} has no file "${name}"`, names.length ? `Its files: ${names.map((n) => `\`${n}\``).join(', ')}.` : 'It has no files; `/kubedojo check` shows what the step asks.');
      return message(`*${escapeText(name)}* from *${lesson.title}* (${lineCount(content)} lines)`, [
        ...codeBlocks(content.replace(/\n$/, ''), 12),
        context(`\`/kubectl apply -f ${escapeText(name)}\` applies it. To change it first, send your copy on the lines after \`/kubectl apply -f -\`.`),
      ]);
    }
    default:
      throw new LearnerError(`"${sub}" is not a kubedojo command`, 'Try `/kubedojo help`.');
  }
}

async function exam([what, arg]: string[], ctx: Ctx): Promise<Message> {
  const { dojo, exams } = ctx.deps;
  if (what === 'cka' || what === 'ckad') {
    // The tasks are set up in the background; the learner hears at once, the task list follows.
    const setup = dojo.beginExam(ctx.learner, what);
    await ctx.working(`Setting up the ${setup.tasks.length} tasks of your ${what.toUpperCase()} exam drill in your cluster. The task list follows here when they are ready, in a few seconds, and the drill's clock starts then, not before. Meanwhile \`/kubectl\` works on your cluster, and \`/kubedojo exam status\` says how the set-up is going.`);
    const { exam, tasks } = await setup.ready;
    await exams.arm(ctx.learner, ctx.user, exam.deadline);
    // A section per task: the whole list is longer than one section may hold.
    const list = tasks.map((t, i) => section(`*${i + 1}. ${t.title}* (ns \`${t.namespace}\`)\n${mrkdwn(t.text.trim())}`));
    return message(`*${what.toUpperCase()} exam drill started* — ${tasks.length} tasks, ends <!date^${Math.floor(new Date(exam.deadline).getTime() / 1000)}^{time}|${exam.deadline}>. Reminders come at 15, 5 and 1 minutes.`, [...list, context('`/kubedojo exam flag N` marks a task · `/kubedojo exam submit` ends it early.')]);
  }
  const pending = dojo.examSetup(ctx.learner);
  if (pending) {
    const drill = `${pending.track.toUpperCase()} exam drill`;
    if (what === 'flag' || what === 'unflag' || what === 'submit') throw new LearnerError(`your ${drill} is still being set up`, 'Its task list follows when the tasks are ready; flag and submit work from then on.');
    const seconds = Math.max(0, Math.round((Date.now() - pending.since.getTime()) / 1000));
    return message(`*Your ${drill} is still being set up* — ${pending.tasks.length} tasks, ${seconds} s so far. The task list follows when they are ready, and the clock starts then. \`/kubectl\` works on your cluster meanwhile.`);
  }
  const tutor = await dojo.tutor(ctx.learner);
  const current = tutor.exam();
  if (!current) throw new LearnerError('no exam is in progress', 'Start one with `/kubedojo exam cka` or `/kubedojo exam ckad`.');
  if (what === 'flag' || what === 'unflag') {
    const n = Number(arg);
    if (!Number.isInteger(n) || n < 1 || n > current.tasks.length) throw new LearnerError(`there is no task ${arg ?? ''}`, `Tasks are numbered 1 to ${current.tasks.length}.`);
    tutor.flag(current.tasks[n - 1].id, what === 'flag');
    return message(`Task ${n} ${what === 'flag' ? 'flagged' : 'unflagged'}.`);
  }
  if (what === 'submit') {
    await ctx.working(`Grading your ${current.tasks.length} tasks…`);
    return exams.finish(ctx.learner);
  }
  const minutes = Math.max(0, Math.ceil(current.msLeft / 60_000));
  return message(`*Exam in progress* — ${minutes} minutes left\n${current.tasks.map((t, i) => `${current.exam.flagged.includes(t.id) ? ':triangular_flag_on_post:' : '•'} ${i + 1}. ${t.title}`).join('\n')}`);
}

async function team([what, arg]: string[], ctx: Ctx): Promise<Message> {
  const { dojo } = ctx.deps;
  if (what === 'start') {
    if (!arg) throw new LearnerError('which exercise?', 'Say `/kubedojo team start LESSON`; `/kubedojo lessons` lists them.');
    const wanted = findLesson(arg, dojo.lessons);
    if (dojo.activeTeam(ctx.channel)) throw new LearnerError('this channel already has a team exercise running', 'See it with `/kubedojo team status`, or end it with `/kubedojo team end`.');
    // A cluster of the channel's own is made and the lesson set up on it: seconds of work.
    await ctx.working(`Making a cluster for this channel and setting up *${wanted.title}*…`);
    const { lesson } = await dojo.startTeam(ctx.channel, wanted.id, ctx.learner);
    const tasks = lesson.steps.map((s, i) => `*${i + 1}. ${s.title}*\n${s.tasks.map((t) => `• ${mrkdwn(t.text.trim())}`).join('\n')}`).join('\n');
    return message(`:busts_in_silhouette: <@${ctx.user}> started a team exercise: *${lesson.title}*. Everyone here shares one cluster: run \`/kubectl …\` in this channel.`, [section(tasks)], 'in_channel');
  }
  if (what === 'status') {
    const s = dojo.teamStatus(ctx.channel);
    const done = Object.keys(s.team.passedBy).length;
    const board = s.board.map((r) => `${mention(r.learner)} ${r.checks} checks · ${r.commands} commands`).join('\n') || 'No commands yet.';
    const recent = s.team.audit.slice(-5).map((a) => `${mention(a.learner)} ${typed(a.command, 80)}${a.code ? ' :x:' : ''}`).join('\n');
    return message(`*${s.lesson.title}* — ${done} of ${s.total} checks passed\n${board}${recent ? `\n*Recent commands*\n${recent}` : ''}`, [], 'in_channel');
  }
  if (what === 'end') {
    const r = await dojo.endTeam(ctx.channel);
    const done = Object.keys(r.team.passedBy).length;
    const board = r.board.map((row, i) => `${i + 1}. ${mention(row.learner)} — ${row.checks} checks, ${row.commands} commands`).join('\n') || 'Nobody ran a command.';
    return message(`:checkered_flag: *${r.lesson.title}* ended: ${done} of ${r.total} checks passed in ${Math.round((new Date(r.team.endedAt!).getTime() - new Date(r.team.startedAt).getTime()) / 60_000)} minutes.\n${board}`, [], 'in_channel');
  }
  throw new LearnerError(`"team ${what ?? ''}" is not a team command`, 'Use `team start LESSON`, `team status` or `team end`.');
}

/** The lesson whose files a learner means: the channel's team exercise, else their own current lesson. */
async function lessonHere(ctx: Ctx): Promise<Lesson> {
  const { dojo } = ctx.deps;
  const team = dojo.activeTeam(ctx.channel);
  if (team) return findLesson(team.lesson, dojo.lessons);
  const id = (await dojo.tutor(ctx.learner)).learner.currentLesson();
  if (!id) throw new LearnerError('no lesson is started', 'Start one with `/kubedojo start LESSON`; `/kubedojo lessons` lists them.');
  return findLesson(id, dojo.lessons);
}

const lineCount = (text: string): number => text.replace(/\n$/, '').split('\n').length;
