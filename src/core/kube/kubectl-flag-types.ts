// The shape of the flag table generated from the real kubectl (kubectl-flags.ts).

/**
 * How kubectl reads a flag: `value` takes the next word when written without `=`; `bool` and
 * `optional` have a meaning alone (`--flag`) and take a value only as `--flag=value`.
 */
export type KubectlFlagTakes = 'value' | 'bool' | 'optional';

export interface KubectlFlag {
  /** Its one-letter form (`-o`), or '' when it has none. */
  short: string;
  takes: KubectlFlagTakes;
}

export type KubectlFlagTable = Record<string, KubectlFlag>;

export interface KubectlCommandEntry {
  aliases: string[];
  subcommands: string[];
  /** The command's own flags; the global ones are in GLOBAL_FLAGS. */
  flags: KubectlFlagTable;
}
