// What a subcommand is. Apart from the table of them (commands.ts) so that each subcommand's module
// can name its own type without importing the table that imports it.
export interface Command {
  help: string;
  run(args: string[]): Promise<number>;
}
