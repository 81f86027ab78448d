// The path desk: decides which path carries each EA's orders (held off a failing one while failed
// over), repairs failing paths in the background by runbook, proves them by shadow verification and
// switches traffic back. Kept apart from control-plane.ts so the loop reads in one sitting.
import { PATH_PRIORITY, type PathName } from '../../../src-shared/protocol';
import type { BreakerBoard } from '../breakers';
import type { Clock } from '../clock';
import { DisposableStore, type Disposable } from '../lifecycle';
import type { ModeState } from '../modes';
import type { PulseSampler, PulseSnapshot } from '../pulse';
import { repairTransition, runbooksFor, type RepairActions, type RepairEffect, type RepairEvent, type RepairRun, type RepairState, type Runbook } from '../repair';
import type { Router } from '../router';
import { bestUsablePath, failingPaths, pathUsable, preferredPath, type BreakerLookup } from './scores';
import type { ControlEvent, RepairStatus } from './types';

/** What the desk reports; the control plane stamps it with time and mode. */
export type DeskEvent = Pick<ControlEvent, 'type' | 'text' | 'severity' | 'data'>;

/** What the desk works with: the control plane's parts and callbacks, no back-reference to it. */
export interface PathDeskDeps {
  router: Router;
  clock: Clock;
  breakers: BreakerBoard;
  /** Its loop-around pings prove a repaired path. */
  sampler: Pick<PulseSampler, 'onPing'>;
  /** The `by` of the desk's forces: a force by any other name is the operator's, and left alone. */
  name: string;
  actions: Partial<Omit<RepairActions, 'reloadConfig'>>;
  repair: { enabled: boolean; start_after_ms: number };
  /** Getters: a reload replaces the mode manager and the runbooks. */
  modes: () => ModeState;
  runbooks: () => readonly Runbook[];
  lastSnapshot: () => PulseSnapshot | undefined;
  emit: (e: DeskEvent) => void;
  /** The state to save changed (saved by the next persist). */
  changed: () => void;
  persist: () => void;
  recordRun: (run: RepairRun, ok: boolean) => void;
  /** The reload_config repair action. */
  reloadConfig: () => { ok: boolean; detail: string };
}

export class PathDesk implements Disposable {
  private repairState: RepairState;
  private readonly failingSince = new Map<PathName, number>();
  private readonly store = new DisposableStore();
  private disposed = false;
  private readonly lookup: BreakerLookup = (dep) => this.deps.breakers.get(dep).state;

  constructor(private readonly deps: PathDeskDeps, restored: RepairState) {
    this.repairState = restored;
    this.store.add(deps.sampler.onPing((p) => {
      if (this.repairState.runs.some((r) => r.target === p.path && r.verify)) this.repairApply({ type: 'PING', path: p.path, echoed: p.echoed, rtt_ms: p.rtt_ms });
    }));
  }

  /** The runs and their history, as saved across a restart. */
  get state(): RepairState {
    return this.repairState;
  }

  /** Runs a restart interrupted are not resumed (their actions may be half done): they are cancelled. */
  cancelInterrupted(reason: string): void {
    for (const run of [...this.repairState.runs]) this.repairApply({ type: 'CANCEL', run_id: run.id, reason });
  }

  /** Each pulse: paths managed, then the repairs shown what the pulse saw. */
  pulse(snap: PulseSnapshot): void {
    this.managePaths(snap);
    this.observeRepairs(snap);
  }

  private pathsFailover(): boolean {
    const s = this.deps.modes();
    return !!s.degradations.COMM || s.pin?.mode === 'DEGRADED.COMM';
  }

  private forceOnto(peer: string, path: PathName, why: string): void {
    const live = this.deps.router.peers.get(peer);
    if (!live || (live.forcedPath === path && live.forcedBy === this.deps.name)) return;
    const r = this.deps.router.forcePath(peer, path, this.deps.name);
    if (r.ok) this.deps.emit({ type: 'path_switch', text: `${peer} held on ${path}: ${why}`, severity: 'warning', data: { peer, path, forced: true } });
  }

