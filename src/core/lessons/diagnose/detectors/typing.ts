// Mistakes in the command line itself: the program, the verb, the kind, a flag; what a flag does
// that the learner did not expect (--dry-run, --context). kubectl's own words are read from the
// terminal when known; the typo tables come from kubectl's command list and the server's discovery.
import { GLOBAL_FLAGS, TOP_LEVEL_COMMANDS } from '../../../kube/kubectl-flags.js';
import { commandEntry, isKubectl, quoteIfNeeded, withWord, withoutFlag } from '../command.js';
import { nearest } from '../distance.js';
import { getObject, lastCommand, lastKubectl, lastOutput } from '../focus.js';
import type { Detector } from '../types.js';

export const kubectlMisspelt: Detector = {
  id: 'kubectl-misspelt',
  about: 'the program name typed as `kubeclt`, `kubect` or the like (the shell says "command not found")',
  async detect(ctx) {
    const cmd = lastCommand(ctx);
    if (!cmd || !cmd.program || isKubectl(cmd.program)) return undefined;
    const missing = ctx.last!.exitCode === 127 || /command not found|not found/i.test(lastOutput(ctx));
    if (!missing || !nearest(cmd.program, ['kubectl'], 2)) return undefined;
    return {
      detector: this.id,
      mistake: `The shell has no program called "${cmd.program}", so nothing ran: the command is spelt kubectl.`,
      fix: withWord(cmd, cmd.program, 'kubectl'),
    };
  },
};

export const verbMisspelt: Detector = {
  id: 'verb-misspelt',
  about: 'a kubectl command misspelt (`kubectl craete`): names the command meant',
  async detect(ctx) {
    const cmd = lastKubectl(ctx);
    const verb = cmd?.command[0];
    if (!cmd || !verb || TOP_LEVEL_COMMANDS.includes(verb)) return undefined;
    const meant = nearest(verb, TOP_LEVEL_COMMANDS);
    if (!meant) return undefined;
    return { detector: this.id, mistake: `kubectl has no command "${verb}": did you mean ${meant}?`, fix: withWord(cmd, verb, meant) };
  },
};

