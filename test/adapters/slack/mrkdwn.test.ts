// Lesson Markdown as Slack shows it: the blocks the terminal tutor draws, written in mrkdwn.
import { describe, expect, it } from 'vitest';
import { findLesson } from '../../../src/core/index.js';
import { loadLessons } from '../../../src/core/lessons/loader.js';
import { mrkdwn } from '../../../adapters/slack/mrkdwn.js';

describe('lesson Markdown in Slack', () => {
  it('writes bold single-starred, italic underscored, headings as bold lines, code in backticks', () => {
    expect(mrkdwn('## Probes\n\nA **liveness** probe *restarts* a container; `kubectl describe pod` shows it.')).toBe('*Probes*\n\nA *liveness* probe _restarts_ a container; `kubectl describe pod` shows it.');
  });

  it('joins a paragraph\'s lines, so Slack wraps it to the reader\'s window', () => {
    expect(mrkdwn('A pod runs\ncontainers.')).toBe('A pod runs containers.');
  });

  it('writes links as Slack links and escapes & < > everywhere else', () => {
    expect(mrkdwn('Run `kubectl logs <pod>` & see [the docs](https://kubernetes.io/docs/?a=1&b=2)')).toBe('Run `kubectl logs &lt;pod&gt;` &amp; see <https://kubernetes.io/docs/?a=1&amp;b=2|the docs>');
  });

  it('writes bullets and numbers, with nested items indented under their parent', () => {
    expect(mrkdwn('- one\n  - inner `x`\n- two\n\n3. three\n4. four')).toBe('• one\n    • inner `x`\n• two\n\n3. three\n4. four');
  });

  it('keeps a code block as a code block, its text escaped', () => {
    expect(mrkdwn('```yaml\nkind: Pod\nname: <x>\n```')).toBe('```kind: Pod\nname: &lt;x&gt;```');
  });

  it('writes the cronjobs lesson\'s table as aligned columns in a code block, since mrkdwn has no tables', () => {
    const text = mrkdwn(findLesson('cronjobs', loadLessons()).steps[0].explanation);
    expect(text).toContain(['```schedule     runs', '-----------  --------------------------', '*/1 * * * *  every minute', '0 * * * *    at the start of every hour', '30 2 * * 1   at 02:30 every Monday```'].join('\n'));
    expect(text).not.toMatch(/\| --- \|/);
  });

  it('right-aligns a column the table asks to, and writes quotes and rules', () => {
    expect(mrkdwn('| pod | restarts |\n| --- | ---: |\n| web | 12 |\n| db | 3 |')).toBe('```pod  restarts\n---  --------\nweb        12\ndb          3```');
    expect(mrkdwn('> Pods are *cattle*.\n\n---')).toBe('> Pods are _cattle_.\n\n───');
  });
});
