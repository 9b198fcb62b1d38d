// What a program sees when it runs: its argv, environment, working directory, the container
// (filesystem, network, processes) and whose tools it is (busybox applets word things differently
// from GNU coreutils).
import type { ContainerFs } from '../fs.js';
import type { Gen } from '../io.js';
import type { ProcessContext, User } from '../types.js';

export type Toolset = 'busybox' | 'gnu';

export interface Sys {
  ctx: ProcessContext;
  /** The name the program was called by (its base name): messages start with it. */
  name: string;
  cwd: string;
  env: Record<string, string>;
  toolset: Toolset;
  user: User;
  fs: ContainerFs;
  now(): number;
  /** Runs another program found on PATH (env, xargs, nohup, timeout). */
  exec(argv: string[], env?: Record<string, string>): Gen<number>;
}

export type Program = (argv: string[], sys: Sys) => Gen<number>;
