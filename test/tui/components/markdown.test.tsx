// Lesson Markdown drawn by Ink at the widths a lesson pane has: every element, within its width.
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Frame } from '../../../src/tui/components/Frame.js';
import { Markdown } from '../../../src/tui/components/Markdown.js';
import { MONO, ThemeContext } from '../../../src/tui/components/theme.js';

const draw = (source: string, width: number) => {
  const ui = render(
    <ThemeContext.Provider value={MONO}>
      <Markdown source={source} width={width} />
    </ThemeContext.Provider>,
  );
  const lines = (ui.lastFrame() ?? '').split('\n');
  ui.unmount();
  return lines;
};

const LESSON = [
  '# Probes',
  '',
  'A **liveness** probe tells the kubelet when to *restart* a container, and a readiness probe tells a Service when to send it traffic; see [probes](https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/).',
  '',
  '- `kubectl describe pod web` shows the probe and its last failures',
  '  - events say which probe failed',
  '- restarts count up in `kubectl get pods`',
  '',
  '1. first',
  '2. second',
  '',
  '| field | meaning |',
  '| --- | --- |',
  '| `periodSeconds` | how often to probe (default 10) |',
  '| `failureThreshold` | failures in a row before acting (default 3) |',
  '',
  '> A failing readiness probe never restarts anything.',
  '',
  '```',
  "kubectl create configmap first-look -n dojo-kubectl --from-literal=server-version=v1.33.1 --from-literal=node-count=3",
  '```',
  '',
  '---',
].join('\n');

describe('the Markdown component', () => {
  for (const width of [40, 80, 120]) {
    it(`draws every element of lesson text within ${width} columns`, () => {
      const lines = draw(LESSON, width);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
      const text = lines.join('\n');
      expect(lines[0]).toBe('Probes');
      expect(text).not.toContain('`');
      expect(text).not.toContain('**');
      expect(text).toMatch(/A liveness probe tells/);
      expect(text).toContain('<https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/>'.slice(0, Math.min(width, 60)));
      expect(text).toMatch(/^• kubectl describe pod web/m);
      expect(text).toMatch(/^ {2}◦ events say which probe failed/m);
      expect(text).toMatch(/^1\. first\n2\. second$/m);
      expect(text).toMatch(/^field\s+│ meaning/m);
      expect(text).toMatch(/^─+┼─+$/m);
      expect(text).toMatch(/^periodSeconds\s+│ how often/m);
      expect(text).toMatch(/^▎ A failing readiness probe/m);
      expect(text).toMatch(/^│ kubectl create configmap/m);
      expect(text).toMatch(/^─{10,}$/m);
      // Paragraph and list text that wraps starts its line with a word, never a stray space.
      for (const l of lines) expect(l).not.toMatch(/^ (?! )/);
    });
  }

  it('wraps a code block\'s command only between words, and each line\'s break is marked for the shell', () => {
    const lines = draw('```\nkubectl create configmap first-look -n dojo-kubectl --from-literal=server-version=v1.33.1 --from-literal=node-count=3\n```', 60);
    expect(lines).toEqual(['│ kubectl create configmap first-look -n dojo-kubectl \\', '│   --from-literal=server-version=v1.33.1 \\', '│   --from-literal=node-count=3']);
  });

  it('fits the width of the pane it is in without being told', () => {
    const ui = render(
      <ThemeContext.Provider value={MONO}>
        <Frame title="Lesson" width={30} height={12}>
          <Markdown source={'| a | b |\n| --- | --- |\n| one two three four five | six seven eight nine ten |'} />
        </Frame>
      </ThemeContext.Provider>,
    );
    const lines = (ui.lastFrame() ?? '').split('\n');
    ui.unmount();
    const table = lines.filter((l) => /^│.+ │ .+│$/.test(l));
    expect(table.length).toBeGreaterThan(2);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(30);
    expect(lines.join('\n')).toMatch(/one two\s+│ six seven/);
  });

  it('fits a padded screen\'s width without being told, nothing cut off at the right', async () => {
    const ui = render(
      <ThemeContext.Provider value={MONO}>
        <Box width={40} paddingX={1} flexDirection="column">
          <Box marginTop={1}>
            <Markdown source={'A quiz question long enough to need several lines at forty columns, ending in plain words here.'} />
          </Box>
        </Box>
      </ThemeContext.Provider>,
    );
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline && (ui.lastFrame() ?? '').includes('…')) await new Promise((r) => setTimeout(r, 10));
    const lines = (ui.lastFrame() ?? '').split('\n');
    ui.unmount();
    expect(lines.join('\n')).not.toContain('…');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(39);
    expect(lines[1]).toBe(' A quiz question long enough to need');
    expect(lines.map((l) => l.trim()).join(' ').trim()).toBe('A quiz question long enough to need several lines at forty columns, ending in plain words here.');
  });
});
