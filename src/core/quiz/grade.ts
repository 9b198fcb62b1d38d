// Grading a quiz answer. Choice and short items compare text; command and manifest items are
// graded by their effect, as an examiner would: the learner's command and the model answer run on
// two scratch copies of the same cluster, and the objects they leave behind are compared.
import type { ClusterHost, HostedSandbox, Snapshot } from '../hosting/cluster-host.js';
import { kubectlArgs } from '../kube/kubectl.js';
import { directRunner, type KubectlRunner, type RunRequest } from '../kube/runner.js';
import { runChecks } from '../lessons/checks.js';
import { manifestObjects } from '../lessons/workspace.js';
import type { SetupEntry } from '../lessons/types.js';
import { LearnerError } from '../problems.js';
import { shortAnswerVerdict } from './short-answer.js';
import type { ChoiceItem, CommandItem, Item, ManifestItem } from './types.js';
import { stateDifferences } from './state-diff.js';
import { NOTES_SOURCES, type NotesSource } from './notes-sources.js';
import { own } from '../own.js';

export type Verdict = 'correct' | 'close' | 'wrong';

export interface Grade {
  verdict: Verdict;
  /** Why, in a sentence or three, ending with where the notes teach it. */
  feedback: string;
  /** For command and manifest items: what differed, or which checks failed. */
  details: string[];
}

export interface GradeOptions {
  /** Hosts the scratch clusters of command and manifest items. */
  host?: ClusterHost;
  /** The environment kubectl runs in. */
  env?: NodeJS.ProcessEnv;
  /** How kubectl runs (the Slack bot's runner is guarded: a learner's command is vetted and jailed). */
  runner?: KubectlRunner;
  /** Whose answer this is, for the runner's fair shares. */
  owner?: string;
}

/** Runs kubectl on a scratch cluster through the grading's runner. */
function kubectlIn(sb: HostedSandbox, req: RunRequest, opts: GradeOptions) {
  return (opts.runner ?? directRunner).run({ owner: opts.owner, ...req }, { kubeconfig: sb.kubeconfig, socket: sb.socket, env: opts.env });
}

export async function gradeAnswer(item: Item, answer: string, opts: GradeOptions = {}): Promise<Grade> {
  switch (item.kind) {
    case 'choice':
      return finish(item, gradeChoice(item, answer), []);
    case 'short':
      return finish(item, shortAnswerVerdict(answer, item), []);
    case 'command':
      return gradeCommand(item, answer, need(opts));
    case 'manifest':
      return gradeManifest(item, answer, need(opts));
  }
}

function need(opts: GradeOptions): Required<Pick<GradeOptions, 'host'>> & GradeOptions {
  if (!opts.host) throw new Error('grading a command or manifest item needs a ClusterHost for its scratch clusters');
  return opts as Required<Pick<GradeOptions, 'host'>> & GradeOptions;
}

/** The choices picked: `b`, `2`, `a,c`, `1 3` (letters or 1-based numbers). Pure. */
export function parseChoices(answer: string, count: number): number[] | undefined {
  const parts = answer.toLowerCase().split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return undefined;
  const picked = new Set<number>();
  for (const p of parts) {
    let i: number;
    if (/^[a-z]$/.test(p)) i = p.charCodeAt(0) - 97;
    else if (/^\d+$/.test(p)) i = Number(p) - 1;
    else return undefined;
    if (i < 0 || i >= count) return undefined;
    picked.add(i);
  }
  return [...picked].sort((a, b) => a - b);
}

export function gradeChoice(item: ChoiceItem, answer: string): Verdict {
  const picked = parseChoices(answer, item.choices.length);
  if (!picked) throw new LearnerError(`"${answer}" is not one of the choices`, `Answer with a letter from a to ${String.fromCharCode(96 + item.choices.length)}${Array.isArray(item.answer) ? ', or several separated by commas' : ''}.`);
  const right = (Array.isArray(item.answer) ? [...item.answer] : [item.answer]).sort((a, b) => a - b);
  if (picked.length === right.length && picked.every((p, i) => p === right[i])) return 'correct';
  // Choose-all-that-apply: all of the right ones and nothing wrong but one missing is close.
  if (Array.isArray(item.answer) && picked.every((p) => right.includes(p)) && picked.length === right.length - 1) return 'close';
  return 'wrong';
}

function finish(item: Item, verdict: Verdict, details: string[], lead?: string): Grade {
  const head = lead ?? (verdict === 'correct' ? 'Right.' : verdict === 'close' ? `Nearly: the answer is ${modelAnswer(item)}.` : `Not quite: the answer is ${modelAnswer(item)}.`);
  return { verdict, feedback: `${head} ${item.explanation.trim()} (From the notes: ${cite(item)}.)`, details };
}

/**
 * Where an item's facts come from, as a person names it: the book or talk, the chapter, the
 * heading. Notes of the learner's own (`quiz --from DIR`) keep their file name and line.
 */
export function cite(item: Item): string {
  const s = item.source;
  const known = own<NotesSource>(NOTES_SOURCES, s.file);
  if (!known) return `${s.file}, "${s.heading}"${s.line ? `, line ${s.line}` : ''}`;
  const chapter = known.chapters ? own<string>(known.chapters, s.heading) : undefined;
  return `${known.title}${chapter ? `, ${chapter}` : ''}: "${s.heading}"`;
}

/** The right answer, as a learner reads it. */
export function modelAnswer(item: Item): string {
  switch (item.kind) {
    case 'choice': {
      const right = Array.isArray(item.answer) ? item.answer : [item.answer];
      return right.map((i) => `${String.fromCharCode(97 + i)}) ${item.choices[i]}`).join(', ');
    }
    case 'short':
      return `"${item.answer}"`;
    case 'command':
      return `\`${item.answer}\``;
    case 'manifest':
      return 'the manifest shown below';
  }
}

