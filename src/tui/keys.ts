// What a key means to the tutor. Function keys always belong to the tutor; every other key goes
// to the shell while it has focus, so the shell behaves as any terminal would.

export type TutorKey =
  | 'help' | 'quit' | 'hint' | 'solution' | 'lessons' | 'quiz' | 'exam' | 'progress' | 'reset' | 'focus' | 'check'
  | 'next-step' | 'prev-step' | 'scroll-up' | 'scroll-down' | 'up' | 'down' | 'left' | 'right' | 'enter' | 'escape' | 'tab' | 'backspace';

const FUNCTION_KEYS: Record<string, number> = {
  '\u001bOP': 1, '\u001b[11~': 1, '\u001b[[A': 1,
  '\u001bOQ': 2, '\u001b[12~': 2, '\u001b[[B': 2,
  '\u001bOR': 3, '\u001b[13~': 3, '\u001b[[C': 3,
  '\u001bOS': 4, '\u001b[14~': 4, '\u001b[[D': 4,
  '\u001b[15~': 5, '\u001b[[E': 5,
  '\u001b[17~': 6, '\u001b[18~': 7, '\u001b[19~': 8, '\u001b[20~': 9, '\u001b[21~': 10, '\u001b[23~': 11, '\u001b[24~': 12,
};

/** F1 … F12 → what it does, everywhere. */
export const FKEY_ACTIONS: Record<number, TutorKey> = {
  1: 'help', 2: 'hint', 3: 'solution', 4: 'lessons', 5: 'quiz', 6: 'exam', 7: 'progress', 8: 'reset', 9: 'focus', 10: 'quit',
};

/** The function key a raw sequence is (modifier forms such as ESC[1;2P included), or undefined. */
export function functionKey(seq: string): number | undefined {
  if (FUNCTION_KEYS[seq] !== undefined) return FUNCTION_KEYS[seq];
  const mod = /^\u001b\[1;\d+([PQRS])$/.exec(seq);
  if (mod) return 'PQRS'.indexOf(mod[1]) + 1;
  const tilde = /^\u001b\[(\d+);\d+~$/.exec(seq);
  if (tilde) return FUNCTION_KEYS[`\u001b[${tilde[1]}~`];
  return undefined;
}

/** Keys the tutor reads when a pane other than the shell has focus, or a screen is open. */
const PANE_KEYS: Record<string, TutorKey> = {
  h: 'hint', s: 'solution', l: 'lessons', q: 'quiz', e: 'exam', g: 'progress', r: 'reset', c: 'check', n: 'next-step', p: 'prev-step', x: 'quit', '?': 'help',
  '\t': 'tab', '\r': 'enter', '\n': 'enter', '\u001b': 'escape', '\u007f': 'backspace', '\b': 'backspace',
  '\u001b[A': 'up', '\u001bOA': 'up', '\u001b[B': 'down', '\u001bOB': 'down', '\u001b[C': 'right', '\u001bOC': 'right', '\u001b[D': 'left', '\u001bOD': 'left',
  '\u001b[5~': 'scroll-up', '\u001b[6~': 'scroll-down',
};

export type KeyRoute = { to: 'tutor'; key: TutorKey; raw: string } | { to: 'shell'; raw: string } | { to: 'scroll'; lines: number } | { to: 'text'; raw: string };

/** Where a key goes: the tutor (function keys, or any key when the shell lacks focus) or the shell. */
export function routeKey(raw: string, shellFocused: boolean, pageRows = 10): KeyRoute {
  const f = functionKey(raw);
  if (f !== undefined) {
    const key = FKEY_ACTIONS[f];
    return key ? { to: 'tutor', key, raw } : { to: 'shell', raw };
  }
  // Shift+PgUp/PgDn scroll the shell's scroll-back, as in most terminals.
  if (raw === '\u001b[5;2~') return { to: 'scroll', lines: pageRows };
  if (raw === '\u001b[6;2~') return { to: 'scroll', lines: -pageRows };
  if (shellFocused) return { to: 'shell', raw };
  const key = PANE_KEYS[raw];
  // Other keys are text for whatever is open (a quiz answer, a yes or no), never the shell's.
  return key ? { to: 'tutor', key, raw } : { to: 'text', raw };
}

export const KEY_HELP: [string, string][] = [
  ['F1', 'this help (any pane)'],
  ['F2', 'a hint for the current step'],
  ['F3', 'show the solution (asks first; it is recorded)'],
  ['F4', 'the lesson list'],
  ['F5', 'quiz'],
  ['F6', 'exam drill'],
  ['F7', 'your progress'],
  ['F8', 'reset the lesson (asks first)'],
  ['F9', 'move focus: shell → lesson → cluster'],
  ['F10', 'quit (any pane)'],
  ['Shift+PgUp/PgDn', 'scroll the shell back and forth'],
  ['When the lesson or cluster pane has focus:', ''],
  ['n / p', 'next / previous step'],
  ['c', 'check the step now'],
  ['h s r', 'hint, solution, reset'],
  ['l q e g', 'lessons, quiz, exam, progress'],
  ['Tab', 'move focus'],
  ['↑ ↓ PgUp PgDn', 'scroll the pane'],
  ['↑↓ d l y p', 'cluster pane: select, describe, logs, YAML, picture'],
  ['x', 'quit'],
];

/** Added to the help while a Killercoda scenario plays. */
export const SCENARIO_KEY_HELP: [string, string][] = [['Alt+1 … Alt+9', 'type code block N into the shell (1 … 9 from the lesson pane)']];
