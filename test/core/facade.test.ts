// The facade (src/core/index.ts) is the doors' only way into the core (dependency-cruiser holds
// them to that); this holds the facade to exporting what they use and no more, so its size says
// how much of the core the doors need.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** The names in `{ a, type B, c as d }`, as the importing side sees them before any rename. */
function names(list: string): string[] {
  return list
    .split(',')
    .map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0])
    .filter(Boolean);
}

describe('the facade', () => {
  it('exports exactly what the doors import from it', () => {
    const exported = new Set<string>();
    const facade = readFileSync(path.join(root, 'src/core/index.ts'), 'utf8');
    for (const m of facade.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from/g)) {
      for (const n of names(m[1])) exported.add(n);
    }
    // What the facade loads only when first used is declared in it: a function, a constant or a type.
    for (const m of facade.matchAll(/^export\s+(?:async\s+function|function|const|type)\s+(\w+)/gm)) exported.add(m[1]);
    const used = new Set<string>();
    for (const file of ['src/cli.ts', ...sources('src/cli'), ...sources('src/tui'), ...sources('adapters')]) {
      for (const m of readFileSync(path.join(root, file), 'utf8').matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'[^']*\/core\/index\.js'/g)) {
        for (const n of names(m[1])) used.add(n);
      }
    }
    expect(used.size).toBeGreaterThan(0);
    expect([...exported].filter((n) => !used.has(n)).sort()).toEqual([]);
    expect([...used].filter((n) => !exported.has(n)).sort()).toEqual([]);
  });
});
