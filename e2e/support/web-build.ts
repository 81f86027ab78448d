// The console the e2e tests and the UI benchmark load is the one in the tree: out/web is rebuilt
// (vite build, about 6 s) when it is missing or older than any renderer or contract source. A lock
// directory keeps two test files from building into the same folder at once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_ROOT = join(ROOT, 'out', 'web');
const SOURCES = [join(ROOT, 'src-renderer'), join(ROOT, 'src-shared'), join(ROOT, 'vite.web.config.ts')];

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.endsWith('.test.ts') || name.endsWith('.test.tsx')) continue;
    t = Math.max(t, newest(join(path, name)));
  }
  return t;
}

function fresh(): boolean {
  const index = join(WEB_ROOT, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...SOURCES.map(newest));
}

export async function ensureWebBuilt(): Promise<void> {
  if (fresh()) return;
  const lock = join(ROOT, 'out', '.web-build.lock');
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test file is building: wait for it, then look again (a stale lock lapses after 2 min)
      if (Date.now() - t0 > 120_000) {
        rmdirSync(lock);
        continue;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (fresh()) return;
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '-c', 'vite.web.config.ts', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vite build failed:\n${r.stderr}${r.stdout}`);
  } finally {
    rmdirSync(lock);
  }
}
