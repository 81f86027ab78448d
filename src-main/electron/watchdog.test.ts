import { describe, expect, it } from 'vitest';
import { initialWatchdog, transition, type WatchdogEffect, type WatchdogEvent, type WatchdogSettings, type WatchdogState } from './watchdog';

const SETTINGS: WatchdogSettings = { ping_every_ms: 1000, stall_limit_ms: 5000 };

/** Feeds events in order; returns the final state and every effect, each with the time it came. */
function run(events: WatchdogEvent[], s: WatchdogState = initialWatchdog()): { state: WatchdogState; effects: (WatchdogEffect & { at?: number })[] } {
  const effects: (WatchdogEffect & { at?: number })[] = [];
  for (const e of events) {
    const [next, fx] = transition(s, e, SETTINGS);
    s = next;
    for (const f of fx) effects.push({ ...f, at: 'now_ms' in e ? e.now_ms : undefined });
  }
  return { state: s, effects };
}

const ticks = (from: number, to: number, step = 250): WatchdogEvent[] => {
  const out: WatchdogEvent[] = [];
  for (let t = from; t <= to; t += step) out.push({ type: 'tick', now_ms: t });
  return out;
};

describe('the control-plane watchdog', () => {
  it('pings every interval while the host answers, and never restarts a healthy host', () => {
    const events: WatchdogEvent[] = [{ type: 'host_ready', now_ms: 0 }];
    let id = 1;
    for (let t = 250; t <= 60_000; t += 250) {
      events.push({ type: 'tick', now_ms: t });
      if (t % 1000 === 0) events.push({ type: 'pong', id: id++, now_ms: t + 5 }); // answered 5 ms later
    }
    const { state, effects } = run(events);
    expect(state.phase).toBe('watching');
    expect(effects.filter((e) => e.type === 'ping')).toHaveLength(60);
    expect(effects.filter((e) => e.type !== 'ping')).toEqual([]);
  });

  it('a ping unanswered past the stall limit kills the host, and once it exits restarts it with a backoff', () => {
    const { state, effects } = run([
      { type: 'host_ready', now_ms: 0 },
      ...ticks(250, 7000), // ping at 1000, no pong: stalled at 6000
      { type: 'host_exited', code: 9, now_ms: 7100 },
    ]);
    expect(effects.map((e) => [e.type, e.at])).toEqual([['ping', 1000], ['kill_host', 6000], ['tell_window', 6000], ['start_host_in', 7100], ['tell_window', 7100]]);
    expect(effects[1]).toMatchObject({ why: 'no answer to a ping for 5 s' });
    expect(effects[3]).toMatchObject({ delay_ms: 1000, cause: { reason: 'stalled', at_ms: 6000 } });
    expect(state).toMatchObject({ phase: 'restarting', crashes_ms: [7100] });
    // No second kill while the first is on its way: one stall, one restart.
    expect(run([{ type: 'host_ready', now_ms: 0 }, ...ticks(250, 20_000)]).effects.filter((e) => e.type === 'kill_host')).toHaveLength(1);
  });

  it('a pong in time (even a slow one) keeps the host; a late or unknown pong is ignored', () => {
    const slow = run([{ type: 'host_ready', now_ms: 0 }, ...ticks(250, 5750), { type: 'pong', id: 1, now_ms: 5900 }, ...ticks(6000, 9000)]);
    expect(slow.effects.filter((e) => e.type === 'kill_host')).toEqual([]);
    const foreign = run([{ type: 'host_ready', now_ms: 0 }, ...ticks(250, 1000), { type: 'pong', id: 99, now_ms: 1100 }, ...ticks(1250, 6000)]);
    expect(foreign.effects.filter((e) => e.type === 'kill_host')).toHaveLength(1);
  });

  it('a host that dies is restarted; the restart is recorded and told once the new host is up', () => {
    const { state, effects } = run([
      { type: 'host_ready', now_ms: 0 },
      { type: 'host_exited', code: 134, now_ms: 30_000 },
      { type: 'host_ready', now_ms: 32_500 },
    ]);
    expect(effects.map((e) => e.type)).toEqual(['start_host_in', 'tell_window', 'record_restart', 'tell_window']);
    expect(effects[2]).toEqual({ type: 'record_restart', cause: { reason: 'exited', detail: 'exit code 134', at_ms: 30_000 }, down_ms: 2500, at: 32_500 });
    expect(effects[3]).toMatchObject({ severity: 'warning', text: expect.stringMatching(/restarted after it stopped \(exit code 134\); back after 2\.5 s/) });
    expect(state.phase).toBe('watching');
  });

  it('backs off on repeated crashes and gives up after five in ten minutes', () => {
    const events: WatchdogEvent[] = [];
    for (let k = 0; k < 5; k++) events.push({ type: 'host_ready', now_ms: k * 10_000 }, { type: 'host_exited', code: 1, now_ms: k * 10_000 + 5000 });
    const { state, effects } = run(events);
    expect(effects.filter((e) => e.type === 'start_host_in').map((e) => (e as { delay_ms: number }).delay_ms)).toEqual([1000, 2000, 4000, 8000]);
    expect(state).toMatchObject({ phase: 'given_up', why: expect.stringMatching(/5 times in 10 minutes/) });
    expect(effects.at(-1)).toMatchObject({ type: 'tell_window', severity: 'critical' });
    // Given up: nothing more happens, whatever comes.
    expect(transition(state, { type: 'tick', now_ms: 1e9 }, SETTINGS)[1]).toEqual([]);
  });

  it('a shutdown stops the watch: no pings, no restarts', () => {
    const { state, effects } = run([{ type: 'host_ready', now_ms: 0 }, { type: 'stopping' }, ...ticks(250, 20_000), { type: 'host_exited', code: 0, now_ms: 21_000 }]);
    expect(state.phase).toBe('stopping');
    expect(effects).toEqual([]);
  });
});
