// Which kubectl commands may run where there is no terminal and the machine is not the learner's
// (the Slack bot): one command of a known kind, against the learner's own cluster, that ends by
// itself and touches no file of the machine running it. Everything else is explained, not run.
//
// The words are read as kubectl reads them (cobra finds the command, pflag the flags), with the
// flag table generated from kubectl itself (kubectl-flags.ts). Only commands and flags named below
// pass, and what runs is not the learner's words but a canonical list built from this reading:
// the command first, then every flag as `--name=value`, then the arguments. No word in it can be
// read two ways, so kubectl cannot understand something the policy did not.
import { LearnerError } from '../problems.js';
import type { KubectlFlag, KubectlFlagTable } from './kubectl-flag-types.js';
import { COMMANDS, GLOBAL_FLAGS, TOP_LEVEL_COMMANDS } from './kubectl-flags.js';

export interface VetOptions {
  /** The lines after the command: what `-f -` reads. */
  manifest?: string;
  /** The lesson's own files by name: `-f NAME` reads one of them. */
  files?: Record<string, string>;
}

export interface Vetted {
  /** The canonical arguments to run (without `kubectl`). */
  args: string[];
  /** Input for `-f -`: the lines after the command, or the lesson file named by `-f`. */
  stdin?: string;
  /** What was changed on the way, for the learner: e.g. a timeout shortened. */
  notes: string[];
}

const NEEDS_TERMINAL: Record<string, string> = {
  edit: '`kubectl edit` opens an editor, and Slack has none. Use `kubectl patch`, `kubectl set` or `kubectl apply -f -` with the manifest on the lines after the command.',
  attach: '`kubectl attach` streams a container\'s terminal, which Slack cannot show. `kubectl logs` shows what it printed.',
  'port-forward': '`kubectl port-forward` keeps a connection open on the machine that runs it; in Slack that would be the bot\'s. Try `kubectl get --raw /api/v1/namespaces/NS/services/NAME:PORT/proxy/` instead.',
  proxy: '`kubectl proxy` serves on the machine that runs it, which here is the bot\'s. Use `kubectl get --raw PATH` to read API paths.',
  cp: '`kubectl cp` copies files to or from the machine that runs it, which here is the bot\'s. Use `kubectl exec POD -- cat FILE` to read a file.',
  debug: '`kubectl debug` needs an interactive terminal. Use it in the terminal tutor (`kubedojo`).',
  config: 'There is one cluster and one context here, chosen for you; `kubectl config` has nothing to change.',
  plugin: 'kubectl plugins are other programs, and only kubectl runs here.',
  completion: 'Shell completion is for a terminal.',
  kustomize: '`kubectl kustomize` reads folders on the machine that runs it, which here is the bot\'s.',
  diff: '`kubectl diff` runs another program (diff) on the machine that runs it, and only kubectl runs here. `kubectl apply --dry-run=server -f -` shows what would be stored.',
};

/** Commands under an allowed verb that still do not run here, and why. */
const REFUSED_PATHS: Record<string, [string, string]> = {
  'cluster-info dump': ['`kubectl cluster-info dump` prints the whole cluster or writes it into a folder of the machine that runs it', 'Look at what you need with `kubectl get`, `kubectl describe` or `kubectl logs`.'],
  'create secret tls': ['`kubectl create secret tls` reads the certificate and key from files on the machine that runs it, which here is the bot\'s', 'Put a Secret of type kubernetes.io/tls on the lines after `kubectl apply -f -`.'],
  'apply edit-last-applied': ['`kubectl apply edit-last-applied` opens an editor, and Slack has none', 'Use `kubectl apply -f -` with the manifest on the lines after the command.'],
};

// Flags grouped as kubectl groups them: how a result is printed, and how a new object is sent.
const PRINT = ['output', 'template', 'allow-missing-template-keys', 'show-managed-fields'];
const SEND = [...PRINT, 'dry-run', 'field-manager'];
const NEW = [...SEND, 'save-config', 'validate'];

/**
 * Flags every allowed command may carry. `--as` and `--as-group` stay: the learner's token is their
 * own cluster's admin, and the cluster checks an impersonated user against its own RBAC objects, so
 * impersonating can only narrow what the learner may do, never reach another cluster.
 */
const GLOBAL_ALLOWED = ['namespace', 'as', 'as-group', 'as-uid', 'request-timeout', 'warnings-as-errors', 'help'];

