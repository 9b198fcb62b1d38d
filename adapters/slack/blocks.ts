// Block Kit for the bot's replies: small builders, so listeners say what to show, not how.
import type { KnownBlock } from '@slack/types';
import type { KubectlReply } from '../../src/core/dojo.js';
import type { TaskResult } from '../../src/core/lessons/workspace.js';
import type { Item } from '../../src/core/quiz/types.js';
import type { Grade } from '../../src/core/quiz/grade.js';

export interface Message {
  text: string;
  blocks?: KnownBlock[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 2990) } });
export const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: text.slice(0, 2990) }] });
/** A Slack mention of a learner (`slack:TEAM:USER`). */
export const mention = (learner: string): string => `<@${learner.split(':').pop()}>`;
export const code = (text: string): string => `\`\`\`${text.replace(/```/g, '`\u200b``') || ' '}\`\`\``;

/** Slack's mrkdwn from the lessons' Markdown: bold is single-starred, headings become bold lines. */
export function mrkdwn(md: string): string {
  return md
    .replace(/\*\*([^*]+)\*\*/g, '*$1*')
    .replace(/^#{1,6}\s+(.*)$/gm, '*$1*')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<$2|$1>');
}

export function message(text: string, extra: KnownBlock[] = [], response_type: 'ephemeral' | 'in_channel' = 'ephemeral'): Message {
  return { text, blocks: [section(text), ...extra], response_type };
}

export function problem(text: string): Message {
  return { text, blocks: [section(`:warning: ${text}`)], response_type: 'ephemeral' };
}

export function kubectlReply(command: string, r: KubectlReply, who?: string): Message {
  const blocks: KnownBlock[] = [context(`${who ? `<@${who}> ran ` : ''}\`${command.slice(0, 200)}\`${r.where === 'team' ? ' on the team cluster' : ''}${r.run.code ? ` · exit ${r.run.code}` : ''}`), section(code(r.output || '(no output)'))];
  if (r.run.notes.length) blocks.push(context(r.run.notes.join(' ')));
  if (r.step) blocks.push(section(`:white_check_mark: *Step ${r.step.stepNumber} of ${r.step.steps} passed: ${r.step.step.title}*\n${mrkdwn(r.step.outcome ?? '').slice(0, 1500)}${r.step.lessonDone ? '\n:tada: Lesson done! `/kubedojo lessons` for the next one.' : r.step.next ? `\n*Next:* ${r.step.next.title}. \`/kubedojo check\` shows the task.` : ''}`));
  if (r.credited.length) blocks.push(section(`:white_check_mark: ${who ? `<@${who}> ` : ''}made ${r.credited.length} check${r.credited.length === 1 ? '' : 's'} pass: ${r.credited.map((c) => `_${c}_`).join(', ')}`));
  return { text: r.output.slice(0, 300) || command, blocks, response_type: r.where === 'team' ? 'in_channel' : 'ephemeral' };
}

export function tasksText(tasks: TaskResult[]): string {
  return tasks
    .map((t) => `${t.passed ? ':white_check_mark:' : ':x:'} ${mrkdwn(t.text.trim())}\n${t.checks.map((c) => `      ${c.passed ? '✓' : '✗'} ${c.passed ? c.label : c.message}`).join('\n')}`)
    .join('\n');
}

export function quizItem(item: Item, n: number, of: number): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`*Question ${n} of ${of}* · _${item.topic}_\n${mrkdwn(item.question.trim())}`)];
  if (item.kind === 'choice') {
    blocks.push({
      type: 'actions',
      block_id: `quiz:${item.id}`,
      elements: item.choices.slice(0, 25).map((c, i) => ({ type: 'button', text: { type: 'plain_text', text: `${String.fromCharCode(97 + i)}) ${c}`.slice(0, 75) }, action_id: `quiz_choice:${i}`, value: JSON.stringify({ item: item.id, choice: String.fromCharCode(97 + i) }) })),
    });
  } else {
    blocks.push({
      type: 'actions',
      block_id: `quiz:${item.id}`,
      elements: [{ type: 'button', text: { type: 'plain_text', text: item.kind === 'command' ? 'Type the command' : item.kind === 'manifest' ? 'Write the manifest' : 'Type the answer' }, action_id: 'quiz_open_answer', value: JSON.stringify({ item: item.id }), style: 'primary' }],
    });
  }
  return blocks;
}

export function verdict(item: Item, grade: Grade, given: string): Message {
  const head = grade.verdict === 'correct' ? ':white_check_mark: *Correct*' : grade.verdict === 'close' ? ':large_yellow_circle: *Close*' : ':x: *Not quite*';
  const blocks: KnownBlock[] = [section(`${head} — you answered \`${given.slice(0, 200)}\`\n${mrkdwn(grade.feedback).slice(0, 2500)}`)];
  if (grade.details.length) blocks.push(context(grade.details.slice(0, 3).join(' · ').slice(0, 1500)));
  return { text: `${grade.verdict}: ${grade.feedback.slice(0, 200)}`, blocks, replace_original: false, response_type: 'ephemeral' };
}
