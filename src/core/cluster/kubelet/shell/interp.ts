// The shell that runs a container's `sh -c` and a learner's `kubectl exec -it … sh`: it walks the
// syntax tree, expands words, wires redirections and pipes, and runs builtins itself and programs
// through the runner it is given. Each flavour words its errors as that shell does (busybox ash,
// Debian's dash, bash), because those messages are what a learner reads when a command is wrong.
import { ArithError, evaluate } from './arith.js';
import { FsError } from './fs.js';
import { capture, err, LineReader, out, pipe, redirected, sleep, type Gen, type Sink, type Source } from './io.js';
import { absPath } from './path.js';
import { globMatch, globToRegExp } from './pattern.js';
import { parse, SyntaxError, type AndOr, type Cmd, type List, type Pipeline, type Redir, type Word } from './syntax.js';
import type { ProcessContext } from './types.js';
import { testExpression } from './commands/test.js';
import { formatPrintf } from './commands/printf.js';
import { echoText } from './commands/echo.js';

export type Flavour = 'ash' | 'dash' | 'bash';

/** How a program named on a command line is run; supplied by the caller (index.ts). */
export interface Runner {
  /** Undefined: no such program (or a message for a found-but-unrunnable one). */
  locate(name: string, shell: Shell): { run: (argv: string[], env: Record<string, string>, cwd: string) => Gen<number> } | { error: 'notfound' | 'denied' | 'isdir' };
}

export class ExitSignal {
  constructor(readonly code: number) {}
}
class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    public n: number,
  ) {}
}
class ReturnSignal {
  constructor(readonly code: number) {}
}
class ExpansionError {
  constructor(readonly message: string) {}
}
/** Thrown into a running process by the caller when the terminal sends ^C. */
export class Interrupt {
  constructor(readonly signal = 'INT') {}
}

const BUSY_LOOP_ITERATIONS = 2_000;

export class Shell {
  vars = new Map<string, string>();
  exported = new Set<string>();
  funcs = new Map<string, Cmd>();
  traps = new Map<string, string>();
  positional: string[] = [];
  status = 0;
  lastBg = '';
  cwd: string;
  line = 1;
  errexit = false;
  nounset = false;
  /** -c (or a script): errors say where; interactive: they do not. */
  interactive = false;
  private conditionDepth = 0;
  /** The status of the last command substitution, which an assignment-only command returns. */
  private subStatus = 0;
  private idleIterations = 0;
  private jobs = 0;
  private seed = 12345;
  private pendingSignals: string[] = [];
  readonly stdin = new LineReader();

  constructor(
    readonly ctx: ProcessContext,
    /** $0, which prefixes its messages. */
    readonly name: string,
    readonly flavour: Flavour,
    readonly runner: Runner,
  ) {
    this.cwd = ctx.cwd;
  }

  /** A subshell: a copy of the state; changes do not come back. */
  clone(): Shell {
    const s = new Shell(this.ctx, this.name, this.flavour, this.runner);
    s.vars = new Map(this.vars);
    s.exported = new Set(this.exported);
    s.funcs = new Map(this.funcs);
    s.positional = [...this.positional];
    s.status = this.status;
    s.cwd = this.cwd;
    s.line = this.line;
    s.errexit = this.errexit;
    s.nounset = this.nounset;
    s.interactive = this.interactive;
    return s;
  }

  get pid(): number {
    return this.ctx.pid ?? 1;
  }

