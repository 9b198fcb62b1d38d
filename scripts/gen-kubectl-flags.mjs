// Generates src/core/kube/kubectl-flags.ts: every flag kubectl knows for the commands the Slack
// policy may let through, read from the real binary, so the policy parses a command line with
// kubectl's own table rather than a hand-typed guess. Run it again after changing the kubectl the
// bot runs, and review the difference like any other change to the policy.
//
// Where each fact comes from:
// - names, short letters and aliases: `kubectl <path> --help` and `kubectl options`;
// - subcommands: the "Available Commands" of the same help;
// - whether a flag takes the next word as its value: kubectl itself. Help does not show a flag's
//   "no option default" (what `--flag` alone means), so each flag is tried last on a `--help`
//   command line: kubectl then either prints help (the flag needs no value) or says "flag needs an
//   argument". Help is printed before anything reaches a cluster, so no server is needed.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The commands whose subtrees are read: the verbs the Slack policy allows. */
export const VERBS = [
  'get', 'describe', 'create', 'apply', 'delete', 'run', 'expose', 'scale', 'autoscale', 'rollout', 'set', 'label', 'annotate',
  'patch', 'replace', 'logs', 'exec', 'top', 'explain', 'api-resources', 'api-versions', 'version', 'cluster-info', 'taint',
  'cordon', 'uncordon', 'drain', 'auth', 'wait', 'diff', 'events', 'certificate',
];

/**
 * An environment in which kubectl cannot reach any cluster: a throwaway kubeconfig that points at
 * a closed loopback port. Call the returned function to remove it.
 */
export function offlineEnv(base = process.env) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubectl-flags-'));
  const kubeconfig = path.join(dir, 'config');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: offline',
    'clusters: [{name: offline, cluster: {server: "https://127.0.0.1:9"}}]',
    'users: [{name: offline, user: {token: offline}}]',
    'contexts: [{name: offline, context: {cluster: offline, user: offline}}]', '',
  ].join('\n'));
  return { env: { ...base, KUBECONFIG: kubeconfig }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function run(binary, args, env) {
  return new Promise((resolve) => {
    execFile(binary, args, { env, timeout: 30_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr, missing: err?.code === 'ENOENT' });
    });
  });
}

/** The sections of kubectl's help text that describe a command: aliases, subcommands, flags. */
export function parseHelp(text) {
  const lines = text.split('\n');
  const aliases = [];
  const subcommands = [];
  const flags = {};
  let section = '';
  for (const line of lines) {
    if (/^\S.*:$/.test(line)) {
      section = line.slice(0, -1);
      continue;
    }
    if (section === 'Aliases' && line.trim()) aliases.push(...line.split(',').map((s) => s.trim()).slice(1));
    const sub = /^ {2}([a-z][a-z0-9-]*) {2,}\S/.exec(line);
    if (sub && (section === 'Available Commands' || section.endsWith('Commands') || section.includes('Commands ('))) subcommands.push(sub[1]);
    const flag = /^ {4}(?:-(\S), )?--([a-z0-9][a-z0-9-]*)=(.*):$/.exec(line);
    if (flag && section !== 'Examples') {
      const [, short, name, def] = flag;
      // Help quotes a string's default and prints any other type's bare, so a bare true or false
      // is a bool's.
      flags[name] = { short: short ?? '', looksBool: def === 'true' || def === 'false' };
    }
  }
  return { aliases, subcommands, flags };
}

/**
 * How kubectl reads the flag `--name` of the command `path`: 'value' when it takes the next word,
 * else 'bool' or (a flag with a default for `--name` alone that is not a bool) 'optional'.
 */
export async function probeKind(binary, env, path, name, looksBool) {
  const r = await run(binary, [...path, '--help', `--${name}`], env);
  if (r.code === 0) return looksBool ? 'bool' : 'optional';
  if (/flag needs an argument/.test(r.stderr)) return 'value';
  throw new Error(`kubectl ${[...path, '--help', `--${name}`].join(' ')} answered neither help nor "flag needs an argument": ${r.stderr}`);
}

/**
 * Checks, in a few runs, that kubectl reads the flags of `path` as `expected` says (name → 'value',
 * 'bool' or 'optional'), and returns the disagreements as sentences (none: all agree).
 *
 * One `--help` command line carries all the flags: each value flag followed by a marker word it
 * should swallow, each other flag placed just before a value flag, whose marker would then be read
 * as an unknown flag if the other flag swallowed the value flag instead. The line ends with a last
 * marker, so "unknown flag: <last marker>" means every expectation held. A typed flag (an int, a
 * duration) refuses its marker as a value; that still shows it took one, and the check goes on
 * after it. A bool or optional flag with no value flag left to follow it is not caught this way;
 * for bools the help text's bare true/false default says the same thing.
 */
