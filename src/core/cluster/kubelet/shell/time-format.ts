// strftime in UTC (containers run without a TZ), for `date +FORMAT`, `ls -l` and log timestamps.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const FULL_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FULL_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

export function strftime(format: string, ms: number): string {
  const d = new Date(ms);
  const conv = (c: string): string => {
    switch (c) {
      case 'a': return DAYS[d.getUTCDay()];
      case 'A': return FULL_DAYS[d.getUTCDay()];
      case 'b': case 'h': return MONTHS[d.getUTCMonth()];
      case 'B': return FULL_MONTHS[d.getUTCMonth()];
      case 'c': return strftime('%a %b %e %H:%M:%S %Y', ms);
      case 'C': return pad(Math.floor(d.getUTCFullYear() / 100));
      case 'd': return pad(d.getUTCDate());
      case 'D': return strftime('%m/%d/%y', ms);
      case 'e': return pad(d.getUTCDate(), 2, ' ');
      case 'F': return strftime('%Y-%m-%d', ms);
      case 'H': return pad(d.getUTCHours());
      case 'I': return pad(((d.getUTCHours() + 11) % 12) + 1);
      case 'j': return pad(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
      case 'k': return pad(d.getUTCHours(), 2, ' ');
      case 'm': return pad(d.getUTCMonth() + 1);
      case 'M': return pad(d.getUTCMinutes());
      case 'n': return '\n';
      case 'N': return pad(d.getUTCMilliseconds(), 3) + '000000';
      case 'p': return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'r': return strftime('%I:%M:%S %p', ms);
      case 'R': return strftime('%H:%M', ms);
      case 's': return String(Math.floor(ms / 1000));
      case 'S': return pad(d.getUTCSeconds());
      case 't': return '\t';
      case 'T': return strftime('%H:%M:%S', ms);
      case 'u': return String(d.getUTCDay() || 7);
      case 'w': return String(d.getUTCDay());
      case 'y': return pad(d.getUTCFullYear() % 100);
      case 'Y': return String(d.getUTCFullYear());
      case 'z': return '+0000';
      case 'Z': return 'UTC';
      case '%': return '%';
      default: return `%${c}`;
    }
  };
  // GNU's flags: - (no padding), _ (spaces), 0 (zeros), ^ (upper case); %:z is +hh:mm.
  return format.replace(/%([-_0^]?)(:?)(.)/g, (all, flag: string, colon: string, c: string) => {
    if (colon) return c === 'z' ? '+00:00' : all;
    const v = conv(c);
    if (!flag || v.startsWith('%')) return v;
    if (flag === '^') return v.toUpperCase();
    if (!/^[ 0]*\d+$/.test(v)) return v;
    const digits = v.replace(/^[ 0]+(?=\d)/, '');
    return flag === '-' ? digits : digits.padStart(v.length, flag === '_' ? ' ' : '0');
  });
}

/** `Mon Nov 23 09:55:12 UTC 2026`: what busybox and coreutils `date` print by default. */
export function defaultDate(ms: number): string {
  return strftime('%a %b %e %H:%M:%S %Z %Y', ms);
}
