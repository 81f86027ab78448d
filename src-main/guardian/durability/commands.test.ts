// The CLI's restore and snapshot commands in-process: bad input answered with what to fix (exit 2
// usage, 1 refused), nothing created or moved by a refusal; a snapshot taken and restored.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../config';
import { openDatabase } from '../store';
import { restoreCommand, snapshotCommand } from '.';

describe('guardian restore and guardian snapshot', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function world(mirror = false) {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-restore-cli-'));
    dirs.push(dir);
    const config = join(dir, 'guardian.yaml');
    let yaml = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
    if (mirror) yaml = yaml.replace(/# path: \S+/, `path: ${join(dir, 'mirror.db')}`);
    writeFileSync(config, yaml);
    const out: string[] = [];
    const err: string[] = [];
    const env = { defaultDataDir: join(dir, 'data'), out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
    return { dir, config, out, err, env, data: join(dir, 'data') };
  }

  it('answers bad input with usage and what to fix', async () => {
    const w = world();
    expect(await restoreCommand(['--config', w.config], w.env)).toBe(2);
    expect(await restoreCommand(['--from-mirror', '--snapshot', 'x.gz', '--config', w.config], w.env)).toBe(2);
    expect(await restoreCommand(['--from-mirror', '--config', w.config], w.env)).toBe(2);
    expect(await restoreCommand(['--from-mirror', '--config', join(w.dir, 'missing.yaml')], w.env)).toBe(2);
    expect(await restoreCommand(['--frm-mirror'], w.env)).toBe(2);
    expect(w.err.join('')).toMatch(/name one source[^]*name one source[^]*no mirror \(durability\.mirror\.path\)[^]*configuration is not valid[^]*Unknown option '--frm-mirror'/);
    expect(await snapshotCommand(['--config', w.config], w.env)).toBe(1);
    expect(w.err.at(-1)).toMatch(/there is no database at .*guardian\.db/);
    expect(existsSync(w.data)).toBe(false); // a refusal creates nothing
  });

  it('takes a snapshot of a data dir and restores it; --from-mirror refuses without a mirror file', async () => {
    const w = world(true);
    const db = openDatabase(join(w.data, 'guardian.db'));
    db.prepare("INSERT INTO streams_in (stream, last_seq) VALUES ('sig-1', 41)").run();
    db.close();
    expect(await snapshotCommand(['--data-dir', w.data, '--config', w.config], w.env)).toBe(0);
    const file = /^snapshot (\S+) /.exec(w.out.join(''))?.[1];
    expect(file).toBeDefined();
    expect(await restoreCommand(['--from-mirror', '--data-dir', w.data, '--config', w.config], w.env)).toBe(1);
    expect(w.err.at(-1)).toMatch(/there is no mirror at .*mirror\.db/);
    expect(await restoreCommand(['--snapshot', file!, '--data-dir', w.data, '--config', w.config], w.env)).toBe(0);
    expect(w.out.at(-1)).toMatch(/last sequence stored per sender: sig-1 41/);
    expect(readdirSync(w.data).filter((f) => f.startsWith('guardian.db.before-restore-') && !/-(wal|shm)$/.test(f))).toHaveLength(1);
  });
});
