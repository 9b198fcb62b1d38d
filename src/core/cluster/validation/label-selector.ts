// Label selectors as metav1 validation checks them (ValidateLabelSelector) and as
// metav1.LabelSelectorAsSelector turns them into a matcher; parsing the string form, matching and
// printing live in ../selectors.ts.
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import { fieldError, type FieldError } from '../errors.js';
import { selectorFromLabelSelector, type LabelSelectorMatcher } from '../selectors.js';
import { isQualifiedName, isValidLabelValue, validateLabels } from './names.js';

export type { LabelSelector, LabelSelectorRequirement };

/** metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(sel: LabelSelector | undefined | null, field: string, allowInvalidLabelValue = false): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const path = `${field}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldError.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldError.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldError.invalid(`${path}.operator`, expr.operator, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(expr.key ?? '')) errs.push(fieldError.invalid(`${path}.key`, expr.key ?? '', msg));
    if (!allowInvalidLabelValue) {
      values.forEach((v, j) => {
        for (const msg of isValidLabelValue(v)) errs.push(fieldError.invalid(`${path}.values[${j}]`, v, msg));
      });
    }
  });
  return errs;
}

/** What metav1.LabelSelectorAsSelector yields: undefined when the selector is not valid. */
export type Selector = LabelSelectorMatcher;

export function labelSelectorAsSelector(sel: LabelSelector | undefined | null): Selector | undefined {
  const s = selectorFromLabelSelector(sel);
  return s.error ? undefined : s;
}