/** Each command path that runs here, with the flags (besides the global ones) it may carry. */
const ALLOWED: Record<string, readonly string[]> = {
  get: [...PRINT, 'all-namespaces', 'chunk-size', 'field-selector', 'filename', 'ignore-not-found', 'label-columns', 'no-headers', 'raw', 'selector', 'server-print', 'show-kind', 'show-labels', 'sort-by', 'subresource'],
  describe: ['all-namespaces', 'chunk-size', 'filename', 'selector', 'show-events'],
  create: [...NEW, 'filename', 'selector'],
  'create clusterrole': [...NEW, 'aggregation-rule', 'non-resource-url', 'resource', 'resource-name', 'verb'],
  'create clusterrolebinding': [...NEW, 'clusterrole', 'group', 'serviceaccount', 'user'],
  'create configmap': [...NEW, 'append-hash', 'from-literal'],
  'create cronjob': [...NEW, 'image', 'restart', 'schedule'],
  'create deployment': [...NEW, 'image', 'port', 'replicas'],
  'create ingress': [...NEW, 'annotation', 'class', 'default-backend', 'rule'],
  'create job': [...NEW, 'from', 'image'],
  'create namespace': NEW,
  'create poddisruptionbudget': [...NEW, 'max-unavailable', 'min-available', 'selector'],
  'create priorityclass': [...NEW, 'description', 'global-default', 'preemption-policy', 'value'],
  'create quota': [...NEW, 'hard', 'scopes'],
  'create role': [...NEW, 'resource', 'resource-name', 'verb'],
  'create rolebinding': [...NEW, 'clusterrole', 'group', 'role', 'serviceaccount', 'user'],
  'create secret generic': [...NEW, 'append-hash', 'from-literal', 'type'],
  'create secret docker-registry': [...NEW, 'append-hash', 'docker-email', 'docker-password', 'docker-server', 'docker-username'],
  'create service clusterip': [...NEW, 'clusterip', 'tcp'],
  'create service externalname': [...NEW, 'external-name', 'tcp'],
  'create service loadbalancer': [...NEW, 'tcp'],
  'create service nodeport': [...NEW, 'node-port', 'tcp'],
  'create serviceaccount': NEW,
  // A token or a certificate opens only the learner's own sandbox cluster, which they already
  // hold the admin token of: handing them out reaches nothing new.
  'create token': [...PRINT, 'audience', 'bound-object-kind', 'bound-object-name', 'bound-object-uid', 'duration'],
  'certificate approve': [...PRINT, 'filename', 'force'],
  'certificate deny': [...PRINT, 'filename', 'force'],
  apply: [...SEND, 'validate', 'filename', 'selector', 'cascade', 'force', 'force-conflicts', 'grace-period', 'openapi-patch', 'overwrite', 'server-side', 'subresource', 'timeout', 'wait'],
  'apply view-last-applied': ['all', 'filename', 'output', 'selector'],
  delete: ['output', 'dry-run', 'filename', 'selector', 'all', 'all-namespaces', 'field-selector', 'cascade', 'force', 'grace-period', 'ignore-not-found', 'now', 'timeout', 'wait'],
  replace: [...SEND, 'validate', 'filename', 'save-config', 'cascade', 'force', 'grace-period', 'subresource', 'timeout', 'wait'],
  patch: [...SEND, 'filename', 'local', 'patch', 'subresource', 'type'],
  run: [...SEND, 'save-config', 'image', 'env', 'labels', 'port', 'expose', 'command', 'restart', 'overrides', 'override-type', 'image-pull-policy', 'annotations', 'privileged', 'quiet'],
  expose: [...SEND, 'save-config', 'filename', 'port', 'target-port', 'protocol', 'type', 'name', 'selector', 'labels', 'external-ip', 'cluster-ip', 'load-balancer-ip', 'session-affinity', 'overrides', 'override-type'],
  scale: [...PRINT, 'dry-run', 'filename', 'selector', 'all', 'replicas', 'current-replicas', 'resource-version', 'timeout'],
  autoscale: [...SEND, 'save-config', 'filename', 'min', 'max', 'cpu-percent', 'name'],
  'rollout history': [...PRINT, 'filename', 'selector', 'revision'],
  'rollout pause': [...PRINT, 'field-manager', 'filename', 'selector'],
  'rollout restart': [...PRINT, 'field-manager', 'filename', 'selector'],
  'rollout resume': [...PRINT, 'field-manager', 'filename', 'selector'],
  'rollout status': ['filename', 'selector', 'revision', 'timeout'],
  'rollout undo': [...PRINT, 'dry-run', 'filename', 'selector', 'to-revision'],
  'set env': [...SEND, 'filename', 'selector', 'all', 'local', 'containers', 'env', 'from', 'keys', 'list', 'overwrite', 'prefix', 'resolve'],
  'set image': [...SEND, 'filename', 'selector', 'all', 'local'],
  'set resources': [...SEND, 'filename', 'selector', 'all', 'local', 'containers', 'limits', 'requests'],
  'set selector': [...SEND, 'filename', 'all', 'local', 'resource-version'],
  'set serviceaccount': [...SEND, 'filename', 'all', 'local'],
  'set subject': [...SEND, 'filename', 'selector', 'all', 'local', 'group', 'serviceaccount', 'user'],
  label: [...SEND, 'filename', 'selector', 'all', 'all-namespaces', 'field-selector', 'list', 'local', 'overwrite', 'resource-version'],
  annotate: [...SEND, 'filename', 'selector', 'all', 'all-namespaces', 'field-selector', 'list', 'local', 'overwrite', 'resource-version'],
  logs: ['all-containers', 'all-pods', 'container', 'ignore-errors', 'limit-bytes', 'max-log-requests', 'pod-running-timeout', 'prefix', 'previous', 'selector', 'since', 'since-time', 'tail', 'timestamps'],
  exec: ['container', 'pod-running-timeout', 'quiet'],
  'top node': ['no-headers', 'selector', 'show-capacity', 'sort-by', 'use-protocol-buffers'],
  'top pod': ['all-namespaces', 'containers', 'field-selector', 'no-headers', 'selector', 'sort-by', 'sum', 'use-protocol-buffers'],
  explain: ['api-version', 'output', 'recursive'],
  'api-resources': ['api-group', 'categories', 'namespaced', 'no-headers', 'output', 'sort-by', 'verbs'],
  'api-versions': [],
  version: ['client', 'output'],
  'cluster-info': [],
  taint: [...SEND, 'validate', 'selector', 'all', 'overwrite'],
  cordon: ['dry-run', 'selector'],
  uncordon: ['dry-run', 'selector'],
  drain: ['dry-run', 'selector', 'chunk-size', 'delete-emptydir-data', 'disable-eviction', 'force', 'grace-period', 'ignore-daemonsets', 'pod-selector', 'skip-wait-for-delete-timeout', 'timeout'],
  'auth can-i': ['all-namespaces', 'list', 'no-headers', 'quiet', 'subresource'],
  'auth whoami': PRINT,
  wait: [...PRINT, 'filename', 'selector', 'all', 'all-namespaces', 'field-selector', 'for', 'timeout'],
  events: [...PRINT, 'all-namespaces', 'chunk-size', 'for', 'no-headers', 'types'],
};

