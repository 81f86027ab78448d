import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The renderer uses React's automatic JSX runtime; component tests compile the same way.
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    pool: 'forks',
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
