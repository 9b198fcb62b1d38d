// Small field checks that many kinds share — ports, protocols, non-negative numbers, environment
// variable names, image pull policies — worded as k8s.io/apimachinery/pkg/util/validation and
// pkg/apis/core/validation word them.
import { fieldError, type FieldError } from '../errors.js';

/** validation.InclusiveRangeError. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** apivalidation.IsNegativeErrorMsg. */
export const IS_NEGATIVE_ERROR = 'must be greater than or equal to 0';

/** validation.IsValidPortNum: 0 is not a port (callers that allow "unset" check for it first). */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** A port number field: `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`. */
export function validatePortNumber(port: number, field: string): FieldError[] {
  return isValidPortNum(port).map((msg) => fieldError.invalid(field, port, msg));
}

const PORT_NAME_CHARSET = /^[-a-z0-9]+$/;
const PORT_NAME_LETTER = /[a-z]/;

/**
 * validation.IsValidPortName, the IANA_SVC_NAME rules (RFC 6335) for container port names and
 * named targetPorts: at most 15 characters, lower case, at least one letter, no '--', no dash at
 * either end. (Service port names are DNS-1123 labels instead.)
 */
export function isValidPortName(name: string): string[] {
  const errs: string[] = [];
  if (new TextEncoder().encode(name).length > 15) errs.push('must be no more than 15 characters');
  if (!PORT_NAME_CHARSET.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!PORT_NAME_LETTER.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function validatePortName(name: string, field: string): FieldError[] {
  return isValidPortName(name).map((msg) => fieldError.invalid(field, name, msg));
}

/** validation.ValidatePortNumOrName: an IntOrString port such as a targetPort or a probe's port. */
export function validatePortNumOrName(port: number | string, field: string): FieldError[] {
  return typeof port === 'number' ? validatePortNumber(port, field) : validatePortName(port, field);
}

/** The protocols a port may name, sorted as sets.List sorts them in the message. */
export const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** A port's protocol (defaulted to TCP before validation, so empty means the user cleared it). */
export function validateProtocol(protocol: unknown, field: string): FieldError[] {
  if (protocol === undefined || protocol === null || protocol === '') return [fieldError.required(field)];
  if (typeof protocol !== 'string' || !SUPPORTED_PROTOCOLS.includes(protocol)) return [fieldError.notSupported(field, protocol, SUPPORTED_PROTOCOLS)];
  return [];
}

/** apivalidation.ValidateNonnegativeField: replicas, generation, seconds and the like. */
/** A field that may be absent or any non-number (its type is checked elsewhere), but not negative. */
export function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [fieldError.invalid(field, value, IS_NEGATIVE_ERROR)] : [];
}

export function validateNonnegative(field: string, value: number): FieldError[] {
  return value < 0 ? [fieldError.invalid(field, value, IS_NEGATIVE_ERROR)] : [];
}

const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const ENV_VAR_NAME = new RegExp(`^${ENV_VAR_NAME_FMT}$`);

/** validation.IsEnvVarName: the strict C-identifier-like rule, used before RelaxedEnvironmentVariableValidation. */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!ENV_VAR_NAME.test(value)) {
    errs.push(
      `a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '${ENV_VAR_NAME_FMT}')`,
    );
  }
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** validation.IsRelaxedEnvVarName: any printable ASCII but '=' (RelaxedEnvironmentVariableValidation). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code > 0x7e || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

/**
 * An env[].name, as ValidateEnv checks it: required, then the relaxed rule, which is on by default
 * since Kubernetes 1.32 (the cluster simulates 1.33), so `MY VAR` or `1ST` are accepted. Pass
 * `relaxed: false` for the strict wording older clusters give.
 */
export function validateEnvVarName(name: string, field: string, opts: { relaxed?: boolean } = {}): FieldError[] {
  if (!name) return [fieldError.required(field)];
  const msgs = opts.relaxed === false ? isEnvVarName(name) : isRelaxedEnvVarName(name);
  return msgs.map((msg) => fieldError.invalid(field, name, msg));
}

/** The image pull policies, sorted as sets.List sorts them in the message. */
export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

/** validatePullPolicy: required (defaulting fills it from the image tag) and one of three. */
export function validateImagePullPolicy(policy: unknown, field: string): FieldError[] {
  if (policy === undefined || policy === null || policy === '') return [fieldError.required(field)];
  if (typeof policy !== 'string' || !PULL_POLICIES.includes(policy)) return [fieldError.notSupported(field, policy, PULL_POLICIES)];
  return [];
}
