// Two configuration channels: the live policy in the database, the YAML on disk as its shadow.
// A real Guardian on a real database whose constraints table cannot be read (its pages damaged)
// runs on the shadow, shows it in the status and the status file, and raises it as an incident.
import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createGuardian, type Guardian } from '../guardian';
import { configForTests } from '../config-for-tests';
import { loadConstraints } from '../constraints';
import { defaultControlFiles } from '../control';
import { readStatusFile } from '../status-file';

/** Overwrites every page of one table's b-tree (found from its root) with garbage. */
function damageTable(file: string, table: string): void {
  const db = new Database(file);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = ?").pluck().all(table) as number[];
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const fd = openSync(file, 'r+');
  try {
    for (const p of pages) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (p - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('the shadow configuration channel', () => {
  const dirs: string[] = [];
  let g: Guardian | undefined;
  afterEach(async () => {
    await g?.dispose();
    g = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('runs on the YAML when the database cannot be read, and says so in the status, the status file and the incident log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-shadow-'));
    dirs.push(dir);
    const cfg = configForTests();
    g = await createGuardian(cfg, { dataDir: dir, control: { autostart: false } });
    expect(g.control!.configChannel).toEqual({ source: 'database', reason: null });
    expect(g.console.status().durability?.config_channel.source).toBe('database');
    await g.dispose();
    g = undefined;

    damageTable(join(dir, 'guardian.db'), 'constraints');
    g = await createGuardian(cfg, { dataDir: dir, control: { autostart: false } });
    const channel = g.control!.configChannel;
    expect(channel.source).toBe('shadow');
    expect(channel.reason).toMatch(/constraints in the database cannot be read \(.*(malformed|corrupt)/i);
    // The shadow is the whole YAML: every constraint is evaluated, none silently lost.
    const yaml = loadConstraints(defaultControlFiles().constraints).map((d) => d.id).sort();
    expect(g.control!.conditions().map((c) => c.id).sort()).toEqual(yaml);
    // Visible: in the status (API and status file) and in the incident log.
    expect(g.console.status().durability?.config_channel).toEqual(channel);
    const fileSays = () => {
      const file = readStatusFile(join(dir, 'status.json'));
      return file.ok ? file.status.durability?.config_channel.source : file.error;
    };
    for (let t0 = Date.now(); fileSays() !== 'shadow' && Date.now() - t0 < 5000;) await new Promise((r) => setTimeout(r, 20));
    expect(fileSays()).toBe('shadow');
    const titles = g.incidents.recent(20).map((i) => i.title);
    expect(titles.some((t) => /running on the shadow configuration .*malformed/.test(t))).toBe(true);
  });
});