/** Commands whose words after `--` are a container's command. Elsewhere nothing follows `--`. */
const TAKES_A_COMMAND = new Set(['exec', 'run', 'create deployment', 'create job', 'create cronjob']);

/** The longest a command may wait here. */
export const MAX_WAIT_SECONDS = 60;

/**
 * Flags that bound a wait, and how: `zeroIsForever` where 0 means no limit at all; `addIfAbsent`
 * where the command waits without limit when the flag is left out.
 */
const WAITS: Record<string, { zeroIsForever?: boolean; addIfAbsent?: boolean }> = {
  '* request-timeout': { zeroIsForever: true },
  'rollout status timeout': { zeroIsForever: true, addIfAbsent: true },
  'drain timeout': { zeroIsForever: true, addIfAbsent: true },
  'wait timeout': {},
  'delete timeout': {},
  'apply timeout': {},
  'replace timeout': {},
  'scale timeout': {},
  'logs pod-running-timeout': {},
  'exec pod-running-timeout': {},
};

const CLUSTER: [string, string] = ['the cluster is chosen for you', 'Leave it out: every command here runs against your own cluster.'];
const CREDENTIALS: [string, string] = ['your credentials are chosen for you', 'Leave it out: every command here runs as you, on your own cluster. `--as` shows what another user may do.'];
const WRITES: [string, string] = ['it writes files on the machine that runs kubectl, which here is the bot\'s', 'Leave it out; what the command prints comes back to you here.'];
const READS: [string, string] = ['it reads files on the machine that runs kubectl, which here is the bot\'s', 'Put a manifest on the lines after `kubectl apply -f -` instead.'];
const WATCH: [string, string] = ['a watch never ends, and a Slack reply must', 'Run the command again to see what changed, or wait for a condition with `kubectl wait --for=...`.'];
const INTERACTIVE: [string, string] = ['an interactive session needs a terminal', 'Run the command without -it, e.g. `kubectl exec POD -- ls /`; for a shell, use the terminal tutor (`kubedojo`).'];
const VERBOSE: [string, string] = ['it prints the requests kubectl sends, credentials and all', 'Leave it out; kubectl\'s own errors come back to you as they are.'];

