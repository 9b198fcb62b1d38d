// Where a hand-written manifest's indentation first goes wrong, and what was meant: read from the
// manifest itself when the command line carries it (a heredoc), since YAML's own error often points
// a line or two after the slip.

/** The manifest a heredoc in the command line carries (`kubectl apply -f - <<EOF … EOF`), if any. */
export function heredocManifest(line: string): string | undefined {
  const m = /<<-?\s*(['"]?)(\w+)\1[^\n]*\n([\s\S]*?)(?:\n[ \t]*\2[ \t]*(?:\n|$)|$)/.exec(line);
  return m?.[3];
}

export interface IndentSlip {
  /** 1-based line number. */
  line: number;
  text: string;
  /** What was meant, in words. */
  meant: string;
}

const indentOf = (s: string) => s.length - s.trimStart().length;

/**
 * The first line whose indentation (or colon) breaks the block it is in. Each open block's keys
 * share one column; a line ending in `:` opens a deeper block (a list under it may start at the
 * key's own column); a list item's keys line up after its `- `.
 */
export function firstSlip(manifest: string): IndentSlip | undefined {
  const lines = manifest.split('\n');
  // Columns of the open blocks, outermost first, each with the line that set it.
  const open: Array<{ col: number; line: number }> = [];
  let opener: { col: number; line: number } | undefined;
  // Under `key: |` the deeper lines are text, not YAML structure.
  let scalarCol: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const text = raw.trim();
    if (!text || text.startsWith('#')) continue;
    if (text === '---') {
      open.length = 0;
      opener = undefined;
      continue;
    }
    const n = i + 1;
    const lead = raw.slice(0, indentOf(raw));
    if (scalarCol !== undefined) {
      if (lead.replace(/\t/g, '  ').length > scalarCol) continue;
      scalarCol = undefined;
      opener = undefined;
    }
    if (lead.includes('\t')) {
      const col = opener ? opener.col + 2 : (open[open.length - 1]?.col ?? 0);
      return { line: n, text, meant: `line ${n} is indented with a tab; YAML takes spaces only: ${col} spaces here` };
    }
    const col = lead.length;
    const item = text.startsWith('- ') || text === '-';
    const body = item ? text.replace(/^-\s*/, '') : text;
    if (/^[\w.-]+:[^\s:/]/.test(body) && !/^[\w.-]+:\/\//.test(body) && !/^[\w.-]+:\d+$/.test(body)) {
      const key = body.slice(0, body.indexOf(':'));
      return { line: n, text, meant: `line ${n} (\`${text}\`) has no space after the colon: write \`${key}: ${body.slice(key.length + 1)}\`` };
    }
    if (opener) {
      if (col > opener.col || (item && col === opener.col)) {
        open.push({ col, line: n });
      } else {
        const key = lines[opener.line - 1].trim();
        if (item) return { line: n, text, meant: `line ${n} (\`${text}\`) is an item of the list under \`${key}\` on line ${opener.line}, so it starts at column ${opener.col} or deeper: usually ${opener.col + 2} spaces` };
        return { line: n, text, meant: `line ${n} (\`${text}\`) belongs under \`${key}\` on line ${opener.line}, so it goes deeper than column ${opener.col}: ${opener.col + 2} spaces` };
      }
    } else {
      if (!open.length && col === 0) open.push({ col: 0, line: n });
      const before = [...open];
      while (open.length && open[open.length - 1].col > col) open.pop();
      const top = open[open.length - 1];
      if (!top || top.col !== col) {
        // The nearest open column is the likeliest meaning; between two, the deeper one.
        const candidates = before.length ? before : [{ col: 0, line: 0 }];
        const sibling = [...candidates].sort((a, b) => Math.abs(a.col - col) - Math.abs(b.col - col) || b.col - a.col)[0];
        const siblingText = sibling.line ? lines[sibling.line - 1].trim() : '';
        const shown = siblingText.startsWith('- ') && indentOf(lines[sibling.line - 1]) !== sibling.col ? siblingText.slice(2) : siblingText;
        const meant = sibling.col;
        const where = sibling.line ? `, lined up with \`${shown}\` on line ${sibling.line}` : '';
        return { line: n, text, meant: `line ${n} (\`${text}\`) starts at column ${col}, between the blocks around it: ${meant} spaces${where}` };
      }
    }
    opener = undefined;
    if (item) {
      // The item's own keys start after `- `.
      open.push({ col: col + 2, line: n });
    }
    if (/(^|:\s*)[|>][-+]?\s*$/.test(body)) scalarCol = item && body.includes(':') ? col + 2 : col;
    else if (/:\s*$/.test(body)) opener = { col: item ? col + 2 : col, line: n };
  }
  return undefined;
}
