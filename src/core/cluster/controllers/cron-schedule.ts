// Cron schedules as the CronJob controller and the apiserver read them: parsed as
// github.com/robfig/cron/v3's ParseStandard parses them, so an invalid schedule is refused in the
// same words, and `nextSchedule` answers when a schedule fires next exactly as the controller's
// copy of that library does.

/** Thrown for a schedule the parser refuses; `message` is robfig/cron's own wording. */
export class CronParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronParseError';
  }
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** The values one cron field allows, and whether it was written as `*` (robfig's starBit). */
interface FieldSet {
  values: boolean[];
  star: boolean;
}

export type CronSchedule =
  | {
      kind: 'spec';
      second: FieldSet;
      minute: FieldSet;
      hour: FieldSet;
      dom: FieldSet;
      month: FieldSet;
      dow: FieldSet;
      /** IANA zone from a TZ=/CRON_TZ= prefix; undefined means the controller's local zone. */
      location?: string;
    }
  | { kind: 'every'; delaySeconds: number };

function bits(min: number, max: number, step: number, star = false): FieldSet {
  const values = new Array<boolean>(64).fill(false);
  for (let i = min; i <= max; i += step) values[i] = true;
  return { values, star };
}

function union(a: FieldSet, b: FieldSet): FieldSet {
  return { values: a.values.map((v, i) => v || b.values[i]!), star: a.star || b.star };
}

const all = (r: Bounds): FieldSet => bits(r.min, r.max, 1, true);
const first = (r: Bounds): FieldSet => bits(r.min, r.min, 1);

/** strconv.Atoi, with Go's error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new CronParseError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw new CronParseError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  }
  return Number(n);
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

function mustParseInt(expr: string): number {
  let num: number;
  try {
    num = atoi(expr);
  } catch (err) {
    throw new CronParseError(`failed to parse int from ${expr}: ${(err as Error).message}`);
  }
  if (num < 0) throw new CronParseError(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  if (names) {
    const named = names[expr.toLowerCase()];
    if (named !== undefined) return named;
  }
  return mustParseInt(expr);
}

function getRange(expr: string, r: Bounds): FieldSet {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let step: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 1) {
    step = 1;
  } else if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    // "N/step" means "N-max/step".
    if (singleDigit) end = r.max;
    if (step > 1) star = false;
  } else {
    throw new CronParseError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new CronParseError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronParseError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  return bits(start, end, step, star);
}

function getField(field: string, r: Bounds): FieldSet {
  let set = bits(0, -1, 1);
  for (const expr of field.split(',').filter((e) => e !== '')) set = union(set, getRange(expr, r));
  return set;
}

/** time.ParseDuration, for `@every <duration>`; returns seconds. */
function parseGoDuration(s: string): number {
  const orig = s;
  const invalid = () => new CronParseError(`time: invalid duration ${goQuote(orig)}`);
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  while (s !== '') {
    const m = /^([0-9]*)(\.[0-9]*)?/.exec(s)!;
    if (m[0] === '' || m[0] === '.') throw invalid();
    s = s.slice(m[0].length);
    const u = /^[^0-9.]*/.exec(s)![0];
    if (u === '') throw new CronParseError(`time: missing unit in duration ${goQuote(orig)}`);
    const unit = units[u];
    if (unit === undefined) throw new CronParseError(`time: unknown unit ${goQuote(u)} in duration ${goQuote(orig)}`);
    s = s.slice(u.length);
    total += Number(m[0]) * unit;
  }
  return neg ? -total : total;
}

function parseDescriptor(descriptor: string, location: string | undefined): CronSchedule {
  const spec = (second: FieldSet, minute: FieldSet, hour: FieldSet, dom: FieldSet, month: FieldSet, dow: FieldSet): CronSchedule => ({
    kind: 'spec', second, minute, hour, dom, month, dow, location,
  });
  switch (descriptor) {
    case '@yearly':
    case '@annually':
      return spec(first(SECONDS), first(MINUTES), first(HOURS), first(DOM), first(MONTHS), all(DOW));
    case '@monthly':
      return spec(first(SECONDS), first(MINUTES), first(HOURS), first(DOM), all(MONTHS), all(DOW));
    case '@weekly':
      return spec(first(SECONDS), first(MINUTES), first(HOURS), all(DOM), all(MONTHS), first(DOW));
    case '@daily':
    case '@midnight':
      return spec(first(SECONDS), first(MINUTES), first(HOURS), all(DOM), all(MONTHS), all(DOW));
    case '@hourly':
      return spec(first(SECONDS), first(MINUTES), all(HOURS), all(DOM), all(MONTHS), all(DOW));
  }
  const every = '@every ';
  if (descriptor.startsWith(every)) {
    let seconds: number;
    try {
      seconds = parseGoDuration(descriptor.slice(every.length));
    } catch (err) {
      throw new CronParseError(`failed to parse duration ${descriptor}: ${(err as Error).message}`);
    }
    // cron.Every: at least a second, rounded down to whole seconds.
    return { kind: 'every', delaySeconds: seconds < 1 ? 1 : Math.floor(seconds) };
  }
  throw new CronParseError(`unrecognized descriptor: ${descriptor}`);
}

/**
 * Parses a schedule as cron.ParseStandard does: five fields (minute hour day-of-month month
 * day-of-week), or a descriptor (@yearly, @monthly, @weekly, @daily, @hourly, @every 1h30m),
 * optionally prefixed by TZ=<zone> or CRON_TZ=<zone>. Throws CronParseError with the library's text.
 */
export function parseCronSchedule(spec: string): CronSchedule {
  if (spec.length === 0) throw new CronParseError('empty spec string');
  let location: string | undefined;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    const name = i < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, i);
    const problem = timeZoneProblem(name);
    if (problem || i < 0) throw new CronParseError(`provided bad location ${name}: ${problem ?? `unknown time zone ${name}`}`);
    location = name === '' || name === 'Local' ? 'UTC' : name;
    spec = spec.slice(i).trim();
  }
  if (spec.startsWith('@')) return parseDescriptor(spec, location);
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) {
    throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  }
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  return {
    kind: 'spec',
    second: getField('0', SECONDS),
    minute: getField(minute, MINUTES),
    hour: getField(hour, HOURS),
    dom: getField(dom, DOM),
    month: getField(month, MONTHS),
    dow: getField(dow, DOW),
    location,
  };
}

