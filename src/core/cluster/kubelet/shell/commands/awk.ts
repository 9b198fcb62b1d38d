// awk: the language scenarios use on one line — patterns (BEGIN, END, expressions, /regex/,
// ranges), print and printf, fields and NR/NF/FS/OFS, arithmetic, string functions, arrays and
// the usual statements. Busybox's awk and Debian's mawk agree on all of this.
import { FsError } from '../fs.js';
import { err, out, readAll, type Gen } from '../io.js';
import type { Program, Sys } from './types.js';
import { abs } from './util.js';

type Value = string | number;

/** A value read from input that looks like a number compares as one ("strnum"). */
class StrNum {
  constructor(readonly s: string) {}
  toString(): string {
    return this.s;
  }
}
type Cell = Value | StrNum;

export class AwkError extends Error {}

// ------------------------------------------------------------ tokens

type Tok = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 're'; v: string } | { t: 'name'; v: string } | { t: 'func'; v: string } | { t: 'op'; v: string } | { t: 'nl' } | { t: 'eof' };

const KEYWORDS = new Set(['BEGIN', 'END', 'if', 'else', 'while', 'for', 'do', 'in', 'print', 'printf', 'next', 'exit', 'delete', 'return', 'function', 'break', 'continue', 'getline']);
const BUILTINS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'tolower', 'toupper', 'int', 'sqrt', 'exp', 'log', 'sin', 'cos', 'atan2', 'rand', 'srand', 'system']);
const OPS = ['+=', '-=', '*=', '/=', '%=', '^=', '==', '<=', '>=', '!=', '++', '--', '&&', '||', '>>', '!~', '**', '{', '}', '(', ')', '[', ']', ';', ',', '+', '-', '*', '/', '%', '^', '!', '>', '<', '|', '?', ':', '~', '$', '='];

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const operandEnded = () => {
    const last = toks[toks.length - 1];
    if (!last) return false;
    // After an operand a slash divides; elsewhere it opens a regex.
    if (last.t === 'num' || last.t === 'str' || last.t === 'name' || last.t === 're') return true;
    return last.t === 'op' && (last.v === ')' || last.v === ']');
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      toks.push({ t: 'nl' });
      i++;
      continue;
    }
    if (/[0-9.]/.test(c) && /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(src.slice(i))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i))!;
      toks.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\') {
          const n = src[++i];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '\\' ? '\\' : n === '"' ? '"' : n === '/' ? '/' : `\\${n}`;
        } else s += src[i];
        i++;
      }
      if (i >= src.length) throw new AwkError('runaway string constant');
      i++;
      toks.push({ t: 'str', v: s });
      continue;
    }
    if (c === '/' && !operandEnded()) {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '/') {
        if (src[i] === '\\' && src[i + 1] === '/') {
          s += '/';
          i += 2;
          continue;
        }
        if (src[i] === '\n') throw new AwkError('unterminated regexp');
        s += src[i++];
      }
      i++;
      toks.push({ t: 're', v: s });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      i += m[0].length;
      // Bare `length` is length($0): a name, unless a parenthesis follows.
      if ((BUILTINS.has(m[0]) && (m[0] !== 'length' || src[i] === '(')) || (!KEYWORDS.has(m[0]) && src[i] === '(')) toks.push({ t: 'func', v: m[0] });
      else toks.push({ t: 'name', v: m[0] });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new AwkError(`unexpected character '${c}'`);
    toks.push({ t: 'op', v: op === '**' ? '^' : op });
    i += op.length;
  }
  toks.push({ t: 'eof' });
  return toks;
}

// ------------------------------------------------------------ syntax tree

type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 're'; v: RegExp }
  | { k: 'var'; name: string }
  | { k: 'index'; name: string; keys: Expr[] }
  | { k: 'field'; e: Expr }
  | { k: 'assign'; op: string; target: Expr; e: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'un'; op: string; e: Expr }
  | { k: 'incdec'; op: string; prefix: boolean; target: Expr }
  | { k: 'in'; keys: Expr[]; name: string }
  | { k: 'match'; neg: boolean; a: Expr; re: Expr }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'group'; e: Expr };

type Stmt =
  | { k: 'expr'; e: Expr }
  | { k: 'print'; args: Expr[]; printf: boolean; dest?: { mode: string; e: Expr } }
  | { k: 'if'; c: Expr; a: Stmt; b?: Stmt }
  | { k: 'while'; c: Expr; body: Stmt }
  | { k: 'do'; c: Expr; body: Stmt }
  | { k: 'for'; init?: Stmt; c?: Expr; step?: Stmt; body: Stmt }
  | { k: 'forin'; v: string; arr: string; body: Stmt }
  | { k: 'block'; list: Stmt[] }
  | { k: 'next' }
  | { k: 'exit'; e?: Expr }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'delete'; name: string; keys?: Expr[] };

interface Rule {
  begin?: boolean;
  end?: boolean;
  pattern?: Expr;
  range?: [Expr, Expr];
  action?: Stmt;
}

