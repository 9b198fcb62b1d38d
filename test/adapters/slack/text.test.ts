// Slack's text rules as pure functions: what Slack sends read back as the learner typed it, what a
// phone or Mac changed put right (and said), and what we send escaped and cut to Slack's sizes.
import { describe, expect, it } from 'vitest';
import { cut, escapeText, fromSlack, readAnswer, readCommand } from '../../../adapters/slack/text.js';
import { BLOCK_TEXT, codeBlocks } from '../../../adapters/slack/blocks.js';
import { mrkdwn } from '../../../adapters/slack/mrkdwn.js';

describe('reading Slack\'s text', () => {
  it('unescapes & < > so a redirect inside a quoted shell command reaches kubectl as typed', () => {
    expect(fromSlack("exec p -- sh -c 'echo hi &gt; /tmp/m &amp;&amp; cat &lt; /tmp/m'")).toBe("exec p -- sh -c 'echo hi > /tmp/m && cat < /tmp/m'");
  });

  it('unescapes once, so an entity the learner typed stays what they typed', () => {
    expect(fromSlack('--from-literal=html=&amp;lt;b&amp;gt;')).toBe('--from-literal=html=&lt;b&gt;');
  });

  it('reads a link back as the text that was typed', () => {
    expect(fromSlack('--external-name <http://nginx.default.svc|nginx.default.svc>')).toBe('--external-name nginx.default.svc');
    expect(fromSlack('get --raw <https://example.com/healthz>')).toBe('get --raw https://example.com/healthz');
    expect(fromSlack('--from-literal=email=<mailto:ann@example.com|ann@example.com>')).toBe('--from-literal=email=ann@example.com');
    expect(fromSlack('<http://a.example/?x=1&amp;y=2|a.example/?x=1&amp;y=2>')).toBe('a.example/?x=1&y=2');
  });

  it('reads mentions, channels and special words back as @name and #name', () => {
    expect(fromSlack('team start pods with <@U123|ann> and <@W9>')).toBe('team start pods with @ann and @W9');
    expect(fromSlack('in <#C1|dojo> and <#C2>')).toBe('in #dojo and #C2');
    expect(fromSlack('<!here> <!subteam^S1|@ops> <!date^1700000000^{date}|Nov 14>')).toBe('@here @ops Nov 14');
  });
});