/** Why a flag kubectl has (or had) is refused, where there is more to say than "not used here". */
const WHY_NOT: Record<string, [string, string]> = {
  kubeconfig: CLUSTER, context: CLUSTER, cluster: CLUSTER, server: CLUSTER, 'tls-server-name': CLUSTER,
  'insecure-skip-tls-verify': CLUSTER, 'certificate-authority': CLUSTER, 'match-server-version': CLUSTER,
  token: CREDENTIALS, user: CREDENTIALS, username: CREDENTIALS, password: CREDENTIALS,
  'client-certificate': CREDENTIALS, 'client-key': CREDENTIALS,
  'cache-dir': WRITES, 'log-file': WRITES, 'log-dir': WRITES, profile: WRITES, 'profile-output': WRITES, 'output-directory': WRITES,
  'from-file': [READS[0], 'Give each value with `--from-literal=KEY=VALUE`, or put a manifest on the lines after `kubectl apply -f -`.'],
  'from-env-file': [READS[0], 'Give each value with `--from-literal=KEY=VALUE`, or put a manifest on the lines after `kubectl apply -f -`.'],
  'env-file': [READS[0], 'Give each variable with `--env=NAME=VALUE`.'],
  cert: [READS[0], 'Put a Secret of type kubernetes.io/tls on the lines after `kubectl apply -f -`.'],
  key: [READS[0], 'Put a Secret of type kubernetes.io/tls on the lines after `kubectl apply -f -`.'],
  'patch-file': [READS[0], 'Give the patch itself: `-p \'{"spec":{...}}\'`.'],
  kustomize: ['it reads folders on the machine that runs kubectl, which here is the bot\'s', READS[1]],
  recursive: ['it reads folders on the machine that runs kubectl, which here is the bot\'s', READS[1]],
  kuberc: READS,
  watch: WATCH, 'watch-only': WATCH, 'output-watch-events': WATCH,
  follow: ['it would follow the logs forever, and a Slack reply must end', 'Leave out -f; add `--tail=20` for the last lines.'],
  stdin: INTERACTIVE, tty: INTERACTIVE, attach: INTERACTIVE, 'leave-stdin-open': INTERACTIVE, rm: INTERACTIVE,
  interactive: ['it asks for confirmation on a terminal', 'Leave it out; add `--dry-run=server` first if you want to see what would go.'],
  edit: ['it opens an editor, and Slack has none', NEEDS_TERMINAL.edit],
  v: VERBOSE, vmodule: VERBOSE,
};

/** Output formats that print to the reply. The `*-file` ones read a template from a file. */
const OUTPUTS = new Set(['json', 'yaml', 'wide', 'name']);
const INLINE_TEMPLATES = ['jsonpath', 'jsonpath-as-json', 'go-template', 'template', 'custom-columns'];
/** Formats whose template is in --template: these may carry it. */
const TEMPLATE_FORMATS = new Set(['jsonpath', 'jsonpath-as-json', 'go-template', 'template']);
const EXPLAIN_OUTPUTS = new Set(['plaintext', 'plaintext-openapiv2']);

/** The values kubectl reads as true or false (Go's strconv.ParseBool). */
const BOOLS: Record<string, boolean> = { 1: true, t: true, T: true, TRUE: true, true: true, True: true, 0: false, f: false, F: false, FALSE: false, false: false, False: false };

/** What each command level knows: its flags by long and short name, and its subcommands. */
interface Level {
  flags: KubectlFlagTable;
  shorts: Map<string, string>;
  child(word: string): string | undefined;
}

const HELP: KubectlFlag = { short: 'h', takes: 'bool' };

/** A record's own entry: names come from the learner, and `constructor` must not find Object's. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * The flags of a command level. While the command is being found, kubectl does not know --help
 * yet (cobra adds it just before parsing the found command's flags), so `withHelp` is false then.
 */
