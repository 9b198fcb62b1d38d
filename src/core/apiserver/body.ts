// Reading a request body as the apiserver does: a size cap (3 MiB, the apiserver's own limit),
// JSON, YAML or protobuf by Content-Type, a bound on nesting (Go's decoders stop at ten thousand
// levels; see MAX_NESTING for this server's), YAML alias bombs refused instead of expanded, and
// each failure worded as the decoder that would have hit it words it.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { badRequest, CUSTOM_OBJECT_MEDIA_TYPES, CUSTOM_PATCH_MEDIA_TYPES, OBJECT_MEDIA_TYPES, PATCH_MEDIA_TYPES, requestEntityTooLarge, unsupportedMediaType } from '../cluster/errors.js';
import type { PatchType } from '../cluster/cluster.js';
import { MAX_JSON_NESTING, MAX_NESTING, nestingOverflow } from '../cluster/json-text.js';
import { jsonDepth, own } from '../cluster/own.js';
import { decodeProtobufObject } from './protobuf.js';
import { DecodeFailure, decodeError } from './decode-failure.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(requestEntityTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(requestEntityTooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    req.on('error', (e) => !failed && reject(e));
  });
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/** The struct the JSON serializer first reads apiVersion and kind into, as Go prints its type. */
const TYPE_META_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/**
 * Decodes a create/update body (JSON, YAML or protobuf) meant to be an `into` (a kind such as
 * `ConfigMap`). What the decoder refuses is a 400 worded as the apiserver words it; a JSON
 * `null` decodes to an empty object, whose missing name validation then reports. Custom
 * resources (`custom`) are not served as protobuf.
 */
export function decodeObject(raw: Buffer, contentType: string | undefined, into = 'Object', custom = false): unknown {
  const type = mediaType(contentType);
  if (custom && type === 'application/vnd.kubernetes.protobuf') throw unsupportedMediaType(CUSTOM_OBJECT_MEDIA_TYPES);
  try {
    if (type === 'application/json' || type === '' || type === '*/*') return objectOf(parseJsonText(raw.toString('utf8')));
    if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return objectOf(yamlToJson(raw.toString('utf8')));
    if (type === 'application/vnd.kubernetes.protobuf') {
      const obj = decodeProtobufObject(raw);
      if (jsonDepth(obj) > MAX_NESTING) throw new DecodeFailure('proto: exceeded maximum recursion depth');
      return obj;
    }
  } catch (err) {
    if (err instanceof DecodeFailure) throw decodeError(err, into, raw);
    throw err;
  }
  throw unsupportedMediaType(custom ? CUSTOM_OBJECT_MEDIA_TYPES : OBJECT_MEDIA_TYPES);
}

/** What reading apiVersion and kind out of a decoded value makes of it. */
function objectOf(value: unknown): unknown {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new DecodeFailure(`couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(value)} into Go value of type ${TYPE_META_STRUCT}`);
  }
  for (const field of ['apiVersion', 'kind']) {
    const v = own(value, field);
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new DecodeFailure(`couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(v)} into Go struct field .${field} of type string`);
    }
  }
  return value;
}

function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // number, string, object
}

/** JSON text, or the DecodeFailure the JSON serializer's first read of it gives. */
function parseJsonText(text: string): unknown {
  const syntax = jsonSyntaxError(text);
  if (syntax !== undefined) throw new DecodeFailure(`couldn't get version/kind; json parse error: ${syntax}`);
  return JSON.parse(text);
}

/**
 * Go's encoding/json error for text that is not JSON (or nests too deeply), or undefined when it
 * parses. The nesting check comes first: it is what Go's scanner meets first in a deep document.
 */
function jsonSyntaxError(text: string): string | undefined {
  const deep = nestingOverflow(text, MAX_NESTING);
  if (deep >= 0) return `invalid character '${text[deep]}' exceeded max depth`;
  if (!text.trim()) return 'unexpected end of JSON input';
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return jsonErrorText(err, text);
  }
}

