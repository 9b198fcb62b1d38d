// date: the time now (or the one -d describes, or a file's with -r) in the default, ISO 8601,
// RFC 5322 or a +FORMAT layout. Containers run in UTC. coreutils reads long options and a rich
// -d grammar; busybox's date has short options only and the few -d forms its help lists.
import { err, out, type Gen } from '../io.js';
import { defaultDate, strftime } from '../time-format.js';
import type { Program, Sys } from './types.js';
import { abs, fail } from './util.js';

const ISO_SPECS = ['date', 'hours', 'minutes', 'seconds', 'ns'] as const;
type IsoSpec = (typeof ISO_SPECS)[number];

const BUSYBOX_USAGE = "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: date [OPTIONS] [+FMT] [[-s] TIME]\n\nDisplay time (using +FMT), or set time\n\n\t-u\t\tWork in UTC (don't convert to local time)\n\t[-s] TIME\tSet time to TIME\n\t-d TIME\t\tDisplay TIME, not 'now'\n\t-D FMT\t\tFMT (strptime format) for -s/-d TIME conversion\n\t-r FILE\t\tDisplay last modification time of FILE\n\t-R\t\tOutput RFC-2822 date\n\t-I[SPEC]\tOutput ISO-8601 date\n\t\t\tSPEC=date (default), hours, minutes, seconds or ns\n\nRecognized TIME formats:\n\t@seconds_since_1970\n\thh:mm[:ss]\n\t[YYYY.]MM.DD-hh:mm[:ss]\n\tYYYY-MM-DD hh:mm[:ss]\n\t[[[[[YY]YY]MM]DD]hh]mm[.ss]\n\t'date TIME' form accepts MMDDhhmm[[YY]YY][.ss] instead\n";

/** An ISO 8601 spec as both accept it: a prefix of one of the words ("s" for seconds). */
function isoSpec(text: string | undefined): IsoSpec | undefined {
  if (text === undefined || text === '') return 'date';
  return ISO_SPECS.find((s) => s.startsWith(text));
}

/** The layout -I/--iso-8601 prints at that precision. */
export function isoFormat(spec: IsoSpec): string {
  switch (spec) {
    case 'date': return '%Y-%m-%d';
    case 'hours': return '%Y-%m-%dT%H%:z';
    case 'minutes': return '%Y-%m-%dT%H:%M%:z';
    case 'seconds': return '%Y-%m-%dT%H:%M:%S%:z';
    case 'ns': return '%Y-%m-%dT%H:%M:%S,%N%:z';
  }
}

const RFC_3339: Record<string, string> = { date: '%Y-%m-%d', seconds: '%Y-%m-%d %H:%M:%S%:z', ns: '%Y-%m-%d %H:%M:%S.%N%:z' };
const RFC_5322 = '%a, %d %b %Y %H:%M:%S %z';

const UNIT_MS: Record<string, number> = { sec: 1000, second: 1000, min: 60_000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000, fortnight: 1_209_600_000 };

/** `YYYY-MM-DD[ T]hh:mm[:ss[.frac]][Z|±hh[:]mm]` and the date alone, in UTC unless a zone is given. */
function isoDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number(`0.${frac}`) * 1000));
  if (zone && /^[+-]/.test(zone)) {
    const z = zone.replace(':', '');
    const offset = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
    ms -= zone[0] === '+' ? offset : -offset;
  }
  return ms;
}

/** What coreutils' -d understands of the forms scripts use: epoch, ISO, words, relative items. */
export function gnuDateString(text: string, now: number): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'now' || t === 'today') return t === '' ? Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate()) : now;
  const epoch = /^@(-?\d+(?:\.\d+)?)$/.exec(t);
  if (epoch) return Math.round(Number(epoch[1]) * 1000);
  const iso = isoDate(text.trim());
  if (iso !== undefined) return iso;
  let base = now;
  let rest = t;
  const lead = /^(\S+-\S+-\S+(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?)\s+(.*)$/.exec(rest);
  if (lead && isoDate(lead[1]) !== undefined) {
    base = isoDate(lead[1])!;
    rest = lead[2];
  }
  let total = 0;
  let matched = false;
  const item = /\s*(?:(yesterday|tomorrow)|([+-]?\d+)?\s*(?:(next|last)\s+)?(sec|second|min|minute|hour|day|week|fortnight|month|year)s?(\s+ago)?)\s*/y;
  let at = 0;
  while (at < rest.length) {
    item.lastIndex = at;
    const m = item.exec(rest);
    if (!m || m[0].length === 0) return undefined;
    matched = true;
    at = item.lastIndex;
    if (m[1]) {
      total += m[1] === 'yesterday' ? -86_400_000 : 86_400_000;
      continue;
    }
    let n = m[2] !== undefined ? Number(m[2]) : m[3] === 'last' ? -1 : 1;
    if (m[5]) n = -n;
    const unit = m[4];
    if (unit === 'month' || unit === 'year') {
      const d = new Date(base + total);
      if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + n);
      else d.setUTCFullYear(d.getUTCFullYear() + n);
      total = d.getTime() - base;
    } else total += n * UNIT_MS[unit];
  }
  return matched ? base + total : undefined;
}

/** The TIME formats busybox's help lists (hh:mm and friends are today's date at that time). */
export function busyboxDateString(text: string, now: number): number | undefined {
  const epoch = /^@(-?\d+)$/.exec(text);
  if (epoch) return Number(epoch[1]) * 1000;
  const iso = /^\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.test(text) ? isoDate(text) : undefined;
  if (iso !== undefined) return iso;
  const d = new Date(now);
  const hm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (hm) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Number(hm[1]), Number(hm[2]), Number(hm[3] ?? 0));
  const dotted = /^(?:(\d{4})\.)?(\d{1,2})\.(\d{1,2})-(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (dotted) return Date.UTC(Number(dotted[1] ?? d.getUTCFullYear()), Number(dotted[2]) - 1, Number(dotted[3]), Number(dotted[4]), Number(dotted[5]), Number(dotted[6] ?? 0));
  return undefined;
}