function level(path: string[], withHelp: boolean): Level {
  const entry = path.length ? COMMANDS[path.join(' ')] : undefined;
  const flags: KubectlFlagTable = { ...GLOBAL_FLAGS, ...entry?.flags, ...(withHelp ? { help: HELP } : {}) };
  const shorts = new Map(Object.entries(flags).filter(([, f]) => f.short).map(([n, f]) => [f.short, n]));
  const names = path.length ? entry?.subcommands ?? [] : TOP_LEVEL_COMMANDS;
  return {
    flags,
    shorts,
    child(word) {
      for (const name of names) {
        if (name === word || COMMANDS[[...path, name].join(' ')]?.aliases.includes(word)) return name;
      }
      return undefined;
    },
  };
}

const bytes = (s: string) => Buffer.byteLength(s);
const longFlag = (lv: Level, name: string): KubectlFlag | undefined => own(lv.flags, name.replaceAll('_', '-'));

/** Whether a flag word, while the command is being found, takes the next word as its value. */
function takesNextWord(s: string, lv: Level): boolean {
  if (s.includes('=')) return false;
  if (s.startsWith('--')) return longFlag(lv, s.slice(2))?.takes === 'value' || !longFlag(lv, s.slice(2));
  if (s.startsWith('-') && bytes(s) === 2) {
    const name = lv.shorts.get(s.slice(1));
    return !name || lv.flags[name].takes === 'value';
  }
  return false;
}

/** The words that are not flags or flags' values, as cobra sees them while finding the command. */
function nonFlagWords(args: string[], lv: Level): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const s = args[i];
    if (s === '--') break;
    if (takesNextWord(s, lv)) i++;
    else if (s !== '' && !s.startsWith('-')) words.push(s);
  }
  return words;
}

/** The words without the first `word` that is not a flag's value. */
function withoutFirst(args: string[], word: string, lv: Level): string[] {
  for (let i = 0; i < args.length; i++) {
    const s = args[i];
    if (s === '--') break;
    if (takesNextWord(s, lv)) i++;
    else if (!s.startsWith('-') && s === word) return [...args.slice(0, i), ...args.slice(i + 1)];
  }
  return args;
}

/** Finds the command as kubectl does: its path of names and the words left for its flag parser. */
function findCommand(args: string[]): { path: string[]; rest: string[] } {
  let path: string[] = [];
  let rest = args;
  for (;;) {
    const lv = level(path, false);
    const [first] = nonFlagWords(rest, lv);
    const name = first === undefined ? undefined : lv.child(first);
    if (name === undefined) return { path, rest };
    rest = withoutFirst(rest, first, lv);
    path = [...path, name];
    if (!COMMANDS[path.join(' ')]) return { path, rest };
  }
}

interface Given {
  name: string;
  flag: KubectlFlag;
  /** undefined: the flag alone, without a value. */
  value?: string;
  /** As the learner wrote it, for messages. */
  typed: string;
}

interface Parsed {
  flags: Given[];
  positionals: string[];
  /** The words after `--`, if there was one. */
  afterDash?: string[];
}

