// Resource quantities: exact parsing, the canonical text the apiserver stores, and its errors.
import { describe, expect, it } from 'vitest';
import {
  QUANTITY_FORMAT_ERROR,
  QUANTITY_SUFFIX_ERROR,
  canonicalQuantity,
  compareQuantities,
  parseQuantity,
  quantityError,
  quantityMilliValue,
  quantityToNumber,
  quantityValue,
  validateNonnegativeQuantity,
  validateQuantity,
} from '../../../../src/core/cluster/validation/quantity.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';

describe('canonical quantities', () => {
  it('keeps text that is already canonical', () => {
    for (const q of ['100m', '1', '2k', '1Gi', '512Mi', '1e3', '1M', '250m', '1500m']) expect(canonicalQuantity(q)).toBe(q);
  });

  it('rewrites fractions as milli-units', () => {
    expect(canonicalQuantity('0.5')).toBe('500m');
    expect(canonicalQuantity('1.5')).toBe('1500m');
    expect(canonicalQuantity(0.25)).toBe('250m');
  });

  it('moves whole thousands into the largest decimal suffix', () => {
    expect(canonicalQuantity('1000m')).toBe('1');
    expect(canonicalQuantity('2000')).toBe('2k');
    expect(canonicalQuantity(1000000)).toBe('1M');
    expect(canonicalQuantity('1e2')).toBe('100');
  });

  it('prints binary quantities with the largest exact power of 1024', () => {
    expect(canonicalQuantity('1.5Gi')).toBe('1536Mi');
    expect(canonicalQuantity('1024Mi')).toBe('1Gi');
  });

  it('falls back to decimal for binary quantities under 1Ki or with a fraction of a byte', () => {
    expect(canonicalQuantity('0.5Ki')).toBe('512');
    expect(canonicalQuantity('1.1Ki')).toBe('1126400m');
  });

  it('rounds anything finer than a nano-unit up', () => {
    expect(canonicalQuantity('0.1n')).toBe('1n');
    expect(canonicalQuantity('-0.1n')).toBe('-1n');
  });

  it('keeps decimal quantities beyond 64 bits exact but caps binary ones', () => {
    expect(canonicalQuantity('18446744073709551616')).toBe('18446744073709551616');
    expect(canonicalQuantity('8Ei')).toBe('9223372036854775807');
  });

  it('prints zero as 0 whatever its suffix', () => {
    expect(canonicalQuantity('0')).toBe('0');
    expect(canonicalQuantity('0Gi')).toBe('0');
    expect(canonicalQuantity(null)).toBe('0');
  });
});

describe('quantity values', () => {
  it('gives CPU as fractional cores', () => {
    expect(quantityToNumber('250m')).toBe(0.25);
    expect(quantityToNumber('2')).toBe(2);
    expect(quantityToNumber('100u')).toBe(0.0001);
  });

  it('gives memory as whole bytes', () => {
    expect(quantityValue('1Gi')).toBe(1073741824);
    expect(quantityValue('512Mi')).toBe(536870912);
    expect(quantityValue('1M')).toBe(1000000);
    expect(quantityValue('2k')).toBe(2000);
  });

  it('rounds Value and MilliValue up, away from zero', () => {
    expect(quantityValue('1.5')).toBe(2);
    expect(quantityValue('-1.5')).toBe(-2);
    expect(quantityMilliValue('0.1')).toBe(100);
    expect(quantityMilliValue('1n')).toBe(1);
  });

  it('compares quantities exactly across suffixes', () => {
    expect(compareQuantities(parseQuantity('1Gi'), parseQuantity('1G'))).toBe(1);
    expect(compareQuantities(parseQuantity('500m'), parseQuantity('0.5'))).toBe(0);
    expect(compareQuantities(parseQuantity('-1'), parseQuantity('1m'))).toBe(-1);
    expect(compareQuantities(parseQuantity('1e2000000000'), parseQuantity('1E'))).toBe(1);
  });
});

describe('bad quantities', () => {
  it('answers text that is no number with the regular expression', () => {
    expect(QUANTITY_FORMAT_ERROR).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    for (const q of ['abc', '', '1.5.5', '1X', '10 Mi']) expect(quantityError(q)).toBe(QUANTITY_FORMAT_ERROR);
  });

  it('answers suffix-like letters that are no suffix as a suffix error', () => {
    expect(QUANTITY_SUFFIX_ERROR).toBe("unable to parse quantity's suffix");
    for (const q of ['1K', '1mi', '1e', '5Gim']) expect(quantityError(q)).toBe(QUANTITY_SUFFIX_ERROR);
  });

  it('reports a bad quantity field with the value as written', () => {
    expect(validateQuantity('abc', 'spec.containers[0].resources.limits[cpu]').map(fieldErrorMessage)).toEqual([
      `spec.containers[0].resources.limits[cpu]: Invalid value: "abc": ${QUANTITY_FORMAT_ERROR}`,
    ]);
    expect(validateQuantity(' 100m ', 'x')).toEqual([]);
    expect(validateQuantity(0.5, 'x')).toEqual([]);
  });

  it('refuses negative requests', () => {
    expect(validateNonnegativeQuantity('-1', 'spec.hard[pods]').map(fieldErrorMessage)).toEqual(['spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0']);
    expect(validateNonnegativeQuantity('0', 'x')).toEqual([]);
  });
});
