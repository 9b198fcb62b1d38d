// Types for the parts of gen-kubectl-flags.mjs that tests use to compare the table with kubectl.
import type { KubectlFlagTakes } from '../src/core/kube/kubectl-flag-types.js';

export const VERBS: string[];
export interface RunResult { code: number; stdout: string; stderr: string; missing: boolean }
export function offlineEnv(base?: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; cleanup: () => void };
export function run(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult>;
export function parseHelp(text: string): { aliases: string[]; subcommands: string[]; flags: Record<string, { short: string; looksBool: boolean }> };
export function probeKind(binary: string, env: NodeJS.ProcessEnv, path: string[], name: string, looksBool: boolean): Promise<KubectlFlagTakes>;
export function pooled<T>(jobs: (() => Promise<T>)[], width?: number): Promise<T[]>;
export function disagreements(binary: string, env: NodeJS.ProcessEnv, path: string[], expected: Record<string, KubectlFlagTakes>): Promise<string[]>;
