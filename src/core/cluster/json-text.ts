// JSON text in and out of the API, safe for any nesting the decoder lets through. V8's
// JSON.parse is iterative, but JSON.stringify recurses and gives up a few thousand levels down,
// which an object a learner may legitimately store (a CRD's schema nests two levels per field)
// can reach. Decoding is bounded as Go's encoding/json bounds it: ten thousand levels.

/** Go's encoding/json (and sigs.k8s.io/json, which the apiserver decodes with) nests no deeper. */
export const MAX_JSON_NESTING = 10000;

/**
 * How deeply an object may nest here. Go's decoder allows ten thousand levels; this server's
 * field-ownership and merge walks recurse (and cost time in proportion to depth squared), so it
 * stops at three thousand, answering deeper input with the very error Go gives past its limit.
 * A real cluster's objects nest a few dozen levels; a CRD schema with 1,400 nested fields is
 * about 2,800 levels deep and still fits.
 */
export const MAX_NESTING = 3000;

/**
 * Where JSON text first nests deeper than `limit`: the offset of the bracket that goes one level
 * too far, or -1. Brackets inside strings do not count. Linear, and touches no object.
 */
export function nestingOverflow(text: string, limit = MAX_NESTING): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/**
 * JSON.stringify, falling back to an iterative encoder when the value nests too deeply for the
 * native one. Same output for plain JSON values (members holding undefined are left out, as are
 * functions; undefined in an array becomes null; non-finite numbers become null).
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return encodeDeep(value);
  }
}

type Frame = { kind: 'array'; items: unknown[]; i: number } | { kind: 'object'; obj: Record<string, unknown>; keys: string[]; i: number; wrote: boolean };

function scalar(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      const toJSON = (v as { toJSON?: () => unknown }).toJSON;
      return typeof toJSON === 'function' ? JSON.stringify(v) : undefined;
    }
    default:
      return undefined;
  }
}

function encodeDeep(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (v: unknown): boolean => {
    if (Array.isArray(v)) {
      out.push('[');
      stack.push({ kind: 'array', items: v, i: 0 });
      return true;
    }
    if (v !== null && typeof v === 'object' && scalar(v) === undefined) {
      out.push('{');
      stack.push({ kind: 'object', obj: v as Record<string, unknown>, keys: Object.keys(v), i: 0, wrote: false });
      return true;
    }
    return false;
  };
  // A scalar cannot nest, so the native encoder answers it (undefined included, as it types it).
  if (!open(root)) return JSON.stringify(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.kind === 'array') {
      if (top.i >= top.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      const v = top.items[top.i];
      if (top.i++ > 0) out.push(',');
      if (!open(v)) out.push(scalar(v) ?? 'null');
      continue;
    }
    if (top.i >= top.keys.length) {
      out.push('}');
      stack.pop();
      continue;
    }
    const key = top.keys[top.i++];
    const v = top.obj[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out.push(top.wrote ? ',' : '', JSON.stringify(key), ':');
    top.wrote = true;
    if (!open(v)) out.push(scalar(v) ?? 'null');
  }
  return out.join('');
}
