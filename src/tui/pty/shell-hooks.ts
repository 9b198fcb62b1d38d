// Telling the tutor when a command has finished: the shell prints an OSC 133 "command finished"
// mark (the semantic-prompt convention terminals such as iTerm2, kitty and VS Code read) before
// each prompt, after VS Code's OSC 633 E mark with the command line itself (what was tried counts
// for grading). bash and zsh get them from a small rc file that first loads the learner's own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const COMMAND_DONE_OSC = 133;
/** VS Code's shell-integration mark for the command line just run (`E;<line>`, `\\` and `;` escaped). */
export const COMMAND_LINE_OSC = 633;

/**
 * Shell words that put the last history entry in `l`, escaped for an OSC 633 E mark: leading
 * blanks gone, `\\` and `;` written as escapes, control characters made blanks. bash's `history 1`
 * already holds the line just run (its `fc -l -1` does not, from a prompt hook); zsh's `fc` does.
 */
const LAST_COMMAND = (shell: 'bash' | 'zsh') =>
  [
    shell === 'bash' ? 'l=$(HISTTIMEFORMAT= history 1 2>/dev/null); l=${l#"${l%%[![:space:]]*}"}; l=${l#"${l%%[![:digit:]]*}"};' : 'l=$(fc -ln -1 2>/dev/null);',
    'l=${l#"${l%%[![:space:]*]*}"};',
    'l=${l//\\\\/\\\\x5c};',
    'l=${l//;/\\\\x3b};',
    'l=${l//[[:cntrl:]]/ };',
  ].join(' ');

/** The command line of an OSC 633 E mark, its escapes undone. */
export function commandLineOf(data: string): string | undefined {
  if (!data.startsWith('E;')) return undefined;
  return data.slice(2).replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).trim();
}

export interface ShellLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
}

/** How to start `shell` so it reports each finished command; unknown shells start plainly. */
export function launchShell(shell: string, env: Record<string, string>): ShellLaunch {
  const name = path.basename(shell);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-shell-'));
  if (name === 'bash') {
    const rc = path.join(dir, 'bashrc');
    writeFileSync(
      rc,
      [
        '[ -f ~/.bashrc ] && . ~/.bashrc',
        `__kubedojo_done() { local c=$? l; ${LAST_COMMAND('bash')} printf "\\033]633;E;%s\\007\\033]133;D;%s\\007" "$l" "$c"; }`,
        'PROMPT_COMMAND="__kubedojo_done${PROMPT_COMMAND:+;$PROMPT_COMMAND}"',
        'PS1="${KUBEDOJO_PS1:-\\[\\033[36m\\]dojo\\[\\033[0m\\]:\\W\\$ }"',
        '',
      ].join('\n'),
    );
    return { file: shell, args: ['--rcfile', rc, '-i'], env };
  }
  if (name === 'zsh') {
    writeFileSync(
      path.join(dir, '.zshrc'),
      ['[ -f ~/.zshrc ] && ZDOTDIR=~ . ~/.zshrc', 'precmd_functions+=(__kubedojo_done)', `__kubedojo_done() { local c=$? l; ${LAST_COMMAND('zsh')} printf "\\033]633;E;%s\\007\\033]133;D;%s\\007" "$l" "$c"; }`, ''].join('\n'),
    );
    return { file: shell, args: ['-i'], env: { ...env, ZDOTDIR: dir } };
  }
  return { file: shell, args: [], env };
}