/** Why time.LoadLocation would refuse a zone name, or undefined when it loads. */
export function timeZoneProblem(name: string): string | undefined {
  if (name === '' || name === 'UTC') return undefined;
  if (name === 'Local') return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone ${name}`;
  }
  // Intl accepts any letter case; the zoneinfo files Go reads do not.
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return `unknown time zone ${name}`;
  const canonical = supportedZones().find((z) => z.toLowerCase() === name.toLowerCase());
  if (canonical !== undefined && canonical !== name) return `unknown time zone ${name}`;
  return undefined;
}

let zones: string[] | undefined;
function supportedZones(): string[] {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones;
}

// ---------------------------------------------------------------- wall clock in a time zone

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, zone: string): Wall {
  if (zone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
      hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay(),
    };
  }
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const year = parts.year!, month = parts.month!, day = parts.day!;
  return {
    year, month, day, hour: parts.hour!, minute: parts.minute!, second: parts.second!,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const w = wallClock(ms, zone);
  const whole = Math.floor(ms / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

/** time.Date: a wall-clock time in a zone (fields may overflow and are normalized), as an instant. */
function dateIn(zone: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const local = d.getTime();
  let offset = offsetAt(local, zone);
  if (offset !== 0) {
    const utc = local - offset;
    const real = offsetAt(utc, zone);
    if (real !== offset) offset = real;
  }
  return local - offset;
}

function matches(set: FieldSet, v: number): boolean {
  return set.values[v] === true;
}

function dayMatches(s: Extract<CronSchedule, { kind: 'spec' }>, w: Wall): boolean {
  const domMatch = matches(s.dom, w.day);
  const dowMatch = matches(s.dow, w.weekday);
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/** SpecSchedule.Next: the first activation strictly after `after`, or undefined within five years. */
function nextOf(s: CronSchedule, after: Date, zone: string): Date | undefined {
  let t = after.getTime();
  if (s.kind === 'every') {
    return new Date(Math.floor(t / 1000) * 1000 + s.delaySeconds * 1000);
  }
  const loc = s.location ?? zone;
  // Start at the earliest possible time (the upcoming second).
  t = Math.floor(t / 1000) * 1000 + 1000;
  let added = false;
  const yearLimit = wallClock(t, loc).year + 5;
  const HOUR = 3600_000;
  wrap: for (;;) {
    let w = wallClock(t, loc);
    if (w.year > yearLimit) return undefined;
    while (!matches(s.month, w.month)) {
      if (!added) {
        added = true;
        t = dateIn(loc, w.year, w.month, 1, 0, 0, 0);
        w = wallClock(t, loc);
      }
      t = dateIn(loc, w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
      w = wallClock(t, loc);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        t = dateIn(loc, w.year, w.month, w.day, 0, 0, 0);
        w = wallClock(t, loc);
      }
      t = dateIn(loc, w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
      w = wallClock(t, loc);
      // Notice if the hour is no longer midnight due to DST.
      if (w.hour !== 0) {
        t += w.hour > 12 ? (24 - w.hour) * HOUR : -w.hour * HOUR;
        w = wallClock(t, loc);
      }
      if (w.day === 1) continue wrap;
    }
    while (!matches(s.hour, w.hour)) {
      if (!added) {
        added = true;
        t = dateIn(loc, w.year, w.month, w.day, w.hour, 0, 0);
      }
      t += HOUR;
      w = wallClock(t, loc);
      if (w.hour === 0) continue wrap;
    }
    while (!matches(s.minute, w.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / 60_000) * 60_000;
      }
      t += 60_000;
      w = wallClock(t, loc);
      if (w.minute === 0) continue wrap;
    }
    while (!matches(s.second, w.second)) {
      if (!added) {
        added = true;
        t = Math.floor(t / 1000) * 1000;
      }
      t += 1000;
      w = wallClock(t, loc);
      if (w.second === 0) continue wrap;
    }
    return new Date(t);
  }
}

/**
 * When a CronJob schedule fires next after `after` (strictly later), as the CronJob controller
 * computes it: the schedule is read in `timeZone` when given (the controller prefixes
 * `TZ=<timeZone>`), else in its own TZ= prefix, else in UTC (the controller manager's zone).
 * Returns undefined when nothing matches within five years (e.g. `0 0 30 2 *`); throws
 * CronParseError for a schedule the apiserver would refuse.
 */
export function nextSchedule(schedule: string, after: Date, timeZone?: string): Date | undefined {
  const parsed = parseCronSchedule(timeZone ? `TZ=${timeZone} ${schedule}` : schedule);
  return nextOf(parsed, after, 'UTC');
}
