// The files of a notes folder, for `kubedojo quiz --from DIR`: every Markdown or text file, at any
// depth, in a stable order (so generated item ids are the same on every run).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { NotesFile } from './generate.js';

const NOTES = /\.(?:md|markdown|txt)$/i;

export function readNotesDir(dir: string): NotesFile[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && NOTES.test(e.name)) found.push(p);
    }
  };
  walk(dir);
  found.sort((a, b) => (path.relative(dir, a) < path.relative(dir, b) ? -1 : path.relative(dir, a) > path.relative(dir, b) ? 1 : 0));
  return found.map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
}
