import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../clock';
import {
  estimateToRecover_s, initialRepairState, loadRunbooks, parseRunbooks, remaining_s, repairTransition, runbooksFor, shiftRepairState,
  type RepairEffect, type RepairEvent, type RepairState, type Runbook,
} from './index';

const BOOK: Runbook = {
  id: 'restart_socket_listener',
  title: 'Restart the socket listener',
  paths: ['socket'],
  triggers: ['path_failing'],
  expected_s: 10,
  steps: [
    { name: 'restart', action: 'restart_listener', timeout_s: 5 },
    { name: 'wait', action: 'wait_path_up', timeout_s: 30 },
    { name: 'verify', action: 'verify', timeout_s: 20, pings: 3, rtt_budget_ms: 100 },
    { name: 'back', action: 'switch_back', timeout_s: 5 },
  ],
};

/** Drives the pure machine on a ManualClock, collecting every effect. */
class Driver {
  state: RepairState = initialRepairState();
  readonly effects: RepairEffect[] = [];
  constructor(readonly clock = new ManualClock({ now_ms: 1000 })) {}
  send(e: RepairEvent): RepairEffect[] {
    const [next, effects] = repairTransition(this.state, e, this.clock.now_ms());
    this.state = next;
    this.effects.push(...effects);
    return effects;
  }
  at(ms: number, e: RepairEvent = { type: 'TICK' }): RepairEffect[] {
    this.clock.advance(ms);
    return this.send(e);
  }
  types(): string[] {
    return this.effects.map((e) => (e.type === 'STEP' ? `STEP ${e.index + 1} ${e.state}` : e.type));
  }
}