/** Reads the words after the command as kubectl's flag parser does, refusing each flag not allowed. */
function parseFlags(rest: string[], path: string[]): Parsed {
  const lv = level(path, true);
  const command = path.join(' ');
  const allowed = new Set([...GLOBAL_ALLOWED, ...ALLOWED[command]]);
  const flags: Given[] = [];
  const positionals: string[] = [];
  const admit = (name: string, typed: string) => {
    if (allowed.has(name)) return;
    const why = own(WHY_NOT, name);
    const shown = typed.startsWith('--') ? `\`${typed}\`` : `\`${typed}\` (--${name})`;
    if (why) throw new LearnerError(`${shown} is not allowed here: ${why[0]}`, why[1]);
    throw new LearnerError(`${shown} is not one of the flags used here with \`kubectl ${command}\``, `Leave it out. Flags it takes here: ${flagList(command)}.`);
  };
  for (let i = 0; i < rest.length;) {
    const s = rest[i++];
    if (s.length < 2 || s[0] !== '-') {
      positionals.push(s);
      continue;
    }
    if (s[1] === '-') {
      if (s.length === 2) return { flags, positionals, afterDash: rest.slice(i) };
      const body = s.slice(2);
      if (body[0] === '-' || body[0] === '=') throw new LearnerError(`bad flag syntax: ${s}`, 'A flag is written `--name=value` or `--name value`.');
      const eq = body.indexOf('=');
      const typedName = eq < 0 ? body : body.slice(0, eq);
      const name = typedName.replaceAll('_', '-');
      const flag = own(lv.flags, name);
      // A flag kubectl no longer lists (or never had) but that is refused for a reason: say it.
      if (!flag && !own(WHY_NOT, name)) throw unknownFlag(`unknown flag: --${typedName}`, command);
      admit(name, `--${typedName}`);
      if (!flag) throw unknownFlag(`unknown flag: --${typedName}`, command);
      if (eq >= 0) flags.push({ name, flag, value: body.slice(eq + 1), typed: s });
      else if (flag.takes !== 'value') flags.push({ name, flag, typed: s });
      else if (i < rest.length) flags.push({ name, flag, value: rest[i], typed: `${s} ${rest[i++]}` });
      else throw new LearnerError(`flag needs an argument: ${s}`, `Give it a value: \`${s}=VALUE\`.`);
      continue;
    }
    // A cluster of short flags: each letter is a flag until one that takes a value, which takes
    // the rest of the word (after an optional `=`), or the next word when nothing is left.
    let shorts = s.slice(1);
    while (shorts.length) {
      const c = shorts[0];
      const name = lv.shorts.get(c);
      if (!name) throw unknownFlag(`unknown shorthand flag: '${c}' in ${s}`, command);
      const flag = lv.flags[name];
      admit(name, `-${c}`);
      if (shorts.length > 2 && shorts[1] === '=') {
        flags.push({ name, flag, value: shorts.slice(2), typed: s });
        shorts = '';
      } else if (flag.takes !== 'value') {
        flags.push({ name, flag, typed: `-${c}` });
        shorts = shorts.slice(1);
      } else if (shorts.length > 1) {
        flags.push({ name, flag, value: shorts.slice(1), typed: s });
        shorts = '';
      } else if (i < rest.length) {
        flags.push({ name, flag, value: rest[i], typed: `-${c} ${rest[i++]}` });
        shorts = '';
      } else {
        throw new LearnerError(`flag needs an argument: '${c}' in ${s}`, `Give it a value: \`-${c} VALUE\`.`);
      }
    }
  }
  return { flags, positionals };
}

function unknownFlag(message: string, command: string): LearnerError {
  return new LearnerError(message, `\`kubectl ${command}\` has no such flag. Flags it takes here: ${flagList(command)}.`);
}

function flagList(command: string): string {
  const own = COMMANDS[command]?.flags ?? {};
  return [...(ALLOWED[command] ?? []), ...GLOBAL_ALLOWED.filter((n) => n !== 'help')]
    .map((n) => {
      const short = (own[n] ?? GLOBAL_FLAGS[n])?.short;
      return short ? `--${n} (-${short})` : `--${n}`;
    })
    .join(', ');
}

/** Seconds in a Go duration (`1h30m`, `90s`, `0`), or undefined when it is not one. */
function durationSeconds(text: string): number | undefined {
  if (text === '0') return 0;
  const m = /^([-+]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!m) return undefined;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * unit[part[2]];
  return m[1] === '-' ? -total : total;
}

/** A wait bounded to MAX_WAIT_SECONDS: the value to run with, and a note when it changed. */
function boundedWait(given: Given, rule: { zeroIsForever?: boolean }): { value: string; note?: string } {
  const value = given.value ?? '';
  // --request-timeout also takes a plain number of seconds.
  const seconds = given.name === 'request-timeout' && /^\d+$/.test(value) ? Number(value) : durationSeconds(value);
  if (seconds === undefined) throw new LearnerError(`\`${given.typed}\` is not a length of time`, `Write it like 30s, 2m or 1h, e.g. \`--${given.name}=30s\`.`);
  if (seconds > MAX_WAIT_SECONDS || seconds < 0 || (seconds === 0 && rule.zeroIsForever)) {
    return { value: `${MAX_WAIT_SECONDS}s`, note: `\`${given.typed}\` waits longer than a reply here can: it runs as \`--${given.name}=${MAX_WAIT_SECONDS}s\`.` };
  }
  return { value };
}

