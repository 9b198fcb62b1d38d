import { describe, expect, it } from 'vitest';
import { ContainerLog } from '../../../../src/core/cluster/kubelet/logs.js';

describe('a container log', () => {
  it('keeps a line until its newline arrives, and shows the rest when the container ends', () => {
    const log = new ContainerLog();
    log.write({ at: 1, stream: 'stdout', text: 'hel' });
    expect(log.read()).toBe('');
    log.write({ at: 2, stream: 'stdout', text: 'lo\nwor' });
    expect(log.read()).toBe('hello\n');
    log.flush();
    expect(log.read()).toBe('hello\nwor\n');
  });

  it('writes a line that grows past 16 KiB without a newline as it goes, as containerd does', () => {
    const log = new ContainerLog();
    for (let i = 0; i < 6000; i++) log.write({ at: i, stream: 'stdout', text: 'OK!' });
    const text = log.read();
    expect(text.length).toBeGreaterThanOrEqual(16 * 1024);
    expect(text).toMatch(/^(OK!)+$/);
  });

  it('reads back each line with its time, in order, through --since, --tail and --timestamps', () => {
    const log = new ContainerLog();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    log.write({ at: t0, stream: 'stdout', text: 'starting\n' });
    log.write({ at: t0 + 1500, stream: 'stderr', text: 'warning: slow\nready\n' });
    log.write({ at: t0 + 3000, stream: 'stdout', text: 'x'.repeat(16 * 1024) });
    log.write({ at: t0 + 4000, stream: 'stdout', text: 'tail\n' });
    const long = 'x'.repeat(16 * 1024);
    expect(log.read()).toBe(`starting\nwarning: slow\nready\n${long}tail\n`);
    expect(log.read({ sinceTime: t0 + 1000, tailLines: 2 })).toBe(`${long}tail\n`);
    expect(log.read({ sinceTime: t0 + 1000, timestamps: true, tailLines: 3 })).toBe(
      `2026-01-01T00:00:01.500000000Z ready\n2026-01-01T00:00:03.000000000Z ${long}2026-01-01T00:00:04.000000000Z tail\n`,
    );
    expect(log.read({ tailLines: 0 })).toBe('');
    expect(log.read({ limitBytes: 5 })).toBe('start');
  });

  it('hands a follower each line as it is written, with its stream', () => {
    const log = new ContainerLog();
    const seen: string[] = [];
    const stop = log.follow((o) => seen.push(`${o.stream}:${o.text}`));
    log.write({ at: 1, stream: 'stderr', text: 'a\nb' });
    log.flush();
    stop();
    log.write({ at: 2, stream: 'stdout', text: 'c\n' });
    expect(seen).toEqual(['stderr:a', 'stderr:b']);
  });

  it('reads the same once it settles, and keeps taking lines after', () => {
    const log = new ContainerLog();
    log.write({ at: 1000, stream: 'stderr', text: 'one\ntwo\n' });
    const before = log.read({ timestamps: true });
    log.settle();
    expect(log.read({ timestamps: true })).toBe(before);
    log.write({ at: 2000, stream: 'stdout', text: 'three\n' });
    log.settle();
    log.settle();
    expect(log.read({ timestamps: true, tailLines: 2 })).toBe('1970-01-01T00:00:01.000000000Z two\n1970-01-01T00:00:02.000000000Z three\n');
  });
});