  /** SWITCH_PATHS failover: every EA whose preferred path is failing is held on its best healthy path. */
  failoverAll(): void {
    const snap = this.deps.lastSnapshot();
    if (!snap) return;
    for (const p of snap.peers) {
      if (p.role !== 'EA' || (p.forced_path && p.forced_by !== this.deps.name)) continue;
      const preferred = preferredPath(p);
      const failing = failingPaths(p, this.lookup);
      if (!preferred || !failing.includes(preferred)) continue;
      const best = bestUsablePath(p, this.lookup);
      if (best && best !== p.forced_path) this.forceOnto(p.node_id, best, `${preferred} failing`);
    }
  }

  /** Lifts the control plane's own forces (all, or those away from `path`); the router then switches back with its hysteresis. */
  liftForces(path: PathName | null, why: string): void {
    for (const peer of this.deps.router.peers.values()) {
      if (!peer.forcedPath || peer.forcedBy !== this.deps.name) continue;
      if (path !== null) {
        const snap = this.deps.lastSnapshot()?.peers.find((p) => p.node_id === peer.node_id);
        if (!snap || preferredPath(snap) !== path || !pathUsable(snap, path, this.lookup)) continue;
      }
      const from = peer.forcedPath;
      this.deps.router.forcePath(peer.node_id, null, this.deps.name);
      this.deps.emit({ type: 'path_switch', text: `${peer.node_id}: hold on ${from} lifted (${why}); traffic may return to ${path ?? 'its preferred path'}`, severity: 'info', data: { peer: peer.node_id, from, path } });
    }
  }

  /** Each pulse: keep EAs off failing paths while failed over, and start repairs of failing paths. */
  private managePaths(snap: PulseSnapshot): void {
    const now = snap.now_ms;
    const failover = this.pathsFailover();
    const failingNow = new Set<PathName>();
    for (const p of snap.peers) {
      if (p.role !== 'EA') continue;
      const failing = failingPaths(p, this.lookup);
      const alive = p.paths.some((x) => x.up);
      if (alive) for (const f of failing) failingNow.add(f);
      const ours = !!p.forced_path && p.forced_by === this.deps.name;
      const operator = !!p.forced_path && !ours;
      if (operator) continue;
      const preferred = preferredPath(p);
      // Traffic held off the preferred path returns only once a repair has proved it, even when
      // it came back by itself: it needs its run (restart, wait, shadow verification, switch back).
      if (ours && preferred && p.forced_path !== preferred) failingNow.add(preferred);
      if (failover && preferred && failing.includes(preferred)) {
        const best = bestUsablePath(p, this.lookup);
        if (best && best !== p.forced_path) this.forceOnto(p.node_id, best, `${preferred} failing`);
      } else if (ours && p.forced_path && !pathUsable(p, p.forced_path, this.lookup)) {
        const best = bestUsablePath(p, this.lookup);
        if (best && best !== p.forced_path) this.forceOnto(p.node_id, best, `${p.forced_path} failing too`);
      }
    }
    for (const path of PATH_PRIORITY) {
      if (!failingNow.has(path)) {
        this.failingSince.delete(path);
        continue;
      }
      const since = this.failingSince.get(path) ?? now;
      this.failingSince.set(path, since);
      if (this.deps.repair.enabled && now - since >= this.deps.repair.start_after_ms) this.maybeRepair(path, now);
    }
  }

  private maybeRepair(path: PathName, now: number): void {
    if (this.repairState.runs.some((r) => r.target === path)) return;
    const cooling = (b: Runbook) => this.repairState.history.some((h) => h.runbook === b.id && h.target === path && !h.ok && now - h.ended_ms < (b.cooldown_s ?? 0) * 1000);
    const book = runbooksFor(this.deps.runbooks(), path).find((b) => !cooling(b));
    if (!book) return;
    this.repairApply({ type: 'START', runbook: book, target: path, why: `${path} failing (probe quorum, down, or breaker open)` });
  }

