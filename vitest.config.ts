import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './test/support/sequencer.ts';
import { testEnv } from './test/support/cache-home.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // A private cache folder per run (test/support/cache-home.ts), removed when the run ends.
    env: testEnv,
    globalSetup: ['./test/support/cache-home.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine,
    // leaving a core idle while the main process only collects results. One worker per core.
    maxWorkers: availableParallelism(),
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Long files first on a fresh clone, where Vitest has no durations to order by.
    sequence: { sequencer: LongFirstSequencer },
  },
});
