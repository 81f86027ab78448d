// Test-only. vitest.config.ts has no React plugin and the root tsconfig.json sets no `jsx`, so
// vitest compiles JSX the classic way (React.createElement) while the app uses the automatic
// runtime. Until vitest.config.ts gets `esbuild: { jsx: 'automatic' }` (see the console's hand-over
// note), component tests import this first so that `React` resolves.
import * as React from 'react';

(globalThis as { React?: typeof React }).React = React;
