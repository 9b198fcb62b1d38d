// The answers a check holds: the values it expects (equals, oneOf, contains, and the literal words
// of a `matches` pattern). A check's label and its failure message must name none of them, unless
// the task's own text states it (the names of the objects the task asks for are no secret).
import type { Check, Expectation } from '../../src/core/lessons/types.js';

/** The literal runs of a regular expression, three characters or longer: `^nginx:1\.2` → `nginx:1.2`. */
export function literalsOf(pattern: string): string[] {
  const runs: string[] = [''];
  const cut = () => runs.push('');
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[++i] ?? '';
      if (/[dwsbDWSB]/.test(next)) cut();
      else runs[runs.length - 1] += next;
    } else if (c === '[' || c === '{') {
      i = pattern.indexOf(c === '[' ? ']' : '}', i);
      if (i < 0) break;
      cut();
    } else if ('^$()*+?|.'.includes(c)) cut();
    else runs[runs.length - 1] += c;
  }
  return runs.filter((r) => r.length >= 3);
}

function expectationValues(e: Expectation): string[] {
  const values: string[] = [];
  if (e.equals !== undefined) values.push(String(e.equals));
  if (e.contains !== undefined) values.push(e.contains);
  for (const v of e.oneOf ?? []) values.push(String(v));
  if (e.matches !== undefined) values.push(...literalsOf(e.matches));
  return values;
}

/** The values the check expects to find. */
export function expectedValues(check: Check): string[] {
  if ('field' in check) return expectationValues(check.field);
  if ('count' in check) return expectationValues(check.count);
  if ('exec' in check) return expectationValues(check.exec);
  return [];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `value` stands in `text` as a word of its own (not inside a longer word or number). */
export function names(text: string, value: string): boolean {
  if (value.trim() === '') return false;
  return new RegExp(`(^|[^A-Za-z0-9])${escape(value)}($|[^A-Za-z0-9])`).test(text);
}

/** What the check looks at (its JSONPath, its command): the question, which may hold digits like an answer. */
function question(check: Check): string[] {
  if ('field' in check) return [check.field.path.replace(/^\{\.?|\}$/g, '')];
  if ('exec' in check) return [check.exec.command.join(' ')];
  return [];
}

/** The expected values of the check that `text` names and the task's text does not state. */
export function leakedAnswers(check: Check, text: string, taskText: string): string[] {
  const said = question(check).reduce((t, q) => t.split(q).join(' '), text);
  return expectedValues(check).filter((v) => names(said, v) && !names(taskText, v));
}
