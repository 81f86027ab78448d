// Fixtures for the incident log's tests (and learning's): a fresh database in a temp dir, a
// manual clock, and a mode manager "why" with one failing constraint.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import type { Why } from '../modes';
import { openDatabase, type Db, type Migration } from '../store';
import { IncidentLog } from './incident-log';

export interface LogFixture {
  dir: string;
  file: string;
  db: Db;
  clock: ManualClock;
  log: IncidentLog;
  reopen(): LogFixture;
  cleanup(): void;
}

export function logFixture(migrations: Migration[] = []): LogFixture {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-incidents-'));
  const file = join(dir, 'guardian.db');
  const clock = new ManualClock();
  const open = (): LogFixture => {
    const db = openDatabase(file, { migrations });
    const f: LogFixture = {
      dir, file, db, clock, log: new IncidentLog(db, { clock }),
      reopen() {
        f.log.dispose();
        if (db.open) db.close();
        return open();
      },
      cleanup() {
        f.log.dispose();
        if (db.open) db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return f;
  };
  return open();
}

export function commWhy(spread = 3.4): Why {
  return {
    text: 'broker_connectivity 58.9 < 70',
    by: 'policy',
    constraints: [
      { id: 'bridge_latency', gate: 'broker_connectivity', severity: 'warning', status: 'fail', value: 210, limit: 60, explanation: 'bridge_latency_ms = 210, limit p95_bridge_latency_ms * 1.25 = 60 (must be <)' },
      { id: 'spread_vs_normal', gate: 'market_quality', severity: 'warning', status: 'fail', value: spread, limit: 2.8, explanation: `spread_pips = ${spread}, limit normal_spread_pips * 2.0 = 2.8 (must be <)` },
      { id: 'heartbeat_ok', gate: 'system_health', severity: 'warning', status: 'pass', value: 1, limit: 1, explanation: 'ok' },
    ],
  };
}
