// Citations name the notes as a person would: every notes file an item or lesson cites has a
// title, and a book's chapters are the ones its headings really sit under.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLessons } from '../../../src/core/lessons/loader.js';
import { loadBank } from '../../../src/core/quiz/bank.js';
import { cite } from '../../../src/core/quiz/grade.js';
import { NOTES_SOURCES } from '../../../src/core/quiz/notes-sources.js';
import type { Item } from '../../../src/core/quiz/types.js';

const notesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'notes');
const bank = loadBank();
const cited = [...bank.map((i) => i.source), ...loadLessons().flatMap((l) => l.sources)];

describe('citations of the notes', () => {
  it('name every cited notes file by its title, never by its file name', () => {
    for (const s of cited) expect(NOTES_SOURCES[s.file], s.file).toBeDefined();
    for (const item of bank) expect(cite(item)).not.toMatch(/\.txt/);
  });

  it('give a book chapter and heading', () => {
    const item = { ...bank[0], source: { file: '002_026ea4e5c9bb7924.txt', heading: 'Health Checks' } } as Item;
    expect(cite(item)).toBe('Kubernetes: Up and Running, chapter 5, Pods: "Health Checks"');
  });

  it("keep the file and line of the learner's own notes", () => {
    const item = { ...bank[0], source: { file: 'my-notes.md', heading: 'Pods', line: 12 } } as Item;
    expect(cite(item)).toBe('my-notes.md, "Pods", line 12');
  });

  it('place each heading in the chapter it sits under in the notes', () => {
    if (!existsSync(notesDir)) return void console.warn(`skipping: the study notes folder ${notesDir} is missing`);
    for (const [file, source] of Object.entries(NOTES_SOURCES)) {
      const lines = readFileSync(path.join(notesDir, file), 'utf8').split('\n');
      for (const [heading, chapter] of Object.entries(source.chapters ?? {})) {
        const at = lines.findIndex((l) => new RegExp(`^#{1,6}\\s+${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`).test(l));
        expect(at, `${file}: "${heading}"`).toBeGreaterThanOrEqual(0);
        const number = /^chapter (\d+),/.exec(chapter)![1];
        const above = lines.slice(0, at).reverse().find((l) => /^#{1,2}\s+\d+\.?\s/.test(l));
        expect(above, `${file}: "${heading}"`).toMatch(new RegExp(`^#{1,2}\\s+${number}\\.?\\s`));
      }
    }
  });
});
