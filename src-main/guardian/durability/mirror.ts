// The store's mirror on a second volume: the mirror file is ATTACHed to Guardian's own connection,
// seeded with a page-exact copy of the primary at start (the online backup API), and kept current
// by TEMP triggers that replay every insert, update and delete of the primary's tables into the
// mirror's inside the same transaction. The commit that precedes an ACK has written both files,
// so restoring from the mirror loses nothing acknowledged. A mirror that fails its check, or a
// commit that fails while it is attached (its volume full or gone), is detached at once: the
// primary keeps serving (a mirror must never stop trading), it is said so, and the mirror is
// seeded again online (the backup API follows this connection's writes) a while later.
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { MirrorHealth } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import type { Disposable } from '../lifecycle';
import { StoreError, type Db } from '../store';
import { fsyncFile, quickCheck } from './files';

/** Our triggers are named so; triggers anyone else creates on the connection are left alone. */
const TRIGGER_PREFIX = 'guardian_mirror_';
const SCHEMA = 'mirror';
/** A detached mirror is seeded again no sooner than this after it was detached (or last tried). */
export const RESEED_AFTER_MS = 5 * 60_000;

export interface MirrorOptions {
  file: string;
  clock: Clock;
  check_every_s: number;
  integrity_every_s: number;
  /** Told when the mirror goes bad (detached) or recovers: an incident, a notice. */
  onTrouble?: (text: string) => void;
}