class Parser {
  private p = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.p];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private eat(v: string): void {
    if (!this.isOp(v)) throw new AwkError(`syntax error near ${this.describe()}`);
    this.p++;
  }
  private describe(): string {
    const t = this.peek();
    return t.t === 'eof' ? 'end of program' : t.t === 'nl' ? 'newline' : `'${'v' in t ? t.v : ''}'`;
  }
  private skipNl(): void {
    while (this.peek().t === 'nl' || this.isOp(';')) this.p++;
  }
  private optNl(): void {
    while (this.peek().t === 'nl') this.p++;
  }

  program(): Rule[] {
    const rules: Rule[] = [];
    this.skipNl();
    while (this.peek().t !== 'eof') {
      const t = this.peek();
      const rule: Rule = {};
      if (t.t === 'name' && t.v === 'BEGIN') {
        this.p++;
        rule.begin = true;
      } else if (t.t === 'name' && t.v === 'END') {
        this.p++;
        rule.end = true;
      } else if (t.t === 'name' && t.v === 'function') throw new AwkError('function definitions are not supported');
      else if (!this.isOp('{')) {
        const a = this.expr();
        if (this.isOp(',')) {
          this.p++;
          this.optNl();
          rule.range = [a, this.expr()];
        } else rule.pattern = a;
      }
      if (this.isOp('{')) rule.action = this.block();
      else if (rule.begin || rule.end) throw new AwkError(`syntax error near ${this.describe()}`);
      rules.push(rule);
      this.skipNl();
    }
    return rules;
  }

  private block(): Stmt {
    this.eat('{');
    const list: Stmt[] = [];
    this.skipNl();
    while (!this.isOp('}')) {
      if (this.peek().t === 'eof') throw new AwkError('syntax error: unexpected end of program');
      list.push(this.stmt());
      this.skipNl();
    }
    this.eat('}');
    return { k: 'block', list };
  }

  private simpleEnd(): void {
    if (this.isOp(';') || this.peek().t === 'nl') this.p++;
    else if (!this.isOp('}') && this.peek().t !== 'eof') throw new AwkError(`syntax error near ${this.describe()}`);
  }

  private stmt(): Stmt {
    const t = this.peek();
    if (this.isOp('{')) return this.block();
    if (this.isOp(';')) {
      this.p++;
      return { k: 'block', list: [] };
    }
    if (t.t === 'name') {
      switch (t.v) {
        case 'if': {
          this.p++;
          this.eat('(');
          const c = this.expr();
          this.eat(')');
          this.optNl();
          const a = this.stmt();
          const save = this.p;
          this.skipNl();
          if (this.peek().t === 'name' && (this.peek() as { v: string }).v === 'else') {
            this.p++;
            this.optNl();
            return { k: 'if', c, a, b: this.stmt() };
          }
          this.p = save;
          return { k: 'if', c, a };
        }
        case 'while': {
          this.p++;
          this.eat('(');
          const c = this.expr();
          this.eat(')');
          this.optNl();
          return { k: 'while', c, body: this.stmt() };
        }
        case 'do': {
          this.p++;
          this.optNl();
          const body = this.stmt();
          this.skipNl();
          if (!(this.peek().t === 'name' && (this.peek() as { v: string }).v === 'while')) throw new AwkError('syntax error: do without while');
          this.p++;
          this.eat('(');
          const c = this.expr();
          this.eat(')');
          this.simpleEnd();
          return { k: 'do', c, body };
        }
        case 'for': {
          this.p++;
          this.eat('(');
          const a = this.toks[this.p];
          const b = this.toks[this.p + 1];
          const d = this.toks[this.p + 2];
          if (a.t === 'name' && b.t === 'name' && b.v === 'in' && d.t === 'name' && this.toks[this.p + 3].t === 'op' && (this.toks[this.p + 3] as { v: string }).v === ')') {
            this.p += 4;
            this.optNl();
            return { k: 'forin', v: a.v, arr: d.v, body: this.stmt() };
          }
          const init = this.isOp(';') ? undefined : { k: 'expr' as const, e: this.expr() };
          this.eat(';');
          this.optNl();
          const c = this.isOp(';') ? undefined : this.expr();
          this.eat(';');
          this.optNl();
          const step = this.isOp(')') ? undefined : { k: 'expr' as const, e: this.expr() };
          this.eat(')');
          this.optNl();
          return { k: 'for', init, c, step, body: this.stmt() };
        }
        case 'next':
          this.p++;
          this.simpleEnd();
          return { k: 'next' };
        case 'break':
        case 'continue':
          this.p++;
          this.simpleEnd();
          return { k: t.v };
        case 'exit': {
          this.p++;
          const e = this.isOp(';') || this.isOp('}') || this.peek().t === 'nl' || this.peek().t === 'eof' ? undefined : this.expr();
          this.simpleEnd();
          return { k: 'exit', e };
        }
        case 'delete': {
          this.p++;
          const n = this.peek();
          if (n.t !== 'name') throw new AwkError('syntax error in delete');
          this.p++;
          let keys: Expr[] | undefined;
          if (this.isOp('[')) {
            this.p++;
            keys = this.exprList(']');
            this.eat(']');
          }
          this.simpleEnd();
          return { k: 'delete', name: n.v, keys };
        }
        case 'print':
        case 'printf': {
          this.p++;
          let args: Expr[] = [];
          if (this.isOp('(')) {
            // print (a, b) > "f" and print (a)(b) both exist; take the parenthesised list when it closes the statement.
            const save = this.p;
            this.p++;
            const list = this.exprList(')', true);
            if (this.isOp(')')) {
              this.p++;
              if (this.isOp(';') || this.isOp('}') || this.isOp('>') || this.isOp('|') || this.peek().t === 'nl' || this.peek().t === 'eof') args = list;
              else {
                this.p = save;
                args = this.exprList(undefined, true);
              }
            } else {
              this.p = save;
              args = this.exprList(undefined, true);
            }
          } else if (!(this.isOp(';') || this.isOp('}') || this.peek().t === 'nl' || this.peek().t === 'eof' || this.isOp('>'))) args = this.exprList(undefined, true);
          let dest: { mode: string; e: Expr } | undefined;
          if (this.isOp('>') || this.isOp('>>') || this.isOp('|')) {
            const mode = (this.peek() as { v: string }).v;
            this.p++;
            dest = { mode, e: this.concat(true) };
          }
          this.simpleEnd();
          return { k: 'print', args, printf: t.v === 'printf', dest };
        }
        case 'getline':
          throw new AwkError('getline is not supported');
      }
    }
    const e = this.expr();
    this.simpleEnd();
    return { k: 'expr', e };
  }

  private exprList(close?: string, noGt = false): Expr[] {
    const list: Expr[] = [];
    if (close && this.isOp(close)) return list;
    list.push(this.expr(noGt));
    while (this.isOp(',')) {
      this.p++;
      this.optNl();
      list.push(this.expr(noGt));
    }
    return list;
  }

  expr(noGt = false): Expr {
    return this.ternary(noGt);
  }

  private ternary(noGt: boolean): Expr {
    const c = this.or(noGt);
    if (this.isOp('?')) {
      this.p++;
      this.optNl();
      const a = this.ternary(noGt);
      this.optNl();
      this.eat(':');
      this.optNl();
      return { k: 'cond', c, a, b: this.ternary(noGt) };
    }
    if (this.peek().t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '^='].includes((this.peek() as { v: string }).v)) {
      if (c.k !== 'var' && c.k !== 'index' && c.k !== 'field') throw new AwkError('syntax error: assignment to a non-variable');
      const op = (this.peek() as { v: string }).v;
      this.p++;
      this.optNl();
      return { k: 'assign', op, target: c, e: this.ternary(noGt) };
    }
    return c;
  }

  private or(noGt: boolean): Expr {
    let a = this.and(noGt);
    while (this.isOp('||')) {
      this.p++;
      this.optNl();
      a = { k: 'bin', op: '||', a, b: this.and(noGt) };
    }
    return a;
  }

  private and(noGt: boolean): Expr {
    let a = this.inOp(noGt);
    while (this.isOp('&&')) {
      this.p++;
      this.optNl();
      a = { k: 'bin', op: '&&', a, b: this.inOp(noGt) };
    }
    return a;
  }

  private inOp(noGt: boolean): Expr {
    let a = this.matchOp(noGt);
    while (this.peek().t === 'name' && (this.peek() as { v: string }).v === 'in') {
      this.p++;
      const n = this.peek();
      if (n.t !== 'name') throw new AwkError('syntax error after in');
      this.p++;
      a = { k: 'in', keys: a.k === 'group' && (a as { multi?: Expr[] }).multi ? (a as { multi?: Expr[] }).multi! : [a], name: n.v };
    }
    return a;
  }

  private matchOp(noGt: boolean): Expr {
    let a = this.compare(noGt);
    while (this.isOp('~') || this.isOp('!~')) {
      const neg = (this.peek() as { v: string }).v === '!~';
      this.p++;
      a = { k: 'match', neg, a, re: this.compare(noGt) };
    }
    return a;
  }

  private compare(noGt: boolean): Expr {
    const a = this.concat(noGt);
    const t = this.peek();
    if (t.t === 'op' && ['<', '<=', '==', '!=', '>=', ...(noGt ? [] : ['>'])].includes(t.v)) {
      this.p++;
      return { k: 'bin', op: t.v, a, b: this.concat(noGt) };
    }
    return a;
  }

  private startsOperand(): boolean {
    const t = this.peek();
    if (t.t === 'num' || t.t === 'str' || t.t === 're' || t.t === 'func') return true;
    if (t.t === 'name') return !KEYWORDS.has(t.v) || t.v === 'getline';
    return t.t === 'op' && ['$', '!', '(', '-', '+', '++', '--'].includes(t.v);
  }

  /** Concatenation: operands side by side (a leading + or - is arithmetic instead). */
  private concat(_noGt: boolean): Expr {
    let a = this.additive();
    while (this.startsOperand() && !this.isOp('-') && !this.isOp('+')) a = { k: 'bin', op: ' ', a, b: this.additive() };
    return a;
  }

  private additive(): Expr {
    let a = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.peek() as { v: string }).v;
      this.p++;
      a = { k: 'bin', op, a, b: this.multiplicative() };
    }
    return a;
  }

  private multiplicative(): Expr {
    let a = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.peek() as { v: string }).v;
      this.p++;
      a = { k: 'bin', op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Expr {
    if (this.isOp('!') || this.isOp('-') || this.isOp('+')) {
      const op = (this.peek() as { v: string }).v;
      this.p++;
      return { k: 'un', op, e: this.unary() };
    }
    return this.power();
  }

  private power(): Expr {
    const a = this.postfix();
    if (this.isOp('^')) {
      this.p++;
      return { k: 'bin', op: '^', a, b: this.unary() };
    }
    return a;
  }

  private postfix(): Expr {
    if (this.isOp('++') || this.isOp('--')) {
      const op = (this.peek() as { v: string }).v;
      this.p++;
      return { k: 'incdec', op, prefix: true, target: this.postfix() };
    }
    const e = this.primary();
    if ((e.k === 'var' || e.k === 'index' || e.k === 'field') && (this.isOp('++') || this.isOp('--'))) {
      const op = (this.peek() as { v: string }).v;
      this.p++;
      return { k: 'incdec', op, prefix: false, target: e };
    }
    return e;
  }

  private primary(): Expr {
    const t = this.peek();
    this.p++;
    switch (t.t) {
      case 'num':
        return { k: 'num', v: t.v };
      case 'str':
        return { k: 'str', v: t.v };
      case 're':
        return { k: 're', v: toRegExp(t.v) };
      case 'func': {
        this.eat('(');
        const args = this.exprList(')');
        this.eat(')');
        return { k: 'call', name: t.v, args };
      }
      case 'name': {
        if (KEYWORDS.has(t.v)) break;
        if (this.isOp('[')) {
          this.p++;
          const keys = this.exprList(']');
          this.eat(']');
          return { k: 'index', name: t.v, keys };
        }
        return { k: 'var', name: t.v };
      }
      case 'op':
        if (t.v === '$') return { k: 'field', e: this.postfixNoIncr() };
        if (t.v === '(') {
          const list = this.exprList(')');
          this.eat(')');
          const g: Expr & { multi?: Expr[] } = { k: 'group', e: list[0] };
          if (list.length > 1) g.multi = list;
          return g;
        }
        break;
    }
    this.p--;
    throw new AwkError(`syntax error near ${this.describe()}`);
  }

  private postfixNoIncr(): Expr {
    if (this.isOp('-') || this.isOp('!')) {
      const op = (this.peek() as { v: string }).v;
      this.p++;
      return { k: 'un', op, e: this.primary() };
    }
    return this.primary();
  }
}

