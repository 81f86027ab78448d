// The spool directory (PROTOCOL.md 6, with the stream column and heartbeat files described in
// the README): plain files, written whole and committed by an atomic rename, so that a
// reader never sees half a batch, whatever crashes.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spoolFileName } from '../../../src-shared/protocol';

export interface SpoolHeartbeat {
  node_id: string;
  role: string;
  last_seq_received: number;
  ts: string;
  /** The file's modification time: the heartbeat itself. */
  mtime_ms: number;
}

export type SpoolSide = 'guardian' | 'ea';

/** One side's view of a spool directory: where it writes and where it reads. */
export class SpoolDir {
  readonly outDir: string;
  readonly inDir: string;

  constructor(readonly root: string, side: SpoolSide) {
    const toEa = join(root, 'to_ea');
    const fromEa = join(root, 'from_ea');
    this.outDir = side === 'guardian' ? toEa : fromEa;
    this.inDir = side === 'guardian' ? fromEa : toEa;
    mkdirSync(this.outDir, { recursive: true });
    mkdirSync(this.inDir, { recursive: true });
  }

  /** Writes a batch of lines as one file: `<first seq>.tmp`, then renamed to `.csv`. */
  writeBatch(firstSeq: number, lines: string[]): string {
    const tmp = join(this.outDir, spoolFileName(firstSeq, 'tmp'));
    const csv = join(this.outDir, spoolFileName(firstSeq, 'csv'));
    writeFileSync(tmp, lines.join('\n') + '\n');
    renameSync(tmp, csv);
    return csv;
  }

  /**
   * The `.csv` files the other side has committed, oldest first. Each has a key of name, mtime
   * and size: a writer that resends under a name it used before makes a new key, so it is read.
   */
  incomingFiles(): { name: string; key: string }[] {
    const out: { name: string; key: string }[] = [];
    for (const name of readdirSync(this.inDir).filter((f) => f.endsWith('.csv')).sort()) {
      try {
        const st = statSync(join(this.inDir, name));
        out.push({ name, key: `${name}:${st.mtimeMs}:${st.size}` });
      } catch {
        // deleted between list and stat: acknowledged already
      }
    }
    return out;
  }

  readIncoming(name: string): string | null {
    try {
      return readFileSync(join(this.inDir, name), 'utf8');
    } catch {
      return null; // deleted by its writer between list and read: it was acknowledged already
    }
  }

  /** Our acknowledgement of what we read: the highest in-order seq stored. */
  writeAck(seq: number): void {
    atomicWrite(join(this.inDir, 'ack'), String(seq));
  }

  /** The other side's acknowledgement of what we wrote. */
  readAck(): number | null {
    try {
      const n = Number(readFileSync(join(this.outDir, 'ack'), 'utf8').trim());
      return Number.isSafeInteger(n) && n >= 0 ? n : null;
    } catch {
      return null;
    }
  }

  /** Deletes our committed files wholly at or below the acknowledged seq. */
  deleteAcknowledged(ack: number): number {
    const files = readdirSync(this.outDir).filter((f) => f.endsWith('.csv')).sort();
    let deleted = 0;
    for (let i = 0; i < files.length; i++) {
      const name = files[i]!;
      const next = files[i + 1];
      // A file's last seq is just below the next file's first; the newest file is read to know.
      const lastSeq = next ? Number(next.slice(0, 12)) - 1 : this.lastSeqOf(name);
      if (lastSeq === null || lastSeq > ack) break;
      try {
        unlinkSync(join(this.outDir, name));
        deleted++;
      } catch {
        // already gone
      }
    }
    return deleted;
  }

  private lastSeqOf(name: string): number | null {
    try {
      const lines = readFileSync(join(this.outDir, name), 'utf8').trimEnd().split('\n');
      const seq = Number(lines[lines.length - 1]?.split('\t', 1)[0]);
      return Number.isSafeInteger(seq) ? seq : null;
    } catch {
      return null;
    }
  }

  writeHeartbeat(hb: Omit<SpoolHeartbeat, 'mtime_ms'>): void {
    atomicWrite(join(this.outDir, 'heartbeat'), JSON.stringify(hb));
  }

  readHeartbeat(): SpoolHeartbeat | null {
    const file = join(this.inDir, 'heartbeat');
    try {
      const mtime_ms = statSync(file).mtimeMs;
      const hb = JSON.parse(readFileSync(file, 'utf8')) as Partial<SpoolHeartbeat>;
      if (typeof hb.node_id !== 'string' || typeof hb.last_seq_received !== 'number') return null;
      return { node_id: hb.node_id, role: String(hb.role ?? ''), last_seq_received: hb.last_seq_received, ts: String(hb.ts ?? ''), mtime_ms };
    } catch {
      return null;
    }
  }
}

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
