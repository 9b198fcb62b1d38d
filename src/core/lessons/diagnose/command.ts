// Reading a learner's command line as kubectl would: which command it names, its positional words
// and its flags. The learner may have typed anything (a pipe, an unclosed quote, another program),
// so this never throws: it reads what it can and stops at the first shell operator.
import { COMMANDS, GLOBAL_FLAGS } from '../../kube/kubectl-flags.js';
import type { KubectlFlagTable } from '../../kube/kubectl-flag-types.js';
import { dict, own } from '../../own.js';

export interface ParsedCommand {
  /** The first word: `kubectl`, or what was typed in its place. */
  program: string;
  /** The command words kubectl recognised (`create`, `deployment`); the first positional when it recognised none. */
  command: string[];
  /** Positional words after the command. */
  args: string[];
  /** Flags by their long name (`-n` is `namespace`); a flag without a value holds `true`. */
  flags: Record<string, string | true>;
  /** Words after `--`. */
  rest: string[];
  /** Every word, in order, up to a shell operator. */
  words: string[];
  /** The line went on past a pipe or a redirection (`> file`, `| kubectl apply -f -`). */
  piped: boolean;
}

const OPERATORS = new Set(['|', ';', '>', '<', '&']);

/** Shell-like words: quotes kept together, stopping at the first operator. */
export function shellWords(line: string): string[] {
  return splitShell(line).words;
}

function splitShell(line: string): { words: string[]; piped: boolean } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = '';
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (OPERATORS.has(c)) {
      // What follows a pipe, a redirection or a `;` is another command, not this one's words
      // (and the 2 of `2>&1` is the redirection's).
      if (inWord && !(c === '>' && /^\d$/.test(word))) words.push(word);
      return { words, piped: true };
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return { words, piped: false };
}

function shortToLong(table: KubectlFlagTable, letter: string): string | undefined {
  return Object.keys(table).find((k) => table[k].short === letter);
}

/** The entry of a command path (`create deployment`), aliases understood. */
export function commandEntry(path: string[]) {
  return own<(typeof COMMANDS)[string]>(COMMANDS, path.join(' '));
}

function subcommandOf(path: string[], word: string): string | undefined {
  const entry = commandEntry(path);
  if (!entry) return undefined;
  if (entry.subcommands.includes(word)) return word;
  return entry.subcommands.find((s) => commandEntry([...path, s])?.aliases.includes(word));
}

/**
 * Whether a program word runs kubectl: by name, by path, a versioned binary (`kubectl.1.32`), or
 * the `k` alias the exam terminals (and the tutor's shell) define.
 */
export function isKubectl(program: string): boolean {
  return /^(kubectl(\.\S+)?|k)$/.test(program.split('/').pop() ?? '');
}

export function parseCommand(line: string): ParsedCommand {
  const { words, piped } = splitShell(line.trim());
  const out: ParsedCommand = { program: words[0] ?? '', command: [], args: [], flags: dict(), rest: [], words, piped };
  let table: KubectlFlagTable = GLOBAL_FLAGS;
  let commandDone = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === '--') {
      out.rest = words.slice(i + 1);
      break;
    }
    if (w.startsWith('-') && w.length > 1) {
      const long = w.startsWith('--');
      const body = w.slice(long ? 2 : 1);
      const eq = body.indexOf('=');
      const key = eq >= 0 ? body.slice(0, eq) : body;
      const name = long ? key : (shortToLong(table, key[0]) ?? shortToLong(GLOBAL_FLAGS, key[0]) ?? key);
      const flag = own<KubectlFlagTable[string]>(table, name) ?? own<KubectlFlagTable[string]>(GLOBAL_FLAGS, name);
      if (eq >= 0) out.flags[name] = body.slice(eq + 1);
      else if (!long && key.length > 1 && flag?.takes === 'value') out.flags[name] = key.slice(1);
      else if (flag?.takes === 'value' && i + 1 < words.length) out.flags[name] = words[++i];
      else out.flags[name] = true;
      continue;
    }
    if (!commandDone) {
      const sub = out.command.length ? subcommandOf(out.command, w) : undefined;
      if (!out.command.length || sub) {
        out.command.push(sub ?? w);
        const entry = commandEntry(out.command);
        if (entry) table = { ...GLOBAL_FLAGS, ...entry.flags };
        if (!entry?.subcommands.length) commandDone = true;
        continue;
      }
      commandDone = true;
    }
    out.args.push(w);
  }
  return out;
}

/** The namespace a command ran in: its -n, else the one given. */
export function namespaceOf(cmd: ParsedCommand, fallback: string): string {
  const ns = cmd.flags.namespace;
  return typeof ns === 'string' && ns ? ns : fallback;
}

/** `kind/name` or `kind name` from a command's positionals: what it acted on. */
export function targetOf(cmd: ParsedCommand): { kind: string; name?: string } | undefined {
  const [first, second] = cmd.args;
  if (!first) return undefined;
  const slash = first.indexOf('/');
  if (slash > 0) return { kind: first.slice(0, slash), name: first.slice(slash + 1) || undefined };
  return { kind: first, name: second };
}

/** The line again with one word replaced: a fix the learner can type. */
export function withWord(cmd: ParsedCommand, from: string, to: string): string {
  const i = cmd.words.indexOf(from);
  if (i < 0) return cmd.words.join(' ');
  return [...cmd.words.slice(0, i), to, ...cmd.words.slice(i + 1)].map(quoteIfNeeded).join(' ');
}

export function quoteIfNeeded(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The line again without a flag (and its value, when it was the next word). */
export function withoutFlag(cmd: ParsedCommand, long: string, short = ''): string {
  const out: string[] = [];
  const ws = cmd.words;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w === '--') {
      out.push(...ws.slice(i));
      break;
    }
    if (w === `--${long}` || (short && w === `-${short}`)) {
      if (typeof cmd.flags[long] === 'string' && ws[i + 1] === cmd.flags[long]) i++;
      continue;
    }
    if (w.startsWith(`--${long}=`) || (short && w.startsWith(`-${short}`) && w.length > 2 && !w.startsWith('--'))) continue;
    out.push(w);
  }
  return out.map(quoteIfNeeded).join(' ');
}
