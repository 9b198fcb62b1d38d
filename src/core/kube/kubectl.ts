// Running the real kubectl for the learner (solutions, setup, quiz commands, the Slack bot): a
// command line is split into words as a shell would split them, but no shell ever runs it, so
// pipes, redirections, substitutions and other programs are refused, not interpreted.
import { execFile } from 'node:child_process';
import { LearnerError } from '../problems.js';

export interface KubectlRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

const METACHARACTERS = new Set(['|', '&', ';', '<', '>', '(', ')', '`', '\n']);

/**
 * Splits a command line into words: spaces separate, single quotes keep everything, double quotes
 * keep everything but `\"` and `\\`, a backslash escapes the next character. `$`, backticks and
 * unquoted metacharacters are refused: they would mean something to a shell, and there is none.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new LearnerError('a quote (\') is not closed', 'Close the quote, or leave it out.');
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) word += line[++j];
        else if (line[j] === '$' || line[j] === '`') throw refused(line[j]);
        else word += line[j];
      }
      if (j >= line.length) throw new LearnerError('a quote (") is not closed', 'Close the quote, or leave it out.');
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (METACHARACTERS.has(c) || c === '$') {
      throw refused(c);
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function refused(c: string): LearnerError {
  const what = c === '|' ? 'a pipe (|)' : c === '>' || c === '<' ? `a redirection (${c})` : c === '$' || c === '`' ? `a substitution (${c})` : c === '\n' ? 'a second line' : `"${c}"`;
  return new LearnerError(`${what} needs a shell, and kubectl commands here run without one`, 'Give one kubectl command with its arguments; quote a value that contains such a character.');
}

/** The words of a kubectl command line, without the leading `kubectl`. */
export function kubectlArgs(line: string): string[] {
  const words = splitWords(line.trim());
  if (words[0] !== 'kubectl') {
    throw new LearnerError(`only kubectl commands run here, not "${words[0] ?? ''}"`, 'Start the command with `kubectl`.');
  }
  return words.slice(1);
}

export interface KubectlOptions {
  kubeconfig?: string;
  context?: string;
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** The kubectl binary: $KUBEDOJO_KUBECTL, else the one on PATH. */
export function kubectlBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEDOJO_KUBECTL || 'kubectl';
}

export function runKubectl(args: string[], opts: KubectlOptions = {}): Promise<KubectlRun> {
  const env = { ...(opts.env ?? process.env) };
  if (opts.kubeconfig) env.KUBECONFIG = opts.kubeconfig;
  const full = opts.context ? ['--context', opts.context, ...args] : args;
  return new Promise((resolve) => {
    const child = execFile(kubectlBinary(env), full, { env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      let code = 0;
      if (err) {
        const e = err as NodeJS.ErrnoException & { code?: unknown };
        if (e.code === 'ENOENT') {
          resolve({ args, code: 127, stdout: '', stderr: 'kubectl is not installed or not on PATH. Install kubectl (on Debian: apt-get install kubernetes-client), or set KUBEDOJO_KUBECTL to its path.\n' });
          return;
        }
        code = typeof e.code === 'number' ? e.code : 1;
      }
      resolve({ args, code, stdout, stderr });
    });
    child.stdin?.end(opts.input ?? '');
  });
}
