// A Killercoda scenario in the tutor's state: the reducer alone, keys as a learner presses them and
// what the play reports. What the app would do outside the state is read from the effects.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initialState, namespaceOf, reducer, type Action, type Next, type TutorState } from '../../src/tui/state.js';
import { scenarioView, type ScenarioRow } from '../../src/tui/scenario-view.js';
import { readScenario } from '../../src/core/scenarios/format.js';
import { consentLines } from '../../src/core/scenarios/consent.js';
import { broken } from '../../src/tui/components/ConsentDialog.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'scenarios');
const fern = readScenario(path.join(fixtures, 'garden', 'water-fern'));
const screen = { lines: [], cursor: { x: 0, y: 0 }, scrolled: 0 } as unknown as TutorState['screen'];
const ALT_1 = '\u001b1';
const F2 = '\u001bOQ';
const F3 = '\u001bOR';

function run(state: TutorState, ...actions: Action[]): Next {
  let next: Next = { state, effects: [] };
  for (const a of actions) {
    const step = reducer(next.state, a);
    next = { state: step.state, effects: [...next.effects, ...step.effects] };
  }
  return next;
}
const key = (raw: string): Action => ({ type: 'input', raw, pageRows: 10 });
const playing = (): TutorState =>
  run(initialState(screen, 0), { type: 'scenario-started', view: scenarioView('/c/water-fern', fern, { stepIndex: 0, finished: false, marks: ['pending', 'pending'] }) }).state;

describe('a scenario in the tutor\'s state', () => {
  it('lists scenarios after the lessons, starts a playable one and refuses one that is not, with its reason', () => {
    const rows: ScenarioRow[] = [
      { key: '/c/water-fern', title: 'Water the fern', steps: 2, stepsDone: 0, status: 'new' },
      { key: '/c/node-login', title: 'Look around a node', steps: 1, stepsDone: 0, status: 'new', blocked: 'it logs in to a node with ssh' },
    ];
    const list = run(initialState(screen, 0), { type: 'lessons', overview: { lessons: [], scenarios: rows } });
    expect(list.state.mode).toBe('lessons');
    expect(list.state.selected).toBe(0);
    expect(run(list.state, key('\r')).effects).toEqual([{ kind: 'open-scenario', key: '/c/water-fern' }]);
    const refused = run(list.state, key('\u001b[B'), key('\r'));
    expect(refused.effects).toEqual([]);
    expect(refused.state.dialog).toEqual({ kind: 'message', text: 'Look around a node cannot be played here: it logs in to a node with ssh.' });
  });

  it('runs nothing until the learner says yes to the scripts shown', () => {
    const asked = run(initialState(screen, 0), { type: 'scenario-consent', key: '/c/water-fern', title: fern.title, lines: consentLines(fern) });
    expect(asked.state.dialog?.kind).toBe('consent');
    // Arrows scroll the scripts; they start nothing.
    const scrolled = run(asked.state, key('\u001b[B'), key('\u001b[B'));
    expect(scrolled.effects).toEqual([]);
    expect(scrolled.state.dialog).toMatchObject({ kind: 'consent', scroll: 2 });
    const no = run(asked.state, key('n'));
    expect(no.effects).toEqual([]);
    expect(no.state.dialog).toMatchObject({ kind: 'message' });
    const yes = run(asked.state, key('y'));
    expect(yes.effects).toEqual([{ kind: 'play-scenario', key: '/c/water-fern' }]);
    expect(yes.state.dialog).toBeUndefined();
  });

  it('shows a long script line whole, broken over lines, in the consent', () => {
    expect(broken(['abcdefghij', 'xy'], 4)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
  });

  it('puts block N into the shell as a paste with Alt+N, not a hidden solution\'s block', () => {
    const s = playing();
    expect(run(s, key(ALT_1)).effects).toEqual([{ kind: 'write', raw: '\u001b[200~kubectl -n garden run fern --image=nginx:1.27\u001b[201~' }]);
    // Block 3 is in the step's solution, hidden until asked for.
    expect(run(s, key('\u001b3')).effects).toEqual([]);
    const solved = run(s, key(F3), key('y'));
    expect(solved.state.scenario?.solved).toBe(true);
    expect(run(solved.state, key('\u001b3')).effects).toEqual([{ kind: 'write', raw: '\u001b[200~kubectl -n garden run fern --image=nginx:1.27\u001b[201~' }]);
  });

  it('reveals the step\'s hints one by one with F2, then says there are no more', () => {
    const one = run(playing(), key(F2));
    expect(one.state.scenario?.hints).toBe(1);
    const more = run(one.state, key(F2));
    expect(more.state.scenario?.hints).toBe(1);
    expect(more.state.dialog).toMatchObject({ kind: 'message', text: 'Every hint of this step is shown. F3 shows its solution.' });
  });

  it('checks the step after each command, and hides the help again when the next step opens', () => {
    const s = run(playing(), key(F2)).state;
    expect(run(s, { type: 'command-done', command: 'kubectl get pods', code: 0 }).effects).toEqual([{ kind: 'check', command: 'kubectl get pods', code: 0, output: undefined }]);
    const next = run(s, { type: 'scenario-state', play: { stepIndex: 1, finished: false, marks: ['passed', 'pending'] } });
    expect(next.state.scenario).toMatchObject({ hints: 0, solved: false, play: { stepIndex: 1 } });
    const done = run(next.state, { type: 'scenario-state', play: { stepIndex: 2, finished: true, marks: ['passed', 'passed'] } });
    expect(run(done.state, { type: 'command-done', command: 'ls', code: 0 }).effects).toEqual([]);
  });

  it('shows the scenario cluster\'s default namespace in the cluster pane', () => {
    expect(namespaceOf(playing())).toBe('default');
  });
});
