import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Block reads decode real parquet pages; two cores are shared by every test file.
    pool: 'forks',
    maxWorkers: 2,
  },
})
