// Whether an update changed a field, as update validation asks apiequality.Semantic.DeepEqual:
// JSON values compared whole, in any key order.

/** apiequality.Semantic.DeepEqual for JSON values (key order does not matter). */
export function sameJSON(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(o: unknown): string {
  return JSON.stringify(o ?? null, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
