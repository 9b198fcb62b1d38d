// The shell language as a tree: a recursive-descent parser for the POSIX sh subset that
// container commands, probes and tutorials use. Words keep their quoting so expansion can tell
// "$x" (one field) from $x (split and globbed).

export type Part =
  | { t: 'lit'; v: string; quoted: boolean }
  | { t: 'param'; name: string; op?: string; arg?: Word; length?: boolean; quoted: boolean }
  | { t: 'cmd'; list: List; quoted: boolean }
  | { t: 'arith'; expr: Word; quoted: boolean };
export type Word = Part[];

export interface Redir {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '>|' | '<>' | '<<' | '<<-' | '<<<';
  target: Word;
  /** A here-document's body; unexpanded when its delimiter was quoted. */
  heredoc?: { body: Word };
}

export type Cmd =
  | { t: 'simple'; assigns: Array<{ name: string; value: Word }>; words: Word[]; redirs: Redir[]; line: number }
  | { t: 'if'; clauses: Array<{ cond: List; body: List }>; otherwise?: List; redirs: Redir[] }
  | { t: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { t: 'for'; name: string; items?: Word[]; body: List; redirs: Redir[] }
  | { t: 'case'; word: Word; arms: Array<{ patterns: Word[]; body: List }>; redirs: Redir[] }
  | { t: 'group'; body: List; redirs: Redir[] }
  | { t: 'subshell'; body: List; redirs: Redir[] }
  | { t: 'func'; name: string; body: Cmd };

export interface Pipeline {
  bang: boolean;
  cmds: Cmd[];
}
export interface AndOr {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; p: Pipeline }>;
  background: boolean;
}
export type List = AndOr[];

/** What went wrong, in the words shells use: `syntax error: unexpected "fi"`. */
export class SyntaxError extends Error {
  constructor(
    readonly token: string,
    readonly line: number,
  ) {
    super(token === 'end of file' ? 'unexpected end of file' : `unexpected "${token}"`);
  }
}

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done', 'for', 'in', 'case', 'esac', '{', '}', '!']);
const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parse(src: string): List {
  const p = new Parser(src, 0);
  const list = p.list([]);
  p.blanks(true);
  if (p.pos < src.length) throw new SyntaxError(p.peekToken(), p.line);
  return list;
}

class Parser {
  line = 1;
  private pendingHeredocs: Array<{ redir: Redir; delim: string; strip: boolean; expand: boolean }> = [];

  constructor(
    readonly src: string,
    public pos: number,
  ) {}

  private ch(o = 0): string {
    return this.src[this.pos + o] ?? '';
  }

