// Resource quantities (`100m`, `0.5`, `1Gi`, `512Mi`, `1e3`, `2k`, `1M`) as
// k8s.io/apimachinery/pkg/api/resource parses and prints them: exactly, never through floating
// point, so `cpu: 0.5` is stored and shown as `500m` and `1.5Gi` as `1536Mi`, as on a real cluster.
import { fieldError, type FieldError } from '../errors.js';
import { IS_NEGATIVE_ERROR } from './ports.js';
import { hasOwn } from '../own.js';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A parsed quantity: exactly `unscaled × 10^scale`, remembering which kind of suffix it had. */
export interface Quantity {
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
  /** The text as written, kept when it was already canonical: the apiserver echoes such text unchanged. */
  readonly text?: string;
}

/** resource.ErrFormatWrong: the message a bad quantity earns, regular expression and all. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** resource.ErrNumeric. */
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
/** resource.ErrSuffix: `1K`, `1mi` and `1e` have letters that look like a suffix but are none. */
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const INT64_MAX = 2n ** 63n - 1n;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/**
 * resource.parseQuantityString, including its leniencies (`-` alone and `.` alone read as zero,
 * `1.G` is accepted) so that what a real cluster accepts is accepted here too.
 */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  const out = (value: string, num: string, denom = '', suffix = ''): Scanned => ({ positive, value, num, denom, suffix });
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  for (let i = pos; ; i++) {
    if (i >= end) return out('0', '0');
    if (str[i] !== '0') break;
    pos++;
  }
  let num: string;
  for (let i = pos; ; i++) {
    if (i >= end) return out(str, str.slice(pos));
    if (!isDigit(str[i])) {
      num = str.slice(pos, i);
      pos = i;
      break;
    }
  }
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    for (let i = pos; ; i++) {
      if (i >= end) return out(str, num, str.slice(pos));
      if (!isDigit(str[i])) {
        denom = str.slice(pos, i);
        pos = i;
        break;
      }
    }
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  for (let i = pos; ; i++) {
    if (i >= end) return out(value, num, denom, str.slice(suffixStart));
    if (!'eEinumkKMGTP'.includes(str[i]!)) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  for (let i = pos; ; i++) {
    if (i >= end) return out(value, num, denom, str.slice(suffixStart));
    if (!isDigit(str[i])) break;
  }
  throw new QuantityError(QUANTITY_FORMAT_ERROR);
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** suffixHandler.interpret: the base, exponent and format a suffix stands for. */
function interpret(suffix: string): { base: 10 | 2; exponent: number; format: QuantityFormat } | undefined {
  if (hasOwn(DECIMAL_SUFFIXES, suffix)) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix]!, format: 'DecimalSI' };
  if (hasOwn(BINARY_SUFFIXES, suffix)) return { base: 2, exponent: BINARY_SUFFIXES[suffix]!, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const n = BigInt(rest);
    if (n > INT64_MAX || n < -INT64_MAX - 1n) return undefined;
    // Go keeps the exponent in an int32, wrapping silently.
    return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: 'DecimalExponent' };
  }
  return undefined;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** resource.ParseQuantity. Throws QuantityError with one of the three apimachinery messages. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  if (str === '0') return { unscaled: 0n, scale: 0, format: 'DecimalSI', text: '0' };
  const { positive, value, num, denom, suffix } = scan(str);
  const suffixInfo = interpret(suffix);
  if (!suffixInfo) throw new QuantityError(QUANTITY_SUFFIX_ERROR);
  const { base, exponent } = suffixInfo;
  let { format } = suffixInfo;

  // Go's int64 fast path: only it keeps the original text, when that text is already canonical.
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format !== 'BinarySI') {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else precision = -1;
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const v = BigInt(shifted);
      if (v > INT64_MAX) throw new QuantityError(QUANTITY_NUMERIC_ERROR);
      const result = v * mantissa;
      if (result <= INT64_MAX) {
        const canonical =
          format === 'BinarySI' ? exponent % 10 === 0 && (v & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return { unscaled: positive ? result : -result, scale, format, ...(canonical ? { text: str } : {}) };
      }
    }
  }

  // The arbitrary-precision path (inf.Dec).
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value);
  const intDigits = m?.[2] ?? '';
  const fracDigits = m?.[3] ?? '';
  if (!m || intDigits.length + fracDigits.length === 0) throw new QuantityError(QUANTITY_NUMERIC_ERROR);
  let magnitude = BigInt(intDigits + fracDigits);
  let sc = -fracDigits.length;
  if (base === 10) sc += exponent;
  else magnitude *= 1n << BigInt(exponent);
  const negative = m[1] === '-';
  // Anything finer than a nano-unit rounds up, away from zero: asking for some resource gets some.
  if (magnitude !== 0n && sc < -9) {
    const d = pow10(-9 - sc);
    magnitude = magnitude / d + (magnitude % d === 0n ? 0n : 1n);
    sc = -9;
  }
  if (format === 'BinarySI' && magnitude > INT64_MAX * pow10(-sc)) {
    magnitude = INT64_MAX;
    sc = 0;
  }
  if (format === 'BinarySI' && magnitude !== 0n && magnitude < pow10(-sc)) format = 'DecimalSI';
  return { unscaled: negative ? -magnitude : magnitude, scale: sc, format };
}

/** The parse error for a quantity as written, or undefined when it parses. */
export function quantityError(str: string): string | undefined {
  try {
    parseQuantity(str);
    return undefined;
  } catch (err) {
    if (err instanceof QuantityError) return err.message;
    throw err;
  }
}

