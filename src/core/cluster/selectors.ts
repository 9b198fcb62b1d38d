// Label and field selectors as the apiserver parses them from ?labelSelector= and
// ?fieldSelector= (k8s.io/apimachinery/pkg/labels and pkg/fields), with its error wording.
import { badRequest } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation/names.js';

type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

export interface LabelSelectorMatcher {
  requirements: Requirement[];
  matches(labels: Record<string, string> | undefined): boolean;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case '=':
      return has && v === r.values[0];
    case '!=':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v);
    case 'notin':
      return !has || !r.values.includes(v);
    case 'exists':
      return has;
    case '!':
      return !has;
  }
}

function matcher(requirements: Requirement[]): LabelSelectorMatcher {
  return {
    requirements,
    matches: (labels) => requirements.every((r) => requirementMatches(r, labels ?? {})),
  };
}

function invalidKey(key: string): never {
  throw badRequest(`unable to parse requirement: <nil>: Invalid value: ${JSON.stringify(key)}: ${isQualifiedName(key).join('; ')}`);
}

function checkValue(key: string, value: string): void {
  const errs = isValidLabelValue(value);
  if (errs.length) throw badRequest(`unable to parse requirement: values[0][${key}]: Invalid value: ${JSON.stringify(value)}: ${errs.join('; ')}`);
}

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parses `app=nginx,tier in (web,api),!canary` into a matcher; errors are 400 BadRequest. */
export function parseLabelSelector(s: string): LabelSelectorMatcher {
  const reqs: Requirement[] = [];
  const text = s.trim();
  if (!text) return matcher(reqs);
  for (const rawPart of splitTop(text)) {
    const part = rawPart.trim();
    if (!part) throw badRequest(`found '', expected: !, identifier, or 'end of string'`);
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([^\s=!(),]+)$/.exec(part))) {
      if (isQualifiedName(m[1]).length) invalidKey(m[1]);
      reqs.push({ key: m[1], op: '!', values: [] });
    } else if ((m = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part))) {
      if (isQualifiedName(m[1]).length) invalidKey(m[1]);
      const values = m[3].split(',').map((v) => v.trim());
      for (const v of values) checkValue(m[1], v);
      reqs.push({ key: m[1], op: m[2] as Op, values });
    } else if ((m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(part))) {
      if (isQualifiedName(m[1]).length) invalidKey(m[1]);
      checkValue(m[1], m[3]);
      reqs.push({ key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] });
    } else if ((m = /^([^\s=!(),]+)$/.exec(part))) {
      if (isQualifiedName(m[1]).length) invalidKey(m[1]);
      reqs.push({ key: m[1], op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: ',', '=', '==', '!=', 'in', 'notin' or end of string`);
    }
  }
  return matcher(reqs);
}

/**
 * A metav1.LabelSelector as a matcher. An empty selector ({}) selects everything; an absent one
 * (null/undefined) selects nothing, which is why a controller without a selector adopts no pods.
 */
export function selectorFromLabelSelector(sel: LabelSelectorObject | null | undefined): LabelSelectorMatcher {
  if (!sel) return { requirements: [], matches: () => false };
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as Record<string, Op>)[e.operator];
    if (!op) return { requirements: [], matches: () => false };
    reqs.push({ key: e.key, op, values: [...(e.values ?? [])].sort() });
  }
  return matcher(reqs);
}

function requirementString(r: Requirement): string {
  switch (r.op) {
    case '=':
      return `${r.key}=${r.values[0]}`;
    case '!=':
      return `${r.key}!=${r.values[0]}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
  }
}

/** The string form kubectl shows in SELECTOR columns: requirements sorted by key. */
export function labelSelectorAsString(sel: LabelSelectorObject | null | undefined): string {
  const reqs = [...selectorFromLabelSelector(sel).requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map(requirementString).join(',');
}

export interface FieldSelectorMatcher {
  matches(get: (field: string) => string | undefined): boolean;
}

/** Parses `metadata.name=x,status.phase!=Running`; a field the kind doesn't index is an error. */
export function parseFieldSelector(s: string, supported: string[]): FieldSelectorMatcher {
  const terms: Array<{ field: string; neg: boolean; value: string }> = [];
  for (const raw of s.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    const field = m[1].trim();
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
    terms.push({ field, neg: m[2] === '!=', value: m[3].replace(/\\(.)/g, '$1') });
  }
  return {
    matches: (get) => terms.every((t) => ((get(t.field) ?? '') === t.value) !== t.neg),
  };
}