describe('the repair step machine', () => {
  it('walks the runbook: action, wait for the path, shadow verification, switch back; and reports step progress', () => {
    const d = new Driver();
    d.send({ type: 'START', runbook: BOOK, target: 'socket', why: 'socket down' });
    expect(d.types()).toEqual(['STARTED', 'STEP 1 running', 'RUN_ACTION']);
    const action = d.effects.find((e) => e.type === 'RUN_ACTION');
    expect(action).toMatchObject({ type: 'RUN_ACTION', run_id: 'repair-1', action: 'restart_listener', target: 'socket' });
    expect(d.effects.find((e) => e.type === 'STARTED')).toMatchObject({ estimate_s: 10 }); // the runbook's seed: no history yet

    d.at(200, { type: 'ACTION_DONE', run_id: 'repair-1', ok: true, detail: 'listening again' });
    expect(d.state.runs[0]).toMatchObject({ step: 1, state: 'running' });
    d.at(500, { type: 'OBSERVE', up: { socket: true } });
    expect(d.state.runs[0]).toMatchObject({ step: 2, state: 'verifying', verify: { good: 0, needed: 3 } });

    // A lost ping or one over budget starts the count again; three good ones in a row prove the path.
    d.at(50, { type: 'PING', path: 'socket', echoed: true, rtt_ms: 5 });
    d.at(50, { type: 'PING', path: 'socket', echoed: false, rtt_ms: null });
    d.at(50, { type: 'PING', path: 'socket', echoed: true, rtt_ms: 5 });
    d.at(50, { type: 'PING', path: 'socket', echoed: true, rtt_ms: 500 });
    expect(d.state.runs[0]?.verify).toMatchObject({ good: 0, resets: 2 });
    d.at(50, { type: 'PING', path: 'pipe', echoed: true, rtt_ms: 5 }); // another path proves nothing
    for (let i = 0; i < 3; i++) d.at(50, { type: 'PING', path: 'socket', echoed: true, rtt_ms: 7 });
    expect(d.state.runs).toEqual([]);
    expect(d.types().slice(-6)).toEqual(['VERIFY', 'STEP 3 done', 'STEP 4 running', 'SWITCH_BACK', 'STEP 4 done', 'FINISHED']);
    const finished = d.effects.find((e) => e.type === 'FINISHED');
    expect(finished).toMatchObject({ ok: true, duration_ms: 200 + 500 + 50 * 8 });
    expect(d.state.history).toEqual([{ runbook: BOOK.id, target: 'socket', ok: true, duration_ms: 1100, ended_ms: d.clock.now_ms() }]);
  });

  it('fails a step that times out, skips the rest, and never switches back to an unproved path', () => {
    const d = new Driver();
    d.send({ type: 'START', runbook: BOOK, target: 'socket', why: 'socket down' });
    d.at(100, { type: 'ACTION_DONE', run_id: 'repair-1', ok: true, detail: 'ok' });
    d.at(29_000, { type: 'OBSERVE', up: { socket: false } });
    expect(d.state.runs).toHaveLength(1);
    d.at(1_001);
    expect(d.state.runs).toHaveLength(0);
    const finished = d.effects.find((e) => e.type === 'FINISHED');
    expect(finished).toMatchObject({ ok: false });
    expect(finished?.type === 'FINISHED' && finished.run.detail).toMatch(/step 2 \(wait\) failed: timed out after 30 s/);
    expect(finished?.type === 'FINISHED' && finished.run.steps.map((s) => s.state)).toEqual(['done', 'failed', 'skipped', 'skipped']);
    expect(d.types()).not.toContain('SWITCH_BACK');
  });

  it('fails the run when its action fails, and refuses a second run on the same path', () => {
    const d = new Driver();
    d.send({ type: 'START', runbook: BOOK, target: 'socket', why: 'a' });
    expect(d.send({ type: 'START', runbook: BOOK, target: 'socket', why: 'b' })).toEqual([
      { type: 'REFUSED', runbook: BOOK.id, target: 'socket', reason: 'run repair-1 (restart_socket_listener) is already repairing socket' },
    ]);
    d.at(10, { type: 'ACTION_DONE', run_id: 'repair-1', ok: false, detail: 'EADDRINUSE' });
    expect(d.effects.at(-1)).toMatchObject({ type: 'FINISHED', ok: false });
    expect(d.state.history.at(-1)).toMatchObject({ ok: false });
  });

  it('a verification broken by the path going down starts counting again', () => {
    const d = new Driver();
    d.send({ type: 'START', runbook: { ...BOOK, steps: BOOK.steps.slice(2) }, target: 'socket', why: 'x' });
    d.at(10, { type: 'PING', path: 'socket', echoed: true, rtt_ms: 1 });
    d.at(10, { type: 'PING', path: 'socket', echoed: true, rtt_ms: 1 });
    d.at(10, { type: 'OBSERVE', up: { socket: false } });
    expect(d.state.runs[0]?.verify?.good).toBe(0);
  });

  it('draws the estimate to recover from past successful runs (median), else the seed', () => {
    const h = (ok: boolean, s: number) => ({ runbook: 'r', target: 'socket' as const, ok, duration_ms: s * 1000, ended_ms: 0 });
    expect(estimateToRecover_s([], 'r', 12)).toBe(12);
    expect(estimateToRecover_s([], 'r')).toBeNull();
    const history = [h(true, 4), h(false, 100), h(true, 10), h(true, 6), { ...h(true, 50), runbook: 'other' }];
    expect(estimateToRecover_s(history, 'r', 12)).toBe(6);
    expect(estimateToRecover_s([...history, h(true, 8)], 'r')).toBe(7);
    const run = { started_ms: 0, runbook: 'r' } as Parameters<typeof remaining_s>[0];
    expect(remaining_s(run, history, 4000)).toBe(2);
    expect(remaining_s(run, history, 60_000)).toBe(0);
  });

  it('carries a run across a restart on the new monotonic clock', () => {
    const d = new Driver();
    d.send({ type: 'START', runbook: BOOK, target: 'socket', why: 'x' });
    const shifted = shiftRepairState(JSON.parse(JSON.stringify(d.state)) as RepairState, 5000);
    expect(shifted.runs[0]).toMatchObject({ started_ms: 6000, step_started_ms: 6000 });
    expect(shifted.up).toEqual({});
  });
});

describe('runbooks', () => {
  it('the shipped runbooks load, and every path has one', () => {
    const books = loadRunbooks(fileURLToPath(new URL('../../../config/runbooks.yaml', import.meta.url)));
    for (const path of ['socket', 'pipe', 'spool'] as const) expect(runbooksFor(books, path).length).toBeGreaterThan(0);
    expect(runbooksFor(books, 'socket').map((b) => b.id)).toEqual(['restart_socket_listener', 'rotate_socket_port']);
    expect(books.find((b) => b.id === 'reload_config')?.triggers).toContain('operator');
  });

  it('refuses a bad file with every problem at once', () => {
    const text = `version: 1
runbooks:
  - id: a
    title: A
    triggers: [path_failing]
    steps:
      - { name: back, action: switch_back, timeout_s: 1 }
      - { name: verify, action: verify, timeout_s: 1 }
  - id: a
    title: again
    triggers: [operator]
    steps:
      - { name: x, action: restart_listener, timeout_s: 1, pings: 3 }
`;
    expect(() => parseRunbooks(text, 'r.yaml')).toThrow(/a path_failing runbook must list its paths[\s\S]*switch_back must come after a verify step[\s\S]*duplicate id[\s\S]*pings and rtt_budget_ms belong to a verify step/);
    expect(() => parseRunbooks('version: 1\nrunbooks:\n  - { id: a, title: A, triggers: [sometimes], steps: [] }\n', 'r.yaml')).toThrow(/r\.yaml: runbooks\.0/);
  });
});
