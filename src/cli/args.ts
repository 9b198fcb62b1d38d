// The command line's words: one parser for every subcommand, so flags that all share
// (--kubeconfig, --context, --json, --help) mean the same everywhere.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LearnerError } from '../core/index.js';

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

/** `--port N`: a TCP port (0 for any free one), or undefined when not given. */
export function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535, not "${value}"`);
  return port;
}

/** `--speed X`: how much faster than real time the simulated clock runs, or undefined when not given. */
export function speedOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const speed = Number(value);
  if (!(speed > 0 && Number.isFinite(speed))) throw new UsageError(`--speed must be a positive number, not "${value}"`, 'Try --speed 1 (real time) or --speed 10 (ten times faster).');
  return speed;
}
