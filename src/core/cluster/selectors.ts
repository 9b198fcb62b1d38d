// Label and field selectors as the apiserver parses them from ?labelSelector= and ?fieldSelector=
// (k8s.io/apimachinery/pkg/labels and pkg/fields), with its error wording, so a learner's typo in
// `kubectl get -l …` or `--field-selector …` earns the same sentence a real cluster would give.
import { badRequest, fieldErrorMessage, fieldError, type FieldError } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation/names.js';
import { hasOwn, own } from './own.js';

// ---------------------------------------------------------------- label selectors

/**
 * selection.Operator. '=' and '==' are kept apart only because String() prints them as written;
 * 'exists' and '!' are Exists and DoesNotExist; 'gt'/'lt' are the `>`/`<` of the string syntax.
 */
export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export interface LabelSelectorMatcher {
  /** Sorted by key, as labels.Selector keeps them. */
  readonly requirements: readonly Requirement[];
  /**
   * False only for the selector of an absent (nil) metav1.LabelSelector, labels.Nothing(): it has
   * no requirements yet matches nothing, which `requirements.length` alone cannot tell apart from
   * labels.Everything().
   */
  readonly selectable: boolean;
  /** Set when a metav1.LabelSelector could not be converted (bad key, value or operator). */
  readonly error?: string;
  matches(labels: Record<string, string> | null | undefined): boolean;
  /** Selector.Empty(): true when it restricts nothing, i.e. selects every object. */
  empty(): boolean;
  /** Selector.String(): `app=nginx,tier in (api,web)`; '' for both Everything and Nothing. */
  toString(): string;
}

export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementObject[] | null;
}

function has(labels: Record<string, string>, key: string): boolean {
  return hasOwn(labels, key);
}

