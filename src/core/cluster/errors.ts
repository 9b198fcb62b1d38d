// Errors as the Kubernetes API reports them: a Status object with a reason, a code and, for
// validation, one cause per field. Messages follow k8s.io/apimachinery so that kubectl prints
// exactly what a learner would read from a real cluster.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** A failure the API answers with a Status; anything else thrown inside a handler is a bug (500). */
export class ApiError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'ApiError';
    this.status = statusInWireOrder(status);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

/**
 * A Status with its members in the order metav1.Status declares them (kind, apiVersion, metadata,
 * status, message, reason, details, code; in details name, group, kind, uid, causes,
 * retryAfterSeconds; in a cause reason, message, field), and without the empty ones Go's
 * omitempty leaves out, so that the body a client reads is the apiserver's byte for byte. An
 * empty details object stays: the apiserver sends `"details":{}` where it makes one with nothing
 * in it.
 */
export function statusInWireOrder(s: Status): Status {
  const out = { kind: 'Status', apiVersion: 'v1', metadata: s.metadata ?? {} } as Status;
  if (s.status) out.status = s.status;
  if (s.message) out.message = s.message;
  if (s.reason) out.reason = s.reason;
  if (s.details) {
    const d = s.details;
    const details: NonNullable<Status['details']> = {};
    if (d.name) details.name = d.name;
    if (d.group) details.group = d.group;
    if (d.kind) details.kind = d.kind;
    if (d.uid) details.uid = d.uid;
    if (d.causes?.length) {
      details.causes = d.causes.map((c) => {
        const cause: StatusCause = {};
        if (c.reason) cause.reason = c.reason;
        if (c.message) cause.message = c.message;
        if (c.field) cause.field = c.field;
        return cause;
      });
    }
    if (d.retryAfterSeconds) details.retryAfterSeconds = d.retryAfterSeconds;
    out.details = details;
  }
  if (s.code) out.code = s.code;
  return out;
}

/** The group-qualified resource a message names: `pods`, `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** The group-qualified kind an Invalid message names: `Pod`, `Deployment.apps`. */
export function qualifiedKind(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

function failure(code: number, reason: string, message: string, details?: Status['details']): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return failure(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, {
    name,
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, {
    name,
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`, {
    name,
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): ApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function forbidden(gr: GroupResource, name: string, why: string, causes?: NonNullable<Status['details']>['causes']): ApiError {
  const what = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return failure(403, 'Forbidden', `${what} is forbidden: ${why}`, {
    ...(name ? { name } : {}),
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
    ...(causes ? { causes } : {}),
  });
}

/** The cause the NamespaceLifecycle plugin puts on a refusal (a StatusCause's type, sent as `reason`), so controllers can tell it apart. */
export const NAMESPACE_TERMINATING = 'NamespaceTerminating';

/** Whether an error is the refusal of new content in a namespace being deleted. */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === NAMESPACE_TERMINATING);
}

/** The router's answer to a method no route of the path takes, with the empty details it makes. */
export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
  return failure(405, 'MethodNotAllowed', message, {});
}

export function notAcceptable(message: string): ApiError {
  return failure(406, 'NotAcceptable', message);
}

/** What a create or update of a built-in kind accepts; custom resources take no protobuf. */
export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] as const;
export const CUSTOM_OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml'] as const;

/** What a patch of a built-in kind accepts; custom resources have no strategic merge patch. */
export const PATCH_MEDIA_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'] as const;
export const CUSTOM_PATCH_MEDIA_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'] as const;

/** A body in a media type the endpoint does not take, listing the ones it does. */
export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

export function requestEntityTooLarge(limit: number): ApiError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

export function gone(message: string): ApiError {
  return failure(410, 'Expired', message);
}

/**
 * A list or watch-list asked for a resourceVersion the store has not reached. The watch cache
 * waits a few seconds for it, then answers 504 with a cause saying why and asks the client to
 * come back in a second (Retry-After).
 */
export function tooLargeResourceVersion(wanted: bigint | number, current: number): ApiError {
  return failure(504, 'Timeout', `Timeout: Too large resource version: ${wanted}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** An error the apiserver passes on without making it a Status first: a 500 with no reason. */
export function unclassified(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

export function resourceNotFound(path: string): ApiError {
  // What a real apiserver answers for a path no resource serves.
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function internalError(err: unknown): ApiError {
  const message = err instanceof Error ? err.message : String(err);
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

/** etcd's --max-request-bytes default: a stored object (managedFields included) must fit. */
export const ETCD_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

/**
 * etcd's refusal of a write over its request limit. The apiserver passes it on as an error that is
 * not a Status: a 500 with no reason, whose message is etcd's own.
 */
export function etcdRequestTooLarge(): ApiError {
  return unclassified('etcdserver: request is too large');
}

/** A 429; a retry-after of 0 is left out, as Go's omitempty leaves it out, and no header goes with it. */
export function tooManyRequests(message: string, retryAfterSeconds: number): ApiError {
  return failure(429, 'TooManyRequests', message, retryAfterSeconds > 0 ? { retryAfterSeconds } : {});
}

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ----

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value; omitted for Required and Forbidden, as apimachinery omits it. */
  value?: unknown;
  hasValue?: boolean;
  detail?: string;
}

/** The value as apimachinery prints it inside an error: strings quoted, numbers bare. */
export function printValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]${typeof value[0] === 'string' ? 'string' : 'interface {}'}{${value.map(printValue).join(', ')}}`;
  return JSON.stringify(value);
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueNotFound: 'Not found',
  FieldValueTypeInvalid: 'Invalid value',
};

/** The message without the field path: `Required value`, `Invalid value: "x": detail`. */
export function fieldErrorBody(e: FieldError): string {
  let s = typeText[e.type];
  const showValue = e.hasValue !== false && e.type !== 'FieldValueRequired' && e.type !== 'FieldValueForbidden' && e.type !== 'FieldValueTooMany' && 'value' in e;
  if (showValue) s += `: ${printValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorMessage(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

export const fieldError = {
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, ...(detail ? { detail } : {}) }),
  invalid: (field: string, value: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field, value, ...(detail ? { detail } : {}) }),
  notSupported: (field: string, value: unknown, supported: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    value,
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  tooLong: (field: string, value: unknown, max: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    value,
    hasValue: false,
    detail: `must have at most ${max} bytes`,
  }),
  notFound: (field: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field, value }),
};

/** `Pod "x" is invalid: spec.containers[0].image: Required value` — one cause per field error. */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): ApiError {
  const list = errs.map(fieldErrorMessage);
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return failure(422, 'Invalid', `${qualifiedKind(group, kind)} "${name}" is invalid: ${joined}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
  });
}