/** Refuses an output format that reads a file or is not one kubectl prints to the reply. */
function checkOutput(given: Given, command: string): void {
  const value = given.value ?? '';
  const format = value.includes('=') ? value.slice(0, value.indexOf('=')) : value;
  const ok = command === 'explain' ? EXPLAIN_OUTPUTS.has(value) : OUTPUTS.has(value) || TEMPLATE_FORMATS.has(value) || (value.includes('=') && INLINE_TEMPLATES.includes(format));
  if (ok) return;
  if (format.endsWith('-file') || format === 'templatefile') {
    throw new LearnerError(`\`${given.typed}\` is not allowed here: it reads a template from a file on the machine that runs kubectl, which here is the bot's`, 'Give the template itself: `-o jsonpath={.items[*].metadata.name}`, `-o go-template=...` or `-o custom-columns=NAME:.metadata.name`.');
  }
  const formats = command === 'explain' ? 'plaintext or plaintext-openapiv2' : 'json, yaml, wide, name, jsonpath=..., jsonpath-as-json=..., go-template=... or custom-columns=...';
  throw new LearnerError(`\`${given.typed}\` is not an output format used here`, `Use one of: ${formats}.`);
}

/** The lesson file or manifest `-f` names, or a refusal saying what `-f` may read here. */
function filenameInput(given: Given, opts: VetOptions): string {
  const value = given.value ?? '';
  const files = opts.files ?? {};
  const names = Object.keys(files);
  const fileName = Object.hasOwn(files, value) ? value : value.startsWith('./') && Object.hasOwn(files, value.slice(2)) ? value.slice(2) : undefined;
  if (fileName !== undefined) return files[fileName];
  if (value === '-') {
    if (!opts.manifest?.trim()) throw new LearnerError('`-f -` needs the manifest on the lines after the command', 'Put the YAML on the lines below `/kubectl apply -f -`, in the same message.');
    return opts.manifest;
  }
  const lesson = names.length ? `, or one of this lesson's files: ${names.join(', ')}` : '';
  throw new LearnerError(`\`${given.typed}\`: \`-f\` here reads only the lines after the command${lesson}`, 'Write `-f -` and put the manifest on the lines below the command, in the same message.');
}

/**
 * Checks a learner's kubectl words (without `kubectl`) for running without a terminal, on a
 * machine that is not theirs, and returns the canonical words to run instead. Throws a
 * LearnerError that says why not and what to do instead.
 */
