// The solution a Killercoda step page shows, as one shell script. Pages put it in a <details>
// block ("Solution", "Click to view Solution"…) as fenced code: shell commands (heredocs into
// `kubectl apply -f -` included) and YAML manifests the reader is meant to save and apply.
// A manifest is written to the file a later command applies (`kubectl apply -f np1.yaml`) or a
// nearby line names, else applied straight from the page.

const FENCE = /^( {0,3})(`{3,}|~{3,})([^\n]*)\n([\s\S]*?)^ {0,3}\2[`~]*[^\S\n]*$/gm;

/** The fenced blocks of a Markdown text, with their info string and where they start. */
export function fencedBlocks(markdown) {
  const out = [];
  for (let m = FENCE.exec(markdown); m; m = FENCE.exec(markdown)) out.push({ lang: m[3].trim().split(/\s+/)[0].toLowerCase(), code: m[4], at: m.index });
  FENCE.lastIndex = 0;
  return out;
}

/** The <details> blocks of a page: their summary, body and position. */
function detailsBlocks(markdown) {
  const out = [];
  // A page may leave its last <details> open: it then runs to the end of the page.
  const re = /<details[^>]*>([\s\S]*?)(?:<\/details>|$(?![\s\S]))/gi;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const summary = (/<summary[^>]*>([\s\S]*?)<\/summary>/i.exec(m[1])?.[1] ?? '').replace(/<[^>]+>/g, '').trim();
    out.push({ summary, body: m[1], at: m.index });
  }
  return out;
}

const isManifest = (code) => {
  const first = code.split('\n').find((l) => l.trim() && !l.trim().startsWith('#'));
  return first !== undefined && /^(apiVersion:|kind:|---\s*$)/.test(first) && /^kind:/m.test(code);
};

/**
 * The part of a page that holds its solution: the first <details> whose summary says "solution",
 * else the first <details> holding code that is not notes or a check, else what follows a
 * "Solution" heading. Undefined when the page shows none.
 */
export function solutionSection(markdown) {
  const details = detailsBlocks(markdown);
  const named = details.find((d) => /solution/i.test(d.summary) && fencedBlocks(d.body).length);
  if (named) return named.body;
  const others = details.filter((d) => !/notes?|verify|describe/i.test(d.summary) && fencedBlocks(d.body).length);
  // "Then edit app-deploy.yaml to add…" is work for the reader: an alternative that shows the
  // whole manifest is the one to play.
  const complete = others.find((d) => !fencedBlocks(d.body).some((b) => /^\s*#.*\bedit\b/im.test(b.code)));
  if (complete ?? others[0]) return (complete ?? others[0]).body;
  const heading = /^#{1,6}[^\n]*solution[^\n]*$/im.exec(markdown);
  return heading ? markdown.slice(heading.index) : undefined;
}

const base = (f) => f.split('/').pop();
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const COMMAND = /^(?:\$\s*)?(?:kubectl|k|cat|echo|mkdir|chmod|export|for|while|if|sed|grep|sleep|touch|cp|mv|rm|ls|tee|base64|openssl|cd|printf|alias|source|\w+=)\b/;

// A watch runs until the reader presses Ctrl-C: played unattended, it is cut short after a while.
const WATCH = /^(\s*(?:k|kubectl)\b[^\n|;&]*\s(?:-w|--watch)(?:\s|$))/gm;

const FILE = /[\w./~-]+\.ya?ml\b/;

/** The shell script that plays a page's solution, or undefined when the page shows none. */
export function solutionScript(markdown) {
  const section = solutionSection(markdown);
  if (section === undefined) return undefined;
  const blocks = fencedBlocks(section);
  const lines = [];
  blocks.forEach((b, i) => {
    if (isManifest(b.code)) {
      const target = manifestTarget(section, blocks, i);
      const body = b.code.endsWith('\n') ? b.code : `${b.code}\n`;
      const eof = 'KILLERCODA_MANIFEST';
      if (!target) lines.push(`kubectl apply -f - <<'${eof}'\n${body}${eof}`);
      else {
        lines.push(`mkdir -p "$(dirname ${target})" && cat > ${target} <<'${eof}'\n${body}${eof}`);
        // Saved under a name the page gives but no later command applies: the reader applies it.
        const appliedLater = blocks.slice(i + 1).some((later) => new RegExp(String.raw`-f\s+\S*${escape(base(target))}`).test(later.code));
        if (!appliedLater) lines.push(`kubectl apply -f ${target}`);
      }
      return;
    }
    const shell = ['bash', 'sh', 'shell', 'console', 'terminal'].includes(b.lang);
    const untagged = ['', 'plain', 'text'].includes(b.lang) || b.lang.startsWith('{');
    // An untagged block is often output the page shows (HTML, a table): only commands are typed.
    if (shell || (untagged && COMMAND.test(b.code.trim()))) {
      lines.push(b.code.replace(/\{\{(exec|copy)[^}]*\}\}/g, '').replace(/^\s*\$ /gm, '').replace(WATCH, 'timeout 10 $1'));
    }
  });
  return lines.join('\n');
}

// The file a manifest block is saved as: one a later block applies and nothing before creates,
// else one named in the text between the previous block and this one.
function manifestTarget(section, blocks, i) {
  const created = new Set();
  for (const b of blocks.slice(0, i)) for (const m of b.code.matchAll(/(?:>|tee)\s*([\w./~-]+\.ya?ml)\b/g)) created.add(m[1]);
  const prose = section.slice(i ? blocks[i - 1].at + blocks[i - 1].code.length : 0, blocks[i].at);
  const named = FILE.exec(prose.split('\n').filter((l) => l.trim()).slice(-3).join('\n'))?.[0];
  if (named && !created.has(named)) return named;
  for (const b of blocks.slice(i + 1)) {
    if (isManifest(b.code)) break;
    const applied = /kubectl\s+(?:apply|create|replace)\b[^\n]*?-f\s+([\w./~-]+\.ya?ml)\b/.exec(b.code)?.[1];
    if (applied && !created.has(applied)) return applied;
  }
  return undefined;
}
