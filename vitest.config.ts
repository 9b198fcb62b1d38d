import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two at a time even on two cores: most suites wait on the real kubectl, a bot or a server
    // restarting (the kill -9 suites), not on the CPU.
    maxWorkers: 2,
  },
});