/** Verbs whose first word is a resource type. */
const RESOURCE_VERBS = new Set(['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'patch', 'scale', 'explain', 'wait', 'autoscale', 'expose']);

export const kindMisspelt: Detector = {
  id: 'kind-misspelt',
  about: 'a resource type misspelt (`create serviceacount`, `get pdos`, `deploymnet`): names the type meant, from kubectl\'s create commands and the server\'s discovery',
  async detect(ctx) {
    const cmd = lastKubectl(ctx);
    if (!cmd) return undefined;
    const [verb] = cmd.command;
    const word = cmd.args[0];
    if (!word) return undefined;
    if (verb === 'create' && cmd.command.length === 1) {
      const entry = commandEntry(['create'])!;
      const names = entry.subcommands.flatMap((s) => [s, ...(commandEntry(['create', s])?.aliases ?? [])]);
      const meant = nearest(word, names);
      if (!meant) return undefined;
      return { detector: this.id, mistake: `kubectl create has no "${word}": did you mean ${meant}?`, fix: withWord(cmd, word, meant) };
    }
    if (!RESOURCE_VERBS.has(verb)) return undefined;
    const typed = word.split('/')[0];
    const resources = await ctx.client.apiResources();
    const known = new Set(resources.flatMap((r) => [r.name, r.singularName, r.kind.toLowerCase(), ...r.shortNames]));
    known.add('all');
    for (const part of typed.split(',')) {
      const head = part.split('.')[0].toLowerCase();
      if (!head || known.has(head)) continue;
      const meant = nearest(head, known);
      if (!meant) return undefined;
      return {
        detector: this.id,
        mistake: `The cluster has no resource type "${head}": did you mean ${meant}? (\`kubectl api-resources\` lists them all.)`,
        fix: withWord(cmd, word, word.replace(new RegExp(head.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), meant)),
      };
    }
    return undefined;
  },
};

/** Flags `kubectl run` lost, and what does their job now. */
const REMOVED_RUN_FLAGS: Record<string, string> = {
  replicas: 'kubectl run makes one Pod and no longer takes --replicas; a Deployment keeps several copies running',
  generator: 'kubectl run no longer takes --generator: it always makes a Pod now',
};

export const unknownFlag: Detector = {
  id: 'unknown-flag',
  about: 'a flag kubectl does not know: one `kubectl run` lost (`--replicas`, `--generator`), or a misspelt one',
  async detect(ctx) {
    const cmd = lastKubectl(ctx);
    if (!cmd) return undefined;
    const m = /unknown flag: --([\w-]+)/.exec(lastOutput(ctx));
    const flag = m?.[1] ?? (cmd.command[0] === 'run' ? Object.keys(REMOVED_RUN_FLAGS).find((f) => f in cmd.flags) : undefined);
    if (!flag) return undefined;
    if (cmd.command[0] === 'run' && Object.prototype.hasOwnProperty.call(REMOVED_RUN_FLAGS, flag)) {
      const why = REMOVED_RUN_FLAGS[flag];
      if (flag === 'replicas') {
        const image = typeof cmd.flags.image === 'string' ? cmd.flags.image : 'IMAGE';
        const ns = typeof cmd.flags.namespace === 'string' ? ` -n ${cmd.flags.namespace}` : '';
        return { detector: this.id, mistake: `${why}.`, fix: `kubectl create deployment ${cmd.args[0] ?? 'NAME'} --image=${quoteIfNeeded(image)} --replicas=${cmd.flags.replicas}${ns}` };
      }
      return { detector: this.id, mistake: `${why}.`, fix: withoutFlag(cmd, flag) };
    }
    const entry = commandEntry(cmd.command);
    const flags = Object.keys({ ...GLOBAL_FLAGS, ...(entry?.flags ?? {}) });
    const meant = nearest(flag, flags);
    if (!m || !meant) return undefined;
    const typed = cmd.words.find((w) => w === `--${flag}` || w.startsWith(`--${flag}=`))!;
    return { detector: this.id, mistake: `kubectl ${cmd.command.join(' ')} has no flag --${flag}: did you mean --${meant}?`, fix: withWord(cmd, typed, typed.replace(`--${flag}`, `--${meant}`)) };
  },
};

export const requiredFlag: Detector = {
  id: 'required-flag',
  about: 'a required flag left out (`create deployment` without `--image`)',
  async detect(ctx) {
    const cmd = lastKubectl(ctx);
    if (!cmd || ctx.last!.exitCode === 0) return undefined;
    const m = /required flag\(s\) ((?:"[\w-]+"(?:, )?)+) not set/.exec(lastOutput(ctx));
    const missing = m ? [...m[1].matchAll(/"([\w-]+)"/g)].map((x) => x[1]) : cmd.command.join(' ') === 'create deployment' && !('image' in cmd.flags) ? ['image'] : [];
    if (!missing.length) return undefined;
    const what = (f: string) => (f === 'image' ? 'the image its containers run' : f);
    return {
      detector: this.id,
      mistake: `kubectl ${cmd.command.join(' ')} needs ${missing.map((f) => `--${f} (${what(f)})`).join(' and ')}, so nothing was created.`,
      fix: `${cmd.words.map(quoteIfNeeded).join(' ')} ${missing.map((f) => `--${f}=${f.toUpperCase()}`).join(' ')}`,
    };
  },
};

interface PodSpecLike {
  containers?: Array<{ name?: string; ports?: Array<{ containerPort?: number }> }>;
}

export const exposeWithoutPort: Detector = {
  id: 'expose-without-port',
  about: '`kubectl expose` with no `--port` for a workload whose containers declare no port',
  async detect(ctx) {
    const cmd = lastKubectl(ctx);
    if (!cmd || cmd.command[0] !== 'expose' || 'port' in cmd.flags) return undefined;
    if (!/couldn't find port via --port flag or introspection/.test(lastOutput(ctx))) return undefined;
    const [kindWord, nameWord] = cmd.args[0]?.includes('/') ? cmd.args[0].split('/') : [cmd.args[0], cmd.args[1]];
    const ns = typeof cmd.flags.namespace === 'string' ? cmd.flags.namespace : ctx.namespace;
    const obj = kindWord && nameWord ? await getObject(ctx, kindWord, nameWord, ns) : undefined;
    const spec = ((obj?.spec as { template?: { spec?: PodSpecLike } } | undefined)?.template?.spec ?? (obj?.spec as PodSpecLike | undefined));
    const declared = (spec?.containers ?? []).flatMap((c) => c.ports ?? []).length;
    const whose = obj ? `${obj.kind} ${nameWord}'s containers declare ${declared ? 'more than one port' : 'no port'}` : 'the object names no port';
    return {
      detector: this.id,
      mistake: `kubectl expose takes the Service's port from the containers' declared ports, and ${whose}: give the port yourself.`,
      fix: `${cmd.words.map(quoteIfNeeded).join(' ')} --port=PORT --target-port=CONTAINER_PORT`,
    };
  },
};

export const dryRun: Detector = {
  id: 'dry-run',
  about: '`--dry-run` used: kubectl only showed what it would do, and nothing was created',
  async detect(ctx) {
    const cmd = lastKubectl(ctx);
    const mode = cmd?.flags['dry-run'];
    if (!cmd || mode === undefined || mode === 'none' || ctx.last!.exitCode !== 0) return undefined;
    // Printing a manifest to a file or into another command is what --dry-run is for.
    if (cmd.piped) return undefined;
    const printed = typeof cmd.flags.output === 'string';
    if (printed) {
      return {
        detector: this.id,
        mistake: 'With --dry-run the command only printed the manifest; nothing was created in the cluster. Save it to a file, then apply the file.',
        fix: `${cmd.words.map(quoteIfNeeded).join(' ')} > manifest.yaml && kubectl apply -f manifest.yaml`,
      };
    }
    return { detector: this.id, mistake: `With --dry-run${mode === true ? '' : `=${mode}`} kubectl only checked the request; nothing was created. Run it again without --dry-run.`, fix: withoutFlag(cmd, 'dry-run') };
  },
};

export const otherCluster: Detector = {
  id: 'other-cluster',
  about: 'the last command chose another context, kubeconfig or cluster (`--context`, `--kubeconfig`) than the lesson\'s',
  async detect(ctx) {
    const cmd = lastKubectl(ctx);
    if (!cmd) return undefined;
    const out = lastOutput(ctx);
    const flag = ['context', 'kubeconfig', 'cluster', 'server'].find((f) => typeof cmd.flags[f] === 'string');
    if (!flag) return undefined;
    const value = cmd.flags[flag] as string;
    const fix = withoutFlag(cmd, flag, flag === 'server' ? 's' : '');
    const missingContext = /context was not found for specified context|context "[^"]*" does not exist/.test(out);
    if (missingContext) return { detector: this.id, mistake: `There is no context "${value}" in your kubeconfig, so the command did not reach any cluster. \`kubectl config get-contexts\` lists the contexts; without --context the lesson's cluster is used.`, fix };
    if (flag === 'kubeconfig' && /no such file or directory/.test(out)) return { detector: this.id, mistake: `The kubeconfig ${value} does not exist, so the command reached no cluster; without --kubeconfig the lesson's cluster is used.`, fix };
    const current = ctx.client.contextName;
    if (flag === 'context' && value === current) return undefined;
    return {
      detector: this.id,
      mistake: `The command ran against ${flag === 'context' ? `context "${value}"` : `the ${flag} ${value}`}, not the lesson's cluster (context "${current}"): what it did happened there. Run it again without --${flag}.`,
      fix,
    };
  },
};

export const TYPING_DETECTORS: readonly Detector[] = [kubectlMisspelt, verbMisspelt, kindMisspelt, unknownFlag, requiredFlag, exposeWithoutPort, dryRun, otherCluster];
