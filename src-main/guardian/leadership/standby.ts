// `guardian serve --standby` (or ha.enabled): the process side of the lease. Waits as the standby,
// building nothing that writes or binds, until it holds the lease; and once active, steps down the
// moment the lease is lost, saying why: it exits at once, without closing its listeners
// gracefully (closing a Unix socket server unlinks its path, which now belongs to the new active
// one), and nothing it had not stored is acknowledged.
import { systemClock, type Clock } from '../clock';
import { resolveInDataDir, type GuardianConfig } from '../config';
import { isFencedError } from './fencing';
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { openDatabase } from '../store';
import { Leadership, processAlive } from './leadership';
import { LeaseStore } from './lease-store';
import type { LeaseRow } from './lease';

/** `serve` exits with this when it lost the lease and stepped down. */
export const EXIT_STEPPED_DOWN = 3;

const HA_DEFAULTS = { enabled: false, lease_ms: 1500, renew_ms: 250, dead_holder_takeover: true };

export interface StandbyOptions {
  say: (line: string) => void;
  quiet?: boolean;
  clock?: Clock;
}

/**
 * Waits for the lease. Resolves with the Leadership once this instance is active (fence the
 * Guardian's connection with it: createGuardian does, given deps.leadership), or null when
 * SIGINT/SIGTERM stopped the wait.
 */
export async function waitForLease(config: GuardianConfig, dataDir: string, o: StandbyOptions): Promise<Leadership | null> {
  const ha = { ...HA_DEFAULTS, ...config.ha };
  const clock = o.clock ?? systemClock;
  const leadership = new Leadership(resolveInDataDir(dataDir, config.store.file), ha, { clock });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let said = false;
  let lastLine = -Infinity;
  const describe = (row: LeaseRow) => `${row.holder} (token ${row.token}), lease until ${new Date(row.expires_ms).toISOString().slice(11, 23)}`;
  try {
    const got = await leadership.waitUntilActive((row) => {
      if (!said) {
        said = true;
        o.say(`guardian standby ${leadership.holder}: waiting for the lease; active: ${describe(row)}`);
      }
      const now = clock.now_ms();
      if (!o.quiet && config.status_line_ms > 0 && now - lastLine >= config.status_line_ms) {
        lastLine = now;
        o.say(`${new Date(clock.wall_ms()).toISOString().slice(11, 19)} STANDBY         active ${describe(row)}`);
      }
    }, stop.signal);
    if (!got) {
      leadership.dispose();
      o.say('guardian standby: stopped while waiting (it never was active)');
      return null;
    }
    o.say(`guardian: active with fencing token ${got.token} (${leadership.holder})${leadership.takeoverWhy ? `: ${leadership.takeoverWhy}` : ''}`);
    return leadership;
  } catch (err) {
    leadership.dispose();
    throw err;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * Once active: a lost lease (a renewal found another token, or a write was fenced) ends the
 * process at once with EXIT_STEPPED_DOWN. A fenced write that escapes as an exception (a direct
 * write outside the group commit) ends it the same way, with the same words.
 */
export function stepDownOnLoss(leadership: Leadership, say: (line: string) => void, exit: (code: number) => never = (c) => process.exit(c)): void {
  const stepDown = (why: string): never => {
    say(`guardian: stepping down: ${why}. This instance is no longer active; nothing it had not stored was acknowledged. Exiting (${EXIT_STEPPED_DOWN}).`);
    return exit(EXIT_STEPPED_DOWN);
  };
  leadership.onLost(stepDown);
  process.on('uncaughtException', (err) => {
    if (isFencedError(err)) stepDown(leadership.lost ?? `a write was refused by the fencing token (${err.message})`);
    process.stderr.write(`guardian: ${err.stack ?? err.message}\n`);
    exit(1);
  });
}

/**
 * A Guardian started without ha on a data dir where another instance holds a live lease would
 * write unfenced beside it: refuse, and say what to do. A lease that ran out, was released, or
 * whose holder's process is gone does not count.
 */
export function refuseIfAnotherIsActive(config: GuardianConfig, dataDir: string, now_ms = Date.now()): void {
  const file = resolveInDataDir(dataDir, config.store.file);
  if (!existsSync(file)) return;
  let db;
  try {
    db = openDatabase(file, { readonly: true });
  } catch {
    return; // a database that cannot be opened is the start's own problem (it says so, or runs on the shadow)
  }
  try {
    let row;
    try {
      row = new LeaseStore(db).current();
    } catch {
      return; // no lease table yet: nobody ever was active under a lease here
    }
    if (!row || row.expires_ms <= now_ms) return;
    if (row.host === hostname() && !processAlive(row.pid)) return;
    throw new Error(`another Guardian is active on this data dir: ${row.holder} (pid ${row.pid}, fencing token ${row.token}). Start this one with --standby (or ha.enabled: true) to wait as its standby, or stop the other one first`);
  } finally {
    db.close();
  }
}

/** The part of the incident log a takeover writes to (guardian/incidents' IncidentLog). */
export interface TakeoverLog {
  raise(alert: { family: string; title: string; severity: 'info' | 'warning' | 'critical'; summary?: string; detail?: Record<string, unknown> }): unknown;
  append(event: { type: 'note'; summary: string; severity?: 'info' | 'warning' | 'critical'; detail?: Record<string, unknown> }): unknown;
}

/**
 * Writes this instance's takeover into the incident log: an incident when the former active one
 * died or hung (its lease ran out), a note when it handed over (released) or when there was none.
 */
export function recordTakeover(log: TakeoverLog, leadership: Leadership): void {
  const t = leadership.takeovers(1)[0];
  if (!t || t.holder !== leadership.holder) return;
  const detail = { token: t.token, holder: t.holder, previous_holder: t.previous_holder, previous_token: t.previous_token, why: t.why };
  try {
    if (t.previous_holder === null || /released the lease/.test(t.why)) {
      log.append({ type: 'note', severity: 'info', summary: `active with fencing token ${t.token}: ${t.why}`, detail });
    } else {
      log.raise({ family: 'guardian', severity: 'warning', title: `The standby Guardian took over (token ${t.token})`, summary: `${t.holder} took over from ${t.previous_holder}: ${t.why}`, detail });
    }
  } catch {
    // the log is a record: a takeover must not fail on it
  }
}
