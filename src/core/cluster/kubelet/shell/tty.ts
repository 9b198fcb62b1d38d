// What the terminal's line discipline does for a process run with a TTY (`kubectl exec -it`):
// typed characters are echoed, lines are edited (backspace, ^U) before the process sees them,
// ^C discards the line, ^D ends input, and output newlines become CR LF.
import type { ProcessGen, Step, StdinChunk } from './types.js';

export function* onTerminal(gen: ProcessGen): ProcessGen {
  let line = '';
  const pending: string[] = [];
  let reply: StdinChunk | undefined;
  let thrown: unknown;
  let hasThrown = false;
  for (;;) {
    let r: IteratorResult<Step, number>;
    if (hasThrown) {
      hasThrown = false;
      r = gen.throw(thrown);
    } else r = gen.next(reply);
    reply = undefined;
    if (r.done) return r.value;
    const s = r.value;
    try {
      if (s.kind === 'stdout' || s.kind === 'stderr') {
        yield { kind: 'stdout', data: crlf(s.data) };
        continue;
      }
      if (s.kind === 'sleep') {
        yield s;
        continue;
      }
      // A read: hand over a completed line, reading keystrokes until there is one.
      while (!pending.length) {
        const chunk = yield { kind: 'read' };
        if (chunk === undefined) {
          pending.push('');
          break;
        }
        let echo = '';
        // Cursor and function keys arrive as escape sequences; there is no line history to move through.
        for (const c of chunk.toString().replace(/\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/g, '')) {
          if (c === '\r' || c === '\n') {
            echo += '\r\n';
            pending.push(`${line}\n`);
            line = '';
          } else if (c === '\x7f' || c === '\b') {
            if (line) {
              line = line.slice(0, -1);
              echo += '\b \b';
            }
          } else if (c === '\x15') {
            echo += '\b \b'.repeat(line.length);
            line = '';
          } else if (c === '\x03') {
            echo += '^C\r\n';
            line = '';
            pending.push('\n');
          } else if (c === '\x04') {
            if (!line) pending.push('');
          } else if (c === '\t') {
            // No completion: the bell, as a shell with nothing to complete rings it.
            echo += '\x07';
          } else {
            line += c;
            echo += c;
          }
        }
        if (echo) yield { kind: 'stdout', data: echo };
      }
      const next = pending.shift()!;
      reply = next === '' ? undefined : next;
    } catch (e) {
      thrown = e;
      hasThrown = true;
    }
  }
}

function crlf(data: string | Buffer): string | Buffer {
  if (typeof data === 'string') return data.replace(/\r?\n/g, '\r\n');
  return data.includes(10) ? Buffer.from(data.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') : data;
}
