import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import { openDatabase, type Db } from '../store';
import { hashEvent, IncidentLog, IncidentLogError, verifyLog, type EventRow } from '.';

describe('verifyLog: the hash chain and its anchor', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(() => {
    for (const d of dbs.splice(0)) if (d.open) d.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function logOf(n: number): { db: Db; file: string; log: IncidentLog } {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-log-'));
    dirs.push(dir);
    const file = join(dir, 'guardian.db');
    const db = openDatabase(file);
    dbs.push(db);
    const clock = new ManualClock();
    const log = new IncidentLog(db, { clock });
    for (let i = 1; i <= n; i++) {
      clock.advance(1000);
      log.append({ type: 'note', summary: `entry ${i}`, detail: { i, spread_pips: 1.5 + i } });
    }
    return { db, file, log };
  }

  const row = (db: Db, id: number) => db.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow;
  const flipBit = (s: string, at: number) => s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ 1) + s.slice(at + 1);
  const kinds = (db: Db) => verifyLog(db).problems.map((p) => `${p.kind}@${p.id}`);

  it('an untouched log verifies, with its head hash, and so does an empty one', () => {
    const { db, log } = logOf(10);
    const result = verifyLog(db);
    expect(result).toEqual({ ok: true, checked: 10, problems: [], head_hash: row(db, 10).hash });
    expect(row(db, 2).prev_hash).toBe(row(db, 1).hash);
    expect(log.verify().ok).toBe(true);
    expect(verifyLog(logOf(0).db)).toMatchObject({ ok: true, checked: 0, head_hash: null });
  });

  it('a flipped bit in any field is a hash mismatch at that id', () => {
    const { db } = logOf(10);
    const r = row(db, 5);
    db.prepare('UPDATE events SET summary = ? WHERE id = 5').run(flipBit(r.summary, 2));
    expect(kinds(db)).toEqual(['hash_mismatch@5']);
    db.prepare('UPDATE events SET summary = ? WHERE id = 5').run(r.summary);
    expect(verifyLog(db).ok).toBe(true);

    // detail is hashed as the stored text: a change that still parses is still caught
    db.prepare('UPDATE events SET detail = ? WHERE id = 3').run(flipBit(row(db, 3).detail, row(db, 3).detail.indexOf('4.5') + 2));
    expect(kinds(db)).toEqual(['hash_mismatch@3']);
  });

  it('a flipped bit in a stored hash also breaks the next link', () => {
    const { db } = logOf(10);
    db.prepare('UPDATE events SET hash = ? WHERE id = 7').run(flipBit(row(db, 7).hash, 10));
    expect(kinds(db)).toEqual(['hash_mismatch@7', 'broken_link@8']);
  });

  it('a deleted row in the middle is a gap and a broken link', () => {
    const { db } = logOf(10);
    db.prepare('DELETE FROM events WHERE id = 5').run();
    const result = verifyLog(db);
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(9);
    expect(kinds(db)).toEqual(['gap@5', 'broken_link@6']);
    expect(result.problems.find((p) => p.kind === 'gap')?.detail).toMatch(/id 5 is missing/);
  });

  it('two rows whose contents were swapped are found reordered', () => {
    const { db } = logOf(10);
    const a = row(db, 4);
    const b = row(db, 5);
    const put = db.prepare('UPDATE events SET ts = @ts, type = @type, severity = @severity, incident_id = @incident_id, actor = @actor, summary = @summary, detail = @detail, prev_hash = @prev_hash, hash = @hash WHERE id = @at');
    put.run({ ...b, at: 4 });
    put.run({ ...a, at: 5 });
    const problems = verifyLog(db).problems;
    expect(problems.filter((p) => p.kind === 'reordered').map((p) => [p.id, p.detail])).toEqual([
      [4, 'holds the entry written as id 5'],
      [5, 'holds the entry written as id 4'],
    ]);
    expect(problems.some((p) => p.kind === 'broken_link' && p.id === 6)).toBe(true);
  });

  it('a row moved to the end is found reordered, with the gap it left', () => {
    const { db } = logOf(10);
    db.prepare('UPDATE events SET id = 11 WHERE id = 3').run();
    expect(kinds(db)).toEqual(expect.arrayContaining(['gap@3', 'reordered@11', 'broken_link@4']));
  });

  it('deleting the newest rows is caught by the anchor (the chain alone still verifies)', () => {
    const { db } = logOf(10);
    db.prepare('DELETE FROM events WHERE id > 8').run();
    const result = verifyLog(db);
    expect(result.problems).toEqual([{ id: 9, kind: 'truncated', detail: expect.stringMatching(/ends at id 8 but the anchor records id 10/) }]);
    // without the anchor row the tail cannot be vouched for either
    db.prepare('DELETE FROM log_anchor').run();
    expect(kinds(db)).toEqual(['truncated@8']);
  });

  it('deleting every row is truncation, and a row forged past the anchor is a broken link', () => {
    const { db } = logOf(3);
    const last = row(db, 3);
    const forged: Omit<EventRow, 'hash'> = { ...last, id: 4, summary: 'forged', prev_hash: last.hash };
    db.prepare('INSERT INTO events VALUES (@id, @ts, @type, @severity, @incident_id, @actor, @summary, @detail, @prev_hash, @hash)').run({ ...forged, hash: hashEvent(forged) });
    expect(kinds(db)).toEqual(['broken_link@4']);
    db.prepare('DELETE FROM events').run();
    expect(kinds(db)).toEqual(['truncated@1']);
  });

  it('reads a database file without creating one', () => {
    const { file, db } = logOf(4);
    db.close();
    expect(verifyLog(file)).toMatchObject({ ok: true, checked: 4 });
    const missing = join(tmpdir(), 'guardian-no-such-dir', 'x', 'guardian.db');
    expect(() => verifyLog(missing)).toThrow(IncidentLogError);
    expect(existsSync(join(tmpdir(), 'guardian-no-such-dir'))).toBe(false);
  });
});
