// Which kubectl commands may run where there is no terminal and the machine is not the learner's
// (the Slack bot): one command of a known kind, against the learner's own cluster, that ends by
// itself and touches no file of the machine running it. Everything else is explained, not run.
import { LearnerError } from '../problems.js';

const ALLOWED = new Set([
  'get', 'describe', 'create', 'apply', 'delete', 'run', 'expose', 'scale', 'autoscale', 'rollout', 'set', 'label', 'annotate',
  'patch', 'replace', 'logs', 'exec', 'top', 'explain', 'api-resources', 'api-versions', 'version', 'cluster-info', 'taint',
  'cordon', 'uncordon', 'drain', 'auth', 'wait', 'diff', 'events',
]);

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
  certificate: 'Certificate signing requests are not part of these exercises.',
};

/** Flags that reach outside the learner's cluster or the command's own output. */
const FORBIDDEN_FLAGS: Record<string, string> = {
  '--kubeconfig': 'the cluster is chosen for you',
  '--context': 'the cluster is chosen for you',
  '--cluster': 'the cluster is chosen for you',
  '--server': 'the cluster is chosen for you',
  '-s': 'the cluster is chosen for you',
  '--token': 'your credentials are chosen for you',
  '--user': 'your credentials are chosen for you',
  '--username': 'your credentials are chosen for you',
  '--password': 'your credentials are chosen for you',
  '--certificate-authority': 'your credentials are chosen for you',
  '--client-certificate': 'your credentials are chosen for you',
  '--client-key': 'your credentials are chosen for you',
  '--insecure-skip-tls-verify': 'your credentials are chosen for you',
  '--tls-server-name': 'your credentials are chosen for you',
  '--cache-dir': 'it writes files on the machine that runs kubectl',
  '--log-file': 'it writes files on the machine that runs kubectl',
  '--profile-output': 'it writes files on the machine that runs kubectl',
  '--output-directory': 'it writes files on the machine that runs kubectl',
  '--kustomize': 'it reads folders on the machine that runs kubectl',
  '-k': 'it reads folders on the machine that runs kubectl',
  '--watch': 'a watch never ends, and a Slack reply must',
  '-w': 'a watch never ends, and a Slack reply must',
  '--watch-only': 'a watch never ends, and a Slack reply must',
  '--follow': 'following never ends, and a Slack reply must',
  '--stdin': 'an interactive session needs a terminal',
  '--tty': 'an interactive session needs a terminal',
  '-i': 'an interactive session needs a terminal',
  '-t': 'an interactive session needs a terminal',
};

/**
 * kubectl's short flags that take a value (in a cluster such as `-owide`, the rest is the value).
 * `-p` takes one only in `patch`; in `logs` it is --previous, and `-f` is --follow.
 */
const SHORT_WITH_VALUE = new Set(['o', 'l', 'n', 'c', 'f', 'L', 's', 'k', 'v']);

export interface Vetted {
  args: string[];
  /** Input for `-f -`: the lines after the command. */
  stdin?: string;
  notes: string[];
}

/**
 * Checks a learner's kubectl words (without `kubectl`) for running without a terminal, on a
 * machine that is not theirs. Throws a LearnerError that says why not and what to do instead.
 */
export function vetKubectl(args: string[], opts: { manifest?: string; files?: Record<string, string> } = {}): Vetted {
  const manifest = opts.manifest;
  const verb = args.find((a) => !a.startsWith('-'));
  if (!verb) throw new LearnerError('that has no kubectl command in it', 'Try `/kubectl get pods`.');
  if (NEEDS_TERMINAL[verb]) throw new LearnerError(`\`kubectl ${verb}\` is not run here`, NEEDS_TERMINAL[verb]);
  if (!ALLOWED.has(verb)) throw new LearnerError(`\`kubectl ${verb}\` is not a command the exercises use`, 'Commands here: get, describe, create, apply, delete, run, expose, scale, rollout, set, label, annotate, patch, logs, exec, top, explain, taint, cordon, drain, auth can-i, wait and more.');
  const interactive = 'Run the command without -it, e.g. `kubectl exec POD -- ls /`; for a shell, use the terminal tutor (`kubedojo`).';
  const dashDash = args.indexOf('--');
  const own = dashDash < 0 ? args : args.slice(0, dashDash);
  let wantsStdin = false;
  const filename = (value: string | undefined) => {
    if (value !== '-') throw new LearnerError('`-f` here reads only from the lines after the command', 'Write `kubectl apply -f -` and put the manifest on the lines below it.');
    wantsStdin = true;
  };
  const forbid = (flag: string, word: string) => {
    const why = FORBIDDEN_FLAGS[flag];
    if (why) throw new LearnerError(`\`${word}\` is not allowed here: ${why}`, why.includes('interactive') ? interactive : 'Leave it out and try again.');
  };
  for (let i = 0; i < own.length; i++) {
    const a = own[i];
    if (!a.startsWith('-') || a === '-') continue;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const flag = eq < 0 ? a : a.slice(0, eq);
      forbid(flag, flag);
      if (flag === '--filename') filename(eq < 0 ? own[i + 1] : a.slice(eq + 1));
      continue;
    }
    // Short flags, alone or in a cluster, read as kubectl's flag parser reads them: `-it` is -i
    // and -t, while in `-owide` the letters after -o are its value.
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (verb === 'logs' && c === 'f') throw new LearnerError('`-f` would follow the logs forever, and a Slack reply must end', 'Leave out -f; add `--tail=20` for the last lines.');
      forbid(`-${c}`, a);
      if (SHORT_WITH_VALUE.has(c) || (c === 'p' && verb === 'patch')) {
        if (c === 'f') filename(k + 1 < a.length ? a.slice(a[k + 1] === '=' ? k + 2 : k + 1) : own[i + 1]);
        break;
      }
    }
  }
  if (wantsStdin && !manifest?.trim()) throw new LearnerError('`-f -` needs the manifest on the lines after the command', 'Put the YAML on the lines below `/kubectl apply -f -`, in the same message.');
  return { args, stdin: wantsStdin ? manifest : undefined, notes: [] };
}
