import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../clock';
import { CONSTRAINT_VARIABLES, CONSTRAINT_VARIABLE_INDEX, evaluateConstraint, loadConstraints, parseConstraints } from '../constraints';
import type { PeerPulse, TierPulse } from '../pulse';
import { Router } from '../router';
import { GroupCommit, openDatabase, type Db } from '../store';
import {
  ConstraintEngine, ConstraintRepository, commScore, createControlPlane, execScore, tierScore, DEFAULT_EXEC_BUDGETS, type ControlPlane,
} from './index';

const CONSTRAINTS = fileURLToPath(new URL('../../../config/constraints.yaml', import.meta.url));

describe('ConstraintEngine', () => {
  it('explains a failure or an unknown exactly as the constraints part does, and shares one result per pass', () => {
    const defs = loadConstraints(CONSTRAINTS);
    const engine = new ConstraintEngine(defs);
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let round = 0; round < 200; round++) {
      const record: Record<string, number> = {};
      for (const { name } of CONSTRAINT_VARIABLES) {
        const r = random();
        record[name] = r < 0.1 ? Number.NaN : r < 0.15 ? 0 : Math.round(random() * 1000) / 10;
      }
      const frame = CONSTRAINT_VARIABLE_INDEX.frameFrom(record);
      const filter = { session: 'london' as const, symbol: 'EURUSD', regime: 'high' as const };
      const results = engine.evaluate(frame, filter);
      const applicable = engine.applicableTo(filter);
      expect(results).toHaveLength(applicable.length);
      results.forEach((r, i) => {
        const full = evaluateConstraint(applicable[i]!, frame);
        if (full.status === 'pass') expect(r).toMatchObject({ id: full.id, status: 'pass' });
        else expect(r).toEqual(full);
      });
    }
  });

  it('picks the constraints that apply to the session, symbol and regime', () => {
    const engine = new ConstraintEngine(loadConstraints(CONSTRAINTS));
    const ids = (f: Parameters<ConstraintEngine['applicableTo']>[0]) => engine.applicableTo(f).map((d) => d.id);
    expect(ids({ session: 'london', symbol: 'EURUSD', regime: 'normal' })).toContain('spread_majors_absolute');
    expect(ids({ session: 'asia', symbol: 'EURUSD', regime: 'normal' })).not.toContain('spread_majors_absolute');
    expect(ids({ session: 'asia', symbol: 'XAUUSD' })).toContain('spread_gold_absolute');
    expect(ids({ session: 'asia', regime: 'high' })).toContain('leverage_cap_high_volatility');
    expect(ids({ session: 'asia' })).not.toContain('leverage_cap');
  });
});

const path = (p: Partial<PeerPulse['paths'][number]> & { path: 'socket' | 'pipe' | 'spool' }) => ({
  up: true, connected: true, verdict: 'healthy' as const, quorum: null, active: false, rtt_ms_p50: 1, rtt_ms_p95: 2, rtt_ms_p99: 3,
  latency_ms: 1, drop_pct: 0, last_heard_ms_ago: 10, last_error: null, resent: 0, ...p,
});
const ea = (paths: PeerPulse['paths'], active: PeerPulse['active_path'], forced: PeerPulse['forced_path'] = null, forced_by: string | null = null): PeerPulse => ({
  node_id: 'ea-1', role: 'EA', tier: null, active_path: active, forced_path: forced, forced_by, unacked: 0, paths, healthy_paths: 0,
});