  setVar(name: string, value: string, exported = false): void {
    this.vars.set(name, value);
    if (exported) this.exported.add(name);
  }

  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.exported) {
      const v = this.vars.get(name);
      if (v !== undefined) env[name] = v;
    }
    return env;
  }

  /** The start of an error line: `sh: `, `sh: 1: `, `bash: line 1: `. */
  prefix(): string {
    if (this.flavour === 'dash') return `${this.name}: ${this.line}: `;
    if (this.flavour === 'bash' && !this.interactive) return `${this.name}: line ${this.line}: `;
    return `${this.name}: `;
  }

  syntaxMessage(e: SyntaxError): string {
    const tok = e.token;
    if (this.flavour === 'dash') return `${this.name}: ${e.line}: Syntax error: ${tok === 'end of file' ? 'end of file' : tok === 'newline' ? 'newline' : `"${tok}"`} unexpected\n`;
    if (this.flavour === 'bash') {
      if (tok === 'end of file') return `${this.name}: -c: line ${e.line}: syntax error: unexpected end of file\n`;
      return `${this.name}: -c: line ${e.line}: syntax error near unexpected token \`${tok}'\n`;
    }
    if (tok === 'end of file') return `${this.name}: syntax error: unexpected end of file\n`;
    return `${this.name}: syntax error: unexpected ${tok === 'newline' ? 'newline' : `"${tok}"`}\n`;
  }

  /** Runs a script (sh -c); returns its exit status. */
  *script(src: string): Gen<number> {
    let list: List;
    try {
      list = parse(src);
    } catch (e) {
      if (e instanceof SyntaxError) {
        yield* err(this.syntaxMessage(e));
        return 2;
      }
      throw e;
    }
    return yield* this.main(list);
  }

  /** Runs a parsed program as the shell's whole life: exit and the EXIT trap end it. */
  *main(list: List): Gen<number> {
    let code: number;
    try {
      code = yield* this.list(list);
    } catch (e) {
      if (e instanceof ExitSignal) code = e.code;
      else throw e;
    }
    return yield* this.exitTrap(code);
  }

  *exitTrap(code: number): Gen<number> {
    const action = this.traps.get('EXIT') ?? this.traps.get('0');
    if (!action) return code;
    this.traps.delete('EXIT');
    this.traps.delete('0');
    this.status = code;
    try {
      yield* this.script(action);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
    return code;
  }

  *list(list: List): Gen<number> {
    let status = this.status;
    for (const item of list) {
      if (item.background) {
        yield* this.background(item);
        status = 0;
      } else status = yield* this.andOr(item);
      this.status = status;
      if (this.pendingSignals.length) yield* this.runTraps();
    }
    return status;
  }

  /**
   * A signal from outside (the kubelet's SIGTERM). With a trap it is remembered and the trap runs
   * once the command in the foreground has finished, as shells do; '' as the trap ignores it.
   */
  signal(name: string): 'trapped' | 'ignored' | 'default' {
    const sig = name.replace(/^SIG/, '');
    const action = this.traps.get(sig);
    if (action === undefined) return 'default';
    if (action === '') return 'ignored';
    this.pendingSignals.push(sig);
    return 'trapped';
  }

  private *runTraps(): Gen<void> {
    while (this.pendingSignals.length) {
      const sig = this.pendingSignals.shift()!;
      const action = this.traps.get(sig);
      if (!action) continue;
      const saved = this.status;
      const list = parse(action);
      yield* this.list(list);
      this.status = saved;
    }
  }

  /**
   * `cmd &`: runs until it first waits (a sleep or a read) and is left there. Nothing steps a
   * background job on its own clock yet; its first output shows, which is what scripts rely on.
   */
  private *background(item: AndOr): Gen<void> {
    const sub = this.clone();
    const gen = sub.andOr({ ...item, background: false });
    for (let r = gen.next(); !r.done; r = gen.next()) {
      if (r.value.kind === 'sleep' || r.value.kind === 'read') break;
      yield r.value;
    }
    this.lastBg = String(this.pid + 10 + ++this.jobs);
  }

  private *andOr(item: AndOr): Gen<number> {
    // Only the last command of an && / || list can trip errexit.
    let status = item.rest.length ? yield* this.guarded(item.first) : yield* this.pipeline(item.first);
    let lastRan = item.rest.length === 0;
    for (let i = 0; i < item.rest.length; i++) {
      const { op, p } = item.rest[i];
      this.status = status;
      if ((op === '&&') !== (status === 0)) continue;
      const last = i === item.rest.length - 1;
      status = last ? yield* this.pipeline(p) : yield* this.guarded(p);
      lastRan = last;
    }
    this.status = status;
    const bang = (lastRan && item.rest.length ? item.rest[item.rest.length - 1].p : item.first).bang;
    if (status !== 0 && this.errexit && this.conditionDepth === 0 && lastRan && !bang) throw new ExitSignal(status);
    return status;
  }

  private *guarded(p: Pipeline): Gen<number> {
    this.conditionDepth++;
    try {
      return yield* this.pipeline(p);
    } finally {
      this.conditionDepth--;
    }
  }

  private *pipeline(p: Pipeline): Gen<number> {
    if (p.bang) this.conditionDepth++;
    let status: number;
    try {
      if (p.cmds.length === 1) status = yield* this.command(p.cmds[0]);
      else {
        let gen = this.stage(p.cmds[0]);
        for (const cmd of p.cmds.slice(1)) gen = pipe(gen, this.stage(cmd));
        status = yield* gen;
      }
    } finally {
      if (p.bang) this.conditionDepth--;
    }
    return p.bang ? Number(status === 0) : status;
  }

  private *stage(cmd: Cmd): Gen<number> {
    return yield* this.clone().subshell(() => [cmd]);
  }

  *subshell(body: () => List | Cmd[]): Gen<number> {
    try {
      const b = body();
      if (b.length && 't' in b[0]) return yield* this.command(b[0] as Cmd);
      return yield* this.list(b as List);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      if (e instanceof LoopSignal || e instanceof ReturnSignal) return this.status;
      throw e;
    }
  }

  *command(cmd: Cmd): Gen<number> {
    if (cmd.t === 'simple') return yield* this.simple(cmd);
    if (cmd.t === 'func') {
      this.funcs.set(cmd.name, cmd.body);
      return 0;
    }
    const io = yield* this.redirections(cmd.redirs);
    if (!io) return 1;
    return yield* redirected(this.compound(cmd), io.stdout, io.stderr, io.stdin);
  }

  private *compound(cmd: Exclude<Cmd, { t: 'simple' } | { t: 'func' }>): Gen<number> {
    switch (cmd.t) {
      case 'group':
        return yield* this.list(cmd.body);
      case 'subshell':
        return yield* this.clone().subshell(() => cmd.body);
      case 'if': {
        for (const c of cmd.clauses) {
          if ((yield* this.condition(c.cond)) === 0) return yield* this.list(c.body);
        }
        return cmd.otherwise ? yield* this.list(cmd.otherwise) : 0;
      }
      case 'loop': {
        let status = 0;
        for (;;) {
          const c = yield* this.condition(cmd.cond);
          if ((c === 0) === cmd.until) break;
          const r = yield* this.loopBody(cmd.body);
          if (r === 'break') break;
          status = this.status;
          yield* this.breathe();
        }
        return status;
      }
      case 'for': {
        const items = cmd.items ? yield* this.expandWords(cmd.items) : [...this.positional];
        let status = 0;
        for (const item of items) {
          this.setVar(cmd.name, item);
          const r = yield* this.loopBody(cmd.body);
          if (r === 'break') break;
          status = this.status;
          yield* this.breathe();
        }
        return status;
      }
      case 'case': {
        const value = yield* this.expandSingle(cmd.word);
        for (const arm of cmd.arms) {
          for (const pw of arm.patterns) {
            const pat = yield* this.expandPattern(pw);
            if (globMatch(pat, value)) return yield* this.list(arm.body);
          }
        }
        return 0;
      }
    }
  }

  private *condition(list: List): Gen<number> {
    this.conditionDepth++;
    try {
      return yield* this.list(list);
    } finally {
      this.conditionDepth--;
    }
  }

  private *loopBody(body: List): Gen<'break' | 'continue' | undefined> {
    try {
      yield* this.list(body);
      return undefined;
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.n > 1) {
        e.n--;
        throw e;
      }
      return e.kind;
    }
  }

  /** A loop that never waits would hold the simulation; a real one burns CPU time, so time passes. */
  private *breathe(): Gen<void> {
    if (++this.idleIterations >= BUSY_LOOP_ITERATIONS) {
      this.idleIterations = 0;
      yield* sleep(250);
    }
  }

  private *simple(cmd: Extract<Cmd, { t: 'simple' }>): Gen<number> {
    this.line = cmd.line;
    let argv: string[];
    const assigns: Array<[string, string]> = [];
    this.subStatus = 0;
    try {
      argv = yield* this.expandWords(cmd.words);
      for (const a of cmd.assigns) assigns.push([a.name, yield* this.expandSingle(a.value, true)]);
    } catch (e) {
      if (!(e instanceof ExpansionError)) throw e;
      yield* err(`${this.prefix()}${e.message}\n`);
      if (!this.interactive) throw new ExitSignal(2);
      return 1;
    }
    const subStatus = this.subStatus;
    if (!argv.length) {
      for (const [n, v] of assigns) this.setVar(n, v);
      if (cmd.redirs.length) {
        const io = yield* this.redirections(cmd.redirs);
        if (!io) return 1;
      }
      return subStatus;
    }
    const io = yield* this.redirections(cmd.redirs);
    if (!io) return 1;
    return yield* redirected(this.invoke(argv, assigns), io.stdout, io.stderr, io.stdin);
  }

  /** Runs a command by name: function, builtin, or program found on PATH. */
  *invoke(argv: string[], assigns: Array<[string, string]> = []): Gen<number> {
    const name = argv[0];
    const fn = this.funcs.get(name);
    if (fn) {
      for (const [n, v] of assigns) this.setVar(n, v);
      const saved = this.positional;
      this.positional = argv.slice(1);
      try {
        return yield* this.command(fn);
      } catch (e) {
        if (e instanceof ReturnSignal) return e.code;
        throw e;
      } finally {
        this.positional = saved;
      }
    }
    const builtin = BUILTINS[name];
    if (builtin && !(name === 'kill' && !this.ctx.kill)) {
      if (SPECIAL.has(name)) for (const [n, v] of assigns) this.setVar(n, v);
      return yield* builtin.call(this, argv);
    }
    const found = this.runner.locate(name, this);
    if ('error' in found) {
      yield* err(this.notFound(name, found.error));
      return found.error === 'notfound' ? 127 : 126;
    }
    const env = this.environment();
    for (const [n, v] of assigns) env[n] = v;
    return yield* found.run(argv, env, this.cwd);
  }

  notFound(name: string, why: 'notfound' | 'denied' | 'isdir'): string {
    const p = this.prefix();
    if (why === 'denied') return `${p}${name}: Permission denied\n`;
    if (why === 'isdir') return this.flavour === 'bash' ? `${p}${name}: Is a directory\n` : `${p}${name}: Permission denied\n`;
    if (this.flavour === 'bash') return name.includes('/') ? `${p}${name}: No such file or directory\n` : `${p}${name}: command not found\n`;
    return `${p}${name}: not found\n`;
  }

  /** Opens what a command's redirections name; undefined (after saying why) when one fails. */
  private *redirections(redirs: Redir[]): Gen<{ stdout: Sink; stderr: Sink; stdin: Source } | undefined> {
    const fds: Record<number, Sink> = { 1: { kind: 'fd', fd: 1 }, 2: { kind: 'fd', fd: 2 } };
    let stdin: Source = { kind: 'inherit' };
    for (const r of redirs) {
      let target: string;
      try {
        target = r.heredoc ? yield* this.expandSingle(r.heredoc.body) : yield* this.expandSingle(r.target);
      } catch (e) {
        if (e instanceof ExpansionError) {
          yield* err(`${this.prefix()}${e.message}\n`);
          return undefined;
        }
        throw e;
      }
      if (r.heredoc) {
        if (r.fd === 0) stdin = { kind: 'data', data: Buffer.from(target) };
        continue;
      }
      if (r.op === '<<<') {
        // A here-string (bash, busybox ash): the word and a newline. dash has no such redirection.
        if (this.flavour === 'dash') {
          yield* err(`${this.prefix()}Syntax error: redirection unexpected\n`);
          return undefined;
        }
        if (r.fd === 0) stdin = { kind: 'data', data: Buffer.from(`${target}\n`) };
        continue;
      }
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') {
          if (r.fd === 0) stdin = { kind: 'empty' };
          else fds[r.fd] = { kind: 'closed' };
        } else if (/^\d+$/.test(target)) {
          if (r.fd !== 0 && fds[Number(target)]) fds[r.fd] = fds[Number(target)];
        } else {
          // >&file: both streams to a file (bash).
          const sink = yield* this.openSink(target, false);
          if (!sink) return undefined;
          fds[1] = fds[2] = sink;
        }
        continue;
      }
      const path = absPath(this.cwd, target);
      if (r.op === '<' || r.op === '<>') {
        try {
          const node = this.ctx.fs.stat(path, this.ctx.user);
          stdin = node.type === 'dev' ? { kind: node.device === 'null' ? 'empty' : 'inherit' } : { kind: 'data', data: this.ctx.fs.readFile(path, this.ctx.user) };
        } catch (e) {
          if (!(e instanceof FsError)) throw e;
          yield* err(this.openError(target, e, 'open'));
          return undefined;
        }
        continue;
      }
      const sink = yield* this.openSink(target, r.op === '>>');
      if (!sink) return undefined;
      if (r.fd === 1 || r.fd === 2) fds[r.fd] = sink;
    }
    return { stdout: fds[1], stderr: fds[2], stdin };
  }

  private *openSink(target: string, append: boolean): Gen<Sink | undefined> {
    try {
      const t = this.ctx.fs.openWrite(absPath(this.cwd, target), this.ctx.user, { append });
      if (t.kind === 'file') return { kind: 'file', node: t.node };
      if (t.device === 'stdout' || t.device === 'tty') return { kind: 'fd', fd: 1 };
      if (t.device === 'main-stdout' || t.device === 'main-stderr') {
        const stream = t.device === 'main-stdout' ? 'stdout' : 'stderr';
        const write = this.ctx.writeToMain;
        return write ? { kind: 'hook', write: (data) => write(stream, data) } : { kind: 'null' };
      }
      if (t.device === 'stderr') return { kind: 'fd', fd: 2 };
      return { kind: 'null' };
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(this.openError(target, e, 'create'));
      return undefined;
    }
  }

  private openError(target: string, e: FsError, what: 'open' | 'create'): string {
    const p = this.prefix();
    if (this.flavour === 'bash') return `${p}${target}: ${e.message}\n`;
    if (this.flavour === 'dash') return `${p}cannot ${what} ${target}: ${e.code === 'ENOENT' && what === 'open' ? 'No such file' : e.code === 'ENOENT' ? 'Directory nonexistent' : e.message}\n`;
    return what === 'open' ? `${p}can't open '${target}': ${e.message}\n` : `${p}can't create ${target}: ${e.message}\n`;
  }

  // ---- expansion ----

  /** Words to fields: expansions, field splitting, pathname expansion. */
  *expandWords(words: Word[]): Gen<string[]> {
    const fields: string[] = [];
    for (const w of words) {
      // bash expands {1..3} and {a,b}; busybox ash and dash leave them as they are.
      const first = w[0];
      if (this.flavour === 'bash' && w.length === 1 && first.t === 'lit' && !first.quoted && /\{.*(\.\.|,).*\}/.test(first.v)) {
        for (const v of braceExpand(first.v)) fields.push(...(yield* this.expandFields([{ t: 'lit', v, quoted: false }])));
        continue;
      }
      fields.push(...(yield* this.expandFields(w)));
    }
    return fields;
  }

  /** One word to one string: no splitting, no globbing (assignments, redirection targets). */
  *expandSingle(word: Word, assignment = false): Gen<string> {
    let s = '';
    for (let i = 0; i < word.length; i++) {
      const p = word[i];
      if (p.t === 'lit') s += i === 0 && !p.quoted ? this.tilde(p.v, assignment) : p.v;
      else s += (yield* this.expandPart(p)).join(p.t === 'param' && p.name === '*' ? (this.vars.get('IFS') ?? ' ')[0] ?? '' : ' ');
    }
    return s;
  }

  /** A pattern (case, ${x#pat}): quoted characters match themselves. */
  private *expandPattern(word: Word): Gen<string> {
    let s = '';
    for (const p of word) {
      if (p.t === 'lit') s += p.quoted ? escapeGlob(p.v) : p.v;
      else {
        const v = (yield* this.expandPart(p)).join(' ');
        s += p.quoted ? escapeGlob(v) : v;
      }
    }
    return s;
  }

  private tilde(v: string, assignment: boolean): string {
    const home = this.vars.get('HOME') ?? '/';
    const fix = (s: string) => (s === '~' || s.startsWith('~/') ? home + s.slice(1) : s);
    return assignment ? v.split(':').map(fix).join(':') : fix(v);
  }

  private *expandFields(word: Word): Gen<string[]> {
    // Each field is built as text plus a glob pattern in which quoted characters are escaped.
    const fields: Array<{ text: string; pat: string; real: boolean }> = [];
    let cur = { text: '', pat: '', real: false };
    const ifs = this.vars.get('IFS') ?? ' \t\n';
    const add = (s: string, quoted: boolean) => {
      cur.text += s;
      cur.pat += quoted ? escapeGlob(s) : s;
      if (s || quoted) cur.real = true;
    };
    const split = (s: string) => {
      const ws = [...ifs].filter((c) => ' \t\n'.includes(c)).join('');
      const pieces = ifs === '' ? [s] : s.split(new RegExp(`[${escapeClass(ifs)}]`));
      const leading = pieces.length > 1 && pieces[0] === '' && ws;
      pieces.forEach((piece, i) => {
        if (i > 0) {
          if (cur.real || !leading || i > 1) {
            if (cur.real) fields.push(cur);
            cur = { text: '', pat: '', real: false };
          }
        }
        if (piece) add(piece, false);
      });
    };
    for (let i = 0; i < word.length; i++) {
      const p = word[i];
      if (p.t === 'lit') {
        add(i === 0 && !p.quoted ? this.tilde(p.v, false) : p.v, p.quoted);
        continue;
      }
      const values = yield* this.expandPart(p);
      if (p.t === 'param' && p.name === '@' && p.quoted && !p.op && !p.length) {
        values.forEach((v, j) => {
          if (j > 0) {
            fields.push(cur);
            cur = { text: '', pat: '', real: false };
          }
          add(v, true);
        });
        continue;
      }
      const joined = values.join(p.quoted && p.t === 'param' && p.name === '*' ? (ifs[0] ?? '') : ' ');
      if (p.quoted) add(joined, true);
      else split(joined);
    }
    if (cur.real) fields.push(cur);
    const outFields: string[] = [];
    for (const f of fields) {
      if (/(^|[^\\])[*?[]/.test(f.pat)) {
        const matches = this.glob(f.pat);
        if (matches.length) {
          outFields.push(...matches);
          continue;
        }
      }
      outFields.push(f.text);
    }
    return outFields;
  }

  /** Pathname expansion against the container's filesystem. */
  private glob(pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    const parts = pattern.split('/').filter((x, i) => x !== '' || i === 0);
    let bases: string[] = [absolute ? '/' : ''];
    for (const part of parts) {
      if (part === '') continue;
      const next: string[] = [];
      const literal = !/(^|[^\\])[*?[]/.test(part);
      for (const base of bases) {
        const dir = absPath(this.cwd, base || '.');
        if (literal) {
          const name = part.replace(/\\(.)/g, '$1');
          const candidate = base === '/' ? `/${name}` : base ? `${base}/${name}` : name;
          if (this.ctx.fs.exists(absPath(this.cwd, candidate), this.ctx.user)) next.push(candidate);
          continue;
        }
        let names: string[];
        try {
          names = this.ctx.fs.readdir(dir, this.ctx.user);
        } catch {
          continue;
        }
        const re = globToRegExp(part);
        for (const n of names) {
          if (n.startsWith('.') && !part.startsWith('.')) continue;
          if (re.test(n)) next.push(base === '/' ? `/${n}` : base ? `${base}/${n}` : n);
        }
      }
      bases = next;
      if (!bases.length) return [];
    }
    return bases.sort();
  }

  private *expandPart(p: Exclude<Word[number], { t: 'lit' }>): Gen<string[]> {
    if (p.t === 'cmd') {
      const sub = this.clone();
      const r = yield* capture(sub.subshell(() => p.list));
      this.status = this.subStatus = r.value;
      return [r.stdout.toString().replace(/\n+$/, '')];
    }
    if (p.t === 'arith') {
      const expr = yield* this.expandSingle(p.expr);
      try {
        return [String(evaluate(expr, { get: (n) => this.vars.get(n), set: (n, v) => this.setVar(n, v) }))];
      } catch (e) {
        if (e instanceof ArithError) throw new ExpansionError(this.flavour === 'bash' ? `${expr.trim()}: ${e.message}` : this.flavour === 'dash' ? `arithmetic expression: ${e.message.replace(/ \(error token.*$/, '')}: "${expr}"` : `arithmetic syntax error`);
        throw e;
      }
    }
    return yield* this.param(p);
  }

  private special(name: string): string[] | undefined {
    switch (name) {
      case '?': return [String(this.status)];
      case '$': return [String(this.pid)];
      case '#': return [String(this.positional.length)];
      case '@':
      case '*': return [...this.positional];
      case '!': return [this.lastBg];
      case '-': return [this.interactive ? 'i' : 'c'];
      case '0': return [this.name];
      case 'RANDOM':
        if (this.flavour === 'dash') break;
        this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
        return [String(this.seed % 32768)];
    }
    if (/^\d+$/.test(name)) {
      const v = this.positional[Number(name) - 1];
      return v === undefined ? undefined : [v];
    }
    const v = this.vars.get(name);
    return v === undefined ? undefined : [v];
  }

  /** ${name:offset:length}: both are arithmetic; a negative offset counts from the end. */
  private substring(value: string, arg: Word | undefined): string {
    const raw = arg?.[0]?.t === 'lit' ? arg[0].v : '';
    const text = raw.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, n: string) => this.vars.get(n) ?? '0');
    let depth = 0;
    let cut = -1;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
      else if (text[i] === ':' && depth === 0 && cut < 0 && !text.slice(0, i).includes('?')) cut = i;
    }
    const vars = { get: (n: string) => this.vars.get(n), set: (n: string, v: string) => this.setVar(n, v) };
    const offsetText = cut < 0 ? text : text.slice(0, cut);
    let offset = offsetText.trim() ? evaluate(offsetText, vars) : 0;
    if (offset < 0) offset = Math.max(0, value.length + offset);
    if (cut < 0) return value.slice(offset);
    let length = evaluate(text.slice(cut + 1) || '0', vars);
    if (length < 0) length = Math.max(0, value.length + length - offset);
    return value.slice(offset, offset + length);
  }

  /** ${name/pattern/string}, with // for every match and /# /% anchored at the start or end. */
  private *replaceIn(value: string, op: string, arg: Word): Gen<string> {
    const whole = yield* this.expandSingle(arg);
    const slash = whole.search(/(?<!\\)\//);
    const pattern = slash < 0 ? whole : whole.slice(0, slash);
    const replacement = slash < 0 ? '' : whole.slice(slash + 1);
    if (!pattern) return value;
    const source = globToRegExp(pattern).source.replace(/^\^/, '').replace(/\$$/, '');
    if (op === '/#') return value.replace(new RegExp(`^${source}`), () => replacement);
    if (op === '/%') return value.replace(new RegExp(`${source}$`), () => replacement);
    return value.replace(new RegExp(source, op === '//' ? 'g' : ''), () => replacement);
  }

  private *param(p: Extract<Word[number], { t: 'param' }>): Gen<string[]> {
    const raw = this.special(p.name);
    const value = raw === undefined ? undefined : raw.join(' ');
    if (p.length) return [String((value ?? '').length)];
    if (!p.op) {
      if (raw === undefined && this.nounset && !['@', '*'].includes(p.name)) throw new ExpansionError(`${p.name}: parameter not set`);
      return raw ?? [''];
    }
    if (p.op === ':' || p.op.startsWith('/')) {
      // Substrings and replacement are bash's (busybox ash has them too); dash knows neither.
      if (this.flavour === 'dash') throw new ExpansionError('Bad substitution');
      return [p.op === ':' ? this.substring(value ?? '', p.arg) : yield* this.replaceIn(value ?? '', p.op, p.arg ?? [])];
    }
    const colon = p.op.startsWith(':');
    const op = colon ? p.op.slice(1) : p.op;
    const missing = value === undefined || (colon && value === '');
    const arg = () => this.expandSingle(p.arg ?? []);
    switch (op) {
      case '-':
        return missing ? [yield* arg()] : [value!];
      case '=':
        if (missing) {
          const v = yield* arg();
          this.setVar(p.name, v);
          return [v];
        }
        return [value!];
      case '+':
        return missing ? [''] : [yield* arg()];
      case '?':
        if (missing) {
          const msg = yield* arg();
          throw new ExpansionError(`${p.name}: ${msg || (colon ? 'parameter null or not set' : 'parameter not set')}`);
        }
        return [value!];
      default: {
        const pat = yield* this.expandPattern(p.arg ?? []);
        return [trimPattern(value ?? '', pat, op)];
      }
    }
  }
}

