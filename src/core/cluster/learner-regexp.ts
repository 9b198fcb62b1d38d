// Regular expressions learners write (a CRD's `pattern`, a grep in a container) run in the one
// process every learner shares. Go evaluates Kubernetes patterns with RE2, in linear time; V8
// backtracks, and `^(a+)+$` against thirty a's and a bang takes seconds. V8 can switch a
// regexp that backtracks too much to its linear-time engine: that is turned on here, for the
// whole process, once. Patterns that engine cannot run (back-references, lookarounds) are
// refused where Kubernetes refuses them, since RE2 has none either.
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/**
 * Why RE2 (Go's regexp) would refuse `pattern`, in its words, or undefined. Only what RE2 lacks
 * and JavaScript has is checked; the rest is left to compile().
 */
export function re2Refusal(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (!inClass && next !== undefined && /[1-9]/.test(next)) return `invalid escape sequence: \`\\${next}\``;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && pattern[i + 1] === '?') {
      const look = /^\(\?(=|!|<=|<!)/.exec(pattern.slice(i));
      if (look) return `invalid or unsupported Perl syntax: \`${look[0]}\``;
    }
  }
  return undefined;
}

/** The pattern compiled, or undefined when JavaScript cannot read it (RE2 syntax it lacks). */
export function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
