// Reading a request body as the apiserver does: a size cap (3 MiB, the apiserver's own limit),
// JSON or YAML by Content-Type, and YAML alias bombs refused instead of expanded.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../cluster/errors.js';
import type { PatchType } from '../cluster/cluster.js';
import { decodeProtobufObject } from './protobuf.js';

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

/** Decodes a create/update body (JSON or YAML). */
export function decodeObject(raw: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === 'application/json' || type === '' || type === '*/*') return parseJson(raw);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseYamlBody(raw);
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(raw);
  throw unsupportedMediaType(type);
}

export function patchTypeOf(contentType: string | undefined): PatchType {
  switch (mediaType(contentType)) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw unsupportedMediaType(mediaType(contentType));
  }
}

export function decodePatch(raw: Buffer, type: PatchType): unknown {
  return type === 'apply' ? parseYamlBody(raw) : parseJson(raw);
}

export function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (!text.trim()) throw badRequest('the body of the request was empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`json: ${jsonErrorText(err, text)}`);
  }
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

/** YAML with aliases capped: a billion-laughs body is refused, never expanded. */
export function parseYamlBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (!text.trim()) throw badRequest('the body of the request was empty');
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const real = list.filter((d) => d.contents !== null);
  if (real.length > 1) throw badRequest('yaml: the body holds more than one document; send one object per request');
  const doc = real[0] ?? list[0];
  if (doc.errors.length) throw badRequest(`error converting YAML to JSON: yaml: ${doc.errors[0].message.split('\n')[0]}`);
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: yaml: ${(err as Error).message.split('\n')[0]}`);
  }
}

// Re-exported for callers that parse YAML fixtures the same way.
export { parseYaml };