describe('what a keyboard changed', () => {
  it('reads an em dash before a long flag as --, and says so in one line', () => {
    const r = readCommand('create deployment web —image=nginx');
    expect(r.text).toBe('create deployment web --image=nginx');
    expect(r.note).toBe('Your keyboard changed `--` to `—`; I read it as `--image`.');
  });

  it('reads a dash before a one-letter flag, or -it, as a single -', () => {
    expect(readCommand('get pods –n kube-system').text).toBe('get pods -n kube-system');
    expect(readCommand('run tmp —it --image=busybox').text).toBe('run tmp -it --image=busybox');
    expect(readCommand('get pods —namespace=kube-system —o wide').text).toBe('get pods --namespace=kube-system -o wide');
  });

  it('reads a long dash standing alone as the -- before a command, and a dash and hyphen together as --', () => {
    expect(readCommand('exec web — ls /').text).toBe('exec web -- ls /');
    expect(readCommand('exec web – ls /').text).toBe('exec web -- ls /');
    expect(readCommand('run web —-image=nginx').text).toBe('run web --image=nginx');
  });

  it('lists every word it read differently when there are several', () => {
    expect(readCommand('run web —image=nginx –n dojo').note).toBe('Your keyboard changed dashes (`—`, `–`); I read them as `--image`, `-n`.');
  });

  it('leaves dashes inside words and plain hyphens alone', () => {
    const r = readCommand('create deployment my—web --image=nginx -n dojo');
    expect(r.text).toBe('create deployment my—web --image=nginx -n dojo');
    expect(r.note).toBeUndefined();
  });

  it('straightens curly quotes but keeps an apostrophe inside a word', () => {
    const r = readCommand('create configmap msg --from-literal=greeting=“hello world” --from-literal=quote=‘it’s’');
    expect(r.text).toBe(`create configmap msg --from-literal=greeting="hello world" --from-literal=quote='it’s'`);
    expect(r.note).toBe('Your keyboard curled the quotes (`“` `”` `‘` `’`); I read them as straight ones.');
    expect(readCommand('annotate pod web note=it’s').text).toBe('annotate pod web note=it’s');
  });

  it('says both in one line when dashes and quotes were changed', () => {
    expect(readCommand('run web —image=“nginx”').note).toBe('Your keyboard changed `--` to `—`; I read it as `--image`. Your keyboard curled the quotes (`“` `”`); I read them as straight ones.');
  });

  it('turns an ellipsis and look-alike spaces into what kubectl reads', () => {
    const r = readCommand('get\u00a0pods\u200b -l app=web…');
    expect(r.text).toBe('get pods -l app=web...');
    expect(r.note).toBeUndefined();
  });

  it('keeps a manifest\'s list items and document separators as YAML means them', () => {
    const r = readCommand('apply -f -\napiVersion: v1\nkind: Pod\nmetadata:\n  name: “web”\nspec:\n  containers:\n  – name: web\n    image: nginx\n—\nkind: x');
    expect(r.text).toBe('apply -f -\napiVersion: v1\nkind: Pod\nmetadata:\n  name: "web"\nspec:\n  containers:\n  - name: web\n    image: nginx\n---\nkind: x');
  });

  it('reads a short answer\'s flag as a flag but leaves a dash in a sentence', () => {
    expect(readAnswer('—previous', 'text')).toEqual({ text: '--previous', note: 'Your keyboard changed `--` to `—`; I read it as `--previous`.' });
    expect(readAnswer('a pod — the smallest unit', 'text')).toEqual({ text: 'a pod — the smallest unit', note: undefined });
  });

  it('reads a command answer as /kubectl reads a command, and a manifest answer as YAML', () => {
    expect(readAnswer('kubectl scale deploy web —replicas=3', 'command').text).toBe('kubectl scale deploy web --replicas=3');
    expect(readAnswer('—\nkind: Pod\nmetadata:\n  name: “web”', 'manifest').text).toBe('---\nkind: Pod\nmetadata:\n  name: "web"');
  });
});

describe('what we send', () => {
  it('escapes & < > so kubectl\'s <none> shows and a learner\'s <!channel> never pings', () => {
    expect(escapeText('NOMINATED NODE <none> & <!channel>')).toBe('NOMINATED NODE &lt;none&gt; &amp; &lt;!channel&gt;');
    expect(mrkdwn('Run `kubectl logs <pod>` — see [the docs](https://kubernetes.io/docs/?a=1&b=2)')).toBe('Run `kubectl logs &lt;pod&gt;` — see <https://kubernetes.io/docs/?a=1&amp;b=2|the docs>');
  });

  it('cuts long text at a line end and never inside an entity', () => {
    expect(cut('short', 10)).toBe('short');
    expect(cut('aaaa &amp; bbbb', 9)).toBe('aaaa …');
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const cutLines = cut(lines, 50);
    expect(cutLines.length).toBeLessThanOrEqual(50);
    expect(cutLines).toMatch(/\nline \d+…$/);
  });

  it('shows a long file as code blocks of whole lines, each within Slack\'s limit, and counts what is left out', () => {
    const file = Array.from({ length: 2000 }, (_, i) => `  - name: item-${i} # <${i}>`).join('\n');
    const blocks = codeBlocks(file, 5) as Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }>;
    expect(blocks).toHaveLength(6);
    for (const b of blocks.slice(0, 5)) {
      expect(b.text!.text.length).toBeLessThanOrEqual(BLOCK_TEXT);
      expect(b.text!.text).toMatch(/^```  - name: item-\d+ # &lt;\d+&gt;\n[\s\S]*&gt;```$/);
    }
    const shown = blocks.slice(0, 5).map((b) => b.text!.text.slice(3, -3)).join('\n').split('\n').length;
    expect(blocks[5].elements![0].text).toBe(`… ${2000 - shown} more lines, too long for one Slack message.`);
  });

  it('splits a line longer than a block across blocks', () => {
    const blocks = codeBlocks('x'.repeat(7000)) as Array<{ text: { text: string } }>;
    expect(blocks).toHaveLength(3);
    expect(blocks.map((b) => b.text.text.slice(3, -3)).join('')).toBe('x'.repeat(7000));
  });
});
