// Telling the tutor when a command has finished: the shell prints an OSC 133 "command finished"
// mark (the semantic-prompt convention terminals such as iTerm2, kitty and VS Code read) before
// each prompt, after VS Code's OSC 633 E mark with the command line itself (what was tried counts
// for grading). bash and zsh get them from a small rc file that first loads the learner's own.
// The same rc file sets the shell up as the CKA and CKAD exam environments do: `k` for kubectl,
// with completion for both, and vim ready for YAML.
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

/**
 * bash completion for kubectl and `k`, as the exam environments have it. kubectl's script needs
 * bash-completion's word splitter: the system's is loaded where it is installed, and a small one
 * stands in where it is not, so Tab completes resource and object names either way.
 */
const BASH_COMPLETION = [
  'alias k=kubectl',
  'if ! declare -F _get_comp_words_by_ref >/dev/null; then',
  '  for f in /usr/share/bash-completion/bash_completion /etc/bash_completion /opt/homebrew/etc/profile.d/bash_completion.sh /usr/local/etc/profile.d/bash_completion.sh; do [ -r "$f" ] && . "$f" && break; done',
  'fi',
  'if ! declare -F _get_comp_words_by_ref >/dev/null; then',
  // Without bash-completion: the words as bash split them, which is all kubectl's script reads.
  '  _get_comp_words_by_ref() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }',
  'fi',
  'if command -v kubectl >/dev/null 2>&1; then',
  '  source <(kubectl completion bash 2>/dev/null)',
  '  complete -o default -F __start_kubectl k',
  'fi',
];

/** zsh's own completion system, kubectl's completion for it, and `k`. */
const ZSH_COMPLETION = [
  'alias k=kubectl',
  'if command -v kubectl >/dev/null 2>&1; then',
  '  (( $+functions[compdef] )) || { autoload -Uz compinit && compinit -u; }',
  '  source <(kubectl completion zsh 2>/dev/null)',
  'fi',
];

/**
 * vim for YAML as exam takers set it up: two-space indents made of spaces, and a paste that keeps
 * its own indentation. A paste reaches vim through the tutor as typed keys, not marked as a paste,
 * so YAML buffers get no automatic indent at all (each pasted line would otherwise be indented
 * again on top of its own spaces); Tab and >> still indent by two. The learner's own vimrc is
 * loaded first, so only these settings are ours.
 */
export const VIMRC = [
  'if &compatible | set nocompatible | endif',
  'for s:rc in [expand("~/.vimrc"), expand("~/.vim/vimrc")]',
  '  if filereadable(s:rc) | execute "source" fnameescape(s:rc) | break | endif',
  'endfor',
  'filetype plugin indent on',
  'syntax on',
  'set tabstop=2 softtabstop=2 shiftwidth=2 expandtab autoindent',
  'autocmd FileType yaml setlocal tabstop=2 softtabstop=2 shiftwidth=2 expandtab noautoindent indentexpr= nosmartindent nocindent',
  // Where the terminal does mark pastes (bracketed paste), vim inserts them unindented anywhere.
  'if exists("&t_BE") | let &t_BE = "\\e[?2004h" | let &t_BD = "\\e[?2004l" | let &t_PS = "\\e[200~" | let &t_PE = "\\e[201~" | endif',
  '',
].join('\n');

export interface ShellLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
}

/** How to start `shell` so it reports each finished command; unknown shells start plainly. */
export function launchShell(shell: string, env: Record<string, string>): ShellLaunch {
  const name = path.basename(shell);
  if (name !== 'bash' && name !== 'zsh') return { file: shell, args: [], env };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-shell-'));
  const vimrc = path.join(dir, 'vimrc');
  writeFileSync(vimrc, VIMRC);
  // vim reads VIMINIT instead of ~/.vimrc; ours loads that first.
  const withVim = { ...env, VIMINIT: `source ${vimrc.replace(/[\\ |"]/g, '\\$&')}` };
  if (name === 'bash') {
    const rc = path.join(dir, 'bashrc');
    writeFileSync(
      rc,
      [
        '[ -f ~/.bashrc ] && . ~/.bashrc',
        `__kubedojo_done() { local c=$? l; ${LAST_COMMAND('bash')} printf "\\033]633;E;%s\\007\\033]133;D;%s\\007" "$l" "$c"; }`,
        'PROMPT_COMMAND="__kubedojo_done${PROMPT_COMMAND:+;$PROMPT_COMMAND}"',
        'PS1="${KUBEDOJO_PS1:-\\[\\033[36m\\]dojo\\[\\033[0m\\]:\\W\\$ }"',
        ...BASH_COMPLETION,
        '',
      ].join('\n'),
    );
    return { file: shell, args: ['--rcfile', rc, '-i'], env: withVim };
  }
  writeFileSync(
    path.join(dir, '.zshrc'),
    ['[ -f ~/.zshrc ] && ZDOTDIR=~ . ~/.zshrc', 'precmd_functions+=(__kubedojo_done)', `__kubedojo_done() { local c=$? l; ${LAST_COMMAND('zsh')} printf "\\033]633;E;%s\\007\\033]133;D;%s\\007" "$l" "$c"; }`, ...ZSH_COMPLETION, ''].join('\n'),
  );
  return { file: shell, args: ['-i'], env: { ...withVim, ZDOTDIR: dir } };
}
