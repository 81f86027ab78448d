import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { verifyLogCommand } from '.';
import { logFixture, type LogFixture } from './test-support';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The real command line, as an operator or a cron job runs it. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', 'verify-log', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('guardian verify-log', () => {
  const fixtures: LogFixture[] = [];
  afterEach(() => {
    for (const f of fixtures.splice(0)) f.cleanup();
  });
  function dataDir(entries: number): LogFixture {
    const f = logFixture();
    fixtures.push(f);
    for (let i = 0; i < entries; i++) f.log.append({ type: 'note', summary: `entry ${i + 1}` });
    return f;
  }

  it('exits 0 on a sound log, 1 listing each problem, 2 on bad usage', () => {
    const f = dataDir(6);
    const ok = cli('--data-dir', f.dir);
    expect(ok.stdout).toMatch(/ok, 6 entries verified; head [0-9a-f]{64}/);
    expect(ok.status).toBe(0);

    f.db.prepare("UPDATE events SET summary = 'entry X' WHERE id = 2").run();
    f.db.prepare('DELETE FROM events WHERE id = 6').run();
    const bad = cli('--data-dir', f.dir);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/2 problem\(s\) in 5 entries/);
    expect(bad.stdout).toMatch(/id 2 +hash_mismatch/);
    expect(bad.stdout).toMatch(/id 6 +truncated/);

    const usage = cli('--no-such-flag');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/Usage: guardian verify-log/);
  });

  it('in process: --file, --json, a missing database (2) and --help', () => {
    const f = dataDir(2);
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(verifyLogCommand(['--file', f.file, '--json'], { io })).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ file: f.file, ok: true, checked: 2, problems: [] });
    expect(verifyLogCommand(['--data-dir', `${f.dir}/nowhere`], { io })).toBe(2);
    expect(err.join('')).toMatch(/no database at/);
    expect(verifyLogCommand(['--data-dir', f.dir, '--file', f.file], { io })).toBe(2);
    expect(verifyLogCommand([], { io, defaultDataDir: f.dir })).toBe(0);
    expect(verifyLogCommand(['--help'], { io })).toBe(0);
  });
});
