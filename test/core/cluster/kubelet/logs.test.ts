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
});
