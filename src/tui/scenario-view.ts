// A Killercoda scenario as the tutor shows it: its pages prepared once (markers gone, blocks
// numbered, hints set apart), where the play stands, and how much help was asked for.
import { preparePage, type PlayState, type PreparedPage, type Scenario } from '../core/index.js';

export interface ScenarioView {
  /** The progress key: the collection's path and the folder. */
  key: string;
  title: string;
  intro: PreparedPage;
  steps: { title: string; page: PreparedPage; verified: boolean }[];
  finish: PreparedPage;
  play: PlayState;
  /** Hints (not solutions) shown for the current step. */
  hints: number;
  /** The step's solutions are shown. */
  solved: boolean;
}

/** A row of the scenarios' section of the F4 list. */
export interface ScenarioRow {
  key: string;
  title: string;
  steps: number;
  stepsDone: number;
  status: 'new' | 'started' | 'done';
  /** Why it cannot be played (or read) here. */
  blocked?: string;
}

export function scenarioView(key: string, s: Scenario, play: PlayState): ScenarioView {
  return {
    key,
    title: s.title,
    intro: preparePage(s.intro.text),
    steps: s.steps.map((st) => ({ title: st.title, page: preparePage(st.text), verified: st.verify !== undefined })),
    finish: preparePage(s.finish.text),
    play,
    hints: 0,
    solved: false,
  };
}

/** The page shown now: the current step's, or the finish page's. */
export function currentPage(v: ScenarioView): PreparedPage {
  return v.play.finished ? v.finish : (v.steps[v.play.stepIndex]?.page ?? v.finish);
}

/** The hints of the current page that F2 reveals in turn, and the solutions F3 shows. */
export function hintsOf(v: ScenarioView): { hints: PreparedPage['hints']; solutions: PreparedPage['hints'] } {
  const all = currentPage(v).hints;
  const solutions = all.filter((h) => h.solution);
  // A page whose details are all hints has no solution apart: solve shows them all.
  return { hints: all.filter((h) => !h.solution), solutions: solutions.length ? solutions : all };
}

/** Block N (from 1) of the current page, when it can be seen: the page's own, or in a hint or solution shown. */
export function visibleBlock(v: ScenarioView, n: number): string | undefined {
  const page = currentPage(v);
  if (n < 1 || n > page.blocks.length) return undefined;
  const { hints, solutions } = hintsOf(v);
  const shown = [...hints.slice(0, v.hints), ...(v.solved ? solutions : [])];
  return n <= page.pageBlocks || shown.some((h) => h.blocks.includes(n)) ? page.blocks[n - 1] : undefined;
}
