// Which of a step's hints to give, from where the learner stands: a hint about something already
// done is skipped, and the first hint given is one about the first check still failing. A hint is
// about a check when it names the check's object (or, for a check on no one object, its kind).
import type { Step } from '../lessons/types.js';
import { subjectsOf } from './step-activity.js';

/** A hint's words, lower case, for whole-word lookups. */
function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9.-]+/).filter(Boolean));
}

/** The names (or, lacking one, the kind in singular) a check is about, lower case. */
function namesOf(check: Step['tasks'][number]['checks'][number], ns: string): string[] {
  return subjectsOf(check, ns).flatMap((s) => (s.name ? [s.name.toLowerCase()] : s.kind ? [s.kind.toLowerCase().replace(/s$/, '')] : []));
}

/**
 * The order to give the step's hints in (indexes into `step.hints`), given which of its checks
 * passed when it was last graded (in the order of its tasks' checks; none known: all failing).
 */
export function hintOrder(step: Step, namespace: string, passed: boolean[]): number[] {
  const checks = step.tasks.flatMap((t) => t.checks);
  const about = step.hints.map((h) => {
    const w = words(h);
    return checks.map((c, i) => (namesOf(c, namespace).some((n) => w.has(n)) ? i : -1)).filter((i) => i >= 0);
  });
  const done = (i: number) => passed[i] === true;
  const open = step.hints.map((_, i) => i).filter((i) => !(about[i].length && about[i].every(done)));
  const firstFailing = checks.findIndex((_, i) => !done(i));
  const lead = open.find((i) => about[i].includes(firstFailing));
  if (lead === undefined) return open.length ? open : step.hints.map((_, i) => i);
  return [lead, ...open.filter((i) => i !== lead)];
}
