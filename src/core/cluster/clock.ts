// Time is a dependency: the cluster reads this clock, never Date.now(), so tests step it by hand
// and `kubedojo serve --speed X` can run it faster than real time.

export interface Clock {
  now(): Date;
}

/** Real time, optionally sped up from the moment the clock was made. */
export class RealClock implements Clock {
  private readonly start = Date.now();
  constructor(private readonly speed = 1) {}
  now(): Date {
    const real = Date.now();
    return new Date(this.start + (real - this.start) * this.speed);
  }
}

/** A clock that only moves when a test says so. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises. */
export function rfc3339Micro(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
