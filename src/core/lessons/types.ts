// The shape of a lesson file (lessons/*.yaml) and of the checks a task is graded by. The JSON
// Schema in lessons/lesson.schema.json describes the same shape for authors' editors; a test keeps
// the two in step.

/** Where a lesson's facts come from: a notes file and a heading in it. */
export interface SourceRef {
  file: string;
  heading: string;
}

/** Names one object (or, with a selector, a set of them) through the Kubernetes API. */
export interface ObjectRef {
  /** Kind, plural or short name as kubectl takes it: Pod, pods, po, deploy, Deployment… */
  kind: string;
  name?: string;
  /** Label selector (`app=web,tier!=db`); used instead of a name. */
  selector?: string;
  /** Defaults to the lesson's first namespace; ignored for cluster-scoped kinds. */
  namespace?: string;
}

/** A pod (or, with a selector, the pods) a pod or exec check looks at; `kind` may be left out. */
export type PodRef = Omit<ObjectRef, 'kind'> & { kind?: string };

/** Comparisons a field (or a command's output) is held to; every one given must hold. */
export interface Expectation {
  equals?: string | number | boolean;
  notEquals?: string | number | boolean;
  /** A regular expression (JavaScript syntax), unanchored. */
  matches?: string;
  contains?: string;
  notContains?: string;
  atLeast?: number;
  atMost?: number;
  oneOf?: (string | number | boolean)[];
  /** true: the path must find nothing (a Service without a selector). */
  unset?: boolean;
}

/** Words a lesson author may give a check, in the task's own terms; they never state the answer. */
export interface CheckWords {
  /** The sentence shown when the check fails, in place of the one made from the check. */
  says?: string;
  /** What the check asks, in the task's words, shown in check lists in place of the derived label. */
  label?: string;
}

export type Check = CheckWords &
  (
    | { exists: ObjectRef }
    | { absent: ObjectRef }
    | { field: ObjectRef & Expectation & { path: string } }
    | { count: ObjectRef & Expectation & { phase?: string; ready?: boolean } }
    | { pod: PodRef & { phase?: string; ready?: boolean; condition?: string; restartsAtLeast?: number; reason?: string } }
    | { condition: ObjectRef & { type: string; status?: 'True' | 'False' | 'Unknown'; reason?: string } }
    | { event: { reason: string; kind?: string; name?: string; namespace?: string; messageContains?: string } }
    | { endpoints: { service: string; namespace?: string; atLeast?: number; port?: number } }
    | { canI: { verb: string; resource: string; subresource?: string; name?: string; namespace?: string; as?: string; groups?: string[]; expect: boolean } }
    | { exec: PodRef & Expectation & { container?: string; command: string[]; exitCode?: number } }
  );

export type CheckKind = 'exists' | 'absent' | 'field' | 'count' | 'pod' | 'condition' | 'event' | 'endpoints' | 'canI' | 'exec';

export interface Task {
  /** What to do, in Markdown. */
  text: string;
  checks: Check[];
}

/** One solution entry: a kubectl command line (split into words as a shell would, never run by one), or a manifest applied. */
export type SolutionEntry = string | { apply: string };

export interface Step {
  id: string;
  title: string;
  /** Markdown. */
  explanation: string;
  tasks: Task[];
  /** Progressive: the first is a nudge, the last nearly the answer. */
  hints: string[];
  solution: SolutionEntry[];
  /** Shown once the step passes: what happened in the cluster, in Markdown. */
  outcome: string;
}

export type SetupEntry = { apply: string } | { run: string };

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  topics: string[];
  sources: SourceRef[];
  minutes: number;
  prerequisites: string[];
  /** The lesson's own namespaces: created at start, deleted on reset. The first is its default. */
  namespaces: string[];
  /** Files put in the learner's working directory (name → content). */
  files?: Record<string, string>;
  setup?: SetupEntry[];
  /** Cleaning up what lives outside the lesson's namespaces (node labels, taints, PVs…). */
  reset?: { delete?: ObjectRef[]; run?: string[] };
  steps: Step[];
  /** Set by the loader: the file it came from. */
  file?: string;
}
