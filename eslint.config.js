// Lint keeps the layers apart (DESIGN.md section 2): the build refuses a crossing, not the reviewer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Only src-main/electron and src-main/preload may import electron.' };
// A part of the control plane is entered through its index.ts only ("one door").
const onlyThroughDoors = {
  regex: '(^|/)guardian/[a-z-]+/(?!index$)[^/]+',
  message: 'Import a control-plane part through its door (guardian/<part>/index.ts), not its files.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'native/build/', 'bench/results/', 'e2e/artifacts/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    ignores: ['src-shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeBuiltins.map((name) => ({ name, message: 'src-shared is pure: no Node.' })), noElectron],
        patterns: [{ group: ['**/src-main/**', '**/src-renderer/**', '../../src-main/**', '../../src-renderer/**'], message: 'src-shared depends on nothing but itself.' }],
      }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'window', 'document', 'require', 'setTimeout', 'setInterval', 'fetch'],
    },
  },
  {
    files: ['src-main/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', 'bin/**/*.mjs', 'scripts/**/*.{mjs,js,ts}', 'native/**/*.{mjs,ts}', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**', 'src-main/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [
          onlyThroughDoors,
          { group: ['**/src-renderer/**'], message: 'The control plane never imports the renderer.' },
        ],
      }],
    },
  },
  {
    // Inside a part, its own files are fair game; other parts still go through their doors.
    files: ['src-main/guardian/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ regex: '^\\.\\./(?!\\.)[a-z-]+/(?!index$)[^/]+', message: 'Import another part through its door (../<part>), not its files.' }],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeBuiltins.map((name) => ({ name, message: 'The renderer never imports Node: use the client.' })), noElectron],
        patterns: [{ group: ['**/src-main/**'], allowTypeImports: true, message: 'The renderer may import only types from src-main; talk to it through client/.' }],
      }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require'],
    },
  },
);
