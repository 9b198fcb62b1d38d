// Telling the tutor when a command has finished: the shell prints an OSC 133 "command finished"
// mark (the semantic-prompt convention terminals such as iTerm2, kitty and VS Code read) before
// each prompt. bash and zsh get it from a small rc file that first loads the learner's own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const COMMAND_DONE_OSC = 133;

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
        '__kubedojo_done() { printf "\\033]133;D;%s\\007" "$?"; }',
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
      ['[ -f ~/.zshrc ] && ZDOTDIR=~ . ~/.zshrc', 'precmd_functions+=(__kubedojo_done)', '__kubedojo_done() { printf "\\033]133;D;%s\\007" "$?"; }', ''].join('\n'),
    );
    return { file: shell, args: ['-i'], env: { ...env, ZDOTDIR: dir } };
  }
  return { file: shell, args: [], env };
}
