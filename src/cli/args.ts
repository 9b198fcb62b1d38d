// The command line's words: one parser for every subcommand, so flags that all share
// (--kubeconfig, --context, --json, --help) mean the same everywhere.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LearnerError } from '../core/problems.js';

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends LearnerError {
  constructor(message: string, nextStep = 'Run `kubedojo help` to see the commands, or `kubedojo COMMAND --help` for one.') {
    super(message, nextStep);
    this.name = 'UsageError';
  }
}

export const COMMON = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface Parsed<T> {
  values: T & { kubeconfig?: string; context?: string; json?: boolean; help?: boolean };
  positionals: string[];
}

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals: { min: number; max: number; usage: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(String((err as Error).message).replace(/^TypeError \[\w+\]: /, ''), `Usage: ${positionals.usage}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined> & { help?: boolean; json?: boolean; kubeconfig?: string; context?: string };
  const pos = parsed.positionals;
  if (!values.help && (pos.length < positionals.min || pos.length > positionals.max)) {
    throw new UsageError(pos.length < positionals.min ? 'missing arguments' : `unexpected argument "${pos[positionals.max]}"`, `Usage: ${positionals.usage}`);
  }
  return { values: values as typeof values & { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string }, positionals: pos };
}