/** An awk (ERE) regular expression in JS terms. */
export function toRegExp(src: string): RegExp {
  const classes: Record<string, string> = { alpha: 'a-zA-Z', digit: '0-9', alnum: '0-9a-zA-Z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f' };
  const js = src.replace(/\[:([a-z]+):\]/g, (m, n: string) => classes[n] ?? m);
  try {
    return new RegExp(js);
  } catch {
    throw new AwkError(`bad regex '${src}'`);
  }
}

// ------------------------------------------------------------ running

class Next {}
class Exit {
  constructor(readonly code: number) {}
}
class Break {}
class Continue {}

const looksNumeric = (s: string) => /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);

function num(v: Cell): number {
  if (typeof v === 'number') return v;
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(String(v));
  return m ? Number(m[0]) : 0;
}

function fmtNum(n: number, ofmt = '%.6g'): string {
  if (Number.isInteger(n)) return String(n);
  return sprintf(ofmt, [n]);
}

function str(v: Cell, convfmt = '%.6g'): string {
  return typeof v === 'number' ? fmtNum(v, convfmt) : String(v);
}

/** printf's formats, with awk's conversions of its arguments. */
export function sprintf(format: string, args: Cell[]): string {
  let i = 0;
  return format.replace(/%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcs%])/g, (_m, flags: string, w: string | undefined, p: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const width = w === '*' ? num(args[i++] ?? 0) : w ? Number(w) : 0;
    const prec = p === '*' ? num(args[i++] ?? 0) : p !== undefined ? Number(p) : undefined;
    const a = args[i++] ?? '';
    let s: string;
    switch (conv) {
      case 'd':
      case 'i':
        s = String(Math.trunc(num(a)));
        if (flags.includes('+') && !s.startsWith('-')) s = `+${s}`;
        break;
      case 'o':
        s = Math.trunc(num(a)).toString(8);
        break;
      case 'u':
        s = String(Math.abs(Math.trunc(num(a))));
        break;
      case 'x':
      case 'X':
        s = Math.trunc(num(a)).toString(16);
        if (conv === 'X') s = s.toUpperCase();
        break;
      case 'e':
      case 'E':
        s = num(a).toExponential(prec ?? 6).replace(/e([-+])(\d)$/, 'e$10$2');
        if (conv === 'E') s = s.toUpperCase();
        break;
      case 'f':
      case 'F':
        s = num(a).toFixed(prec ?? 6);
        if (flags.includes('+') && !s.startsWith('-')) s = `+${s}`;
        break;
      case 'g':
      case 'G': {
        const n = num(a);
        const pr = prec === 0 ? 1 : prec ?? 6;
        const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
        s = exp < -4 || exp >= pr ? n.toExponential(pr - 1).replace(/\.?0+e/, 'e').replace(/e([-+])(\d)$/, 'e$10$2') : String(Number(n.toPrecision(pr)));
        if (conv === 'G') s = s.toUpperCase();
        break;
      }
      case 'c':
        s = typeof a === 'number' ? String.fromCharCode(a) : String(a).slice(0, 1);
        break;
      default:
        s = str(a);
        if (prec !== undefined) s = s.slice(0, prec);
    }
    if (s.length < width) s = flags.includes('-') ? s.padEnd(width) : flags.includes('0') && !'sc'.includes(conv) ? (s.startsWith('-') ? `-${s.slice(1).padStart(width - 1, '0')}` : s.padStart(width, '0')) : s.padStart(width);
    return s;
  });
}