export async function disagreements(binary, env, path, expected) {
  const found = [];
  const values = Object.keys(expected).filter((n) => expected[n] === 'value');
  // Optional flags first: they have no help text to fall back on.
  const others = Object.keys(expected).filter((n) => expected[n] !== 'value').sort((a, b) => (expected[a] === 'optional' ? 0 : 1) - (expected[b] === 'optional' ? 0 : 1));
  const end = '--kubedojo-probe-end';
  let from = 0;
  while (from <= values.length) {
    const words = [...path, '--help'];
    const before = new Map();
    values.slice(from).forEach((v, k) => {
      const j = from + k;
      if (j < others.length) {
        words.push(`--${others[j]}`);
        before.set(j, others[j]);
      }
      words.push(`--${v}`, `--kubedojo-probe-${j}`);
    });
    const rest = others.slice(Math.max(values.length, from));
    words.push(...rest.map((n) => `--${n}`), end);
    const r = await run(binary, words, env);
    const marker = /unknown flag: --kubedojo-probe-(\d+)|invalid argument "--kubedojo-probe-(\d+)"/.exec(r.stderr);
    if (r.stderr.includes(`unknown flag: ${end}`)) break;
    if (r.code === 0) {
      found.push(`--${rest.at(-1) ?? values.at(-1)} took the next word as its value`);
      break;
    }
    if (marker?.[2] !== undefined) {
      from = Number(marker[2]) + 1;
      continue;
    }
    if (marker?.[1] !== undefined) {
      const j = Number(marker[1]);
      found.push(before.has(j) ? `--${values[j]} took no value, or --${before.get(j)} took one` : `--${values[j]} took no value`);
      from = j + 1;
      continue;
    }
    found.push(`kubectl ${words.join(' ')}: ${r.stderr.trim()}`);
    break;
  }
  return found;
}

/** Runs promise-returning jobs, `width` at a time, in order of the answers' positions. */
export async function pooled(jobs, width = 2) {
  const out = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  }));
  return out;
}

/** Reads one command's help and types each of its own flags. */
export async function readCommand(binary, env, path) {
  const r = await run(binary, [...path, '--help'], env);
  if (r.code !== 0) throw new Error(`kubectl ${path.join(' ')} --help failed: ${r.stderr}`);
  const help = parseHelp(r.stdout);
  const names = Object.keys(help.flags).sort();
  const kinds = await pooled(names.map((n) => () => probeKind(binary, env, path, n, help.flags[n].looksBool)));
  const flags = {};
  names.forEach((n, i) => {
    flags[n] = { short: help.flags[n].short, takes: kinds[i] };
  });
  return { aliases: help.aliases, subcommands: help.subcommands, flags };
}

/** The global flags, from `kubectl options`, typed on a command that has no flags of its own. */
export async function readGlobals(binary, env) {
  const r = await run(binary, ['options'], env);
  if (r.code !== 0) throw new Error(`kubectl options failed: ${r.stderr}`);
  const help = parseHelp(`Options:\n${r.stdout}`);
  const names = Object.keys(help.flags).sort();
  const kinds = await pooled(names.map((n) => () => probeKind(binary, env, ['api-versions'], n, help.flags[n].looksBool)));
  const flags = {};
  names.forEach((n, i) => {
    flags[n] = { short: help.flags[n].short, takes: kinds[i] };
  });
  return flags;
}

async function main() {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const binary = process.env.KUBEDOJO_KUBECTL || 'kubectl';
  const { env, cleanup } = offlineEnv();
  try {
    const version = JSON.parse((await run(binary, ['version', '--client', '-o', 'json'], env)).stdout).clientVersion.gitVersion;
    const top = parseHelp((await run(binary, ['--help'], env)).stdout).subcommands;
    const globals = await readGlobals(binary, env);
    const commands = {};
    const queue = VERBS.map((v) => [v]);
    while (queue.length) {
      const p = queue.shift();
      const entry = await readCommand(binary, env, p);
      commands[p.join(' ')] = entry;
      queue.push(...entry.subcommands.map((s) => [...p, s]));
      process.stderr.write(`${p.join(' ')}: ${Object.keys(entry.flags).length} flags\n`);
    }
    const flagLines = (flags, indent) => Object.entries(flags)
      .map(([n, f]) => `${indent}${JSON.stringify(n)}: { short: ${JSON.stringify(f.short)}, takes: ${JSON.stringify(f.takes)} },`)
      .join('\n');
    const text = [
      `// Generated by scripts/gen-kubectl-flags.mjs from kubectl ${version}; run it again rather than edit.`,
      '// Every flag of the commands the Slack policy may allow, as kubectl reads it: its short letter and',
      '// whether it takes the next word as its value (value), or takes one only after `=` (bool, optional).',
      "import type { KubectlCommandEntry, KubectlFlagTable } from './kubectl-flag-types.js';",
      '',
      `export const KUBECTL_TABLE_VERSION = ${JSON.stringify(version)};`,
      '',
      '/** Every command kubectl lists at the top level (`kubectl --help`). */',
      `export const TOP_LEVEL_COMMANDS: readonly string[] = ${JSON.stringify(top)};`,
      '',
      '/** The flags every command has (`kubectl options`). */',
      'export const GLOBAL_FLAGS: KubectlFlagTable = {',
      flagLines(globals, '  '),
      '};',
      '',
      '/** Each command path under the allowed verbs: its aliases, subcommands and own flags. */',
      'export const COMMANDS: Record<string, KubectlCommandEntry> = {',
      ...Object.entries(commands).map(([p, c]) => [
        `  ${JSON.stringify(p)}: {`,
        `    aliases: ${JSON.stringify(c.aliases)},`,
        `    subcommands: ${JSON.stringify(c.subcommands)},`,
        '    flags: {',
        flagLines(c.flags, '      '),
        '    },',
        '  },',
      ].join('\n')),
      '};',
      '',
    ].join('\n').replace(/\n\n+(?=\s*})/g, '\n');
    writeFileSync(path.join(root, 'src', 'core', 'kube', 'kubectl-flags.ts'), text);
  } finally {
    cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
