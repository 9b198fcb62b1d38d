// Mistakes in a manifest or in what it asks of the server, read from kubectl's own error text:
// YAML that does not parse, a field in the wrong place, a wrong apiVersion, an object that is
// already there, a field that cannot change, a Job's restart policy.
import { nearest } from '../distance.js';
import { describePath, fieldHomes, podSpecPath } from '../fields.js';
import { firstSlip, heredocManifest } from '../indentation.js';
import { namespaceOf, quoteIfNeeded } from '../command.js';
import { lastCommand, lastOutput } from '../focus.js';
import type { Detector } from '../types.js';

/** What each of the YAML parser's complaints usually means in a hand-written manifest. */
const YAML_MISTAKES: Array<[RegExp, (line: string) => string]> = [
  [/found character that cannot start any token|found a tab character/, (l) => `there is a tab on line ${l}: YAML indents with spaces only. Replace the tab with spaces, lined up with the lines of the same block.`],
  [/could not find expected ':'/, (l) => `a \`key:value\` on line ${l} or just above it has no space after the colon, so YAML reads it as one word: write \`key: value\`.`],
  [/mapping values are not allowed in this context/, (l) => `line ${l} is indented deeper than the lines it belongs with (or follows a value on the same line): keys of one block start at the same column, two spaces in from the key that holds them.`],
  [/did not find expected '-' indicator/, (l) => `a list item near line ${l} is not lined up with the items before it: every \`- \` of one list starts at the same column.`],
  [/did not find expected key/, (l) => `the indentation around line ${l} mixes depths: the keys of one block must start at the same column, and a list item (\`- name: …\`) sits under the key that holds the list, indented further than that key.`],
  [/block sequence entries are not allowed in this context/, (l) => `a list item (\`- \`) on line ${l} stands where a single value was expected: put the list on the lines below its key, indented.`],
  [/found unexpected end of stream|did not find expected node content/, (l) => `a quote or bracket opened near line ${l} is never closed.`],
];

export const yamlError: Detector = {
  id: 'yaml-error',
  about: 'a manifest that is not valid YAML (tabs, `key:value` without a space, a line or list item at the wrong depth, mixed indentation): the line and what was meant',
  async detect(ctx) {
    const out = lastOutput(ctx);
    const m = /yaml: line (\d+): ([^\n]+)/.exec(out);
    const manifest = ctx.last && heredocManifest(ctx.last.line);
    const slip = m && manifest ? firstSlip(manifest) : undefined;
    if (m && slip) {
      return { detector: this.id, mistake: `The manifest is not valid YAML (kubectl stopped at line ${m[1]}: ${m[2]}): ${slip.meant}.`, fix: `Fix line ${slip.line} of the manifest, then apply it again.` };
    }
    if (m) {
      const hit = YAML_MISTAKES.find(([re]) => re.test(m[2]));
      const meant = hit ? hit[1](m[1]) : `YAML could not read line ${m[1]} (${m[2]}): check its indentation against the lines around it.`;
      return { detector: this.id, mistake: `The manifest is not valid YAML: ${meant}`, fix: `Fix line ${m[1]} of the manifest, then apply it again.` };
    }
    const u = /cannot unmarshal (string|object|array|number) into Go (?:struct field|value) ([\w.]+)? ?of type (\S+)/.exec(out);
    if (!u) return undefined;
    const field = u[2]?.split('.').pop() ?? 'a field';
    const wanted = u[3].startsWith('[]') ? 'a list (items starting with `- `)' : /^(string|int|bool)/.test(u[3]) ? 'a single value' : 'fields indented under it';
    const got = u[1] === 'string' ? 'a single string' : u[1] === 'object' ? 'fields' : u[1] === 'array' ? 'a list' : 'a number';
    const hint = u[1] === 'string' && wanted === 'fields indented under it' ? ' Usually a `key:value` inside it has no space after the colon (write `key: value`), or its lines are not indented under it.' : '';
    return { detector: this.id, mistake: `In the manifest, \`${field}\` holds ${got} where Kubernetes expects ${wanted}.${hint}`, fix: `Fix \`${field}:\` in the manifest, then apply it again.` };
  },
};