class Interp {
  vars = new Map<string, Cell>();
  arrays = new Map<string, Map<string, Cell>>();
  fields: Cell[] = [''];
  output = '';
  errors = '';
  files = new Map<string, string>();
  private ranges = new Map<Rule, boolean>();

  constructor(sys: Sys) {
    this.vars.set('FS', ' ');
    this.vars.set('OFS', ' ');
    this.vars.set('ORS', '\n');
    this.vars.set('RS', '\n');
    this.vars.set('NR', 0);
    this.vars.set('NF', 0);
    this.vars.set('FNR', 0);
    this.vars.set('SUBSEP', '\x1c');
    this.vars.set('OFMT', '%.6g');
    this.vars.set('CONVFMT', '%.6g');
    this.vars.set('RSTART', 0);
    this.vars.set('RLENGTH', -1);
    const environ = new Map<string, Cell>();
    for (const [k, v] of Object.entries(sys.env)) environ.set(k, new StrNum(v));
    this.arrays.set('ENVIRON', environ);
  }

  private get(name: string): Cell {
    if (name === 'NF') return this.fields.length - 1;
    return this.vars.get(name) ?? '';
  }

  private set(name: string, v: Cell): void {
    if (this.arrays.has(name)) throw new AwkError(`can't assign to ${name}; it's an array name.`);
    if (name === 'NF') {
      const n = Math.max(0, Math.trunc(num(v)));
      while (this.fields.length - 1 < n) this.fields.push('');
      this.fields.length = n + 1;
      this.rebuild();
      return;
    }
    this.vars.set(name, v);
  }