/** strconv.ParseInt(s, 10, 64): Gt/Lt compare labels as 64-bit integers and ignore anything else. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  switch (r.op) {
    case '=':
    case '==':
    case 'in':
      return has(labels, r.key) && r.values.includes(labels[r.key]!);
    case '!=':
    case 'notin':
      return !has(labels, r.key) || !r.values.includes(labels[r.key]!);
    case 'exists':
      return has(labels, r.key);
    case '!':
      return !has(labels, r.key);
    case 'gt':
    case 'lt': {
      if (!has(labels, r.key) || r.values.length !== 1) return false;
      const actual = parseInt64(labels[r.key]!);
      const bound = parseInt64(r.values[0]!);
      if (actual === undefined || bound === undefined) return false;
      return r.op === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const opText: Record<Operator, string> = { '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '' };

/** Requirement.String(): set values print sorted, whatever order they were given in. */
export function requirementString(r: Requirement): string {
  if (r.op === 'exists') return r.key;
  if (r.op === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort(byCodeUnit).join(',');
  return r.op === 'in' || r.op === 'notin' ? `${r.key}${opText[r.op]}(${values})` : `${r.key}${opText[r.op]}${values}`;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function selector(requirements: Requirement[]): LabelSelectorMatcher {
  // Array.prototype.sort is stable, like the insertion sort Go uses for the few requirements a
  // selector has, so two requirements on one key keep the order they were written in.
  const reqs = [...requirements].sort((a, b) => byCodeUnit(a.key, b.key));
  return {
    requirements: reqs,
    selectable: true,
    matches: (labels) => reqs.every((r) => requirementMatches(r, labels ?? {})),
    empty: () => reqs.length === 0,
    toString: () => reqs.map(requirementString).join(','),
  };
}

function nothing(error?: string): LabelSelectorMatcher {
  return {
    requirements: [],
    selectable: false,
    ...(error ? { error } : {}),
    matches: () => false,
    empty: () => false,
    toString: () => '',
  };
}

/** A selector that matches every object: what an empty `?labelSelector=` means. */
export function everything(): LabelSelectorMatcher {
  return selector([]);
}

/** errors.NewAggregate(list).Error(): one message alone, several in brackets, duplicates dropped. */
function aggregate(errs: FieldError[]): string {
  const msgs = [...new Set(errs.map(fieldErrorMessage))];
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

/**
 * A []string as Go's %#v prints it inside a field error: `[]string{"a", "b"}`, or `[]string(nil)`
 * for the nil slice LabelSelectorAsSelector builds from an expression without values.
 */
function invalidStrings(field: string, values: string[], nilWhenEmpty: boolean, detail: string): FieldError {
  const shown = values.length === 0 && nilWhenEmpty ? '[]string(nil)' : `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
  return { type: 'FieldValueInvalid', field, value: values, hasValue: false, detail: `${shown}: ${detail}` };
}

/**
 * labels.NewRequirement with a nil field path: the checks every requirement gets, whether parsed
 * from a string or built from a metav1.LabelSelector. Returns the aggregated error message.
 */
function requirementError(key: string, op: Operator, values: string[], nilWhenEmpty = false): string | undefined {
  const errs: FieldError[] = [];
  const keyMsgs = isQualifiedName(key);
  if (keyMsgs.length) errs.push(fieldError.invalid('key', key, keyMsgs.join('; ')));
  const invalidValues = (detail: string) => errs.push(invalidStrings('values', values, nilWhenEmpty, detail));
  switch (op) {
    case 'in':
    case 'notin':
      if (values.length === 0) invalidValues("for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) invalidValues('exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) invalidValues('values set must be empty for exists and does not exist');
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) invalidValues("for 'Gt', 'Lt' operators, exactly one value is required");
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(fieldError.invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(fieldError.invalid(`values[${i}][${key}]`, v, msgs.join('; ')));
  });
  return errs.length ? aggregate(errs) : undefined;
}

// ---- the string syntax: a port of labels.Lexer and labels.Parser, errors word for word

type Token = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const string2token: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

interface Item {
  tok: Token;
  lit: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => ch.length === 1 && '=!(),><'.includes(ch);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      // The longest run of special characters that is still an operator: `!=` but `=` then `(`.
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos];
        pos++;
        const tok = own<(typeof string2token)[string]>(string2token, buf);
        if (tok) last = { tok, lit: buf };
        else if (last) {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) buf += s[pos++];
    items.push({ tok: buf === 'in' || buf === 'notin' ? buf : 'id', lit: buf });
  }
}

class ParseError extends Error {}

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In a values context `in` and `notin` are plain words: `x in (in)` selects the value "in". */
  lookahead(values: boolean): Item {
    const it = this.items[this.position]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.position++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === 'eos') return reqs;
      if (tok !== 'id' && tok !== '!') throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.parseRequirement());
      } catch (err) {
        if (err instanceof ParseError) throw new ParseError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const next = this.consume(true);
      if (next.tok === 'eos') return reqs;
      if (next.tok !== ',') throw new ParseError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead(true);
      if (after.tok !== 'id' && after.tok !== '!') throw new ParseError(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    let op: Operator;
    let values: string[];
    if (inferred) {
      op = inferred;
      values = [];
    } else {
      op = this.parseOperator();
      values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    }
    // sets.String.List(): values are deduplicated and sorted before the requirement is built.
    values = [...new Set(values)].sort(byCodeUnit);
    const err = requirementError(key, op, values);
    if (err) throw new ParseError(err);
    return { key, op, values };
  }

  private parseKeyAndInferOperator(): [string, Operator | undefined] {
    let op: Operator | undefined;
    let { tok, lit } = this.consume(true);
    if (tok === '!') {
      op = '!';
      ({ tok, lit } = this.consume(true));
    }
    if (tok !== 'id') throw new ParseError(`found '${lit}', expected: identifier`);
    const msgs = isQualifiedName(lit);
    // The parser's own path is nil, which is why real clusters print `<nil>:` here.
    if (msgs.length) throw new ParseError(fieldErrorMessage(fieldError.invalid('<nil>', lit, msgs.join('; '))));
    const next = this.lookahead(true).tok;
    if ((next === 'eos' || next === ',') && op !== '!') op = 'exists';
    return [lit, op];
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in':
        return 'in';
      case '=':
        return '=';
      case '==':
        return '==';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      case 'notin':
        return 'notin';
      case '!=':
        return '!=';
      default:
        throw new ParseError(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private parseValues(): string[] {
    let { tok, lit } = this.consume(true);
    if (tok !== '(') throw new ParseError(`found '${lit}' expected: '('`);
    ({ tok, lit } = this.lookahead(true));
    if (tok === 'id' || tok === ',') {
      const values = this.parseIdentifiersList();
      // Go reports the literal it looked at before the list here, not the one it found.
      if (this.consume(true).tok !== ')') throw new ParseError(`found '${lit}', expected: ')'`);
      return values;
    }
    if (tok === ')') {
      this.consume(true);
      return [''];
    }
    throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  /** `(a,,b)`, `(,a)` and `(a,)` each carry the empty value too. */
  private parseIdentifiersList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === 'id') {
        values.push(lit);
        const next = this.lookahead(true);
        if (next.tok === ',') continue;
        if (next.tok === ')') return values;
        throw new ParseError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok === ',') {
        if (values.length === 0) values.push('');
        const next = this.lookahead(true).tok;
        if (next === ')') {
          values.push('');
          return values;
        }
        if (next === ',') {
          this.consume(true);
          values.push('');
        }
        continue;
      }
      throw new ParseError(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const ahead = this.lookahead(true).tok;
    if (ahead === 'eos' || ahead === ',') return [''];
    const { tok, lit } = this.consume(true);
    if (tok === 'id') return [lit];
    throw new ParseError(`found '${lit}', expected: identifier`);
  }
}

/**
 * labels.Parse: `app=nginx`, `app==nginx`, `app!=x`, `env in (a,b)`, `env notin (a)`, `tier`,
 * `!tier`, `replicas>2`, comma-joined. An empty string selects everything. A bad selector is the
 * 400 BadRequest the apiserver answers while decoding ListOptions; kubectl then prefixes it with
 * its own `Unable to find … that match label selector …` (see kubectlListError).
 */
export function parseLabelSelector(s: string): LabelSelectorMatcher {
  try {
    return selector(new Parser(lex(s)).parse());
  } catch (err) {
    if (err instanceof ParseError) throw badRequest(err.message);
    throw err;
  }
}

const expressionOps: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector. The two "no requirements" cases differ on purpose, as in
 * Kubernetes: an empty selector (`{}`) selects everything, while an absent one (null/undefined)
 * selects nothing — so a PodDisruptionBudget or NetworkPolicy-like object without a selector
 * covers no pods instead of all of them. An invalid selector also selects nothing and carries
 * `error` (validation normally rejects such objects before anything is selected with them).
 */
export function selectorFromLabelSelector(sel: LabelSelectorObject | null | undefined): LabelSelectorMatcher {
  if (sel === null || sel === undefined) return nothing();
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    const err = requirementError(key, '=', [value]);
    if (err) return nothing(err);
    reqs.push({ key, op: '=', values: [value] });
  }
  for (const expr of sel.matchExpressions ?? []) {
    const op = own<(typeof expressionOps)[string]>(expressionOps, expr.operator);
    if (!op) return nothing(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    const values = [...(expr.values ?? [])];
    const err = requirementError(expr.key, op, values, true);
    if (err) return nothing(err);
    reqs.push({ key: expr.key, op, values });
  }
  return selector(reqs);
}

/**
 * The string form of a metav1.LabelSelector, LabelSelectorAsSelector(sel).String(): what a Scale's
 * status.selector and `kubectl get … -l` accept, e.g. `app=nginx,tier in (web)`. '' when it has
 * no requirements or is invalid; use formatLabelSelector for table cells.
 */
export function labelSelectorAsString(sel: LabelSelectorObject | null | undefined): string {
  return selectorFromLabelSelector(sel).toString();
}

/**
 * metav1.FormatLabelSelector: the SELECTOR cell of Deployments, ReplicaSets, Jobs, DaemonSets and
 * StatefulSets in `kubectl get -o wide`: `<none>` when empty or absent, `<error>` when invalid.
 */
export function formatLabelSelector(sel: LabelSelectorObject | null | undefined): string {
  const s = selectorFromLabelSelector(sel);
  if (s.error) return '<error>';
  return s.toString() || '<none>';
}

/** labels.Set(map).String(): a plain map selector (Service, ReplicationController), keys sorted. */
export function mapSelectorAsString(map: Record<string, string> | null | undefined): string {
  return Object.keys(map ?? {})
    .sort(byCodeUnit)
    .map((k) => `${k}=${map![k]}`)
    .join(',');
}

/** labels.FormatLabels: the SELECTOR cell of Services and ReplicationControllers. */
export function formatLabels(map: Record<string, string> | null | undefined): string {
  return mapSelectorAsString(map) || '<none>';
}

/** A plain map selector (Service, ReplicationController) as a matcher: empty selects everything. */
export function selectorFromMap(map: Record<string, string> | null | undefined): LabelSelectorMatcher {
  return selector(Object.entries(map ?? {}).map(([key, v]) => ({ key, op: '=' as const, values: [v] })));
}

// ---------------------------------------------------------------- field selectors

export interface FieldTerm {
  field: string;
  /** '!=' selects objects whose field differs (absent counts as ''). */
  op: '=' | '==' | '!=';
  /** Unescaped value. */
  value: string;
}

export interface FieldSelectorMatcher {
  /** Sorted as fields.ParseSelector sorts them. */
  readonly terms: readonly FieldTerm[];
  /** `get` answers a field's value for the object being tested; undefined counts as ''. */
  matches(get: (field: string) => string | undefined): boolean;
  empty(): boolean;
  /** Selector.String(), values re-escaped. */
  toString(): string;
}

/**
 * How a kind's field label conversion words a field it does not support. Kinds that register
 * their own conversion function (pods, nodes, events, secrets, jobs, custom resources…) say
 * `field label not supported: foo`; kinds that only have the default metadata.name and
 * metadata.namespace (configmaps, deployments, ingresses…) get runtime's
 * DefaultMetaV1FieldSelectorConversion wording.
 */
export type UnsupportedFieldWording = 'field-label-not-supported' | 'not-a-known-field-selector';

/**
 * The wording a built-in kind whose selectable fields are `supported` gets: kinds with fields of
 * their own registered a conversion function; the rest fall back to the default one. (Custom
 * resources always say `field label not supported`.)
 */
export function wordingForFields(supported: readonly string[]): UnsupportedFieldWording {
  return supported.some((f) => f !== 'metadata.name' && f !== 'metadata.namespace') ? 'field-label-not-supported' : 'not-a-known-field-selector';
}

/** The apiserver's message for a field selector naming a field the kind cannot select on. */
export function unsupportedFieldMessage(field: string, wording: UnsupportedFieldWording): string {
  return wording === 'field-label-not-supported'
    ? `field label not supported: ${field}`
    : `${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

/** fields.splitTerms: commas split terms unless escaped with a backslash. */
function splitTerms(s: string): string[] {
  if (!s) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** fields.splitTerm: the first operator wins, checking `!=` before `==` before `=` at each position. */
function splitTerm(term: string): [string, FieldTerm['op'], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** fields.UnescapeValue: `\\`, `\,` and `\=` are the only escapes; a bare `,` or `=` is an error. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') {
      // Go formats the offending rune with %v, i.e. as its code point number.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue: the inverse of unescapeFieldValue. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * fields.ParseSelector followed by the kind's field label conversion, as the list and watch
 * handlers run them: `metadata.name=x,status.phase!=Running`. Terms are sorted before anything is
 * checked, so with two problems the first in sorted order is the one reported. Field names are
 * taken as written (no trimming: the apiserver does not trim either). Errors are 400 BadRequest.
 * `wording` defaults to `field label not supported: …`; pass wordingForFields(supported) for the
 * exact sentence of kinds such as ConfigMap that only know metadata.name and metadata.namespace.
 */
export function parseFieldSelector(
  s: string,
  supported: readonly string[],
  wording: UnsupportedFieldWording = 'field-label-not-supported',
): FieldSelectorMatcher {
  const parts = splitTerms(s).sort(byCodeUnit);
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    const [field, op, raw] = split;
    terms.push({ field, op, value: unescapeFieldValue(raw) });
  }
  for (const t of terms) {
    if (!supported.includes(t.field)) throw badRequest(unsupportedFieldMessage(t.field, wording));
  }
  return {
    terms,
    matches: (get) => terms.every((t) => ((get(t.field) ?? '') === t.value) !== (t.op === '!=')),
    empty: () => terms.length === 0,
    toString: () => terms.map((t) => `${t.field}${t.op === '!=' ? '!=' : '='}${escapeFieldValue(t.value)}`).join(','),
  };
}

// ---------------------------------------------------------------- kubectl's wording around them

/** schema.GroupVersionResource.String(): `/v1, Resource=pods`, `apps/v1, Resource=deployments`. */
export function groupVersionResourceString(group: string, version: string, resource: string): string {
  return `${group}/${version}, Resource=${resource}`;
}

/**
 * The sentence kubectl prints for a 400 or 404 answer to a list (cli-runtime's EnhanceListError):
 * `Unable to find "/v1, Resource=pods" that match label selector "", field selector "foo=bar":
 * field label not supported: foo`. kubectl builds this itself around the server's message, so the
 * simulated apiserver must send only the server part (parseFieldSelector's message) — sending this
 * would make kubectl print it twice. It is here for transcripts and tutors that show what the
 * learner will see.
 */
export function kubectlListError(gvr: string, labelSelector: string, fieldSelector: string, serverMessage: string): string {
  if (!labelSelector && !fieldSelector) return `Unable to list ${JSON.stringify(gvr)}: ${serverMessage}`;
  return `Unable to find ${JSON.stringify(gvr)} that match label selector ${JSON.stringify(labelSelector)}, field selector ${JSON.stringify(fieldSelector)}: ${serverMessage}`;
}
