// Int-or-percent fields (maxUnavailable, maxSurge, a budget's minAvailable) as the apps and
// policy validation checks them and as getIntOrPercentValue reads them.
import { fieldError, type FieldError } from '../errors.js';
import { nonNegative } from './ports.js';

export type IntOrString = number | string;

const PERCENT = /^[0-9]+%$/;

/** ValidatePositiveIntOrPercent: a non-negative integer or a percentage such as "25%". */
export function validatePositiveIntOrPercent(value: IntOrString, field: string): FieldError[] {
  if (typeof value === 'string') {
    if (!PERCENT.test(value)) {
      return [fieldError.invalid(field, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    }
    return [];
  }
  if (typeof value === 'number') return nonNegative(value, field);
  return [fieldError.invalid(field, value, "must be an integer or percentage (e.g '5%%')")];
}

function percentValue(value: IntOrString): number | undefined {
  if (typeof value !== 'string' || !PERCENT.test(value)) return undefined;
  return Number(value.slice(0, -1));
}

/** getIntOrPercentValue: the number a value stands for, percent or not. */
export function intOrPercentValue(value: IntOrString | undefined | null): number {
  if (value === undefined || value === null) return 0;
  const pct = percentValue(value);
  if (pct !== undefined) return pct;
  if (typeof value === 'number') return value;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** IsNotMoreThan100Percent. */
export function isNotMoreThan100Percent(value: IntOrString, field: string): FieldError[] {
  const pct = percentValue(value);
  if (pct === undefined || pct <= 100) return [];
  return [fieldError.invalid(field, value, 'must not be greater than 100%')];
}
