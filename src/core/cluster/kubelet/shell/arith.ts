// $(( … )): integer arithmetic over shell variables, C precedence, with assignment.

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export class ArithError extends Error {}

type Tok = { k: 'num'; v: number } | { k: 'id'; v: string } | { k: 'op'; v: string };

const OPS = ['<<=', '>>=', '**', '++', '--', '<=', '>=', '==', '!=', '&&', '||', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '(', ')', '?', ':', ','];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|\d+)/.exec(src.slice(i));
    if (num) {
      const t = num[0];
      out.push({ k: 'num', v: t.startsWith('0x') ? parseInt(t, 16) : t.length > 1 && t.startsWith('0') ? parseInt(t, 8) : Number(t) });
      i += t.length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ArithError(`syntax error: invalid arithmetic operator (error token is "${src.slice(i)}")`);
    out.push({ k: 'op', v: op });
    i += op.length;
  }
  return out;
}

const BINARY: Array<[string[], number]> = [
  [['||'], 1],
  [['&&'], 2],
  [['|'], 3],
  [['^'], 4],
  [['&'], 5],
  [['==', '!='], 6],
  [['<', '>', '<=', '>='], 7],
  [['<<', '>>'], 8],
  [['+', '-'], 9],
  [['*', '/', '%'], 10],
  [['**'], 11],
];
const PREC = new Map(BINARY.flatMap(([ops, p]) => ops.map((o) => [o, p] as const)));

export function evaluate(src: string, vars: ArithVars): number {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const isOp = (v: string) => peek()?.k === 'op' && peek().v === v;
  const valueOf = (name: string, depth = 0): number => {
    const raw = (vars.get(name) ?? '').trim();
    if (raw === '') return 0;
    if (/^-?\d+$/.test(raw)) return Number(raw);
    if (depth > 10) throw new ArithError('expression recursion level exceeded');
    return evaluate(raw, vars);
  };

  const assignment = (): number => {
    const t = peek();
    const next = toks[i + 1];
    if (t?.k === 'id' && next?.k === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^='].includes(next.v)) {
      i += 2;
      const rhs = assignment();
      const cur = valueOf(t.v);
      const v = next.v === '=' ? rhs : binary(next.v.slice(0, -1), cur, rhs);
      vars.set(t.v, String(v));
      return v;
    }
    return ternary();
  };

  const ternary = (): number => {
    const c = bin(1);
    if (!isOp('?')) return c;
    i++;
    const a = assignment();
    if (!isOp(':')) throw new ArithError('syntax error: expected ":"');
    i++;
    const b = assignment();
    return c ? a : b;
  };

  const bin = (min: number): number => {
    let left = unary();
    for (;;) {
      const t = peek();
      if (t?.k !== 'op') return left;
      const p = PREC.get(t.v);
      if (p === undefined || p < min) return left;
      i++;
      const right = t.v === '**' ? bin(p) : bin(p + 1);
      left = binary(t.v, left, right);
    }
  };

  const unary = (): number => {
    const t = peek();
    if (t?.k === 'op') {
      if (t.v === '++' || t.v === '--') {
        i++;
        const id = peek();
        if (id?.k !== 'id') throw new ArithError('syntax error: operand expected');
        i++;
        const v = valueOf(id.v) + (t.v === '++' ? 1 : -1);
        vars.set(id.v, String(v));
        return v;
      }
      if (['-', '+', '!', '~'].includes(t.v)) {
        i++;
        const v = unary();
        return t.v === '-' ? -v : t.v === '+' ? v : t.v === '!' ? Number(!v) : ~v;
      }
    }
    return postfix();
  };

  const postfix = (): number => {
    const t = peek();
    if (!t) throw new ArithError('syntax error: operand expected (error token is "")');
    i++;
    if (t.k === 'num') return t.v;
    if (t.k === 'id') {
      if (isOp('++') || isOp('--')) {
        const d = peek().v === '++' ? 1 : -1;
        i++;
        const v = valueOf(t.v);
        vars.set(t.v, String(v + d));
        return v;
      }
      return valueOf(t.v);
    }
    if (t.v === '(') {
      const v = comma();
      if (!isOp(')')) throw new ArithError('syntax error: missing ")"');
      i++;
      return v;
    }
    throw new ArithError(`syntax error: operand expected (error token is "${t.v}")`);
  };

  const comma = (): number => {
    let v = assignment();
    while (isOp(',')) {
      i++;
      v = assignment();
    }
    return v;
  };

  if (!toks.length) return 0;
  const v = comma();
  if (i < toks.length) throw new ArithError(`syntax error in expression (error token is "${toks.slice(i).map((t) => t.v).join(' ')}")`);
  return v;
}

function binary(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return Math.trunc(a * b);
    case '/':
      if (b === 0) throw new ArithError('division by zero');
      return Math.trunc(a / b);
    case '%':
      if (b === 0) throw new ArithError('division by zero');
      return a % b;
    case '**': return a ** b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '<': return Number(a < b);
    case '>': return Number(a > b);
    case '<=': return Number(a <= b);
    case '>=': return Number(a >= b);
    case '==': return Number(a === b);
    case '!=': return Number(a !== b);
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&&': return Number(!!a && !!b);
    case '||': return Number(!!a || !!b);
    default: throw new ArithError(`syntax error: ${op}`);
  }
}