  private observeRepairs(snap: PulseSnapshot): void {
    if (this.repairState.runs.length === 0) return;
    const up: Partial<Record<PathName, boolean>> = {};
    let spoolAge: number | null = null;
    for (const p of snap.peers) {
      if (p.role !== 'EA') continue;
      for (const x of p.paths) {
        if (x.up) up[x.path] = true;
        if (x.path === 'spool' && x.up && x.last_heard_ms_ago !== null) spoolAge = spoolAge === null ? x.last_heard_ms_ago : Math.min(spoolAge, x.last_heard_ms_ago);
      }
    }
    this.repairApply({ type: 'OBSERVE', up });
    // The spool has no echo: its heartbeat file's freshness is its loop-around probe, once a pulse.
    if (this.repairState.runs.some((r) => r.target === 'spool' && r.verify)) {
      this.repairApply({ type: 'PING', path: 'spool', echoed: !!up.spool, rtt_ms: spoolAge });
    }
  }

  private repairApply(event: RepairEvent): void {
    const [next, effects] = repairTransition(this.repairState, event, this.deps.clock.now_ms());
    this.repairState = next;
    if (effects.length > 0) this.deps.changed();
    for (const e of effects) this.onRepairEffect(e);
  }

  private onRepairEffect(e: RepairEffect): void {
    switch (e.type) {
      case 'STARTED':
        this.deps.emit({
          type: 'repair', text: `repair ${e.run.id}: ${e.run.title} (${e.run.target ?? 'configuration'}) started; estimate to recover ${e.estimate_s === null ? 'unknown' : `${e.estimate_s} s`}`,
          severity: 'warning', data: { run_id: e.run.id, runbook: e.run.runbook, target: e.run.target, estimate_s: e.estimate_s, why: e.run.why },
        });
        return;
      case 'STEP': {
        const step = e.run.steps[e.index];
        this.deps.emit({
          type: 'runbook_step', text: `repair ${e.run.id} step ${e.index + 1}/${e.run.steps.length} ${step?.name ?? ''}: ${e.state}${e.detail ? ` (${e.detail})` : ''}`,
          severity: e.state === 'failed' ? 'warning' : 'info', data: { run_id: e.run.id, runbook: e.run.runbook, step: e.index + 1, of: e.run.steps.length, name: step?.name, state: e.state },
        });
        return;
      }
      case 'VERIFY':
        this.deps.emit({
          type: 'verify', text: `shadow verification of ${e.run.target ?? '?'} ${e.passed ? 'passed' : 'failed'} (${e.run.verify?.good ?? 0}/${e.run.verify?.needed ?? 0} loop-around pings)`,
          severity: e.passed ? 'info' : 'warning', data: { run_id: e.run.id, passed: e.passed, target: e.run.target },
        });
        return;
      case 'FINISHED':
        try {
          this.deps.recordRun(e.run, e.ok);
        } catch {
          // the history is for estimates; the repair itself stands
        }
        this.deps.emit({
          type: 'repair', text: `repair ${e.run.id}: ${e.run.title} ${e.ok ? 'succeeded' : e.run.state === 'cancelled' ? 'cancelled' : 'failed'} after ${Math.round(e.duration_ms / 100) / 10} s${e.ok ? '' : `: ${e.run.detail ?? ''}`}`,
          severity: e.ok ? 'info' : 'warning', data: { run_id: e.run.id, runbook: e.run.runbook, target: e.run.target, ok: e.ok, duration_ms: e.duration_ms },
        });
        return;
      case 'SWITCH_BACK':
        this.switchBack(e.path);
        return;
      case 'RUN_ACTION':
        this.runAction(e);
        return;
      case 'REFUSED':
        return;
    }
  }

