// What the learner has done since the current step opened: the commands they ran and the objects
// that changed in the lesson's namespaces. A check that fails on something nobody has touched yet
// is "not yet", not a mistake: a step opens with no red, and reading the cluster (`kubectl get
// nodes`, `clear`) marks nothing wrong.
import type { Check } from '../lessons/types.js';
import { isKubectl, parseCommand } from '../lessons/diagnose/command.js';

export type CheckState = 'passed' | 'failed' | 'pending';

/** What a check is about: a kind (as the lesson wrote it), maybe a name, maybe a namespace. */
export interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** kubectl verbs that only read: running them touches nothing. */
const READ_VERBS = new Set([
  'get', 'describe', 'logs', 'explain', 'api-resources', 'api-versions', 'top', 'version', 'cluster-info', 'config', 'auth',
  'events', 'wait', 'diff', 'completion', 'plugin', 'options', 'help', 'proxy', 'port-forward', 'kustomize', 'alpha',
]);

/** The RBAC kinds an access check (`canI`) rests on. */
const RBAC = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'serviceaccounts'];

/** The subjects a check reads: what the learner must touch for its failure to count. */
export function subjectsOf(check: Check, namespace: string): Subject[] {
  const ns = (n?: string) => n ?? namespace;
  if ('exists' in check) return [{ kind: check.exists.kind, name: check.exists.name, namespace: ns(check.exists.namespace) }];
  if ('absent' in check) return [{ kind: check.absent.kind, name: check.absent.name, namespace: ns(check.absent.namespace) }];
  if ('field' in check) return [{ kind: check.field.kind, name: check.field.name, namespace: ns(check.field.namespace) }];
  if ('count' in check) return [{ kind: check.count.kind, namespace: ns(check.count.namespace) }];
  if ('condition' in check) return [{ kind: check.condition.kind, name: check.condition.name, namespace: ns(check.condition.namespace) }];
  if ('pod' in check) return [{ kind: 'pods', name: check.pod.name, namespace: ns(check.pod.namespace) }];
  if ('exec' in check) return [{ kind: 'pods', name: check.exec.name, namespace: ns(check.exec.namespace) }];
  if ('event' in check) return [{ kind: check.event.kind, name: check.event.name, namespace: ns(check.event.namespace) }];
  if ('endpoints' in check) {
    const n = ns(check.endpoints.namespace);
    return [{ kind: 'services', name: check.endpoints.service, namespace: n }, { kind: 'pods', namespace: n }];
  }
  return RBAC.map((kind) => ({ kind }));
}

/** A command the learner ran, as far as touching the cluster goes. */
export interface CommandTouch {
  /** Words of the command other than flags, after the verb: kinds and names it names. */
  words: string[];
  /** It may change the cluster (not a read-only kubectl verb). */
  changes: boolean;
}

/** Reads a shell command line as kubectl would: its verb and the words it names; undefined if it is not kubectl. */
export function readCommand(line: string): CommandTouch | undefined {
  const cmd = parseCommand(line);
  if (!isKubectl(cmd.program) || !cmd.command.length) return undefined;
  const [verb, ...sub] = cmd.command;
  return { words: [...sub, ...cmd.args.flatMap((w) => w.split(/[/,]/).filter(Boolean))], changes: !READ_VERBS.has(verb) };
}

/** Maps a kind as written (`Pod`, `po`, `deploy`, `configmaps`) to the resource's plural name. */
export type ResourceOf = (kind: string) => string;

const lower: ResourceOf = (k) => k.toLowerCase();

export class StepActivity {
  private readonly commands: CommandTouch[] = [];
  /** `resource/namespace/name` and `resource/namespace/` of every object seen to change. */
  private readonly changed = new Set<string>();

  /** A command the learner ran in this step (its exit status does not matter: a failed try is a try). */
  noteCommand(line: string): void {
    const c = readCommand(line);
    if (c?.changes) this.commands.push(c);
  }

  /** An object of `resource` (plural, as the API names it) changed, by the learner or because of them. */
  noteChange(resource: string, namespace: string | undefined, name: string): void {
    this.changed.add(`${resource}/${namespace ?? ''}/${name}`);
    this.changed.add(`${resource}/${namespace ?? ''}/`);
  }

  /** Whether anything the check reads has been touched in this step. */
  touched(check: Check, namespace: string, resourceOf: ResourceOf = lower): boolean {
    return subjectsOf(check, namespace).some((s) => this.touchedSubject(s, resourceOf));
  }

  private touchedSubject(s: Subject, resourceOf: ResourceOf): boolean {
    const kind = s.kind === undefined ? undefined : resourceOf(s.kind);
    // A command that changes the cluster and names the object (or, for a check on any object of
    // a kind, the kind) is a try wherever it landed: a ConfigMap made in the wrong namespace is
    // a mistake to point out, not "not yet".
    const names = (w: string) => (s.name !== undefined ? w === s.name : kind !== undefined && resourceOf(w) === kind);
    if (this.commands.some((c) => c.words.some(names))) return true;
    if (kind === undefined) return this.commands.length > 0 || this.changed.size > 0;
    const name = s.name ?? '';
    // Cluster-scoped objects change with no namespace, whatever namespace the check defaulted to.
    return this.changed.has(`${kind}/${s.namespace ?? ''}/${name}`) || this.changed.has(`${kind}//${name}`);
  }
}

/**
 * The three marks of a check: passed; failed once the learner has touched what it reads; else
 * pending. Without activity (a one-off `kubedojo check`, where the learner asked for a verdict)
 * a failing check is failed.
 */
export function markOf(passed: boolean, touched: boolean | undefined): CheckState {
  if (passed) return 'passed';
  return touched === false ? 'pending' : 'failed';
}
