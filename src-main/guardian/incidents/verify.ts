// Verifying the incident log: recompute every hash, follow every link, and compare the head with the
// anchor. The pure part (ChainVerifier) takes rows in id order; verifyLog feeds it from a database.
import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../store';
import { GENESIS_HASH, hashEvent, type EventRow } from './chain';
import { IncidentLogError } from './types';

export type ProblemKind = 'hash_mismatch' | 'broken_link' | 'gap' | 'reordered' | 'truncated';

export interface LogProblem {
  id: number;
  kind: ProblemKind;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Rows read. */
  checked: number;
  problems: LogProblem[];
  /** The newest row's hash as stored (null for an empty log): quote it to pin the log elsewhere. */
  head_hash: string | null;
}

/** The chain's head as recorded in the same transaction as each append. */
export interface Anchor {
  last_id: number;
  last_hash: string;
  count: number;
}

const short = (hash: string) => hash.slice(0, 12);

/**
 * Feeds on rows in id order and keeps only what a diagnosis needs: each stored hash's id, and the
 * rows that failed. A failed row is then told apart: written at another id (reordered), or changed.
 */
export class ChainVerifier {
  private readonly idOfHash = new Map<string, number>();
  private readonly failed = new Map<number, EventRow>();
  private readonly badLinks: LogProblem[] = [];
  private readonly problems: LogProblem[] = [];
  private last: EventRow | null = null;
  private checked = 0;

  push(raw: EventRow): void {
    // A tampered row may hold anything (NULLs, numbers); it is checked as the text it reads as.
    const row: EventRow = { ...raw, prev_hash: String(raw.prev_hash ?? ''), hash: String(raw.hash ?? '') };
    this.checked++;
    if (!this.idOfHash.has(row.hash)) this.idOfHash.set(row.hash, row.id);
    if (hashEvent(row) !== row.hash) this.failed.set(row.id, row);
    const expectedId = (this.last?.id ?? 0) + 1;
    if (row.id > expectedId) {
      const range = row.id - 1 === expectedId ? `id ${expectedId} is` : `ids ${expectedId}-${row.id - 1} are`;
      this.problems.push({ id: expectedId, kind: 'gap', detail: `${range} missing (deleted)` });
    }
    const expectedPrev = this.last?.hash ?? GENESIS_HASH;
    if (row.prev_hash !== expectedPrev) {
      const before = this.last ? `id ${this.last.id} (${short(expectedPrev)})` : 'the start of the log';
      this.badLinks.push({ id: row.id, kind: 'broken_link', detail: `prev_hash ${short(row.prev_hash)} does not name the entry before it, ${before}` });
    }
    this.last = row;
  }

  finish(anchor: Anchor | null): VerifyResult {
    const reordered = new Set<number>();
    for (const row of this.failed.values()) {
      const written = this.writtenAt(row, new Set());
      if (written !== null && written !== row.id) {
        reordered.add(row.id);
        this.problems.push({ id: row.id, kind: 'reordered', detail: `holds the entry written as id ${written}` });
      } else {
        this.problems.push({ id: row.id, kind: 'hash_mismatch', detail: `the stored hash ${short(row.hash)} does not match the row's content: a field was changed` });
      }
    }
    // A moved row's own broken link is explained by the move; the link of the row after it is not.
    this.problems.push(...this.badLinks.filter((p) => !reordered.has(p.id)));
    this.checkAnchor(anchor);
    const problems = this.problems.sort((a, b) => a.id - b.id || a.kind.localeCompare(b.kind));
    return { ok: problems.length === 0, checked: this.checked, problems, head_hash: this.last?.hash ?? null };
  }

  /** The id a failed row was written at: one after the entry its prev_hash names, if that then hashes. */
  private writtenAt(row: EventRow, visiting: Set<number>): number | null {
    if (visiting.has(row.id)) return null;
    visiting.add(row.id);
    let candidate: number | null = null;
    if (row.prev_hash === GENESIS_HASH) candidate = 1;
    else {
      const predId = this.idOfHash.get(row.prev_hash);
      if (predId === undefined) return null;
      const pred = this.failed.get(predId);
      const predWritten = pred ? this.writtenAt(pred, visiting) : predId;
      if (predWritten !== null) candidate = predWritten + 1;
    }
    return candidate !== null && hashEvent({ ...row, id: candidate }) === row.hash ? candidate : null;
  }

  private checkAnchor(anchor: Anchor | null): void {
    const last = this.last;
    if (!anchor) {
      if (last) this.problems.push({ id: last.id, kind: 'truncated', detail: 'the log anchor is missing, so a cut tail cannot be ruled out' });
      return;
    }
    const lastId = last?.id ?? 0;
    if (lastId < anchor.last_id) {
      const range = lastId + 1 === anchor.last_id ? `id ${anchor.last_id} is` : `ids ${lastId + 1}-${anchor.last_id} are`;
      this.problems.push({ id: lastId + 1, kind: 'truncated', detail: `the log ends at id ${lastId} but the anchor records id ${anchor.last_id} (${short(anchor.last_hash)}): ${range} missing` });
    } else if (last && lastId > anchor.last_id) {
      this.problems.push({ id: anchor.last_id + 1, kind: 'broken_link', detail: `entries after id ${anchor.last_id} were not appended through the log (the anchor ends there)` });
    } else if (last && last.hash !== anchor.last_hash) {
      this.problems.push({ id: last.id, kind: 'hash_mismatch', detail: `the newest entry's hash ${short(last.hash)} differs from the anchor's ${short(anchor.last_hash)}` });
    } else if (this.problems.length === 0 && this.badLinks.length === 0 && this.failed.size === 0 && anchor.count !== this.checked) {
      this.problems.push({ id: lastId, kind: 'gap', detail: `the anchor counts ${anchor.count} entries, the log holds ${this.checked}` });
    }
  }
}

/** Checks the log in an open database, or in a database file (opened read-only, never created). */
export function verifyLog(source: Db | string): VerifyResult {
  if (typeof source !== 'string') return verifyDb(source);
  if (!existsSync(source)) throw new IncidentLogError(`no database at ${source}`, 'NOT_FOUND');
  const db = openDatabase(source, { readonly: true });
  try {
    return verifyDb(db);
  } finally {
    db.close();
  }
}

function verifyDb(db: Db): VerifyResult {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'log_anchor')").all() as { name: string }[];
  if (!tables.some((t) => t.name === 'events')) {
    throw new IncidentLogError('this database has no incident log (its schema is older than version 3)', 'NOT_FOUND');
  }
  // One read transaction: an append landing mid-check must not look like a truncated tail.
  return db.transaction(() => {
    const verifier = new ChainVerifier();
    const rows = db.prepare('SELECT id, ts, type, severity, incident_id, actor, summary, detail, prev_hash, hash FROM events ORDER BY id');
    for (const row of rows.iterate() as IterableIterator<EventRow>) verifier.push(row);
    const anchor = tables.some((t) => t.name === 'log_anchor')
      ? ((db.prepare('SELECT last_id, last_hash, count FROM log_anchor WHERE one = 1').get() as Anchor | undefined) ?? null)
      : null;
    return verifier.finish(anchor);
  })();
}
