// Shared field checks: ports, protocols, non-negative numbers, env var names and pull policies.
import { describe, expect, it } from 'vitest';
import {
  isEnvVarName,
  isValidPortName,
  validateEnvVarName,
  validateImagePullPolicy,
  validateNonnegative,
  validatePortName,
  validatePortNumber,
  validatePortNumOrName,
  validateProtocol,
} from '../../../../src/core/cluster/validation/ports.js';
import { fieldErrorMessage, type FieldError } from '../../../../src/core/cluster/errors.js';

const text = (errs: FieldError[]) => errs.map(fieldErrorMessage);

describe('ports', () => {
  it('accepts ports from 1 to 65535', () => {
    expect(validatePortNumber(1, 'p')).toEqual([]);
    expect(validatePortNumber(65535, 'p')).toEqual([]);
  });

  it('refuses 0 and anything above 65535 with the inclusive range', () => {
    expect(text(validatePortNumber(0, 'spec.ports[0].port'))).toEqual(['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
    expect(text(validatePortNumber(70000, 'p'))).toEqual(['p: Invalid value: 70000: must be between 1 and 65535, inclusive']);
  });

  it('holds port names to the IANA service name rules', () => {
    expect(isValidPortName('http-metrics')).toEqual([]);
    expect(isValidPortName('HTTP')).toEqual(['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('a--b')).toEqual(['must not contain consecutive hyphens']);
    expect(isValidPortName('-web')).toEqual(['must not begin or end with a hyphen']);
    expect(isValidPortName('a-very-long-port-name')).toEqual(['must be no more than 15 characters']);
  });

  it('reports a bad port name against its field', () => {
    expect(text(validatePortName('Web', 'spec.containers[0].ports[0].name'))).toEqual([
      'spec.containers[0].ports[0].name: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });

  it('checks a targetPort by number or by name', () => {
    expect(validatePortNumOrName(8080, 't')).toEqual([]);
    expect(validatePortNumOrName('http', 't')).toEqual([]);
    expect(text(validatePortNumOrName(0, 't'))).toEqual(['t: Invalid value: 0: must be between 1 and 65535, inclusive']);
  });

  it('supports TCP, UDP and SCTP only', () => {
    expect(validateProtocol('UDP', 'p')).toEqual([]);
    expect(text(validateProtocol('XYZ', 'spec.ports[0].protocol'))).toEqual(['spec.ports[0].protocol: Unsupported value: "XYZ": supported values: "SCTP", "TCP", "UDP"']);
    expect(text(validateProtocol('', 'p'))).toEqual(['p: Required value']);
  });
});

describe('numbers, env vars and pull policies', () => {
  it('refuses negative numbers', () => {
    expect(validateNonnegative('spec.replicas', 0)).toEqual([]);
    expect(text(validateNonnegative('spec.replicas', -1))).toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('accepts any printable ASCII env var name but = by default, as Kubernetes 1.33 does', () => {
    expect(validateEnvVarName('MY VAR', 'e')).toEqual([]);
    expect(validateEnvVarName('1ST', 'e')).toEqual([]);
    expect(text(validateEnvVarName('A=B', 'spec.containers[0].env[0].name'))).toEqual([
      `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ]);
    expect(text(validateEnvVarName('', 'e'))).toEqual(['e: Required value']);
  });

  it('words the strict env var rule older clusters apply', () => {
    expect(text(validateEnvVarName('1ST', 'e', { relaxed: false }))).toEqual([
      "e: Invalid value: \"1ST\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ]);
    expect(isEnvVarName('..x')).toEqual(["must not start with '..'"]);
  });

  it('accepts the three pull policies only', () => {
    expect(validateImagePullPolicy('IfNotPresent', 'p')).toEqual([]);
    expect(text(validateImagePullPolicy('Sometimes', 'spec.containers[0].imagePullPolicy'))).toEqual([
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ]);
    expect(text(validateImagePullPolicy(undefined, 'p'))).toEqual(['p: Required value']);
  });
});