const baseSnapshots = new WeakMap<object, Map<string, Promise<Snapshot>>>();

/** A scratch cluster (no controllers: only what a command writes changes) holding the item's setup. */
async function scratch(host: ClusterHost, setup: SetupEntry[] | undefined, opts: GradeOptions): Promise<HostedSandbox> {
  const key = JSON.stringify(setup ?? []);
  let byHost = baseSnapshots.get(host);
  if (!byHost) baseSnapshots.set(host, (byHost = new Map()));
  // The promise is kept, not the snapshot: two copies asked for at once share one setup, so
  // generated names (a pod's token volume) are the same in both.
  let base = byHost.get(key);
  if (!base) {
    base = seedSnapshot(host, setup, opts);
    byHost.set(key, base);
    base.catch(() => byHost!.delete(key));
  }
  return host.create({ controlPlane: false, from: await base });
}

async function seedSnapshot(host: ClusterHost, setup: SetupEntry[] | undefined, opts: GradeOptions): Promise<Snapshot> {
  const seed = host.create({ controlPlane: false });
  try {
    for (const entry of setup ?? []) {
      if ('apply' in entry) for (const obj of manifestObjects(entry.apply)) await seed.client.apply(obj, 'default');
      else {
        const r = await kubectlIn(seed, { args: kubectlArgs(entry.run) }, opts);
        if (r.code !== 0) throw new Error(`the quiz item's setup failed at \`${entry.run}\`: ${r.stderr}`);
      }
    }
    return seed.snapshot();
  } finally {
    seed.dispose();
  }
}

async function gradeCommand(item: CommandItem, answer: string, opts: GradeOptions & { host: ClusterHost }): Promise<Grade> {
  let args: string[];
  try {
    args = kubectlArgs(answer);
  } catch (err) {
    if (err instanceof LearnerError) return finish(item, 'wrong', [err.message], `That command cannot run here: ${err.message}.`);
    throw err;
  }
  const [mine, model] = await Promise.all([scratch(opts.host, item.setup, opts), scratch(opts.host, item.setup, opts)]);
  try {
    // Nothing runs on a scratch cluster to clear finalizers, so a delete is not waited for.
    const noWait = (a: string[]) => (a.includes('delete') && !a.some((x) => x.startsWith('--wait')) ? [...a, '--wait=false'] : a);
    let ran;
    // The learner's words are theirs: a guarded runner reads them with its policy, as /kubectl's.
    const mineRun = kubectlIn(mine, { args: noWait(args), fromLearner: {}, timeoutMs: 30_000 }, opts);
    const [settled, want] = await Promise.all([
      mineRun.then((r) => ({ ok: true as const, r }), (err: unknown) => ({ ok: false as const, err })),
      kubectlIn(model, { args: noWait(kubectlArgs(item.answer)), timeoutMs: 30_000 }, opts),
    ]);
    if (!settled.ok) {
      if (settled.err instanceof LearnerError) return finish(item, 'wrong', [settled.err.message], `That command cannot run here: ${settled.err.message}.`);
      throw settled.err;
    }
    ran = settled.r;
    if (want.code !== 0) throw new Error(`quiz item ${item.id}: the model answer fails: ${want.stderr}`);
    if (ran.code !== 0) {
      const err = ran.stderr.trim().split('\n')[0] ?? '';
      return finish(item, 'wrong', [err], `kubectl refused that command (${err}).`);
    }
    const details = stateDifferences(mine.snapshot(), model.snapshot());
    if ((item.grade ?? 'state') === 'output' && normaliseOutput(ran.stdout) !== normaliseOutput(want.stdout)) {
      details.push(`it printed:\n${clipLines(ran.stdout)}\nwhere the answer prints:\n${clipLines(want.stdout)}`);
    }
    if (!details.length) return finish(item, 'correct', [], args.join(' ') === kubectlArgs(item.answer).join(' ') ? 'Right.' : `Right: that has the same effect as \`${item.answer}\`.`);
    return finish(item, 'wrong', details, `Not quite: the cluster ends up different from what \`${item.answer}\` leaves (${details[0].split('\n')[0]}).`);
  } finally {
    mine.dispose();
    model.dispose();
  }
}

async function gradeManifest(item: ManifestItem, answer: string, opts: GradeOptions & { host: ClusterHost }): Promise<Grade> {
  const mine = await scratch(opts.host, item.setup, opts);
  try {
    const r = await kubectlIn(mine, { args: ['apply', '-n', 'default', '-f', '-'], input: answer, timeoutMs: 30_000 }, opts);
    if (r.code !== 0) {
      const err = r.stderr.trim().split('\n')[0] ?? '';
      return finish(item, 'wrong', [err], `The cluster did not accept that manifest: ${err}`);
    }
    const results = await runChecks(item.checks, { client: mine.client, namespace: 'default' });
    const failed = results.filter((c) => !c.passed).map((c) => c.message);
    if (!failed.length) return finish(item, 'correct', []);
    return finish(item, results.length > 1 && failed.length === 1 ? 'close' : 'wrong', failed, `${failed.length === 1 ? 'Nearly' : 'Not yet'}: ${failed.join(' ')}`);
  } finally {
    mine.dispose();
  }
}

function normaliseOutput(s: string): string {
  return s.replace(/[ \t]+/g, ' ').replace(/ *\n/g, '\n').trim();
}

function clipLines(s: string): string {
  const lines = s.trimEnd().split('\n');
  return lines.length > 8 ? [...lines.slice(0, 8), '…'].join('\n') : lines.join('\n');
}