/** The patch type a Content-Type names; custom resources (`custom`) take no strategic merge patch. */
export function patchTypeOf(contentType: string | undefined, custom = false): PatchType {
  switch (mediaType(contentType)) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      if (custom) break;
      return 'strategic';
    case 'application/apply-patch+yaml':
      return 'apply';
  }
  throw unsupportedMediaType(custom ? CUSTOM_PATCH_MEDIA_TYPES : PATCH_MEDIA_TYPES);
}

/**
 * Decodes a patch body. Each patch type is read by a different decoder in the apiserver, which
 * is why the same broken body earns different words: json-patch and strategic merge patch quote
 * Go's JSON error, merge patch says "Invalid JSON Patch", apply quotes the YAML decoder.
 */
export function decodePatch(raw: Buffer, type: PatchType): unknown {
  const text = raw.toString('utf8');
  if (type === 'apply') {
    try {
      return yamlToJson(text);
    } catch (err) {
      if (err instanceof DecodeFailure) throw badRequest(`error decoding YAML: ${err.message}`);
      throw err;
    }
  }
  const syntax = jsonSyntaxError(text);
  if (syntax === undefined) return JSON.parse(text);
  throw badRequest(type === 'merge' ? 'Invalid JSON Patch' : syntax);
}

/** The error Go's encoding/json would give, near enough for a learner to find the mistake. */
function jsonErrorText(err: unknown, text: string): string {
  const m = /position (\d+)/.exec(String((err as Error).message));
  if (m) {
    const pos = Number(m[1]);
    const ch = text[pos];
    return ch === undefined ? 'unexpected end of JSON input' : `invalid character '${ch}' looking for beginning of value (at offset ${pos})`;
  }
  return /Unexpected end/.test(String((err as Error).message)) ? 'unexpected end of JSON input' : String((err as Error).message);
}

/**
 * YAML as sigs.k8s.io/yaml turns it into JSON: JSON text (what kubectl sends, even as an apply
 * patch) is read as JSON; aliases are capped, so a billion-laughs body is refused, never
 * expanded; flow collections nest at most ten thousand levels. Failures are DecodeFailures
 * worded `error converting YAML to JSON: yaml: …`.
 */
function yamlToJson(text: string): unknown {
  const fail = (msg: string) => new DecodeFailure(`error converting YAML to JSON: yaml: ${msg}`);
  if (/^\s*[[{]/.test(text)) {
    if (nestingOverflow(text, MAX_NESTING) >= 0) throw tooDeep(text, fail);
    try {
      return JSON.parse(text);
    } catch {
      // YAML flow syntax that is not JSON ({a: 1}): the YAML parser reads it below.
    }
  }
  if (!text.trim()) return null;
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const real = list.filter((d) => d.contents !== null);
  if (real.length > 1) throw badRequest('yaml: the body holds more than one document; send one object per request');
  const doc = real[0] ?? list[0];
  const problem = doc.errors[0];
  if (problem) {
    // The YAML library gives up on nesting long before Go's limit; say so as Go says it.
    if (/Maximum call stack size exceeded/.test(problem.message)) throw tooDeep(text, fail);
    throw fail(problem.message.split('\n')[0]);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const msg = (err as Error).message;
    throw fail(/alias/i.test(msg) ? 'document contains excessive aliasing' : msg.split('\n')[0]);
  }
  if (jsonDepth(value) > MAX_NESTING) throw fail('exceeded max depth');
  return value;
}

/**
 * go-yaml's error for flow collections nested past its ten thousand levels, with the line when
 * not the first. Shallower documents this server still cannot take get the same words without a
 * number it would not be telling the truth about.
 */
function tooDeep(text: string, fail: (msg: string) => DecodeFailure): DecodeFailure {
  const at = nestingOverflow(text, MAX_JSON_NESTING);
  if (at < 0) return fail('exceeded max depth');
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return fail(`${line > 0 ? `line ${line + 1}: ` : ''}exceeded max depth of ${MAX_JSON_NESTING}`);
}

// Re-exported for callers that parse YAML fixtures the same way.
export { parseYaml };
