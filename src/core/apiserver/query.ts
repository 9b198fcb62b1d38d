// Query parameters, read as the apiserver reads them: a list's and a watch's integers with Go's
// strconv (no exponents, no fractions, 64 bits at most), resourceVersions as the storage layer
// parses them and a write's options, each refusal in the words that layer uses.
import type { IncomingMessage } from 'node:http';
import type { FieldValidation } from '../cluster/cluster.js';
import { badRequest, fieldError, invalid, tooLargeResourceVersion, unclassified } from '../cluster/errors.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt(s, 10, 64) and strconv.ParseUint(s, 10, 64), with their error texts. */
function parse(text: string, signed: boolean): { value: bigint } | { error: string } {
  const fn = signed ? 'ParseInt' : 'ParseUint';
  if (!(signed ? /^[+-]?\d+$/ : /^\d+$/).test(text)) return { error: `strconv.${fn}: parsing ${goQuote(text)}: invalid syntax` };
  const value = BigInt(text);
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return { error: `strconv.${fn}: parsing ${goQuote(text)}: value out of range` };
  return { value };
}

/** Go's %q for the ASCII a query parameter usually holds. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * An int64 query parameter such as `limit` or `timeoutSeconds`; absent is undefined. A present but
 * empty one is parsed too, and refused, as the parameter codec does.
 */
export function int64Param(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  const parsed = parse(v, true);
  if ('error' in parsed) throw badRequest(parsed.error);
  return Number(parsed.value);
}

/**
 * A boolean query parameter, as apimachinery's conversion reads one into a request's options
 * (watch, allowWatchBookmarks, follow, previous, stdout, tty, orphanDependents, force...): absent
 * is false; present, only "0" and "false" in any case are false, and anything else is true, an
 * empty value, "True" and "1" included. A repeated parameter counts by its first value. Clients
 * other than kubectl send "True" (Python) and "1".
 */
export function boolParam(q: URLSearchParams, key: string): boolean {
  return optionalBoolParam(q, key) ?? false;
}

/** The same for an optional boolean (a *bool option): undefined when the parameter is absent. */
export function optionalBoolParam(q: URLSearchParams, key: string): boolean | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  return v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Whether a JSON answer is indented. `pretty` is older than the options structs and read apart,
 * by Go's strconv.ParseBool (only 1, t, T, TRUE, true and True are true; anything else, false).
 * Without it, curl, Wget and browsers get indented JSON, as people read it.
 */
export function prettyPrint(q: URLSearchParams, userAgent: string | undefined): boolean {
  const v = q.get('pretty');
  if (v) return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
  const ua = userAgent ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}

/** The storage layer's complaint about a resourceVersion it cannot parse. */
function invalidResourceVersion(text: string, why: string): string {
  return `resourceVersion: Invalid value: ${goQuote(text)}: ${why}`;
}

/**
 * The resourceVersion a list asks for (undefined: the latest). Unparseable is a 400; one the store
 * has not reached is the watch cache's 504; with a continue token only "0" may be given.
 */
export function listResourceVersion(q: URLSearchParams, current: number): bigint | undefined {
  const text = q.get('resourceVersion');
  if (text === null || text === '') return undefined;
  const parsed = parse(text, false);
  if ('error' in parsed) throw badRequest(`invalid resource version: ${invalidResourceVersion(text, parsed.error)}`);
  if (q.get('continue') && text !== '0') throw badRequest('specifying resource version is not allowed when using continue');
  if (parsed.value > BigInt(current)) throw tooLargeResourceVersion(parsed.value, current);
  return parsed.value;
}

/**
 * The resourceVersion a watch starts from (undefined when not given). The cacher passes a parse
 * failure up unconverted, so the client gets a 500 with no reason.
 */
export function watchResourceVersion(q: URLSearchParams): bigint | undefined {
  const text = q.get('resourceVersion');
  if (text === null || text === '') return undefined;
  const parsed = parse(text, false);
  if ('error' in parsed) throw unclassified(invalidResourceVersion(text, parsed.error));
  return parsed.value;
}

/** The options of a create, update or patch: dryRun, fieldValidation and the field manager. */
export function writeOptions(req: IncomingMessage, q: URLSearchParams): { dryRun: boolean; fieldManager: string; fieldValidation: FieldValidation; storageLimit: boolean } {
  const dryRun = q.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw invalid('', 'DryRun', '', [fieldError.notSupported('dryRun', d, ['All'])]);
  // Absent or empty is Warn, as in the apiserver: unknown and duplicate fields are dropped, each
  // with a warning. kubectl sends its --validate (strict unless told) explicitly.
  const fv = q.get('fieldValidation') || 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(fv)}: supported values: "Ignore", "Strict", "Warn"`);
  }
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  const fieldManager = q.get('fieldManager') ?? ua.split('/')[0];
  if (fieldManager.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
  return { dryRun: dryRun.length > 0, fieldManager, fieldValidation: fv as FieldValidation, storageLimit: true };
}