/** bash brace expansion: pre{a,b}post and {1..5}, nested. */
export function braceExpand(s: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') {
      if (depth++ === 0) open = i;
    } else if (s[i] === '}' && depth > 0 && --depth === 0) {
      const body = s.slice(open + 1, i);
      const pre = s.slice(0, open);
      const post = s.slice(i + 1);
      const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])$/.exec(body);
      let items: string[] | undefined;
      if (range) {
        const num = /\d/.test(range[1]);
        const a = num ? Number(range[1]) : range[1].charCodeAt(0);
        const b = num ? Number(range[2]) : range[2].charCodeAt(0);
        items = [];
        for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? 1 : -1) items.push(num ? String(v) : String.fromCharCode(v));
      } else {
        const parts: string[] = [];
        let d = 0;
        let start = 0;
        for (let j = 0; j < body.length; j++) {
          if (body[j] === '{') d++;
          else if (body[j] === '}') d--;
          else if (body[j] === ',' && d === 0) {
            parts.push(body.slice(start, j));
            start = j + 1;
          }
        }
        parts.push(body.slice(start));
        if (parts.length > 1) items = parts.flatMap(braceExpand);
      }
      if (!items) continue;
      return items.flatMap((it) => braceExpand(`${pre}${it}${post}`));
    }
  }
  return [s];
}