interface Request {
  format?: string;
  when?: string;
  reference?: string;
}

function* gnuDate(argv: string[], sys: Sys): Gen<number> {
  const r: Request = {};
  const bad = (m: string) => fail(sys, `${m}\nTry 'date --help' for more information.`);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const [name, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const needValue = (): string | undefined => inline ?? argv[++i];
    if (a.startsWith('+')) {
      if (r.format !== undefined) return yield* bad(`extra operand '${a}'`);
      r.format = a.slice(1);
    } else if (['-u', '--utc', '--universal'].includes(a)) continue;
    else if (a === '-R' || a === '--rfc-email' || a === '--rfc-2822' || a === '--rfc-822') r.format = RFC_5322;
    else if (a.startsWith('-I') || name === '--iso-8601') {
      const spec = isoSpec(a.startsWith('-I') ? a.slice(2) : inline);
      if (!spec) return yield* bad(`invalid argument '${a.startsWith('-I') ? a.slice(2) : inline}' for '--iso-8601'\nValid arguments are:\n  - 'hours'\n  - 'minutes'\n  - 'date'\n  - 'seconds'\n  - 'ns'`);
      r.format = isoFormat(spec);
    } else if (name === '--rfc-3339') {
      const spec = ['date', 'seconds', 'ns'].find((s) => inline && s.startsWith(inline));
      if (!spec) return yield* bad(inline === undefined ? "option '--rfc-3339' requires an argument" : `invalid argument '${inline}' for '--rfc-3339'`);
      r.format = RFC_3339[spec];
    } else if (a === '-d' || name === '--date' || (a.startsWith('-d') && a.length > 2)) {
      const v = a.startsWith('-d') && a.length > 2 ? a.slice(2) : needValue();
      if (v === undefined) return yield* bad("option requires an argument -- 'd'");
      r.when = v;
    } else if (a === '-r' || name === '--reference') {
      const v = needValue();
      if (v === undefined) return yield* bad("option requires an argument -- 'r'");
      r.reference = v;
    } else if (a === '-s' || name === '--set') return yield* fail(sys, 'cannot set date: Operation not permitted');
    else if (a.startsWith('--')) return yield* bad(`unrecognized option '${a}'`);
    else if (a.startsWith('-') && a.length > 1) return yield* bad(`invalid option -- '${a[1]}'`);
    // MMDDhhmm…: setting the clock, which a container may not.
    else if (/^\d{8,12}(\.\d\d)?$/.test(a)) return yield* fail(sys, 'cannot set date: Operation not permitted');
    else return yield* fail(sys, `invalid date '${a}'`);
  }
  let t = sys.now();
  if (r.reference !== undefined) {
    try {
      t = sys.fs.stat(abs(sys, r.reference), sys.user).mtime;
    } catch {
      return yield* fail(sys, `${r.reference}: No such file or directory`);
    }
  }
  if (r.when !== undefined) {
    const parsed = gnuDateString(r.when, t);
    if (parsed === undefined) return yield* fail(sys, `invalid date '${r.when}'`);
    t = parsed;
  }
  yield* out(`${r.format === undefined ? defaultDate(t) : strftime(r.format, t)}\n`);
  return 0;
}

function* busyboxDate(argv: string[], sys: Sys): Gen<number> {
  const r: Request = {};
  const usage = function* (message: string): Gen<number> {
    yield* err(`date: ${message}\n${BUSYBOX_USAGE}`);
    return 1;
  };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) return yield* usage(`unrecognized option: ${a.slice(2)}`);
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'u') continue;
      if (f === 'R') r.format = RFC_5322;
      else if (f === 'I') {
        // -I takes its spec only when attached: "-I seconds" is -I and an operand.
        const spec = isoSpec(a.slice(j + 1));
        if (!spec) return yield* usage(`invalid argument '${a.slice(j + 1)}'`);
        r.format = isoFormat(spec);
        break;
      } else if (f === 'd' || f === 'r' || f === 's' || f === 'D') {
        const v = a.slice(j + 1) || argv[++i];
        if (v === undefined) return yield* usage(`option requires an argument: ${f}`);
        if (f === 'd') r.when = v;
        else if (f === 'r') r.reference = v;
        else if (f === 's') return yield* fail(sys, "can't set date: Operation not permitted");
        break;
      } else return yield* usage(`unrecognized option: ${f}`);
    }
  }
  for (const a of argv.slice(i)) {
    if (a.startsWith('+') && r.format === undefined) r.format = a.slice(1);
    else if (a.startsWith('+')) return yield* usage(`unexpected argument '${a}'`);
    else return yield* fail(sys, /^[\d.:@-]+$/.test(a) ? "can't set date: Operation not permitted" : `invalid date '${a}'`);
  }
  let t = sys.now();
  if (r.reference !== undefined) {
    try {
      t = sys.fs.stat(abs(sys, r.reference), sys.user).mtime;
    } catch {
      return yield* fail(sys, `can't stat '${r.reference}': No such file or directory`);
    }
  }
  if (r.when !== undefined) {
    const parsed = busyboxDateString(r.when, t);
    if (parsed === undefined) return yield* fail(sys, `invalid date '${r.when}'`);
    t = parsed;
  }
  yield* out(`${r.format === undefined ? defaultDate(t) : strftime(r.format, t)}\n`);
  return 0;
}

export const dateProgram: Program = (argv, sys) => (sys.toolset === 'gnu' ? gnuDate(argv, sys) : busyboxDate(argv, sys));
