import { defineConfig } from 'vitest/config'

// Browser tests drive a real Chromium against real builds served by the real server. They share a
// port and a CPU budget, so files run one after another; builds are made once in globalSetup.
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // A phone-sized Chromium on a shared 2-core machine can take seconds to settle.
    expect: { poll: { timeout: 15_000 } },
  },
})