  private array(name: string): Map<string, Cell> {
    let a = this.arrays.get(name);
    if (!a) {
      if (this.vars.has(name) && this.vars.get(name) !== '') throw new AwkError(`can't use scalar ${name} as array`);
      this.arrays.set(name, (a = new Map()));
    }
    return a;
  }

  setRecord(line: string): void {
    this.fields = [new StrNum(line), ...this.split(line, this.get('FS')).map((f) => new StrNum(f))];
  }

  private split(text: string, fs: Cell): string[] {
    const sep = str(fs);
    if (sep === ' ') return text.split(/[ \t\n]+/).filter((f, k, all) => f !== '' || (k > 0 && k < all.length - 1));
    if (text === '') return [];
    if (sep.length === 1 && sep !== '\\') return text.split(sep);
    return text.split(toRegExp(sep));
  }

  private rebuild(): void {
    this.fields[0] = this.fields.slice(1).map((f) => str(f)).join(str(this.get('OFS')));
  }

  private key(keys: Expr[]): string {
    return keys.map((k) => str(this.eval(k))).join(str(this.get('SUBSEP')));
  }

  private assignTo(target: Expr, v: Cell): Cell {
    if (target.k === 'var') this.set(target.name, v);
    else if (target.k === 'index') this.array(target.name).set(this.key(target.keys), v);
    else if (target.k === 'field') {
      const n = Math.trunc(num(this.eval(target.e)));
      if (n === 0) this.setRecord(str(v));
      else {
        while (this.fields.length <= n) this.fields.push('');
        this.fields[n] = v;
        this.rebuild();
      }
    }
    return v;
  }

