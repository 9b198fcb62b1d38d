// Block Kit for the bot's replies: small builders, so listeners say what to show, not how.
import type { KnownBlock } from '@slack/types';
import { parseLearnerId, type Grade, type Item, type KubectlReply, type Lesson, type Step, type MarkedCheck, type MarkedTask, type TaskResult } from '../../src/core/index.js';
import { mrkdwn } from './mrkdwn.js';
import { cut, escapeText } from './text.js';

export interface Message {
  text: string;
  blocks?: KnownBlock[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

/** The most a section's or a context element's text may hold (Slack's limit is 3000). */
export const BLOCK_TEXT = 2990;
export const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: cut(text, BLOCK_TEXT) } });
export const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(text, BLOCK_TEXT) }] });
/** A Slack mention of a learner (`slack:TEAM:USER`). */
export const mention = (learner: string): string => `<@${parseLearnerId(learner)?.user ?? learner}>`;
/** Plain text (a command, a report) as one code block, escaped for Slack and cut to fit a block. */
export const code = (text: string, max = BLOCK_TEXT): string => `\`\`\`${cut(fenced(text), max - 6, '\n…') || ' '}\`\`\``;
const fenced = (text: string): string => escapeText(text).replace(/```/g, '`\u200b``');

/**
 * Long plain text (kubectl output, a lesson's file) as code blocks of whole lines, one section
 * each, as many as `maxBlocks`; what does not fit is counted in a last line.
 */
export function codeBlocks(text: string, maxBlocks = 12): KnownBlock[] {
  const room = BLOCK_TEXT - 6;
  const chunks: string[][] = [[]];
  let size = 0;
  for (const raw of (text || ' ').split('\n')) {
    // A line longer than a block is split across blocks.
    const pieces: string[] = [];
    let line = fenced(raw);
    while (line.length > room) {
      const at = cut(line, room, '').length || room;
      pieces.push(line.slice(0, at));
      line = line.slice(at);
    }
    pieces.push(line);
    for (const piece of pieces) {
      let current = chunks[chunks.length - 1];
      if (current.length && size + 1 + piece.length > room) {
        chunks.push((current = []));
        size = 0;
      }
      size += (current.length ? 1 : 0) + piece.length;
      current.push(piece);
    }
  }
  const shown = chunks.slice(0, maxBlocks).map((c) => section(`\`\`\`${c.join('\n') || ' '}\`\`\``));
  if (chunks.length > maxBlocks) {
    const left = chunks.slice(maxBlocks).flat().length;
    shown.push(context(`… ${left} more line${left === 1 ? '' : 's'}, too long for one Slack message.`));
  }
  return shown;
}
/** The learner's own words in inline code, escaped for Slack and kept short. */
export const typed = (text: string, max = 200): string => `\`${escapeText(text.slice(0, max)).replace(/`/g, "'")}\``;

export function message(text: string, extra: KnownBlock[] = [], response_type: 'ephemeral' | 'in_channel' = 'ephemeral'): Message {
  return { text, blocks: [section(text), ...extra], response_type };
}

/** A problem, its text as the core words it (escaped here); `note` says what we read differently from what arrived. */
export function problem(text: string, note?: string): Message {
  return { text: escapeText(text), blocks: [section(`:warning: ${escapeText(text)}`), ...noted(note)], response_type: 'ephemeral' };
}

/** A context line saying how we read what the learner's keyboard changed, when it changed something. */
export function noted(note: string | undefined): KnownBlock[] {
  return note ? [context(`:pencil2: ${note}`)] : [];
}

export function kubectlReply(command: string, r: KubectlReply, who?: string, note?: string): Message {
  const blocks: KnownBlock[] = [context(`${who ? `<@${who}> ran ` : ''}${typed(command)}${r.where === 'team' ? ' on the team cluster' : ''}${r.run.code ? ` · exit ${r.run.code}` : ''}`), ...noted(note), ...codeBlocks(r.output || '(no output)', 4)];
  if (r.run.notes.length) blocks.push(context(escapeText(r.run.notes.join(' '))));
  if (r.step) blocks.push(section(`:white_check_mark: *Step ${r.step.stepNumber} of ${r.step.steps} passed: ${r.step.step.title}*\n${cut(mrkdwn(r.step.outcome ?? ''), 1500)}${r.step.lessonDone ? '\n:tada: Lesson done! `/kubedojo lessons` for the next one.' : r.step.next ? `\n*Next:* ${r.step.next.title}. \`/kubedojo check\` shows the task.` : ''}`));
  if (r.credited.length) blocks.push(section(`:white_check_mark: ${who ? `<@${who}> ` : ''}made ${r.credited.length} check${r.credited.length === 1 ? '' : 's'} pass: ${r.credited.map((c) => `_${c}_`).join(', ')}`));
  return { text: escapeText(r.output.slice(0, 300) || command), blocks, response_type: r.where === 'team' ? 'in_channel' : 'ephemeral' };
}

/** Tasks with each check's verdict; under a failed check, the mistake the detectors name and its fix. */
export function tasksText(tasks: (TaskResult | MarkedTask)[]): string {
  const diagnosis = (c: TaskResult['checks'][number] | MarkedCheck) => ('diagnosis' in c && c.diagnosis ? c.diagnosis.map((d) => `\n          → ${escapeText(d.mistake)}${d.fix ? ` \`${escapeText(d.fix)}\`` : ''}`).join('') : '');
  return tasks
    .map((t) => `${t.passed ? ':white_check_mark:' : ':x:'} ${mrkdwn(t.text.trim())}\n${t.checks.map((c) => `      ${c.passed ? '✓' : '✗'} ${escapeText(c.passed ? c.label : c.message)}${diagnosis(c)}`).join('\n')}`)
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

export function verdict(item: Item, grade: Grade, given: string, note?: string): Message {
  const head = grade.verdict === 'correct' ? ':white_check_mark: *Correct*' : grade.verdict === 'close' ? ':large_yellow_circle: *Close*' : ':x: *Not quite*';
  const blocks: KnownBlock[] = [section(`${head} — you answered ${typed(given)}\n${cut(mrkdwn(grade.feedback), 2500)}`), ...noted(note)];
  if (grade.details.length) blocks.push(context(cut(escapeText(grade.details.slice(0, 3).join(' · ')), 1500)));
  return { text: escapeText(`${grade.verdict}: ${grade.feedback.slice(0, 200)}`), blocks, replace_original: false, response_type: 'ephemeral' };
}

/** A line naming the lesson's files that a step's text refers to, and how to see and use them here. */
export function filesNote(lesson: Lesson, step: Step): KnownBlock[] {
  const said = [step.explanation, ...step.tasks.map((t) => t.text)].join('\n');
  const named = Object.keys(lesson.files ?? {}).filter((name) => said.includes(name));
  if (!named.length) return [];
  if (named.length === 1) {
    const n = escapeText(named[0]);
    return [context(`:page_facing_up: \`${n}\` is this lesson's file: \`/kubedojo file ${n}\` shows it, \`/kubectl apply -f ${n}\` applies it.`)];
  }
  const list = named.map((n) => `\`${escapeText(n)}\``).join(', ');
  return [context(`:page_facing_up: ${list} are this lesson's files: \`/kubedojo file NAME\` shows one, \`/kubectl apply -f NAME\` applies it.`)];
}
