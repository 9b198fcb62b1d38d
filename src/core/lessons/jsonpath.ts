// kubectl's JSONPath templates (`{.spec.containers[0].image}`), the part lessons need: fields,
// quoted keys, indices (negative too), slices, wildcards, recursive descent and filters
// `[?(@.type=="Ready")]`. Results print as `kubectl -o jsonpath` prints them: several values
// joined by spaces, maps and lists as JSON.
import { hasOwn } from '../own.js';

type Segment =
  | { t: 'field'; name: string }
  | { t: 'index'; i: number }
  | { t: 'slice'; from?: number; to?: number }
  | { t: 'all' }
  | { t: 'recurse'; name: string | '*' }
  | { t: 'filter'; path: Segment[]; op?: '==' | '!=' | '<' | '>' | '<=' | '>='; value?: string | number | boolean };

export class JsonPathError extends Error {}

/** Every value the path finds in `root`. */
export function select(root: unknown, expr: string): unknown[] {
  const segments = parse(expr.replace(/^\{|\}$/g, '').trim());
  let current: unknown[] = [root];
  for (const seg of segments) current = current.flatMap((v) => step(v, seg));
  return current;
}

/** The template rendered as kubectl would print it. */
export function render(root: unknown, template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = template.indexOf('}', open);
    if (close < 0) throw new JsonPathError(`unclosed action in ${template}`);
    const inner = template.slice(open + 1, close).trim();
    out += select(root, inner).map(printValue).join(' ');
    i = close + 1;
  }
  return out;
}

export function printValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function step(v: unknown, seg: Segment): unknown[] {
  switch (seg.t) {
    case 'field':
      return v && typeof v === 'object' && !Array.isArray(v) && hasOwn(v, seg.name) ? [(v as Record<string, unknown>)[seg.name]] : [];
    case 'index': {
      if (!Array.isArray(v)) return [];
      const i = seg.i < 0 ? v.length + seg.i : seg.i;
      return i >= 0 && i < v.length ? [v[i]] : [];
    }
    case 'slice':
      return Array.isArray(v) ? v.slice(seg.from ?? 0, seg.to ?? v.length) : [];
    case 'all':
      if (Array.isArray(v)) return v;
      if (v && typeof v === 'object') return Object.values(v);
      return [];
    case 'recurse': {
      // Depth first, in document order, with a stack of its own: a learner's object may nest
      // deeper than the call stack goes.
      const found: unknown[] = [];
      const members = (x: unknown): Iterator<[string | number, unknown]> =>
        (Array.isArray(x) ? x.entries() : x && typeof x === 'object' ? Object.entries(x).values() : [].values()) as Iterator<[string | number, unknown]>;
      const stack = [members(v)];
      while (stack.length) {
        const next = stack[stack.length - 1].next();
        if (next.done) {
          stack.pop();
          continue;
        }
        const [k, val] = next.value;
        if (typeof k === 'string' && (seg.name === '*' || k === seg.name)) found.push(val);
        if (val && typeof val === 'object') stack.push(members(val));
      }
      return found;
    }
    case 'filter': {
      const items = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
      return items.filter((item) => {
        let vals: unknown[] = [item];
        for (const s of seg.path) vals = vals.flatMap((x) => step(x, s));
        if (!seg.op) return vals.length > 0;
        return vals.some((x) => compare(x, seg.op!, seg.value!));
      });
    }
  }
}

function compare(a: unknown, op: string, b: string | number | boolean): boolean {
  if (typeof b === 'number' && typeof a === 'number') {
    switch (op) {
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '<=':
        return a <= b;
      case '>=':
        return a >= b;
    }
  }
  const eq = String(a) === String(b);
  return op === '==' ? eq : op === '!=' ? !eq : false;
}

function parse(expr: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  if (expr.startsWith('$')) i = 1;
  const ident = () => {
    // kubectl lets a key with dots be written with them escaped: {.metadata.labels.app\.kubernetes\.io/name}.
    const m = /^(?:[A-Za-z0-9_\-/]|\\\.)+|^\*/.exec(expr.slice(i));
    if (!m) throw new JsonPathError(`expected a field name at "${expr.slice(i)}" in {${expr}}`);
    i += m[0].length;
    return m[0].replace(/\\\./g, '.');
  };
  while (i < expr.length) {
    const c = expr[i];
    if (expr.startsWith('..', i)) {
      i += 2;
      const name = ident();
      segs.push({ t: 'recurse', name });
    } else if (c === '.') {
      i++;
      if (i >= expr.length) break;
      if (expr[i] === '[') continue;
      const name = ident();
      segs.push(name === '*' ? { t: 'all' } : { t: 'field', name });
    } else if (c === '[') {
      const close = matching(expr, i);
      const inner = expr.slice(i + 1, close).trim();
      i = close + 1;
      segs.push(bracket(inner, expr));
    } else if (c === '@') {
      i++;
    } else {
      const name = ident();
      segs.push({ t: 'field', name });
    }
  }
  return segs;
}

function matching(expr: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < expr.length; j++) {
    const ch = expr[j];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  throw new JsonPathError(`unclosed [ in {${expr}}`);
}

function bracket(inner: string, expr: string): Segment {
  if (inner === '*') return { t: 'all' };
  if (/^-?\d+$/.test(inner)) return { t: 'index', i: Number(inner) };
  const slice = /^(-?\d*):(-?\d*)$/.exec(inner);
  if (slice) return { t: 'slice', from: slice[1] ? Number(slice[1]) : undefined, to: slice[2] ? Number(slice[2]) : undefined };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { t: 'field', name: quoted[2] };
  const filter = /^\?\((.*)\)$/.exec(inner);
  if (filter) {
    const m = /^(@[^=!<>]*?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(filter[1].trim());
    if (!m) return { t: 'filter', path: parse(filter[1].trim()) };
    const raw = m[3].trim();
    const str = /^(['"])(.*)\1$/.exec(raw);
    const value = str ? str[2] : raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw;
    return { t: 'filter', path: parse(m[1].trim()), op: m[2] as '==', value };
  }
  throw new JsonPathError(`cannot read [${inner}] in {${expr}}`);
}
