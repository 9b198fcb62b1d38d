// Quiz items and exam tasks, as kept in lessons/quiz/*.yaml and lessons/exams/*.yaml.
import type { Check, SetupEntry, SolutionEntry, SourceRef } from '../lessons/types.js';

export type ItemKind = 'choice' | 'short' | 'command' | 'manifest';

interface ItemBase {
  /** Unique across the bank: `<topic>-<n>` for written items, `gen-…` for generated ones. */
  id: string;
  kind: ItemKind;
  topic: string;
  /** 1 recall, 2 understanding, 3 applying it. */
  difficulty: 1 | 2 | 3;
  source: SourceRef & { line?: number };
  /** Markdown. */
  question: string;
  /** Why the answer is right, shown after any answer. */
  explanation: string;
}

export interface ChoiceItem extends ItemBase {
  kind: 'choice';
  choices: string[];
  /** Index (or indices, for "choose all that apply") into choices. */
  answer: number | number[];
}

export interface ShortItem extends ItemBase {
  kind: 'short';
  answer: string;
  /** Other spellings that are just as right (synonyms, short names). */
  accept?: string[];
}

/** Graded by effect: the learner's kubectl command and the model answer run on scratch copies of one cluster. */
export interface CommandItem extends ItemBase {
  kind: 'command';
  /** Objects the scratch cluster holds before the command (namespace `default` unless a manifest says otherwise). */
  setup?: SetupEntry[];
  /** The model answer: one kubectl command line. */
  answer: string;
  /** `state` (default) compares the clusters after; `output` compares what the commands printed (for read-only commands). */
  grade?: 'state' | 'output';
}

/** The learner writes YAML; it is applied to a scratch cluster and checked. */
export interface ManifestItem extends ItemBase {
  kind: 'manifest';
  setup?: SetupEntry[];
  /** Checks run against the scratch cluster after applying (namespace `default`). */
  checks: Check[];
  /** A model manifest that passes. */
  answer: string;
}

export type Item = ChoiceItem | ShortItem | CommandItem | ManifestItem;

export type Track = 'cka' | 'ckad';

export interface Domain {
  id: string;
  name: string;
  /** Percent of the exam, as the official curriculum weighs it. */
  weight: number;
}

/** A performance task of an exam drill: graded per check, for partial credit. */
export interface ExamTask {
  id: string;
  domain: string;
  title: string;
  /** Markdown; names the namespace the task works in. */
  text: string;
  /** Its own namespace, created (fresh) when the exam starts. */
  namespace: string;
  setup?: SetupEntry[];
  /** Cleaning up what lives outside the task's namespace. */
  reset?: { delete?: import('../lessons/types.js').ObjectRef[]; run?: string[] };
  checks: Check[];
  solution: SolutionEntry[];
  /** Relative weight inside its domain (default 1). */
  weight?: number;
}

export interface ExamBank {
  track: Track;
  title: string;
  minutes: number;
  passPercent: number;
  domains: Domain[];
  tasks: ExamTask[];
}