  private compareCells(a: Cell, b: Cell): number {
    const numeric = (v: Cell) => typeof v === 'number' || (v instanceof StrNum && looksNumeric(v.s));
    if (numeric(a) && numeric(b)) return num(a) - num(b);
    const x = str(a);
    const y = str(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private regexOf(e: Expr): RegExp {
    if (e.k === 're') return e.v;
    return toRegExp(str(this.eval(e)));
  }

  truthy(v: Cell): boolean {
    if (typeof v === 'number') return v !== 0;
    if (v instanceof StrNum) return looksNumeric(v.s) ? num(v) !== 0 : v.s !== '';
    return v !== '';
  }

  eval(e: Expr): Cell {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return e.v;
      case 're':
        return e.v.test(str(this.fields[0])) ? 1 : 0;
      case 'var':
        // length without parentheses is length($0).
        if (e.name === 'length') return str(this.fields[0]).length;
        return this.get(e.name);
      case 'index':
        return this.array(e.name).get(this.key(e.keys)) ?? '';
      case 'field': {
        const n = Math.trunc(num(this.eval(e.e)));
        if (n < 0) throw new AwkError(`trying to access out of range field ${n}`);
        return this.fields[n] ?? '';
      }
      case 'group':
        return this.eval(e.e);
      case 'assign': {
        if (e.op === '=') return this.assignTo(e.target, this.eval(e.e));
        const cur = num(this.eval(e.target));
        const v = num(this.eval(e.e));
        const r = e.op === '+=' ? cur + v : e.op === '-=' ? cur - v : e.op === '*=' ? cur * v : e.op === '/=' ? this.div(cur, v) : e.op === '%=' ? cur % v : cur ** v;
        return this.assignTo(e.target, r);
      }
      case 'cond':
        return this.truthy(this.eval(e.c)) ? this.eval(e.a) : this.eval(e.b);
      case 'un': {
        const v = this.eval(e.e);
        return e.op === '!' ? (this.truthy(v) ? 0 : 1) : e.op === '-' ? -num(v) : num(v);
      }
      case 'incdec': {
        const cur = num(this.eval(e.target));
        const next = e.op === '++' ? cur + 1 : cur - 1;
        this.assignTo(e.target, next);
        return e.prefix ? next : cur;
      }
      case 'in':
        return this.array(e.name).has(this.key(e.keys)) ? 1 : 0;
      case 'match': {
        const r = this.regexOf(e.re).test(str(this.eval(e.a)));
        return r !== e.neg ? 1 : 0;
      }
      case 'bin': {
        if (e.op === '&&') return this.truthy(this.eval(e.a)) && this.truthy(this.eval(e.b)) ? 1 : 0;
        if (e.op === '||') return this.truthy(this.eval(e.a)) || this.truthy(this.eval(e.b)) ? 1 : 0;
        const a = this.eval(e.a);
        const b = this.eval(e.b);
        switch (e.op) {
          case ' ':
            return str(a, str(this.get('CONVFMT'))) + str(b, str(this.get('CONVFMT')));
          case '+': return num(a) + num(b);
          case '-': return num(a) - num(b);
          case '*': return num(a) * num(b);
          case '/': return this.div(num(a), num(b));
          case '%': return num(a) % num(b);
          case '^': return num(a) ** num(b);
          case '<': return this.compareCells(a, b) < 0 ? 1 : 0;
          case '<=': return this.compareCells(a, b) <= 0 ? 1 : 0;
          case '>': return this.compareCells(a, b) > 0 ? 1 : 0;
          case '>=': return this.compareCells(a, b) >= 0 ? 1 : 0;
          case '==': return this.compareCells(a, b) === 0 ? 1 : 0;
          case '!=': return this.compareCells(a, b) !== 0 ? 1 : 0;
        }
        throw new AwkError(`unknown operator ${e.op}`);
      }
      case 'call':
        return this.call(e.name, e.args);
    }
  }

  private div(a: number, b: number): number {
    if (b === 0) throw new AwkError('division by zero');
    return a / b;
  }

  private call(name: string, args: Expr[]): Cell {
    const s = (k: number) => str(this.eval(args[k]));
    switch (name) {
      case 'length':
        if (!args.length) return str(this.fields[0]).length;
        if (args[0].k === 'var' && this.arrays.has(args[0].name)) return this.arrays.get(args[0].name)!.size;
        return s(0).length;
      case 'substr': {
        const text = s(0);
        const m = Math.round(num(this.eval(args[1])));
        const n = args[2] ? Math.round(num(this.eval(args[2]))) : Infinity;
        const start = Math.max(m, 1);
        const end = n === Infinity ? text.length + 1 : m + n;
        return end <= start ? '' : text.slice(start - 1, end - 1);
      }
      case 'index':
        return s(0).indexOf(s(1)) + 1;
      case 'split': {
        const target = args[1];
        if (target.k !== 'var') throw new AwkError('split: second argument must be an array');
        const parts = this.split(s(0), args[2] ? (args[2].k === 're' ? args[2].v.source : s(2)) : this.get('FS'));
        const a = this.array(target.name);
        a.clear();
        parts.forEach((p, k) => a.set(String(k + 1), new StrNum(p)));
        return parts.length;
      }
      case 'sub':
      case 'gsub': {
        const re = this.regexOf(args[0]);
        const target = args[2] ?? { k: 'field', e: { k: 'num', v: 0 } };
        const text = str(this.eval(target));
        const rep = s(1);
        let count = 0;
        const g = new RegExp(re.source, name === 'gsub' ? 'g' : '');
        const result = text.replace(g, (m) => {
          count++;
          return rep.replace(/\\\\|\\&|&/g, (x) => (x === '&' ? m : x === '\\&' ? '&' : '\\'));
        });
        if (count) this.assignTo(target, result);
        return count;
      }
      case 'match': {
        const m = this.regexOf(args[1]).exec(s(0));
        this.vars.set('RSTART', m ? m.index + 1 : 0);
        this.vars.set('RLENGTH', m ? m[0].length : -1);
        return m ? m.index + 1 : 0;
      }
      case 'sprintf':
        return sprintf(s(0), args.slice(1).map((a) => this.eval(a)));
      case 'tolower':
        return s(0).toLowerCase();
      case 'toupper':
        return s(0).toUpperCase();
      case 'int':
        return Math.trunc(num(this.eval(args[0])));
      case 'sqrt':
        return Math.sqrt(num(this.eval(args[0])));
      case 'exp':
        return Math.exp(num(this.eval(args[0])));
      case 'log':
        return Math.log(num(this.eval(args[0])));
      case 'sin':
        return Math.sin(num(this.eval(args[0])));
      case 'cos':
        return Math.cos(num(this.eval(args[0])));
      case 'atan2':
        return Math.atan2(num(this.eval(args[0])), num(this.eval(args[1])));
      case 'rand':
        return 0.237788;
      case 'srand':
        return 0;
      default:
        throw new AwkError(`calling undefined function ${name}`);
    }
  }

  exec(st: Stmt): void {
    switch (st.k) {
      case 'expr':
        this.eval(st.e);
        return;
      case 'print': {
        let text: string;
        if (st.printf) {
          const [f, ...rest] = st.args.map((a) => this.eval(a));
          text = sprintf(str(f ?? ''), rest);
        } else {
          const ofmt = str(this.get('OFMT'));
          const vals = st.args.length ? st.args.map((a) => this.eval(a)) : [this.fields[0]];
          text = vals.map((v) => (typeof v === 'number' ? fmtNum(v, ofmt) : String(v))).join(str(this.get('OFS'))) + str(this.get('ORS'));
        }
        if (!st.dest) this.output += text;
        else {
          const name = str(this.eval(st.dest.e));
          if (name === '/dev/stderr') this.errors += text;
          else if (name === '/dev/stdout' || name === '-') this.output += text;
          else this.files.set(`${st.dest.mode}${name}`, `${this.files.get(`${st.dest.mode}${name}`) ?? ''}${text}`);
        }
        return;
      }
      case 'if':
        if (this.truthy(this.eval(st.c))) this.exec(st.a);
        else if (st.b) this.exec(st.b);
        return;
      case 'while':
        for (let guard = 0; this.truthy(this.eval(st.c)); guard++) {
          if (guard > 1_000_000) throw new AwkError('loop ran too long');
          if (this.loopBody(st.body)) break;
        }
        return;
      case 'do':
        for (let guard = 0; ; guard++) {
          if (guard > 1_000_000) throw new AwkError('loop ran too long');
          if (this.loopBody(st.body)) break;
          if (!this.truthy(this.eval(st.c))) break;
        }
        return;
      case 'for':
        if (st.init) this.exec(st.init);
        for (let guard = 0; !st.c || this.truthy(this.eval(st.c)); guard++) {
          if (guard > 1_000_000) throw new AwkError('loop ran too long');
          if (this.loopBody(st.body)) break;
          if (st.step) this.exec(st.step);
        }
        return;
      case 'forin':
        for (const k of [...this.array(st.arr).keys()]) {
          this.set(st.v, /^-?\d+$/.test(k) ? new StrNum(k) : k);
          if (this.loopBody(st.body)) break;
        }
        return;
      case 'block':
        for (const s of st.list) this.exec(s);
        return;
      case 'next':
        throw new Next();
      case 'exit':
        throw new Exit(st.e ? Math.trunc(num(this.eval(st.e))) : 0);
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
      case 'delete':
        if (st.keys) this.array(st.name).delete(this.key(st.keys));
        else this.array(st.name).clear();
        return;
    }
  }

  /** Runs a loop body; true when it broke out. */
  private loopBody(body: Stmt): boolean {
    try {
      this.exec(body);
    } catch (e) {
      if (e instanceof Break) return true;
      if (e instanceof Continue) return false;
      throw e;
    }
    return false;
  }

  matches(rule: Rule): boolean {
    if (rule.range) {
      const on = this.ranges.get(rule) ?? false;
      if (!on) {
        if (!this.truthy(this.eval(rule.range[0]))) return false;
        this.ranges.set(rule, !this.truthy(this.eval(rule.range[1])));
        return true;
      }
      if (this.truthy(this.eval(rule.range[1]))) this.ranges.set(rule, false);
      return true;
    }
    return !rule.pattern || this.truthy(this.eval(rule.pattern));
  }

  record(rules: Rule[], line: string): void {
    this.vars.set('NR', num(this.get('NR')) + 1);
    this.vars.set('FNR', num(this.get('FNR')) + 1);
    this.setRecord(line);
    try {
      for (const r of rules) {
        if (r.begin || r.end || !this.matches(r)) continue;
        if (r.action) this.exec(r.action);
        else this.output += str(this.fields[0]) + str(this.get('ORS'));
      }
    } catch (e) {
      if (!(e instanceof Next)) throw e;
    }
  }
}

export const awkProgram: Program = function* (argv, sys) {
  const gnu = sys.toolset === 'gnu';
  const me = sys.name;
  let program: string | undefined;
  const assigns: Array<[string, string]> = [];
  let fs: string | undefined;
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (program === undefined && a === '--') continue;
    if (program === undefined && a.startsWith('-F')) fs = a.length > 2 ? a.slice(2) : argv[++i];
    else if (program === undefined && a.startsWith('-v')) {
      const v = a.length > 2 ? a.slice(2) : argv[++i] ?? '';
      const eq = v.indexOf('=');
      if (eq > 0) assigns.push([v.slice(0, eq), v.slice(eq + 1)]);
    } else if (program === undefined && a === '-f') {
      const f = argv[++i] ?? '';
      try {
        program = sys.fs.readFile(abs(sys, f), sys.user).toString();
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        yield* err(gnu ? `${me}: couldn't open file ${f}: ${e.message}\n` : `${me}: can't open '${f}': ${e.message}\n`);
        return 2;
      }
    } else if (program === undefined && a.startsWith('-') && a.length > 1) {
      yield* err(gnu ? `${me}: not an option: ${a}\n` : `${me}: unrecognized option: ${a.slice(1, 2)}\n`);
      return gnu ? 2 : 1;
    } else if (program === undefined) program = a;
    else operands.push(a);
  }
  if (program === undefined) {
    yield* err(gnu ? `usage: ${me} [-F value] [-v var=value] [--] 'program text' [file ...]\n` : `BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n`);
    return 2;
  }
  let rules: Rule[];
  try {
    rules = new Parser(tokenize(program)).program();
  } catch (e) {
    if (!(e instanceof AwkError)) throw e;
    yield* err(gnu ? `${me}: line 1: ${e.message}\n` : `${me}: cmd. line:1: ${e.message}\n`);
    return 2;
  }
  const it = new Interp(sys);
  if (fs !== undefined) it.vars.set('FS', fs === 't' ? '\t' : fs.replace(/\\t/g, '\t'));
  for (const [k, v] of assigns) it.vars.set(k, new StrNum(v.replace(/\\n/g, '\n').replace(/\\t/g, '\t')));
  let code = 0;
  let exited = false;
  const flush = function* (): Gen<void> {
    if (it.output) yield* out(it.output);
    if (it.errors) yield* err(it.errors);
    it.output = '';
    it.errors = '';
  };
  try {
    try {
      for (const r of rules) if (r.begin && r.action) it.exec(r.action);
    } catch (e) {
      if (!(e instanceof Exit)) throw e;
      code = e.code;
      exited = true;
    }
    const needsInput = rules.some((r) => !r.begin);
    if (!exited && needsInput) {
      const inputs = operands.length ? operands : ['-'];
      outer: for (const f of inputs) {
        const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(f);
        if (assign) {
          it.vars.set(assign[1], new StrNum(assign[2]));
          continue;
        }
        let text: string;
        if (f === '-') text = (yield* readAll()).toString();
        else {
          try {
            text = sys.fs.readFile(abs(sys, f), sys.user).toString();
          } catch (e) {
            if (!(e instanceof FsError)) throw e;
            yield* flush();
            yield* err(gnu ? `${me}: cannot open "${f}" (${e.message})\n` : `${me}: ${f}: ${e.message}\n`);
            code = 2;
            continue;
          }
        }
        it.vars.set('FILENAME', f === '-' ? '' : f);
        it.vars.set('FNR', 0);
        const records = text.split('\n');
        if (records[records.length - 1] === '') records.pop();
        for (const line of records) {
          try {
            it.record(rules, line);
          } catch (e) {
            if (!(e instanceof Exit)) throw e;
            code = e.code;
            break outer;
          }
          if (it.output.length > 65536) yield* flush();
        }
      }
    }
    try {
      for (const r of rules) if (r.end && r.action) it.exec(r.action);
    } catch (e) {
      if (!(e instanceof Exit)) throw e;
      code = e.code;
    }
  } catch (e) {
    if (!(e instanceof AwkError)) throw e;
    yield* flush();
    yield* err(`${me}: ${e.message}\n`);
    return 2;
  }
  yield* flush();
  for (const [key, data] of it.files) {
    const append = key.startsWith('>>');
    const name = key.replace(/^(>>|>|\|)/, '');
    if (key.startsWith('|')) continue;
    try {
      sys.fs.writeFile(abs(sys, name), data, sys.user, { append });
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(`${me}: can't redirect to ${name}\n`);
      code = 2;
    }
  }
  return code;
};