function trimPattern(value: string, pat: string, op: string): string {
  const re = globToRegExp(pat);
  if (op === '#' || op === '##') {
    const lens = [...Array(value.length + 1).keys()];
    for (const n of op === '#' ? lens : lens.reverse()) if (re.test(value.slice(0, n))) return value.slice(n);
  } else {
    const lens = [...Array(value.length + 1).keys()];
    for (const n of op === '%' ? lens : lens.reverse()) if (re.test(value.slice(value.length - n))) return value.slice(0, value.length - n);
  }
  return value;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

function escapeClass(s: string): string {
  return s.replace(/[\]\\^-]/g, '\\$&');
}

// ---- builtins ----

type Builtin = (this: Shell, argv: string[]) => Gen<number>;

/** Special builtins: assignments before them stay in the shell. */
const SPECIAL = new Set([':', 'export', 'readonly', 'set', 'unset', 'shift', 'exit', 'return', 'break', 'continue', 'eval', 'exec', 'trap', '.', 'source']);

const BUILTINS: Record<string, Builtin> = {
  *':'() {
    return 0;
  },
  *true() {
    return 0;
  },
  *false() {
    return 1;
  },
  *echo(argv) {
    const r = echoText(argv.slice(1), this.flavour === 'dash' ? 'dash' : this.flavour === 'bash' ? 'bash' : 'busybox');
    yield* out(r);
    return 0;
  },
  *printf(argv) {
    if (argv.length < 2) {
      yield* err(`${this.name === 'bash' ? 'bash: ' : ''}printf: usage: printf format [arguments]\n`);
      return 2;
    }
    const r = formatPrintf(argv[1], argv.slice(2));
    yield* out(r.text);
    if (r.error) yield* err(`${this.prefix()}printf: ${r.error}\n`);
    return r.error ? 1 : 0;
  },
  *test(argv) {
    return yield* runTest.call(this, argv.slice(1), 'test');
  },
  *'['(argv) {
    if (argv[argv.length - 1] !== ']') {
      yield* err(`${this.prefix()}[: missing ]\n`);
      return 2;
    }
    return yield* runTest.call(this, argv.slice(1, -1), '[');
  },
  *'[['(argv) {
    if (this.flavour !== 'bash') {
      yield* err(this.notFound('[[', 'notfound'));
      return 127;
    }
    return yield* runTest.call(this, argv.slice(1, argv[argv.length - 1] === ']]' ? -1 : undefined), '[[');
  },
  *cd(argv) {
    const target = argv[1] === undefined ? (this.vars.get('HOME') ?? '/') : argv[1] === '-' ? (this.vars.get('OLDPWD') ?? this.cwd) : argv[1];
    const path = absPath(this.cwd, target);
    try {
      const node = this.ctx.fs.stat(path, this.ctx.user);
      if (node.type !== 'dir') throw new FsError('ENOTDIR', path);
      this.ctx.fs.readdir(path, this.ctx.user);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      const p = this.prefix();
      const msg = this.flavour === 'bash' ? `${p}cd: ${target}: ${e.message}\n` : this.flavour === 'dash' ? `${p}cd: can't cd to ${target}\n` : `${p}cd: can't cd to ${target}: ${e.message}\n`;
      yield* err(msg);
      return this.flavour === 'dash' ? 2 : 1;
    }
    this.setVar('OLDPWD', this.cwd, true);
    this.cwd = path;
    this.setVar('PWD', path, true);
    if (argv[1] === '-') yield* out(`${path}\n`);
    return 0;
  },
  *pwd() {
    yield* out(`${this.cwd}\n`);
    return 0;
  },
  *export(argv) {
    if (argv.length === 1 || argv[1] === '-p') {
      const lines = [...this.exported].sort().map((n) => (this.flavour === 'bash' ? `declare -x ${n}="${this.vars.get(n) ?? ''}"` : `export ${n}='${(this.vars.get(n) ?? '').replace(/'/g, `'"'"'`)}'`));
      yield* out(lines.map((l) => `${l}\n`).join(''));
      return 0;
    }
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      if (eq > 0) this.setVar(a.slice(0, eq), a.slice(eq + 1), true);
      else this.exported.add(a);
    }
    return 0;
  },
  *readonly(argv) {
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      if (eq > 0) this.setVar(a.slice(0, eq), a.slice(eq + 1));
    }
    return 0;
  },
  *local(argv) {
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      if (eq > 0) this.setVar(a.slice(0, eq), a.slice(eq + 1));
    }
    return 0;
  },
  *unset(argv) {
    for (const a of argv.slice(1)) {
      if (a === '-f') continue;
      if (argv[1] === '-f') this.funcs.delete(a);
      else {
        this.vars.delete(a);
        this.exported.delete(a);
      }
    }
    return 0;
  },
  *set(argv) {
    if (argv.length === 1) {
      const lines = [...this.vars.keys()].sort().map((n) => `${n}='${this.vars.get(n)}'\n`);
      yield* out(lines.join(''));
      return 0;
    }
    let i = 1;
    for (; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--') {
        i++;
        break;
      }
      if (!/^[-+][a-z]+$/.test(a) && a !== '-o' && a !== '+o') break;
      const on = a[0] === '-';
      if (a === '-o' || a === '+o') {
        const opt = argv[++i];
        if (opt === 'errexit') this.errexit = on;
        if (opt === 'nounset') this.nounset = on;
        continue;
      }
      for (const f of a.slice(1)) {
        if (f === 'e') this.errexit = on;
        if (f === 'u') this.nounset = on;
      }
    }
    if (i < argv.length || argv[i - 1] === '--') this.positional = argv.slice(i);
    return 0;
  },
  *shift(argv) {
    const n = argv[1] ? Number(argv[1]) : 1;
    if (n > this.positional.length) {
      yield* err(`${this.prefix()}shift: can't shift that many\n`);
      return 1;
    }
    this.positional = this.positional.slice(n);
    return 0;
  },
  *exit(argv) {
    const code = argv[1] === undefined ? this.status : Number(argv[1]);
    if (Number.isNaN(code)) {
      yield* err(this.flavour === 'bash' ? `${this.prefix()}exit: ${argv[1]}: numeric argument required\n` : `${this.prefix()}exit: Illegal number: ${argv[1]}\n`);
      throw new ExitSignal(2);
    }
    if (this.interactive && this.flavour === 'bash') yield* err('exit\n');
    throw new ExitSignal(code & 255);
  },
  *return(argv) {
    throw new ReturnSignal(argv[1] === undefined ? this.status : Number(argv[1]) & 255);
  },
  *break(argv) {
    throw new LoopSignal('break', Number(argv[1] ?? 1));
  },
  *continue(argv) {
    throw new LoopSignal('continue', Number(argv[1] ?? 1));
  },
  *eval(argv) {
    const src = argv.slice(1).join(' ');
    try {
      return yield* this.list(parse(src));
    } catch (e) {
      if (e instanceof SyntaxError) {
        yield* err(this.syntaxMessage(e));
        return 2;
      }
      throw e;
    }
  },
  *'.'(argv) {
    const path = argv[1] ?? '';
    let text: string;
    try {
      text = this.ctx.fs.readFile(absPath(this.cwd, path), this.ctx.user).toString();
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(`${this.prefix()}.: can't open '${path}': ${e.message}\n`);
      return this.flavour === 'bash' ? 1 : 2;
    }
    return yield* this.list(parse(text));
  },
  *source(argv) {
    return yield* BUILTINS['.'].call(this, argv);
  },
  *exec(argv) {
    if (argv.length === 1) return 0;
    throw new ExitSignal(yield* this.invoke(argv.slice(1)));
  },
  *trap(argv) {
    if (argv.length === 1) {
      yield* out([...this.traps].map(([sig, a]) => `trap -- '${a}' ${sig}\n`).join(''));
      return 0;
    }
    const action = argv[1];
    for (const sig of argv.slice(2)) {
      const name = sig.replace(/^SIG/, '');
      if (action === '-') this.traps.delete(name);
      else this.traps.set(name, action);
    }
    return 0;
  },
  *wait() {
    return 0;
  },
  *umask(argv) {
    if (argv.length === 1) yield* out('0022\n');
    return 0;
  },
  *ulimit() {
    yield* out('unlimited\n');
    return 0;
  },
  *read(argv) {
    let i = 1;
    let raw = false;
    let prompt = '';
    for (; i < argv.length && argv[i].startsWith('-'); i++) {
      if (argv[i] === '-r') raw = true;
      else if (argv[i] === '-p') prompt = argv[++i] ?? '';
      else if (argv[i] === '-t') i++;
    }
    if (prompt) yield* err(prompt);
    const names = argv.slice(i).length ? argv.slice(i) : ['REPLY'];
    let line = yield* this.stdin.line();
    if (line === undefined) {
      for (const n of names) this.setVar(n, '');
      return 1;
    }
    const complete = line.endsWith('\n');
    line = line.replace(/\n$/, '');
    if (!raw) line = line.replace(/\\(.)/g, '$1');
    const ifs = this.vars.get('IFS') ?? ' \t\n';
    const parts = names.length === 1 ? [line.replace(/^[ \t]+|[ \t]+$/g, '')] : line.trim().split(new RegExp(`[${escapeClass(ifs)}]+`));
    names.forEach((n, j) => this.setVar(n, j === names.length - 1 ? parts.slice(j).join(' ') : (parts[j] ?? '')));
    return complete ? 0 : 1;
  },
  *type(argv) {
    let status = 0;
    for (const name of argv.slice(1)) {
      if (BUILTINS[name]) yield* out(`${name} is a ${SPECIAL.has(name) ? 'special ' : ''}shell builtin\n`);
      else if (this.funcs.has(name)) yield* out(`${name} is a function\n`);
      else {
        const w = yield* capture(this.invoke(['which', name]));
        if (w.value === 0) yield* out(`${name} is ${w.stdout.toString().trim()}\n`);
        else {
          yield* err(`${this.prefix()}type: ${name}: not found\n`);
          status = 1;
        }
      }
    }
    return status;
  },
  *command(argv) {
    if (argv[1] === '-v') {
      const name = argv[2];
      if (!name) return 1;
      if (BUILTINS[name] || this.funcs.has(name)) {
        yield* out(`${name}\n`);
        return 0;
      }
      const w = yield* capture(this.invoke(['which', name]));
      yield* out(w.stdout);
      return w.value === 0 ? 0 : 1;
    }
    return yield* this.invoke(argv.slice(1));
  },
  *kill(argv) {
    // Falls through to the kill program where there is one; the builtin covers images without it.
    let signal = 'TERM';
    const pids: string[] = [];
    for (const a of argv.slice(1)) {
      if (a === '-l') {
        yield* out('HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n');
        return 0;
      }
      if (a.startsWith('-') && pids.length === 0) signal = a.replace(/^-(s\s*)?/, '').replace(/^SIG/, '');
      else pids.push(a);
    }
    if (signal === '9') signal = 'KILL';
    if (signal === '15') signal = 'TERM';
    if (signal === '2') signal = 'INT';
    if (signal === '1') signal = 'HUP';
    if (!pids.length) {
      yield* err(this.flavour === 'bash' ? `${this.prefix()}kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n` : `${this.prefix()}kill: usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]\n`);
      return this.flavour === 'bash' ? 2 : 1;
    }
    let status = 0;
    for (const p of pids) {
      if (!this.ctx.kill?.(Number(p), signal)) {
        yield* err(`${this.prefix()}kill: ${this.flavour === 'bash' ? `(${p}) - ` : ''}No such process\n`);
        status = 1;
      }
    }
    return status;
  },
};

function* runTest(this: Shell, args: string[], _name: string): Gen<number> {
  const r = testExpression(args, { fs: this.ctx.fs, user: this.ctx.user, cwd: this.cwd });
  if (r.error) {
    yield* err(`${this.prefix()}${_name === '[[' ? '' : `${_name}: `}${r.error}\n`);
    return 2;
  }
  return r.status;
}

export { BUILTINS as builtins };