export function vetKubectl(args: string[], opts: VetOptions = {}): Vetted {
  const { path, rest } = findCommand(args);
  const command = path.join(' ');
  if (!path.length) {
    const root = level([], false);
    const [first] = nonFlagWords(args, root);
    const stray = args.find((a) => a.startsWith('-') && a !== '-' && a !== '--' && !(a.startsWith('--') ? longFlag(root, a.slice(2).split('=')[0]) : root.shorts.has(a[1])));
    if (stray !== undefined && (first === undefined || args.indexOf(stray) < args.indexOf(first))) {
      throw new LearnerError(`\`${stray}\` comes before the command, where kubectl takes only its global flags (such as -n)`, 'Write the command first and its flags after it, e.g. `kubectl get pods -A`.');
    }
    if (first === undefined) throw new LearnerError('that has no kubectl command in it', 'Try `/kubectl get pods`.');
    throw notUsed(first);
  }
  const verb = path[0];
  if (NEEDS_TERMINAL[verb]) throw new LearnerError(`\`kubectl ${verb}\` is not run here`, NEEDS_TERMINAL[verb]);
  if (!COMMANDS[verb]) throw notUsed(verb);
  const refused = REFUSED_PATHS[command];
  if (refused) throw new LearnerError(refused[0], refused[1]);
  const subcommands = COMMANDS[command]?.subcommands ?? [];
  if (!ALLOWED[command]) {
    const open = runnable(command);
    if (open.length) throw new LearnerError(`\`kubectl ${command}\` needs one of its commands: ${open.join(', ')}`, `E.g. \`kubectl ${command} ${open[0]} ...\`; \`kubectl ${command} ${open[0]} --help\` tells more.`);
    throw new LearnerError(`\`kubectl ${command}\` is not one of the commands the exercises use`, 'Commands here: get, describe, create, apply, delete, run, expose, scale, rollout, set, label, annotate, patch, logs, exec, top, explain, taint, cordon, drain, auth can-i, wait and more.');
  }

  const parsed = parseFlags(rest, path);
  const notes: string[] = [];
  const out: string[] = [];
  let stdin: string | undefined;
  const outputs = parsed.flags.filter((f) => f.name === 'output');
  // The formats first: `--template=FILE -o go-template-file` is refused for what -o would read.
  for (const given of outputs) checkOutput(given, command);
  for (const given of parsed.flags) {
    let value = given.value;
    if (given.flag.takes === 'bool') {
      const b = value === undefined ? true : own(BOOLS, value);
      if (b === undefined) throw new LearnerError(`invalid argument "${value}" for "${given.typed}": it is true or false`, `Write \`--${given.name}\` or \`--${given.name}=false\`.`);
      value = String(b);
    } else if (value === undefined) {
      // --dry-run, --validate and --cascade mean something alone; say which, so nothing is guessed.
      const examples: Record<string, string> = { 'dry-run': '--dry-run=client', validate: '--validate=strict', cascade: '--cascade=background' };
      throw new LearnerError(`\`${given.typed}\` needs its value written with = here`, `E.g. \`${examples[given.name] ?? `--${given.name}=VALUE`}\`.`);
    }
    if (given.name === 'template') {
      const last = outputs.at(-1)?.value;
      if (last !== undefined && !TEMPLATE_FORMATS.has(last)) throw new LearnerError(`\`${given.typed}\` goes with \`-o go-template\` or \`-o jsonpath\`, not \`-o ${last}\``, 'Write the template in -o itself: `-o jsonpath={.metadata.name}`.');
    }
    if (given.name === 'raw' && !value.startsWith('/')) throw new LearnerError(`\`${given.typed}\` is not a path of the API`, 'Give a path that starts with /, e.g. `kubectl get --raw /api/v1/namespaces`.');
    if (given.name === 'filename') {
      if (stdin !== undefined) throw new LearnerError('only one `-f` runs here', 'Put all the manifests on the lines after `-f -`, separated by `---`.');
      stdin = filenameInput(given, opts);
      value = '-';
    }
    const wait = WAITS[`${command} ${given.name}`] ?? WAITS[`* ${given.name}`];
    if (wait) {
      const bounded = boundedWait({ ...given, value }, wait);
      value = bounded.value;
      if (bounded.note) notes.push(bounded.note);
    }
    out.push(`--${given.name}=${value}`);
  }
  for (const [key, rule] of Object.entries(WAITS)) {
    const [cmd, name] = [key.slice(0, key.lastIndexOf(' ')), key.slice(key.lastIndexOf(' ') + 1)];
    if (cmd === command && rule.addIfAbsent && !parsed.flags.some((f) => f.name === name)) {
      out.push(`--${name}=${MAX_WAIT_SECONDS}s`);
      notes.push(`\`kubectl ${command}\` waits at most ${MAX_WAIT_SECONDS}s here.`);
    }
  }

  if (subcommands.length && parsed.positionals.length) {
    throw new LearnerError(`\`${parsed.positionals[0]}\` is not one of \`kubectl ${command}\`'s commands`, `\`kubectl ${command}\` takes a manifest with \`-f -\`, or one of: ${runnable(command).join(', ')}.`);
  }
  const dash: string[] = [];
  if (parsed.afterDash) {
    if (!TAKES_A_COMMAND.has(command)) {
      throw new LearnerError(`\`kubectl ${command}\` takes nothing after \`--\``, 'Only a container\'s command goes after `--` (in `kubectl exec`, `kubectl run` and `kubectl create deployment/job/cronjob`); leave it out here.');
    }
    dash.push('--', ...parsed.afterDash);
  }
  return { args: [...path, ...out, ...parsed.positionals, ...dash], stdin, notes };
}

/** The subcommands of a command that run here, themselves or through one of theirs. */
function runnable(command: string): string[] {
  const under = (p: string): boolean => Boolean(ALLOWED[p]) || (COMMANDS[p]?.subcommands ?? []).some((s) => under(`${p} ${s}`));
  return (COMMANDS[command]?.subcommands ?? []).filter((s) => under(`${command} ${s}`));
}

function notUsed(word: string): LearnerError {
  const why = own(NEEDS_TERMINAL, word);
  if (why) return new LearnerError(`\`kubectl ${word}\` is not run here`, why);
  return new LearnerError(`\`kubectl ${word}\` is not a command the exercises use`, 'Commands here: get, describe, create, apply, delete, run, expose, scale, rollout, set, label, annotate, patch, logs, exec, top, explain, taint, cordon, drain, auth can-i, wait and more.');
}

/** Each command path that runs here with every flag it may carry (global ones included). */
export function allowedKubectlFlags(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(ALLOWED).map(([p, names]) => [p, [...names, ...GLOBAL_ALLOWED]]));
}
