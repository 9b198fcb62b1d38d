// The scenario pane: the steps with their marks, the page without Killercoda's markers or hidden
// parts, the blocks numbered, and hints and solutions once asked for.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { readScenario } from '../../../src/core/scenarios/format.js';
import { Frame } from '../../../src/tui/components/Frame.js';
import { ScenarioPane } from '../../../src/tui/components/ScenarioPane.js';
import { MONO, ThemeContext } from '../../../src/tui/components/theme.js';
import { scenarioView, type ScenarioView } from '../../../src/tui/scenario-view.js';

const fern = readScenario(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'scenarios', 'garden', 'water-fern'));

function pane(view: ScenarioView, width = 60): string {
  const ui = render(
    <ThemeContext.Provider value={MONO}>
      <Frame title="Scenario" width={width} height={200}>
        <ScenarioPane view={view} scroll={0} />
      </Frame>
    </ThemeContext.Provider>,
  );
  const text = ui.lastFrame() ?? '';
  ui.unmount();
  return text;
}

describe('the scenario pane', () => {
  it('shows the intro and the first step with its numbered block, no markers and no hidden hint', () => {
    const text = pane(scenarioView('/c/fern', fern, { stepIndex: 0, finished: false, marks: ['pending', 'pending'] }));
    expect(text).toContain('○ Plant the fern');
    expect(text).toContain('The namespace garden is being made');
    expect(text).toContain('[1] Alt+1 types this into the shell');
    expect(text).toContain('kubectl -n garden get pods [2]');
    expect(text).not.toMatch(/\{\{|<details>|<summary>|kubectl run makes one pod/);
  });

  it('shows a hint and the solution once asked for, and the marks of the steps', () => {
    const v = scenarioView('/c/fern', fern, { stepIndex: 0, finished: false, marks: ['failed', 'pending'] });
    const text = pane({ ...v, hints: 1, solved: true });
    expect(text).toContain('✗ Plant the fern');
    expect(text).toContain('Hint (1 of 1)');
    expect(text).toContain('kubectl run makes one pod');
    expect(text).toContain('Solution');
    expect(text).toContain('[3] Alt+3');
  });

  it('shows the finish page once every step passed', () => {
    const text = pane(scenarioView('/c/fern', fern, { stepIndex: 2, finished: true, marks: ['passed', 'passed'] }));
    expect(text).toContain('✓ Tag the fern');
    expect(text).toContain('Scenario done');
    expect(text).toContain('The fern is planted and tagged for weekly care.');
  });
});
