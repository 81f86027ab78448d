// The headless command line as an operator meets it: a bad config stops the start with the
// file, the line, the key and what is wrong; a good one serves and stops cleanly on SIGTERM.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', 'src-main', 'cli.ts');

function run(args: string[], untilLine?: RegExp): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let signalled = false;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (untilLine && !signalled && untilLine.test(out)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('guardian CLI', () => {
  it('refuses a bad config with the file, line, key and what is wrong, and starts nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-cli-'));
    try {
      const good = readFileSync(join(__dirname, '..', 'config', 'guardian.yaml'), 'utf8');
      const bad = good.replace('port: 9999', 'port: 99999').replace('poll_ms: 50', 'poll_msec: 50');
      const file = join(dir, 'guardian.yaml');
      writeFileSync(file, bad);
      const r = await run(['serve', '--config', file, '--data-dir', join(dir, 'data')]);
      expect(r.code).toBe(78);
      const portLine = bad.split('\n').findIndex((l) => l.includes('port: 99999')) + 1;
      expect(r.err).toContain(`${file}:${portLine}: paths.socket.port must be <= 65535`);
      expect(r.err).toMatch(/paths\.spool\.poll_msec is not a known key/);
      expect(r.out).not.toMatch(/serving/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which file it cannot read', async () => {
    const r = await run(['serve', '--config', '/nonexistent/guardian.yaml']);
    expect(r.code).toBe(78);
    expect(r.err).toContain('/nonexistent/guardian.yaml: cannot read the file (ENOENT)');
  });

  it('serves on its paths, prints where, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-cli-'));
    try {
      // port 0 for the socket and the console server both: never the ports a running Guardian holds
      const cfg = readFileSync(join(__dirname, '..', 'config', 'guardian.yaml'), 'utf8').replace('port: 9999', 'port: 0').replace('port: 8787', 'port: 0');
      writeFileSync(join(dir, 'g.yaml'), cfg);
      const r = await run(['serve', '--config', join(dir, 'g.yaml'), '--data-dir', dir, '--quiet'], /spool /);
      expect(r.out).toMatch(/socket +127\.0\.0\.1:\d+/);
      expect(r.out).toMatch(/pipe +.*guardian-bridge\.sock/);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/SIGTERM: stopping/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers an unknown command with usage and exit code 2', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'frobnicate'/);
  });
});