describe('subsystem scores', () => {
  const closed = () => 'CLOSED' as const;

  it('comm: a failing preferred path enters, traffic on a standby blocks recovery, all healthy is 100', () => {
    const healthy = [path({ path: 'socket', active: true }), path({ path: 'pipe' }), path({ path: 'spool', verdict: 'absent', up: false, connected: false })];
    expect(commScore([ea(healthy, 'socket')], closed).score).toBe(100);
    expect(commScore([ea([path({ path: 'socket', up: false, connected: false, verdict: 'down' }), path({ path: 'pipe', active: true })], 'pipe')], closed)).toMatchObject({ score: 50, why: 'ea-1: socket down' });
    expect(commScore([ea(healthy, 'pipe', 'pipe', 'Guardian')], closed).score).toBe(80); // held on the pipe until the socket is proved
    expect(commScore([ea(healthy, 'pipe', 'pipe', 'the operator')], closed, () => true).score).toBe(100); // the operator's choice
    expect(commScore([ea(healthy, 'socket')], (d) => (d === 'path:socket' ? 'OPEN' : 'CLOSED')).score).toBe(50);
    expect(commScore([ea([path({ path: 'socket', active: true }), path({ path: 'pipe', verdict: 'failing' })], 'socket')], closed).score).toBe(80);
    expect(commScore([ea([path({ path: 'socket', up: false, verdict: 'down' })], null)], closed).score).toBe(0);
    expect(commScore([], closed).score).toBeNull();
  });

  it('signal: stale is 40, disconnected or breaker open is 0, never seen is unknown', () => {
    const tier = (t: Partial<TierPulse>): TierPulse => ({ connected: true, age_s: 2, peers: ['sig'], ...t });
    expect(tierScore('primary', tier({}), 30, closed).score).toBe(100);
    expect(tierScore('primary', tier({ age_s: 31 }), 30, closed).score).toBe(40);
    expect(tierScore('primary', tier({ connected: false }), 30, closed).score).toBe(0);
    expect(tierScore('primary', tier({}), 30, () => 'OPEN').score).toBe(0);
    expect(tierScore('primary', tier({ age_s: Number.NaN }), 30, closed).score).toBeNull();
    expect(tierScore('primary', tier({ peers: [] }), 30, closed).score).toBeNull();
  });

  it('exec: 100 at the budget, linear to 0 at the max, 40 with the broker breaker open, unknown without figures', () => {
    expect(execScore({ reject_rate_pct: 2, slippage_bps: 1 }, DEFAULT_EXEC_BUDGETS, 'CLOSED').score).toBe(100);
    expect(execScore({ reject_rate_pct: 7 }, DEFAULT_EXEC_BUDGETS, 'CLOSED').score).toBe(50);
    expect(execScore({ slippage_bps: 25 }, DEFAULT_EXEC_BUDGETS, 'CLOSED').score).toBe(0);
    expect(execScore({}, DEFAULT_EXEC_BUDGETS, 'OPEN').score).toBe(40);
    expect(execScore({ reject_rate_pct: Number.NaN }, DEFAULT_EXEC_BUDGETS, 'CLOSED').score).toBeNull();
  });
});

describe('the constraint repository', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(() => {
    for (const d of dbs.splice(0)) d.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-repo-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'g.db'));
    dbs.push(db);
    return db;
  };

  it('seeds from the file idempotently: same ids updated, never duplicated; ids gone are disabled', () => {
    const repo = new ConstraintRepository(fresh());
    const defs = loadConstraints(CONSTRAINTS);
    expect(repo.seed(defs, 'constraints.yaml', 1).inserted).toHaveLength(defs.length);
    expect(repo.seed(defs, 'constraints.yaml', 2)).toEqual({ inserted: [], updated: [], unchanged: defs.length, disabled: [] });
    const changed = parseConstraints(
      'version: 1\nconstraints:\n  - { id: cpu_headroom, gate: system_health, severity: warning, condition: cpu_pct < 80, description: CPU under 80%. }\n',
      'x.yaml',
    );
    const r = repo.seed(changed, 'constraints.yaml', 3);
    expect(r.updated).toEqual(['cpu_headroom']);
    expect(r.disabled).toHaveLength(defs.length - 1);
    expect(repo.rows()).toHaveLength(defs.length);
    expect(repo.load().map((d) => [d.id, d.condition])).toEqual([['cpu_headroom', 'cpu_pct < 80']]);
    repo.seed(defs, 'constraints.yaml', 4);
    expect(repo.load()).toHaveLength(defs.length);
    expect(repo.forCircumstances({ session: 'asia', symbol: 'XAUUSD' }).map((s) => s.id)).toContain('spread_gold_absolute');
  });

  it('keeps runs and insights', () => {
    const repo = new ConstraintRepository(fresh());
    repo.recordRuns([{ ts_ms: 1, constraint_id: 'a', status: 'fail', value: 3, limit: 2, explanation: 'x = 3, must be < 2', reason: 'change', session: 'asia', symbol: null, regime: null }]);
    expect(repo.runs('a')).toEqual([expect.objectContaining({ constraint_id: 'a', status: 'fail', value: 3, limit: 2, reason: 'change' })]);
    const id = repo.addInsight({ ts_ms: 5, constraint_id: 'a', kind: 'blind', text: 'a blind', data: { missing: ['x'] } });
    expect(repo.insights()).toEqual([{ id, ts_ms: 5, constraint_id: 'a', kind: 'blind', text: 'a blind', data: { missing: ['x'] } }]);
    expect(repo.pruneRuns(2)).toBe(1);
  });
});

