// An exam drill's clock in Slack: reminders at 15, 5 and 1 minutes left as scheduled messages
// (Slack delivers them even if the bot is down), and the grading at the deadline. Timers are armed
// again after a restart from the exams in progress.
import type { WebClient } from '@slack/web-api';
import { type Dojo, type FinishedExam, renderReport } from '../../src/core/index.js';
import { codeBlocks, type Message } from './blocks.js';

const REMINDERS = [15, 5, 1];

export class ExamTimers {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; scheduled: { channel: string; id: string }[]; user: string }>();

  constructor(
    private readonly dojo: Dojo,
    private readonly client: WebClient,
    private readonly log: { error(...a: unknown[]): void },
  ) {}

  /** Schedules the reminders and the end of a learner's exam. */
  async arm(learner: string, user: string, deadline: string, remind = true): Promise<void> {
    this.disarm(learner);
    const end = new Date(deadline).getTime();
    const scheduled: { channel: string; id: string }[] = [];
    if (remind) {
      for (const m of REMINDERS) {
        const at = end - m * 60_000;
        if (at - Date.now() < 60_000) continue; // Slack takes only times at least a minute ahead.
        try {
          const r = await this.client.chat.scheduleMessage({ channel: user, post_at: Math.floor(at / 1000), text: `:hourglass_flowing_sand: ${m} minute${m === 1 ? '' : 's'} left in your exam drill. \`/kubedojo exam status\` lists the tasks.` });
          if (r.scheduled_message_id) scheduled.push({ channel: String(r.channel ?? user), id: r.scheduled_message_id });
        } catch (err) {
          this.log.error('scheduling an exam reminder failed', err);
        }
      }
    }
    const timer = setTimeout(() => void this.timeUp(learner, user), Math.max(0, end - Date.now()));
    timer.unref();
    this.timers.set(learner, { timer, scheduled, user });
  }

  private async timeUp(learner: string, user: string): Promise<void> {
    try {
      const report = await this.finish(learner);
      await this.client.chat.postMessage({ channel: user, text: `:alarm_clock: Time is up: your exam drill is graded as it stood. ${report.text}`, blocks: report.blocks });
    } catch (err) {
      this.log.error('grading an exam at its deadline failed', err);
    }
  }

  /** Grades the learner's exam now, cancels what is still scheduled, and returns the report. */
  async finish(learner: string): Promise<Message> {
    const tutor = await this.dojo.tutor(learner);
    const report = await tutor.submitExam();
    const armed = this.timers.get(learner);
    this.disarm(learner);
    for (const s of armed?.scheduled ?? []) {
      await this.client.chat.deleteScheduledMessage({ channel: s.channel, scheduled_message_id: s.id }).catch(() => undefined);
    }
    return reportMessage(report);
  }

  disarm(learner: string): void {
    const t = this.timers.get(learner);
    if (t) clearTimeout(t.timer);
    this.timers.delete(learner);
  }

  armed(): string[] {
    return [...this.timers.keys()];
  }

  stop(): void {
    for (const l of [...this.timers.keys()]) this.disarm(l);
  }
}

/** The whole report, every task with its checks and model solution, in as many code blocks as it takes. */
export function reportMessage(report: FinishedExam): Message {
  const summary = `${report.title}: ${report.percent.toFixed(1)}%, ${report.passed ? 'passed' : 'not passed'} (pass mark ${report.passPercent}%).`;
  // Slack takes 50 blocks in a message; a 17-task report with its solutions needs well under 40.
  return { text: summary, blocks: codeBlocks(renderReport(report), 40), response_type: 'ephemeral' };
}