interface TableInfo {
  name: string;
  columns: string[];
  /** null: a rowid table (the rowid identifies the row); else the primary key's columns. */
  key: string[] | null;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function tablesOf(db: Db, schema: string): TableInfo[] {
  const names = (db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  return names.map((name) => {
    const cols = db.prepare(`SELECT name, pk FROM pragma_table_info(?, ?) ORDER BY cid`).all(name, schema) as { name: string; pk: number }[];
    const withoutRowid = (db.prepare(`SELECT sql FROM ${schema}.sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(name) as string).match(/WITHOUT\s+ROWID\s*;?\s*$/i) !== null;
    return {
      name,
      columns: cols.map((c) => c.name),
      key: withoutRowid ? cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name) : null,
    };
  });
}

/** The three triggers that replay one table's changes into the mirror's copy of it. */
function triggerSql(t: TableInfo): string[] {
  const cols = t.key ? t.columns : ['rowid', ...t.columns];
  const target = `${SCHEMA}.${q(t.name)}`;
  const insert = `INSERT OR REPLACE INTO ${target} (${cols.map(q).join(', ')}) VALUES (${cols.map((c) => `NEW.${q(c)}`).join(', ')});`;
  const match = (t.key ?? ['rowid']).map((c) => `${q(c)} = OLD.${q(c)}`).join(' AND ');
  const remove = `DELETE FROM ${target} WHERE ${match};`;
  const name = (op: string) => q(`${TRIGGER_PREFIX}${t.name}_${op}`);
  const on = `main.${q(t.name)}`;
  return [
    `CREATE TEMP TRIGGER ${name('ins')} AFTER INSERT ON ${on} BEGIN ${insert} END`,
    `CREATE TEMP TRIGGER ${name('upd')} AFTER UPDATE ON ${on} BEGIN ${remove} ${insert} END`,
    `CREATE TEMP TRIGGER ${name('del')} AFTER DELETE ON ${on} BEGIN ${remove} END`,
  ];
}

/** Rows per table and the largest rowid (rowid tables), in one schema: what a check compares. */
function census(db: Db, schema: string, tables: readonly TableInfo[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tables) {
    const row = db.prepare(`SELECT COUNT(*) AS n${t.key ? '' : ', MAX(rowid) AS m'} FROM ${schema}.${q(t.name)}`).get() as { n: number; m?: number | null };
    out.set(t.name, `${row.n}:${row.m ?? ''}`);
  }
  return out;
}

export class StoreMirror implements Disposable {
  private tables: TableInfo[] = [];
  private attached = false;
  private readonly timers: Disposable[] = [];
  private lastIntegrity_ms = -Infinity;
  private detached_ms: number | null = null;
  private reseeding: Promise<void> | null = null;
  private disposed = false;
  private readonly state: MirrorHealth;

  private constructor(private readonly db: Db, private readonly o: MirrorOptions) {
    this.state = { file: o.file, healthy: null, lag_rows: null, last_check: null, last_error: null };
  }

  /**
   * Seeds the mirror from the primary (which must pass quick_check first: a broken primary must
   * never overwrite a good mirror), attaches it and starts replaying. Call before anything writes.
   */
  static async start(db: Db, o: MirrorOptions): Promise<StoreMirror> {
    const m = new StoreMirror(db, o);
    await m.seed();
    m.attach();
    m.timers.push(o.clock.setInterval(() => m.check(), o.check_every_s * 1000));
    return m;
  }

  /**
   * Copies the primary to the mirror file. Online too: writes this connection makes while the
   * backup runs are carried into it by SQLite, and the caller attaches it in the same turn as the
   * backup ends (no await between), so no commit falls between copy and triggers.
   */
  private async seed(): Promise<void> {
    const problem = quickCheck(this.db, 'main');
    if (problem !== 'ok') {
      throw new StoreError(`the primary database fails its check (${problem}); it was not copied to the mirror ${this.o.file}. Restore it: guardian restore --from-mirror`, 'CORRUPT');
    }
    const tmp = `${this.o.file}.seeding`;
    rmSync(tmp, { force: true });
    try {
      await this.db.backup(tmp);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw new StoreError(`cannot write the mirror ${this.o.file}: ${(err as Error).message} (durability.mirror.path: is the second volume mounted and writable?)`);
    }
    fsyncFile(tmp);
    // The old mirror's WAL belongs to the old file: left beside the new one it would be replayed into it.
    for (const ext of ['-wal', '-shm']) rmSync(this.o.file + ext, { force: true });
    renameSync(tmp, this.o.file);
  }

  private attach(): void {
    this.db.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(this.o.file);
    this.attached = true;
    this.db.pragma(`${SCHEMA}.journal_mode = WAL`);
    this.db.pragma(`${SCHEMA}.synchronous = FULL`);
    const sync = this.db.pragma(`${SCHEMA}.synchronous`, { simple: true });
    if (sync !== 2) throw new StoreError(`${this.o.file}: synchronous is ${String(sync)} after setting FULL; the mirror cannot promise durable commits on this volume`);
    this.tables = tablesOf(this.db, 'main');
    const mirrored = new Set(tablesOf(this.db, SCHEMA).map((t) => t.name));
    const missing = this.tables.filter((t) => !mirrored.has(t.name)).map((t) => t.name);
    if (missing.length) throw new StoreError(`the mirror ${this.o.file} lacks tables ${missing.join(', ')} after seeding`);
    this.db.transaction(() => {
      for (const t of this.tables) for (const sql of triggerSql(t)) this.db.exec(sql);
    })();
  }

  /** Drops our triggers and detaches the mirror: the primary then commits alone. */
  private detach(why: string): void {
    if (!this.attached) return;
    this.attached = false;
    try {
      const ours = this.db.prepare(`SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE '${TRIGGER_PREFIX}%'`).pluck().all() as string[];
      for (const name of ours) this.db.exec(`DROP TRIGGER temp.${q(name)}`);
      this.db.exec(`DETACH DATABASE ${SCHEMA}`);
    } catch {
      // a connection mid-transaction cannot detach: the triggers are gone, the next start reseeds
    }
    this.state.healthy = false;
    this.state.last_error = why;
    this.detached_ms = this.o.clock.now_ms();
    this.o.onTrouble?.(`the store's mirror is off: ${why}; Guardian runs on the primary alone and seeds the mirror again in ${RESEED_AFTER_MS / 60_000} minutes`);
  }

  /**
   * A commit failed while the mirror was attached (GroupCommit's abort hook). The mirror may be the
   * cause (its volume full or gone): it is detached at once, so the senders' resends succeed on the
   * primary alone. If the primary was the cause, its own failures continue and are seen as such.
   */
  commitFailed(error: string | undefined): void {
    if (this.attached) this.detach(`a commit failed while the mirror was attached (${error ?? 'unknown error'})`);
  }

  /** Seeds a detached mirror again, online; a failure leaves it detached until the next try. */
  private reseed(): void {
    if (this.reseeding || this.attached) return;
    this.detached_ms = this.o.clock.now_ms();
    // A detach that could not complete leaves the old file attached: never rename over it.
    if ((this.db.pragma('database_list') as { name: string }[]).some((d) => d.name === SCHEMA)) {
      try {
        this.db.exec(`DETACH DATABASE ${SCHEMA}`);
      } catch (err) {
        this.state.last_error = `the old mirror is still attached (${(err as Error).message}); seeding again at the next try`;
        return;
      }
    }
    this.reseeding = this.seed().then(
      () => {
        if (this.disposed) return;
        try {
          this.attach();
        } catch (err) {
          this.attached = false;
          this.state.last_error = `attaching the mirror again failed: ${(err as Error).message}`;
          return;
        }
        this.state.healthy = null;
        this.state.last_error = null;
        this.o.onTrouble?.(`the store's mirror ${this.o.file} is seeded again and back in service`);
      },
      (err: unknown) => {
        this.state.last_error = `seeding the mirror again failed: ${(err as Error).message}`;
      },
    ).finally(() => {
      this.reseeding = null;
    });
  }

  /** Waits for an online reseed under way (tests, shutdown). */
  async settle(): Promise<void> {
    await this.reseeding;
  }

  get health(): MirrorHealth {
    return { ...this.state };
  }

  /** Compares row counts (and the largest rowid) of every table; quick_check now and then. */
  check(): MirrorHealth {
    if (!this.attached) {
      if (this.detached_ms !== null && this.o.clock.now_ms() - this.detached_ms >= RESEED_AFTER_MS) this.reseed();
      return this.health;
    }
    try {
      const a = census(this.db, 'main', this.tables);
      const b = census(this.db, SCHEMA, this.tables);
      let lag = 0;
      const differing: string[] = [];
      for (const [name, v] of a) {
        const w = b.get(name) ?? '0:';
        if (v === w) continue;
        differing.push(`${name} ${v} vs ${w}`);
        lag += Math.abs(Number(v.split(':')[0]) - Number(w.split(':')[0])) || 1;
      }
      this.state.lag_rows = lag;
      this.state.last_check = new Date(this.o.clock.wall_ms()).toISOString();
      const now = this.o.clock.now_ms();
      if (now - this.lastIntegrity_ms >= this.o.integrity_every_s * 1000) {
        this.lastIntegrity_ms = now;
        const problem = quickCheck(this.db, SCHEMA);
        if (problem !== 'ok') return this.fail(`quick_check of the mirror: ${problem}`);
      }
      if (differing.length) return this.fail(`the mirror differs from the primary: ${differing.slice(0, 3).join('; ')}`);
      this.state.healthy = true;
      this.state.last_error = null;
    } catch (err) {
      return this.fail(`cannot read the mirror: ${(err as Error).message}`);
    }
    return this.health;
  }

  private fail(why: string): MirrorHealth {
    this.detach(why);
    return this.health;
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.splice(0)) t.dispose();
  }
}

export function mirrorExists(file: string): boolean {
  return existsSync(file);
}