  /** Skips blanks, comments and line continuations; with `newlines`, newlines too. */
  blanks(newlines = false): void {
    for (;;) {
      const c = this.ch();
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.ch(1) === '\n') {
        this.pos += 2;
        this.line++;
      } else if (c === '#') {
        while (this.pos < this.src.length && this.ch() !== '\n') this.pos++;
      } else if (c === '\n' && newlines) this.newline();
      else return;
    }
  }

  private newline(): void {
    this.pos++;
    this.line++;
    this.readHeredocs();
  }

  peekToken(): string {
    const c = this.ch();
    if (!c) return 'end of file';
    if (c === '\n') return 'newline';
    for (const op of [';;', '&&', '||', ';', '&', '|', '(', ')']) if (this.src.startsWith(op, this.pos)) return op;
    const save = this.pos;
    const w = this.word();
    this.pos = save;
    return w?.raw ?? c;
  }

  /** The next word if it is an unquoted reserved word (without consuming it). */
  private peekReserved(): string | undefined {
    const save = this.pos;
    const saveLine = this.line;
    const w = this.word();
    this.pos = save;
    this.line = saveLine;
    return w && RESERVED.has(w.raw) && w.parts.length === 1 && w.parts[0].t === 'lit' && !w.parts[0].quoted ? w.raw : undefined;
  }

  private expectReserved(word: string): void {
    this.blanks(true);
    if (this.peekReserved() !== word) throw new SyntaxError(this.peekToken(), this.line);
    this.word();
  }

  list(stops: string[]): List {
    const out: List = [];
    for (;;) {
      this.blanks(true);
      while (this.ch() === ';' && this.ch(1) !== ';') {
        if (!out.length) throw new SyntaxError(';', this.line);
        this.pos++;
        this.blanks(true);
      }
      const c = this.ch();
      if (!c || c === ')' || this.src.startsWith(';;', this.pos)) return out;
      const r = this.peekReserved();
      if (r && stops.includes(r)) return out;
      if (r && ['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}', 'in'].includes(r)) throw new SyntaxError(r, this.line);
      const item = this.andOr();
      out.push(item);
      this.blanks();
      const sep = this.ch();
      if (sep === '&' && this.ch(1) !== '&') {
        item.background = true;
        this.pos++;
      } else if (sep === ';' && this.ch(1) !== ';') this.pos++;
      else if (sep === '\n') this.newline();
      else if (sep && sep !== ')' && !this.src.startsWith(';;', this.pos) && !this.peekReserved()) throw new SyntaxError(this.peekToken(), this.line);
    }
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.blanks();
      const op = this.src.startsWith('&&', this.pos) ? '&&' : this.src.startsWith('||', this.pos) ? '||' : undefined;
      if (!op) break;
      this.pos += 2;
      this.blanks(true);
      rest.push({ op, p: this.pipeline() });
    }
    return { first, rest, background: false };
  }

  private pipeline(): Pipeline {
    this.blanks();
    let bang = false;
    if (this.peekReserved() === '!') {
      this.word();
      bang = true;
    }
    const cmds = [this.command()];
    for (;;) {
      this.blanks();
      if (this.ch() !== '|' || this.ch(1) === '|') break;
      this.pos++;
      this.blanks(true);
      cmds.push(this.command());
    }
    return { bang, cmds };
  }

  private command(): Cmd {
    this.blanks();
    const r = this.peekReserved();
    if (r) {
      this.word();
      let cmd: Cmd;
      switch (r) {
        case 'if':
          cmd = this.ifClause();
          break;
        case 'while':
        case 'until': {
          const cond = this.list(['do']);
          this.expectReserved('do');
          const body = this.list(['done']);
          this.expectReserved('done');
          cmd = { t: 'loop', until: r === 'until', cond, body, redirs: [] };
          break;
        }
        case 'for':
          cmd = this.forClause();
          break;
        case 'case':
          cmd = this.caseClause();
          break;
        case '{': {
          const body = this.list(['}']);
          this.expectReserved('}');
          cmd = { t: 'group', body, redirs: [] };
          break;
        }
        default:
          throw new SyntaxError(r, this.line);
      }
      if (cmd.t !== 'func') this.redirections(cmd.redirs);
      return cmd;
    }
    if (this.ch() === '(') {
      this.pos++;
      const body = this.list([]);
      this.blanks(true);
      if (this.ch() !== ')') throw new SyntaxError(this.peekToken(), this.line);
      this.pos++;
      const cmd: Cmd = { t: 'subshell', body, redirs: [] };
      this.redirections(cmd.redirs);
      return cmd;
    }
    return this.simple();
  }

  private redirections(into: Redir[]): void {
    for (;;) {
      this.blanks();
      const r = this.redirection();
      if (!r) return;
      into.push(r);
    }
  }

  private ifClause(): Cmd {
    const clauses: Array<{ cond: List; body: List }> = [];
    let otherwise: List | undefined;
    for (;;) {
      const cond = this.list(['then']);
      this.expectReserved('then');
      const body = this.list(['elif', 'else', 'fi']);
      clauses.push({ cond, body });
      this.blanks(true);
      const r = this.peekReserved();
      this.word();
      if (r === 'elif') continue;
      if (r === 'else') {
        otherwise = this.list(['fi']);
        this.expectReserved('fi');
      } else if (r !== 'fi') throw new SyntaxError(r ?? this.peekToken(), this.line);
      return { t: 'if', clauses, otherwise, redirs: [] };
    }
  }

  private forClause(): Cmd {
    this.blanks();
    const nameWord = this.word();
    if (!nameWord || !NAME.test(nameWord.raw)) throw new SyntaxError(nameWord?.raw ?? this.peekToken(), this.line);
    this.blanks();
    if (this.ch() === ';') this.pos++;
    this.blanks(true);
    let items: Word[] | undefined;
    if (this.peekReserved() === 'in') {
      this.word();
      items = [];
      for (;;) {
        this.blanks();
        const c = this.ch();
        if (c === ';' || c === '\n' || !c) break;
        const w = this.word();
        if (!w) throw new SyntaxError(this.peekToken(), this.line);
        items.push(w.parts);
      }
      if (this.ch() === ';') this.pos++;
    }
    this.expectReserved('do');
    const body = this.list(['done']);
    this.expectReserved('done');
    return { t: 'for', name: nameWord.raw, items, body, redirs: [] };
  }

  private caseClause(): Cmd {
    this.blanks();
    const w = this.word();
    if (!w) throw new SyntaxError(this.peekToken(), this.line);
    this.expectReserved('in');
    const arms: Array<{ patterns: Word[]; body: List }> = [];
    for (;;) {
      this.blanks(true);
      if (this.peekReserved() === 'esac') {
        this.word();
        break;
      }
      if (this.ch() === '(') this.pos++;
      const patterns: Word[] = [];
      for (;;) {
        this.blanks();
        const pw = this.word();
        if (!pw) throw new SyntaxError(this.peekToken(), this.line);
        patterns.push(pw.parts);
        this.blanks();
        if (this.ch() === '|') {
          this.pos++;
          continue;
        }
        if (this.ch() !== ')') throw new SyntaxError(this.peekToken(), this.line);
        this.pos++;
        break;
      }
      const body = this.list(['esac']);
      arms.push({ patterns, body });
      this.blanks(true);
      if (this.src.startsWith(';;', this.pos)) this.pos += 2;
      else if (this.peekReserved() !== 'esac') throw new SyntaxError(this.peekToken(), this.line);
    }
    return { t: 'case', word: w.parts, arms, redirs: [] };
  }

  private simple(): Cmd {
    const line = this.line;
    const assigns: Array<{ name: string; value: Word }> = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      this.blanks();
      const r = this.redirection();
      if (r) {
        redirs.push(r);
        continue;
      }
      const c = this.ch();
      if (!c || META.has(c)) break;
      const w = this.word();
      if (!w) break;
      const eq = w.raw.indexOf('=');
      const first = w.parts[0];
      if (!words.length && eq > 0 && first.t === 'lit' && !first.quoted && first.v.includes('=') && NAME.test(first.v.slice(0, first.v.indexOf('=')))) {
        const name = first.v.slice(0, first.v.indexOf('='));
        const rest = first.v.slice(name.length + 1);
        assigns.push({ name, value: [...(rest ? [{ t: 'lit' as const, v: rest, quoted: false }] : []), ...w.parts.slice(1)] });
        continue;
      }
      words.push(w.parts);
      // name() { ...; }: a function definition.
      if (words.length === 1 && !assigns.length && NAME.test(w.raw)) {
        const save = this.pos;
        this.blanks();
        if (this.ch() === '(') {
          this.pos++;
          this.blanks();
          if (this.ch() === ')') {
            this.pos++;
            this.blanks(true);
            return { t: 'func', name: w.raw, body: this.command() };
          }
        }
        this.pos = save;
      }
    }
    if (!words.length && !assigns.length && !redirs.length) throw new SyntaxError(this.peekToken(), this.line);
    return { t: 'simple', assigns, words, redirs, line };
  }

  private redirection(): Redir | undefined {
    const m = /^(\d?)(<<<|<<-|<<|>>|>&|<&|>\||<>|>|<)/.exec(this.src.slice(this.pos, this.pos + 4));
    if (!m) return undefined;
    this.pos += m[0].length;
    const op = m[2] as Redir['op'];
    const fd = m[1] ? Number(m[1]) : op.startsWith('<') && op !== '<>' ? 0 : op === '<>' ? 0 : 1;
    this.blanks();
    const w = this.word();
    if (!w) throw new SyntaxError(this.peekToken(), this.line);
    const redir: Redir = { fd, op, target: w.parts };
    if (op === '<<' || op === '<<-') {
      const quoted = w.parts.some((p) => p.t === 'lit' && p.quoted);
      const delim = w.parts.map((p) => (p.t === 'lit' ? p.v : '')).join('');
      this.pendingHeredocs.push({ redir, delim, strip: op === '<<-', expand: !quoted });
    }
    return redir;
  }

  private readHeredocs(): void {
    const pending = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const h of pending) {
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= this.src.length) break;
        const end = this.src.indexOf('\n', this.pos);
        let line = this.src.slice(this.pos, end < 0 ? this.src.length : end);
        this.pos = end < 0 ? this.src.length : end + 1;
        this.line++;
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) break;
        lines.push(line);
      }
      const text = lines.map((l) => `${l}\n`).join('');
      h.redir.heredoc = { body: h.expand ? new Parser(text, 0).heredocBody() : [{ t: 'lit', v: text, quoted: true }] };
    }
  }

  /** A here-document's text: $ and ` expand, quotes are literal. */
  private heredocBody(): Word {
    const parts: Word = [];
    while (this.pos < this.src.length) {
      const c = this.ch();
      if (c === '\\' && '$`\\\n'.includes(this.ch(1))) {
        if (this.ch(1) !== '\n') lit(parts, this.ch(1), true);
        this.pos += 2;
      } else if (c === '$') this.dollar(parts, true);
      else if (c === '`') this.backtick(parts, true);
      else {
        lit(parts, c, true);
        this.pos++;
      }
    }
    return parts;
  }

  /** One word with its source text, or undefined at an operator or the end. */
  word(until?: string): { parts: Word; raw: string } | undefined {
    const start = this.pos;
    const parts: Word = [];
    for (;;) {
      const c = this.ch();
      if (!c) break;
      if (until ? c === until : META.has(c)) break;
      if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new SyntaxError('end of file', this.line);
        const v = this.src.slice(this.pos + 1, end);
        parts.push({ t: 'lit', v, quoted: true });
        this.countLines(v);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        const before = parts.length;
        this.doubleQuoted(parts);
        if (parts.length === before) parts.push({ t: 'lit', v: '', quoted: true });
      } else if (c === '\\') {
        if (this.ch(1) === '\n') {
          this.pos += 2;
          this.line++;
          continue;
        }
        lit(parts, this.ch(1), true);
        this.pos += 2;
      } else if (c === '$') this.dollar(parts, false);
      else if (c === '`') this.backtick(parts, false);
      else {
        lit(parts, c, false);
        this.pos++;
      }
    }
    if (this.pos === start) return undefined;
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  private countLines(s: string): void {
    for (const c of s) if (c === '\n') this.line++;
  }

  private doubleQuoted(parts: Word): void {
    for (;;) {
      const c = this.ch();
      if (!c) throw new SyntaxError('end of file', this.line);
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\' && '$`"\\\n'.includes(this.ch(1))) {
        if (this.ch(1) !== '\n') lit(parts, this.ch(1), true);
        else this.line++;
        this.pos += 2;
      } else if (c === '$') this.dollar(parts, true);
      else if (c === '`') this.backtick(parts, true);
      else {
        if (c === '\n') this.line++;
        lit(parts, c, true);
        this.pos++;
      }
    }
  }

  private backtick(parts: Word, quoted: boolean): void {
    let i = this.pos + 1;
    let body = '';
    for (; i < this.src.length && this.src[i] !== '`'; i++) {
      if (this.src[i] === '\\' && '$`\\'.includes(this.src[i + 1] ?? '')) body += this.src[++i];
      else body += this.src[i];
    }
    if (i >= this.src.length) throw new SyntaxError('end of file', this.line);
    this.pos = i + 1;
    parts.push({ t: 'cmd', list: parse(body), quoted });
  }

  private dollar(parts: Word, quoted: boolean): void {
    const c1 = this.ch(1);
    if (c1 === '(' && this.ch(2) === '(') {
      const start = this.pos + 3;
      let depth = 0;
      let i = start;
      for (; i < this.src.length; i++) {
        const c = this.src[i];
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0 && this.src[i + 1] === ')') break;
          depth--;
        }
      }
      if (i >= this.src.length) throw new SyntaxError('end of file', this.line);
      const inner = new Parser(this.src.slice(start, i), 0);
      parts.push({ t: 'arith', expr: inner.heredocBody(), quoted });
      this.pos = i + 2;
      return;
    }
    if (c1 === '(') {
      const sub = new Parser(this.src, this.pos + 2);
      sub.line = this.line;
      const list = sub.list([]);
      sub.blanks(true);
      if (sub.ch() !== ')') throw new SyntaxError(sub.peekToken(), sub.line);
      this.pos = sub.pos + 1;
      this.line = sub.line;
      parts.push({ t: 'cmd', list, quoted });
      return;
    }
    if (c1 === '{') {
      this.pos += 2;
      let length = false;
      if (this.ch() === '#' && this.ch(1) !== '}') {
        length = true;
        this.pos++;
      }
      const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+|[?$#@*!\-])/.exec(this.src.slice(this.pos));
      if (!m) throw new SyntaxError('bad substitution', this.line);
      this.pos += m[0].length;
      const om = /^(:[-=+?]|[-=+?]|##|#|%%|%|\/\/|\/#|\/%|\/|:)/.exec(this.src.slice(this.pos));
      let op: string | undefined;
      let arg: Word | undefined;
      if (om?.[0] === ':') {
        // ${name:offset[:length]} (bash and busybox ash): arithmetic up to the brace, kept as text.
        const end = this.src.indexOf('}', this.pos);
        if (end < 0) throw new SyntaxError('bad substitution', this.line);
        op = ':';
        arg = [{ t: 'lit', v: this.src.slice(this.pos + 1, end), quoted }];
        this.pos = end;
      } else if (om) {
        op = om[0];
        this.pos += op.length;
        arg = quoted ? this.paramArgQuoted() : (this.word('}')?.parts ?? []);
      }
      if (this.ch() !== '}') throw new SyntaxError('bad substitution', this.line);
      this.pos++;
      parts.push({ t: 'param', name: m[0], op, arg, length, quoted });
      return;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!\-])/.exec(this.src.slice(this.pos + 1));
    if (!m) {
      lit(parts, '$', quoted);
      this.pos++;
      return;
    }
    this.pos += 1 + m[0].length;
    parts.push({ t: 'param', name: m[0], quoted });
  }

  /** The word after ${x:- inside double quotes, up to the closing brace. */
  private paramArgQuoted(): Word {
    const parts: Word = [];
    for (;;) {
      const c = this.ch();
      if (!c || c === '}') return parts;
      if (c === '\\' && '$`"\\}'.includes(this.ch(1))) {
        lit(parts, this.ch(1), true);
        this.pos += 2;
      } else if (c === '$') this.dollar(parts, true);
      else if (c === '`') this.backtick(parts, true);
      else if (c === '"') this.pos++;
      else {
        lit(parts, c, true);
        this.pos++;
      }
    }
  }
}

function lit(parts: Word, v: string, quoted: boolean): void {
  const last = parts[parts.length - 1];
  if (last && last.t === 'lit' && last.quoted === quoted) last.v += v;
  else parts.push({ t: 'lit', v, quoted });
}
