// How far a learner's word is from a word that would have worked: one measure for every typo table
// (commands, kinds, flags, images, names, keys, labels).

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment):
 * `pdos` is one edit from `pods`, `ngnix` one from `nginx`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[rows - 1][cols - 1];
}

/** How many edits still count as a slip for a word this long: short words allow fewer. */
export function slipBudget(word: string): number {
  return word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
}

/**
 * The candidate a slip away from `word` (case ignored), nearest first; undefined when `word` is
 * itself a candidate, when none is near enough, or when two are equally near (a guess between
 * two would mislead).
 */
export function nearest(word: string, candidates: Iterable<string>, budget = slipBudget(word)): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  const seen = new Set<string>();
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (lc === w) return undefined;
    if (seen.has(lc)) continue;
    seen.add(lc);
    const dist = editDistance(w, lc);
    if (dist < bestD) {
      best = c;
      bestD = dist;
      tie = false;
    } else if (dist === bestD) tie = true;
  }
  return best !== undefined && bestD <= budget && !tie ? best : undefined;
}