/**
 * Quantity.UnmarshalJSON: a quantity as found in a decoded JSON body — a string (trimmed), a
 * number (read from its JSON text, so `cpu: 0.5` works) or null (zero).
 */
export function quantityFromJSON(value: unknown): Quantity {
  if (value === null) return { unscaled: 0n, scale: 0, format: 'DecimalSI' };
  const text = typeof value === 'string' ? value.trim() : (JSON.stringify(value) ?? '').trim();
  return parseQuantity(text);
}

function isInteger(q: Quantity): boolean {
  return q.scale >= 0 || q.unscaled % pow10(-q.scale) === 0n;
}

/** sign(a - b), exactly. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const sa = a.unscaled === 0n ? 0 : a.unscaled < 0n ? -1 : 1;
  const sb = b.unscaled === 0n ? 0 : b.unscaled < 0n ? -1 : 1;
  if (sa !== sb || sa === 0) return sa < sb ? -1 : sa > sb ? 1 : 0;
  // Compare magnitudes by order first, so `1e2000000000` never needs 10^2000000000 built.
  const ma = abs(a.unscaled).toString().length + a.scale;
  const mb = abs(b.unscaled).toString().length + b.scale;
  if (ma !== mb) return (ma > mb ? sa : -sa) as -1 | 1;
  const lo = Math.min(a.scale, b.scale);
  const x = a.unscaled * pow10(a.scale - lo);
  const y = b.unscaled * pow10(b.scale - lo);
  return x < y ? -1 : x > y ? 1 : 0;
}

const DECIMAL_BY_EXPONENT: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * Quantity.String(): the canonical form — no fractional digits, the largest suffix that loses
 * nothing, decimal exponents a multiple of three — unless the text was already canonical.
 */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.unscaled === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = compareQuantities(q, { unscaled: -1024n, scale: 0, format }) > 0 && compareQuantities(q, { unscaled: 1024n, scale: 0, format }) < 0;
    // Below 1Ki, or with a fraction, a binary suffix would round: print it in decimal instead.
    if (small || !isInteger(q)) format = 'DecimalSI';
  }
  const sign = q.unscaled < 0n ? '-' : '';
  if (format === 'BinarySI') {
    let n = q.scale >= 0 ? abs(q.unscaled) * pow10(q.scale) : abs(q.unscaled) / pow10(-q.scale);
    let power = 0;
    while (n >= 1024n && n % 1024n === 0n && power < BINARY_BY_POWER.length - 1) {
      n /= 1024n;
      power++;
    }
    return `${sign}${n}${BINARY_BY_POWER[power]}`;
  }
  let n = abs(q.unscaled);
  let exp = q.scale;
  while (n >= 10n && n % 10n === 0n) {
    n /= 10n;
    exp++;
  }
  while (((exp % 3) + 3) % 3 !== 0) {
    n *= 10n;
    exp--;
  }
  let suffix: string;
  if (format === 'DecimalSI' && hasOwn(DECIMAL_BY_EXPONENT, String(exp))) suffix = DECIMAL_BY_EXPONENT[exp]!;
  else suffix = exp === 0 ? '' : `e${exp}`;
  return `${sign}${n}${suffix}`;
}

/** The canonical text of a quantity as written (what the apiserver stores for `cpu: 0.5`: `500m`). */
export function canonicalQuantity(value: unknown): string {
  return formatQuantity(quantityFromJSON(value));
}

function toQuantity(q: Quantity | string | number): Quantity {
  return typeof q === 'object' ? q : quantityFromJSON(q);
}

/** Quantity.AsApproximateFloat64: CPU as cores (`250m` → 0.25), memory as bytes. */
export function quantityToNumber(q: Quantity | string | number): number {
  const x = toQuantity(q);
  const n = Number(x.unscaled);
  return x.scale >= 0 ? n * 10 ** x.scale : n / 10 ** -x.scale;
}

/** ScaledValue: the value in units of 10^scale, rounded up away from zero. */
function scaledValue(q: Quantity, scale: number): number {
  if (q.scale >= scale) return Number(q.unscaled * pow10(q.scale - scale));
  const d = pow10(scale - q.scale);
  const whole = q.unscaled / d;
  if (q.unscaled % d === 0n) return Number(whole);
  return Number(q.unscaled > 0n ? whole + 1n : whole - 1n);
}

/** Quantity.Value(): an integer, rounded up away from zero — bytes, pods, counts. */
export function quantityValue(q: Quantity | string | number): number {
  return scaledValue(toQuantity(q), 0);
}

/** Quantity.MilliValue(): thousandths, rounded up away from zero — millicores. */
export function quantityMilliValue(q: Quantity | string | number): number {
  return scaledValue(toQuantity(q), -3);
}

/**
 * A quantity field as a field error. A real apiserver rejects a malformed quantity while decoding
 * the body (400: `Pod in version "v1" cannot be handled as a Pod: quantities must match …`); this
 * is for validation code that reports it per field instead.
 */
export function validateQuantity(value: unknown, field: string): FieldError[] {
  try {
    quantityFromJSON(value);
    return [];
  } catch (err) {
    if (err instanceof QuantityError) return [fieldError.invalid(field, value, err.message)];
    throw err;
  }
}

/** apivalidation.ValidateNonnegativeQuantity: requests, limits and quota may not be negative. */
export function validateNonnegativeQuantity(value: unknown, field: string): FieldError[] {
  let q: Quantity;
  try {
    q = quantityFromJSON(value);
  } catch (err) {
    if (err instanceof QuantityError) return [fieldError.invalid(field, value, err.message)];
    throw err;
  }
  return q.unscaled < 0n ? [fieldError.invalid(field, formatQuantity(q), IS_NEGATIVE_ERROR)] : [];
}
