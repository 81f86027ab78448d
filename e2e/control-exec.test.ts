// Issue 3, execution quality with the real data plane and the simulator: the broker's rejects
// rise -> DEGRADED.EXEC, manage-only: new entries (BUY, SELL) are held with MODE_BLOCK and a TTL
// while closes and modifications pass; an entry held past its TTL expires, one still within it is
// released (after the EA's RESUME) when the mode clears; every outcome is recorded.
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalPayload, TradePayload } from '../src-shared/protocol';
import { EA_STATE_CODES } from '../src-main/guardian/agents';
import { startScenario, sleep, until, type Scenario, TEST_POLICY } from './control-harness';

const entry = (id: string): SignalPayload => ({ signal_id: id, symbol: 'EURUSD', action: 'BUY', lots: 0.01, price: 1.08, sl: 1.07, tp: 1.1, tier: 'primary' });

describe('control plane: the broker rejects orders', () => {
  let s: Scenario | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('manage-only: entries held and released or expired, closes pass, NORMAL once rejects fall', async () => {
    s = await startScenario({
      rate_per_s: 20,
      tiers: ['primary'],
      policy: TEST_POLICY.replace('held_signals: { ttl_s: 30 }', 'held_signals: { ttl_s: 5 }'),
      control: { pulse: { trades: { slippage_s: 8, rates_s: 8, exec_s: 8, min_orders: 10 } } },
    });
    const { g, ea } = s;
    const cp = g.control!;
    const sig = s.signals.primary!;
    let lastBrokerReject = 0;
    const ownRejectsAt: number[] = [];
    const held = new Map<string, string>(); // signal_id -> message_id
    const expired = new Set<string>();
    g.router.events.on((e) => {
      if (e.type === 'message' && e.envelope.header.message_type === 'TRADE') {
        const t = e.envelope.payload as TradePayload;
        if (t.event === 'REJECTED' && typeof t.reject_code === 'number') lastBrokerReject = Date.now();
        if (t.event === 'REJECTED' && t.reject_code === 'HOLD_NEW_ENTRIES') ownRejectsAt.push(Date.now());
      }
      if (e.type === 'signal_held') held.set(e.signal_id, e.message_id);
      if (e.type === 'signal_expired') expired.add(e.message_id);
    });
    await until(() => cp.mode === 'NORMAL' && (cp.latest()?.snapshot.seq ?? 0) > 10, 10_000, 'a settled NORMAL');

    // The broker starts rejecting most orders.
    await g.router.send('ea-1', 'PARAM', { name: 'reject_rate', value: 0.8 });
    await until(() => cp.mode === 'DEGRADED.EXEC', 8000, 'DEGRADED.EXEC');
    sig.setRate(0);
    const entered = s.events.find((e) => e.type === 'mode_change' && e.to_mode === 'DEGRADED.EXEC')!;
    expect(entered.why?.text).toMatch(/exec \d+(\.\d+)? < 60/);
    expect(cp.controlStatus().control.entries).toBe('hold');
    await until(() => ea.holdingNewEntries, 3000, 'the EA told to hold new entries');
    // It says PAUSED, as told: the constraint that asks an operator to resume a paused EA stays
    // quiet (resuming it would undo the hold).
    await until(() => cp.latest()!.snapshot.vars.ea_state_code_agents === EA_STATE_CODES.PAUSED, 3000, 'the EA reporting PAUSED');
    expect(cp.latest()!.decision.results.find((r) => r.id === 'ea_running')).toMatchObject({ status: 'pass' });
    await g.router.send('ea-1', 'PARAM', { name: 'reject_rate', value: 0 });

    // Batch A: entries held; a close and a modification pass at once.
    await sig.client.send('SIGNAL', entry('entry-A1'));
    await sig.client.send('SIGNAL', entry('entry-A2'));
    await sig.client.send('SIGNAL', { signal_id: 'close-1', symbol: 'EURUSD', action: 'CLOSE', tier: 'primary' });
    await sig.client.send('SIGNAL', { signal_id: 'modify-1', symbol: 'EURUSD', action: 'MODIFY', sl: 1.075, tier: 'primary' });
    await until(() => ['close-1', 'modify-1'].every((id) => ea.receivedSignals().some((r) => r.signal_id === id)), 3000, 'the close and the modify at the EA');
    await until(() => held.has('entry-A1') && held.has('entry-A2'), 3000, 'batch A held');
    expect(ea.receivedSignals().some((r) => r.signal_id.startsWith('entry-A'))).toBe(false);

    // Batch A outlives its TTL (5 s) while the mode holds: expired, its service told.
    await until(() => expired.has(held.get('entry-A1')!) && expired.has(held.get('entry-A2')!), 8000, 'batch A expired');
    expect(cp.mode).toBe('DEGRADED.EXEC');

    // Batch B comes shortly before the rejects leave their 8 s window: released when the mode clears.
    await sleep(Math.max(0, lastBrokerReject + 6500 - Date.now()));
    await sig.client.send('SIGNAL', entry('entry-B1'));
    await sig.client.send('SIGNAL', entry('entry-B2'));
    await until(() => held.has('entry-B1') && held.has('entry-B2'), 3000, 'batch B held');
    await until(() => cp.mode === 'NORMAL', 10_000, 'NORMAL once the rejects left their window');
    const normalAt = Date.now();
    await until(() => ['entry-B1', 'entry-B2'].every((id) => ea.receivedSignals().some((r) => r.signal_id === id)), 3000, 'batch B released to the EA');
    await sleep(300);
    // The EA was told to RESUME before it read the released entries: none bounced off its own hold.
    expect(ownRejectsAt.filter((t) => t >= normalAt)).toEqual([]);
    expect(ea.holdingNewEntries).toBe(false);
    expect(ea.receivedSignals().some((r) => r.signal_id.startsWith('entry-A'))).toBe(false);

    // Every outcome is on record: in the router's table and in the control plane's events.
    const outcome = (id: string) => (g.db.prepare('SELECT state FROM held_signals WHERE message_id = ?').get(held.get(id)) as { state: string }).state;
    expect(['entry-A1', 'entry-A2', 'entry-B1', 'entry-B2'].map(outcome)).toEqual(['expired', 'expired', 'released', 'released']);
    const heldEvents = s.events.filter((e) => e.type === 'held_signal');
    expect(heldEvents.filter((e) => e.data?.outcome === 'held').length).toBeGreaterThanOrEqual(4);
    expect(heldEvents.filter((e) => e.data?.outcome === 'expired').length).toBeGreaterThanOrEqual(2);
    expect(heldEvents.some((e) => e.data?.released === 2)).toBe(true);
    const commands = s.events.filter((e) => e.type === 'command').map((e) => String(e.data?.command));
    expect(commands).toEqual(expect.arrayContaining(['HOLD_NEW_ENTRIES', 'RESUME']));
    expect(s.modesEntered().filter((m) => m === 'DEGRADED.EXEC')).toHaveLength(1);
  });
  it('an EA restarted while new entries are held is told again, and holds again: its memory went with it', async () => {
    s = await startScenario({ rate_per_s: 0, tiers: ['primary'], control: { standing_orders: { confirm_ms: 300, resend_ms: 1000 } } });
    const scenario = s;
    const cp = scenario.g.control!;
    await until(() => cp.mode === 'NORMAL' && (cp.latest()?.snapshot.seq ?? 0) > 10, 10_000, 'a settled NORMAL');
    cp.holdEntries('alice', 'NFP in five minutes');
    await until(() => scenario.ea.holdingNewEntries, 3000, 'the EA told to hold new entries');
    await sleep(1000); // it says PAUSED: nothing more to tell it
    const standing = () => scenario.events.filter((e) => e.type === 'command' && e.data?.standing === true);
    expect(standing()).toEqual([]);

    const ea = await scenario.restartEa();
    expect(ea.holdingNewEntries).toBe(false); // MT4 keeps an EA's state in memory
    await until(() => ea.holdingNewEntries, 5000, 'the restarted EA told again');
    expect(standing()[0]?.text).toMatch(/^ea-1 reports (IDLE|MANAGING|ORDERS_PLACED) while new entries are held: it restarted, or lost the command; HOLD_NEW_ENTRIES sent again$/);
    await until(() => cp.latest()!.snapshot.vars.ea_state_code_agents === EA_STATE_CODES.PAUSED, 3000, 'the EA reporting PAUSED again');
    await sleep(1500); // past resend_ms: a held EA is left alone
    expect(standing()).toHaveLength(1);
  });
});