  /** The repaired path is proved: its breaker closes and the control plane's hold away from it is lifted. */
  private switchBack(path: PathName): void {
    const dep = `path:${path}`;
    const b = this.deps.breakers.get(dep);
    if (b.state === 'OPEN' && !b.halted) this.deps.breakers.clear(dep, this.deps.name, 'repair proved by shadow verification');
    if (this.deps.breakers.get(dep).state === 'HALF_OPEN' && this.deps.breakers.acquire(dep)) this.deps.breakers.success(dep);
    this.liftForces(path, 'repair proved by shadow verification');
  }

  private runAction(e: Extract<RepairEffect, { type: 'RUN_ACTION' }>): void {
    const done = (ok: boolean, detail: string) => {
      if (this.disposed) return;
      this.repairApply({ type: 'ACTION_DONE', run_id: e.run_id, ok, detail });
      this.deps.persist();
    };
    let work: Promise<string>;
    const a = this.deps.actions;
    const missing = (what: string) => Promise.reject(new Error(`${what} is not available in this Guardian`));
    switch (e.action) {
      case 'restart_listener':
        work = e.target && a.restartListener ? a.restartListener(e.target) : missing('restarting a listener');
        break;
      case 'rotate_port':
        work = e.target && a.rotatePort ? a.rotatePort(e.target, Number(e.params.port_offset ?? 1)) : missing('rotating a port');
        break;
      case 'recreate_pipe':
        work = a.recreatePipe ? a.recreatePipe() : missing('recreating the pipe');
        break;
      case 'clear_spool':
        work = a.clearSpool ? a.clearSpool() : missing('clearing the spool');
        break;
      case 'reload_config': {
        const r = this.deps.reloadConfig();
        work = r.ok ? Promise.resolve(r.detail) : Promise.reject(new Error(r.detail));
        break;
      }
    }
    work.then((detail) => done(true, detail), (err: unknown) => done(false, err instanceof Error ? err.message : String(err)));
  }

  runRunbook(id: string, target: PathName | null, by: string, reason: string): { ok: true; run_id: string } | { ok: false; error: string } {
    const book = this.deps.runbooks().find((b) => b.id === id);
    if (!book) return { ok: false, error: `no runbook ${id}` };
    if (!book.triggers.includes('operator')) return { ok: false, error: `runbook ${id} is not for operators` };
    if (target !== null && !(book.paths ?? []).includes(target)) return { ok: false, error: `runbook ${id} does not repair ${target}` };
    const before = this.repairState.next_id;
    this.repairApply({ type: 'START', runbook: book, target, why: `requested by ${by}: ${reason}` });
    this.deps.persist();
    if (this.repairState.next_id === before) return { ok: false, error: `a repair of ${target ?? id} is already running` };
    return { ok: true, run_id: `repair-${before}` };
  }

  repairs(): RepairStatus[] {
    const now = this.deps.clock.now_ms();
    const shift = this.deps.clock.wall_ms() - now;
    return this.repairState.runs.map((r: RepairRun) => {
      const book = this.deps.runbooks().find((b) => b.id === r.runbook);
      const ok = this.repairState.history.filter((h) => h.runbook === r.runbook && h.ok).slice(-20).map((h) => h.duration_ms).sort((a, b) => a - b);
      const median = ok.length === 0 ? null : ok.length % 2 ? ok[(ok.length - 1) / 2]! : (ok[ok.length / 2 - 1]! + ok[ok.length / 2]!) / 2;
      const estimate = median !== null ? median / 1000 : (book?.expected_s ?? null);
      return {
        id: r.id, runbook: r.runbook, title: r.title, target: r.target, state: r.state, step: Math.min(r.step + 1, r.steps.length), of: r.steps.length,
        step_name: r.steps[r.step]?.name ?? '', verify: r.verify ? { good: r.verify.good, needed: r.verify.needed } : null,
        estimate_to_recover_s: estimate === null ? null : Math.max(0, Math.round((estimate - (now - r.started_ms) / 1000) * 10) / 10),
        started: new Date(r.started_ms + shift).toISOString(), why: r.why,
      };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.store.dispose();
  }
}
