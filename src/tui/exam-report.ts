// The exam report as the results screen shows it: lines already wrapped to the screen's width, so
// the screen can scroll them by whole lines and the reducer knows how far there is to scroll.
import { flaggedTitles, taskMark, type FinishedExam } from '../core/index.js';

export type Tone = 'ok' | 'bad' | 'warn' | 'dim' | 'heading' | 'accent';

export interface ReportLine {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

/** Words wrapped to `width`, later lines indented by `indent`; a word longer than a line is split. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  let line = '';
  const room = () => width - (out.length ? indent.length : 0);
  for (const word of text.split(/ (?=\S)|(?<=\S) /)) {
    let w = word;
    while ([...w].length > room() && !line) {
      out.push(w.slice(0, room()));
      w = w.slice(room());
    }
    if (!line) line = w;
    else if ([...line].length + 1 + [...w].length <= room()) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
      while ([...line].length > room()) {
        out.push(line.slice(0, room()));
        line = line.slice(room());
      }
    }
  }
  if (line || !out.length) out.push(line);
  return out.map((l, i) => (i ? indent + l : l));
}

function bar(percent: number, width: number): string {
  const full = Math.max(0, Math.min(width, Math.round((percent / 100) * width)));
  return '█'.repeat(full) + '░'.repeat(width - full);
}

/** Every line of the report at `width` columns: verdict, domains, each task with its checks and model solution, flags, past attempts. */
export function reportLines(report: FinishedExam, history: FinishedExam[], width: number): ReportLine[] {
  const w = Math.max(20, width);
  const lines: ReportLine[] = [];
  const add = (text: string, style: Omit<ReportLine, 'text'> = {}, indent = '') => {
    for (const l of wrap(text, w, indent)) lines.push({ text: l, ...style });
  };
  add(`${report.title}: ${report.percent.toFixed(1)}% · ${report.passed ? 'passed' : 'not passed'} (pass mark ${report.passPercent}%)`, { tone: report.passed ? 'ok' : 'bad', bold: true });
  add('');
  add('Domains', { bold: true });
  for (const d of report.domains) {
    // The full name on a line of its own: names are long ("… Installation and Configuration").
    add(d.name, {}, '  ');
    const score = d.tasks ? `${d.percent.toFixed(0).padStart(3)}%` : '   –';
    add(`  ${bar(d.percent, Math.min(20, w - 40 > 10 ? w - 40 : 10))} ${score}  weight ${d.weight}%, ${d.tasks ? `${d.tasks} task${d.tasks === 1 ? '' : 's'}` : 'no task this time'}`, { tone: !d.tasks ? 'dim' : d.percent >= report.passPercent ? 'ok' : 'bad' }, '  ');
  }
  const flagged = flaggedTitles(report);
  if (flagged.length) {
    add('');
    add(`Flagged: ${flagged.join('; ')}`, { tone: 'warn' }, '  ');
  }
  add('');
  add('Tasks', { bold: true });
  report.tasks.forEach((t, i) => {
    const mark = taskMark(t);
    add('');
    add(`${mark} ${i + 1}. ${t.title} (${t.checksPassed}/${t.checksTotal} checks)${t.flagged ? ' ⚑ flagged' : ''}`, { tone: mark === '✓' ? 'ok' : mark === '~' ? 'warn' : 'bad', bold: true }, '     ');
    for (const c of t.checks ?? []) add(`   ${c.passed ? '✓' : '✗'} ${c.label}${c.passed || !c.message ? '' : `: ${c.message}`}`, { tone: c.passed ? 'ok' : 'bad' }, '     ');
    if (!t.checks) add('   (this report was kept before checks were recorded)', { tone: 'dim' });
    if (t.solution?.length) {
      add('   Model solution:', { tone: 'heading' });
      for (const command of t.solution) for (const l of command.split('\n')) add(`     ${l}`, { tone: 'accent' }, '       ');
    }
  });
  add('');
  add('Past attempts', { bold: true });
  if (!history.length) add('none before this one', { tone: 'dim' });
  for (const h of history.slice(-8)) add(`${h.finishedAt.slice(0, 16).replace('T', ' ')} ${h.track.toUpperCase().padEnd(5)} ${bar(h.percent, 20)} ${h.percent.toFixed(1)}%`, { tone: h.passed ? 'ok' : 'bad' });
  return lines;
}
