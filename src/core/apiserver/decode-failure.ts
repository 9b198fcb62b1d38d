// A body the apiserver's decoder could not turn into an object, and the 400 it answers with. When
// the decoder had not yet read the body's apiVersion and kind, the answer names the type the
// endpoint wanted and quotes the start of the body (as text when it opens like a JSON object, in
// hex otherwise); when it had, it names the kind and version it read.
import { badRequest, type ApiError } from '../cluster/errors.js';

export class DecodeFailure extends Error {
  constructor(
    /** The decoder's own error text, e.g. `couldn't get version/kind; json parse error: …`. */
    message: string,
    /** The kind and version the body declared, when the decoder got that far. */
    readonly declared?: { kind: string; version: string },
  ) {
    super(message);
    this.name = 'DecodeFailure';
  }
}

/** The first `max` bytes of a body as the apiserver quotes them in a decode error. */
export function summarize(raw: Buffer, max = 30): string {
  if (raw.length === 0) return '<empty>';
  const head = raw.subarray(0, max);
  const more = raw.length > max ? ' ...' : '';
  return raw[0] === 0x7b ? `${head.toString('utf8')}${more}` : `${head.toString('hex')}${more}`;
}

/** The 400 for a body that did not decode into `into` (a kind such as `ConfigMap`). */
export function decodeError(failure: DecodeFailure, into: string, raw: Buffer): ApiError {
  if (failure.declared?.kind) {
    return badRequest(`${failure.declared.kind} in version "${failure.declared.version}" cannot be handled as a ${into}: ${failure.message}`);
  }
  return badRequest(`the object provided is unrecognized (must be of type ${into}): ${failure.message} (${summarize(raw)})`);
}