export const unknownField: Detector = {
  id: 'unknown-field',
  about: 'a field the server does not know where it stands (strict decoding): names the field and where it belongs, or the field meant',
  async detect(ctx) {
    const out = lastOutput(ctx);
    const m = /(\w+) in version "[^"]*" cannot be handled as a \w+: strict decoding error: unknown field "([^"]+)"/.exec(out);
    if (!m) return undefined;
    const [, kind, path] = m;
    const parts = path.replace(/\[\d+\]/g, '[]').split('.');
    const leaf = parts[parts.length - 1].replace(/\[\]$/, '');
    const parent = parts.slice(0, -1).join('.');
    const homes = fieldHomes(kind);
    const home = homes.get(leaf);
    if (home !== undefined && home !== parent) {
      return {
        detector: this.id,
        mistake: `In a ${kind}, \`${leaf}\` does not go under ${describePath(parent)}: it belongs under ${describePath(home)}${kind !== 'Pod' && home.startsWith(podSpecPath(kind)) ? ' (the pod template\'s spec)' : ''}.`,
        fix: `Move \`${leaf}:\` (with what is under it) to ${describePath(home)}, then apply again.`,
      };
    }
    const meant = nearest(leaf, homes.keys());
    if (meant) return { detector: this.id, mistake: `A ${kind} has no field \`${leaf}\` at ${describePath(parent)}: did you mean \`${meant}\`?`, fix: `Rename \`${leaf}:\` to \`${meant}:\`, then apply again.` };
    return { detector: this.id, mistake: `A ${kind} has no field \`${path}\`: the server refuses fields it does not know.`, fix: `\`kubectl explain ${kind.toLowerCase()}.${parent || 'spec'}\` lists the fields that go there.` };
  },
};

export const wrongApiVersion: Detector = {
  id: 'wrong-api-version',
  about: '`no matches for kind "Deployment" in version "v1"`: says which apiVersion the kind has, or which kind was meant',
  async detect(ctx) {
    const m = /no matches for kind "([^"]+)" in version "([^"]+)"/.exec(lastOutput(ctx));
    if (!m) return undefined;
    const [, kind, version] = m;
    const resources = await ctx.client.apiResources();
    const match = resources.find((r) => r.kind === kind) ?? resources.find((r) => r.kind.toLowerCase() === kind.toLowerCase());
    if (match) {
      const apiVersion = match.group ? `${match.group}/${match.version}` : match.version;
      return { detector: this.id, mistake: `${match.kind} is not in ${version}: its apiVersion is ${apiVersion}.`, fix: `In the manifest, write \`apiVersion: ${apiVersion}\` for kind ${match.kind}.` };
    }
    const meant = nearest(kind, resources.map((r) => r.kind));
    if (!meant) return undefined;
    const r = resources.find((x) => x.kind === meant)!;
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    return { detector: this.id, mistake: `There is no kind ${kind}: did you mean ${meant} (apiVersion ${apiVersion})?`, fix: `In the manifest, write \`kind: ${meant}\` and \`apiVersion: ${apiVersion}\`.` };
  },
};

export const alreadyExists: Detector = {
  id: 'already-exists',
  about: 'AlreadyExists: the object is there already; inspect it or delete it, do not create it again',
  async detect(ctx) {
    const m = /([\w.-]+) "([^"]+)" already exists/.exec(lastOutput(ctx));
    if (!m) return undefined;
    const cmd = lastCommand(ctx);
    const ns = cmd ? namespaceOf(cmd, ctx.namespace) : ctx.namespace;
    const resource = m[1].split('.')[0];
    let kind = resource;
    let namespaced = true;
    try {
      const r = await ctx.client.resolve(m[1]);
      kind = r.kind;
      namespaced = r.namespaced;
    } catch {
      // kubectl's resource name is enough to say it.
    }
    const where = namespaced ? ` in namespace ${ns}` : '';
    return {
      detector: this.id,
      mistake: `${kind} ${m[2]} already exists${where}, so creating it again fails. Look at what is there; change it with \`kubectl apply\` or \`kubectl edit\`, or delete it first if you mean to start over.`,
      fix: `kubectl get ${resource} ${m[2]}${namespaced ? ` -n ${ns}` : ''} -o yaml`,
    };
  },
};

export const immutableField: Detector = {
  id: 'immutable-field',
  about: 'a change to a field that cannot change (a Deployment\'s selector, a Job\'s template): delete and re-create, or `kubectl replace --force`',
  async detect(ctx) {
    const m = /(\w+)(?:\.[\w.]+)? "([^"]+)" is invalid: ([\w.[\]]+): Invalid value: [\s\S]*?field is immutable/.exec(lastOutput(ctx));
    if (!m) return undefined;
    const [, kind, name, path] = m;
    const cmd = lastCommand(ctx);
    const ns = cmd ? namespaceOf(cmd, ctx.namespace) : ctx.namespace;
    const file = typeof cmd?.flags.filename === 'string' ? cmd.flags.filename : undefined;
    const why = path === 'spec.selector' ? ' (the selector ties it to the pods it already made)' : path.startsWith('spec.template') && kind === 'Job' ? ' (a Job\'s pod template is fixed when it is created)' : '';
    return {
      detector: this.id,
      mistake: `${path} of ${kind} ${name} cannot change once it is created${why}, so the change was refused. Delete the ${kind} and create it again with the change, or replace it in one step.`,
      fix: file ? `kubectl replace --force -f ${quoteIfNeeded(file)}${cmd?.flags.namespace ? ` -n ${ns}` : ''}` : `kubectl delete ${kind.toLowerCase()} ${name} -n ${ns}, then create it again with the change`,
    };
  },
};

export const jobRestartPolicy: Detector = {
  id: 'job-restart-policy',
  about: 'a Job (or CronJob) whose pod template has restartPolicy Always or none: it must be Never or OnFailure',
  async detect(ctx) {
    const m = /(Job|CronJob)(?:\.batch)? "([^"]+)" is invalid: ((?:spec\.jobTemplate\.)?spec\.template\.spec\.restartPolicy): (?:Required value|Unsupported value: "(\w+)")/.exec(lastOutput(ctx));
    if (!m) return undefined;
    const [, kind, name, path, value] = m;
    const said = value ? `restartPolicy ${value}` : 'no restartPolicy (which means Always)';
    return {
      detector: this.id,
      mistake: `${kind} ${name}'s pod template has ${said}, but a Job's pods must stop when their work is done: the server takes only Never or OnFailure there.`,
      fix: `Set \`restartPolicy: Never\` (or OnFailure) at ${path.replace(/\.restartPolicy$/, '')} in the manifest, then create it again.`,
    };
  },
};

export const MANIFEST_DETECTORS: readonly Detector[] = [yamlError, unknownField, wrongApiVersion, alreadyExists, immutableField, jobRestartPolicy];