describe('the control plane on a data plane with no peers (ManualClock)', () => {
  const dirs: string[] = [];
  const open: { cp: ControlPlane; db: Db; commit: GroupCommit; router: Router }[] = [];
  afterEach(() => {
    for (const o of open.splice(0)) {
      o.cp.dispose();
      o.router.dispose();
      o.commit.dispose();
      o.db.close();
    }
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A data dir of its own, removed after the test. */
  function freshDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-cp-'));
    dirs.push(dir);
    return dir;
  }
  /** The tests' morning: 09:00 UTC on a Tuesday, a second into the process. */
  const nineAm = (): ManualClock => new ManualClock({ now_ms: 1000, wall_ms: Date.UTC(2026, 0, 6, 9) });

  function start(dir: string, clock: ManualClock): ControlPlane {
    const db = openDatabase(join(dir, 'g.db'));
    const commit = new GroupCommit(db);
    const router = new Router(db, commit, {
      node_id: 'g', window: 64, resend_timeout_ms: 1000, switchback_healthy_ms: 1000, dual_write: false, signal_tier: 'primary',
      no_route_hold_s: 60, outbox_retention_s: 60, inbox_retention_s: 60,
    }, clock);
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\ndwell_seconds: 1\n');
    const cp = createControlPlane({ router, db, clock, dataDir: dir, autostart: false, warmup_ms: 0, files: { policy }, runs_sample_s: 60 });
    open.push({ cp, db, commit, router });
    return cp;
  }

  it('keeps the mode, the breakers and the signal tier across a restart, and samples constraint runs', () => {
    const dir = freshDir();
    const clock = nineAm();
    const cp = start(dir, clock);
    cp.pulseNow();
    // No EA: the bridge cannot be seen, and a gate that sees nothing degrades (never reads healthy).
    expect(cp.mode).toBe('DEGRADED.COMM');
    expect(cp.controlStatus().control.degradations[0]?.why.text).toMatch(/broker_connectivity 6\d/);
    const rowsAfterFirst = cp.repository.runCount();
    expect(rowsAfterFirst).toBeGreaterThan(0); // every status is new on the first pulse
    for (let i = 0; i < 20; i++) {
      clock.advance(250);
      cp.pulseNow();
    }
    expect(cp.repository.runCount()).toBeLessThan(rowsAfterFirst + 10); // only changes: no row per constraint per pulse

    const effects = cp.pin('DEGRADED.EXEC', 600, 'alice', 'broker maintenance');
    expect(effects.map((e) => e.type)).toEqual(expect.arrayContaining(['OVERRIDE_ACCEPTED', 'MODE_CHANGED', 'HOLD_NEW_ENTRIES']));
    expect(cp.mode).toBe('DEGRADED.EXEC');
    for (let i = 0; i < 3; i++) cp.breakers.failure('path:socket', 'ECONNRESET');
    expect(cp.breakers.get('path:socket').state).toBe('OPEN');
    clock.advance(250);
    cp.pulseNow();
    const status = cp.controlStatus();
    expect(status.mode).toBe('DEGRADED.EXEC');
    expect(status.controls?.pinned_mode).toBe('DEGRADED.EXEC');
    expect(status.control.entries).toBe('hold');
    expect(status.control.breakers.find((b) => b.dependency === 'path:socket')?.state).toBe('OPEN');
    expect(cp.recentEvents().some((e) => e.type === 'mode_change' && e.to_mode === 'DEGRADED.EXEC' && (e.why?.by as { operator: string }).operator === 'alice')).toBe(true);

    // A restart: the same database, a new process (its monotonic clock starts elsewhere).
    const o = open.pop()!;
    o.cp.dispose();
    o.router.dispose();
    o.commit.dispose();
    o.db.close();
    const later = new ManualClock({ now_ms: 50, wall_ms: Date.UTC(2026, 0, 6, 9, 0, 10) });
    const again = start(dir, later);
    expect(again.mode).toBe('DEGRADED.EXEC');
    expect(again.modes.state.pin).toMatchObject({ by: 'alice', reason: 'broker maintenance' });
    expect(again.breakers.get('path:socket').state).toBe('OPEN');
    expect(again.repository.rows().length).toBe(loadConstraints(CONSTRAINTS).length); // seeded again, not duplicated
    expect(again.recentEvents().some((e) => /restored: mode DEGRADED.EXEC/.test(e.text))).toBe(true);
  });

  it('says what keeps a degraded mode from its way back, in words, and how long it has been clean', () => {
    const dir = freshDir();
    const clock = nineAm();
    const cp = start(dir, clock);
    cp.pulseNow();
    expect(cp.mode).toBe('DEGRADED.COMM');
    const recovery = cp.controlStatus().recovery!;
    expect(recovery.clean_for_s).toBeNull();
    // A gate under the line says what holds it down: here readings it never gets (no EA, no broker).
    const broker = recovery.blockers.find((b) => b.startsWith('broker connectivity'));
    expect(broker).toMatch(/^broker connectivity \d+(\.\d+)? \((failing [a-z_, ]+)?(; )?(no reading for [a-z_, ]+( and \d+ more)?)?\)$/);
    expect(broker).toMatch(/no reading for /);
    expect(recovery.blockers.filter((b) => b.startsWith('communications 60'))).toHaveLength(1); // a subsystem (comm), as the mode manager reads it
    expect(recovery.blockers).toContain('signal tier unknown');
  });

  it('shows "drain buffer first" while it holds entries, and no burn rate while nothing can be judged', () => {
    const dir = freshDir();
    const clock = nineAm();
    const cp = start(dir, clock);
    cp.pulseNow();
    expect(cp.controlStatus().controls?.drain_buffer_first).toBe(false);
    expect(cp.controlStatus().slo?.error_budget_burn).toBeNull();
    cp.holdEntries('alice', 'let the queue empty', { untilDrained: true });
    expect(cp.controlStatus().controls).toMatchObject({ entries_held: true, drain_buffer_first: true });
    clock.advance(250);
    cp.pulseNow(); // the buffer is empty: the hold lifts itself
    expect(cp.controlStatus().controls).toMatchObject({ entries_held: false, drain_buffer_first: false });
    // No EA: the bridge cannot be seen, which is not judged (the burn is never invented from nothing).
    for (let i = 0; i < 4 * 61; i++) {
      clock.advance(250);
      cp.pulseNow();
    }
    expect(cp.controlStatus().slo?.error_budget_burn).toBeNull();
  });

  it("keeps the operator's hold of new entries across a restart, and its release too", () => {
    const dir = freshDir();
    const restart = (): ControlPlane => {
      const o = open.pop()!;
      o.cp.dispose();
      o.router.dispose();
      o.commit.dispose();
      o.db.close();
      return start(dir, new ManualClock({ now_ms: 50, wall_ms: Date.UTC(2026, 0, 6, 9, 5) }));
    };
    const cp = start(dir, nineAm());
    cp.holdEntries('alice', 'NFP at 13:30');
    let again = restart();
    expect(again.controlStatus().controls).toMatchObject({ entries_held: true, drain_buffer_first: false });
    expect(again.controlStatus().control.entries).toBe('hold');
    expect(again.recentEvents().some((e) => e.severity === 'warning' && /restored: new entries held by alice \(NFP at 13:30\)/.test(e.text))).toBe(true);
    again.resumeEntries('bob', 'NFP is out');
    again = restart();
    expect(again.controlStatus().controls?.entries_held).toBe(false);
    expect(again.recentEvents().some((e) => /new entries held/.test(e.text))).toBe(false);

    // A hold given an expiry keeps it across a restart, and lapses by itself when it passes.
    again.holdEntries('carol', 'FOMC', { expires_in_s: 600 }); // at 09:05 wall: until 09:15
    const clock = new ManualClock({ now_ms: 70, wall_ms: Date.UTC(2026, 0, 6, 9, 10) });
    const o = open.pop()!;
    o.cp.dispose();
    o.router.dispose();
    o.commit.dispose();
    o.db.close();
    again = start(dir, clock);
    expect(again.recentEvents().some((e) => /restored: new entries held by carol until 09:15:00 UTC \(FOMC\)/.test(e.text))).toBe(true);
    again.pulseNow();
    expect(again.controlStatus().controls?.entries_held).toBe(true);
    clock.advance(5 * 60_000);
    again.pulseNow();
    expect(again.controlStatus().controls?.entries_held).toBe(true); // the console's timer has the first word, for a second
    clock.advance(1000);
    again.pulseNow();
    expect(again.controlStatus().controls?.entries_held).toBe(false);
    const lapsed = again.recentEvents().find((e) => /new entries resumed by carol: hold lapsed: FOMC/.test(e.text));
    // Said for the audit: which control lapsed, in the words it was given.
    expect(lapsed?.data?.lapsed).toEqual({ control: 'hold_new_entries', reason: 'FOMC', by: 'carol', detail: 'lapsed at 2026-01-06T09:15:00.000Z (set by carol)' });
  });

  it('reloads its configuration, refusing a bad file and keeping the one in force', () => {
    const dir = freshDir();
    const cp = start(dir, new ManualClock());
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\ndwell_seconds: 1\nenter: { comm_bellow: 70 }\n');
    const r = cp.reloadConfig();
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/failover policy refused/);
    expect(cp.policy.dwell_seconds).toBe(1);
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\ndwell_seconds: 7\n');
    expect(cp.reloadConfig().ok).toBe(true);
    expect(cp.policy.dwell_seconds).toBe(7);
  });
});
