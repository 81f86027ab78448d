// Issue 6: the pre-trade gate with a real Guardian and the simulator. A signal over the limits is
// refused before the EA: its service hears ERROR <reason> with ref_message_id, the console's API
// shows it with its reason and detail, and the risk gate counts it; a signal within them passes.
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalPayload } from '../src-shared/protocol';
import { until } from './control-harness';
import { startExecutionScenario, type ExecutionScenario } from './execution-harness';

const order = (id: string, p: Partial<SignalPayload> = {}): SignalPayload => ({ signal_id: id, symbol: 'EURUSD', action: 'BUY', lots: 0.1, order_type: 'MARKET', price: 1.085, tier: 'primary', ...p });

describe('the pre-trade gate', () => {
  let s: ExecutionScenario | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('refuses an order over its size: ERROR to the service, kept with its reason, shown by the API, counted by the risk gate', async () => {
    s = await startExecutionScenario({ limits: (l) => { l.order_size.max_lots_per_order = 1; } });
    const { g, ea, sig } = s;
    const cp = g.control!;
    await until(() => cp.mode === 'NORMAL' && g.router.peers.get('ea-1')?.activePath != null && g.router.peers.get('sig-primary')?.activePath != null, 20_000, 'both peers connected in NORMAL'); // generous: a loaded 2-core machine

    await sig.client.send('SIGNAL', order('fits', { lots: 1 }));
    await sig.client.send('SIGNAL', order('too-big', { lots: 5 }));
    await until(() => s!.errors.length >= 1, 5000, 'the ERROR at the signal service');
    await until(() => ea.receivedSignals().some((r) => r.signal_id === 'fits'), 5000, 'the order within the limits at the EA');

    const err = s.errors[0]!;
    expect(err.reason).toBe('ORDER_SIZE_BLOCK');
    expect(err.detail).toBe('5 lots > max_lots_per_order 1');
    expect(err.ref_message_id).toMatch(/^sig-primary/);
    expect(ea.receivedSignals().some((r) => r.signal_id === 'too-big')).toBe(false);

    // Through the console's API (real HTTP, the operator's token).
    const view = await s.view();
    expect(view.gate_enabled).toBe(true);
    expect(view.blocked).toEqual([expect.objectContaining({
      signal_id: 'too-big', origin: 'sig-primary', symbol: 'EURUSD', action: 'BUY', lots: 5, reason_code: 'ORDER_SIZE_BLOCK',
      detail: '5 lots > max_lots_per_order 1', message_id: err.ref_message_id,
    })]);
    const held = await s.get<'signalsHeld'>('/api/signals/held');
    expect(held.signals.find((x) => x.signal_id === 'too-big')).toMatchObject({ state: 'blocked', reason_code: 'ORDER_SIZE_BLOCK' });

    // The risk gate's variable and constraint see it.
    await until(() => (cp.latest()?.snapshot.vars.pretrade_blocks_per_min ?? 0) >= 1, 3000, 'pretrade_blocks_per_min counted');
    expect(cp.latest()!.snapshot.vars.pretrade_blocks_per_min).toBe(1);
    expect(cp.latest()!.decision.results.find((r) => r.id === 'pretrade_blocks_rate')).toMatchObject({ status: 'pass' }); // 1 < 10
  });

  it('an entry held by manage-only meets the gate when it is released: over the limit it is refused then, the other reaches the EA', async () => {
    s = await startExecutionScenario({ limits: (l) => { l.order_size.max_lots_per_order = 1; } });
    const { g, ea, sig } = s;
    const cp = g.control!;
    await until(() => cp.mode === 'NORMAL' && g.router.peers.get('ea-1')?.activePath != null && g.router.peers.get('sig-primary')?.activePath != null, 20_000, 'both peers connected in NORMAL');
    expect((await g.console.control({ name: 'override_mode', request: { reason: 'manage-only drill', mode: 'DEGRADED.EXEC', direction: 'pin' } }, 'operator:test')).ok).toBe(true);
    const held: string[] = [];
    g.router.events.on((e) => {
      if (e.type === 'signal_held') held.push(e.signal_id);
    });
    await sig.client.send('SIGNAL', order('held-ok', { lots: 0.5 }));
    await sig.client.send('SIGNAL', order('held-big', { lots: 3 }));
    await until(() => held.length === 2, 5000, 'both entries held (MODE_BLOCK)');
    expect(s.errors).toEqual([]); // held, not refused: the gate has not seen them yet

    cp.unpin('operator:test', 'drill over');
    await until(() => ea.receivedSignals().some((r) => r.signal_id === 'held-ok'), 5000, 'the entry within the limits released to the EA');
    await until(() => s!.errors.length === 1, 5000, 'the ERROR for the entry over the limit');
    expect(s.errors[0]).toMatchObject({ reason: 'ORDER_SIZE_BLOCK', detail: '3 lots > max_lots_per_order 1 (checked at release)' });
    expect(ea.receivedSignals().some((r) => r.signal_id === 'held-big')).toBe(false);
    expect((await s.view()).blocked[0]).toMatchObject({ signal_id: 'held-big', reason_code: 'ORDER_SIZE_BLOCK' });
  });

  it('a duplicate signal_id and a throttled burst are refused with their own reasons', async () => {
    s = await startExecutionScenario({ limits: (l) => { l.rate.orders_per_min = 3; l.rate.orders_per_min_per_symbol = 3; } });
    const { g, ea, sig } = s;
    await until(() => g.control!.mode === 'NORMAL' && g.router.peers.get('ea-1')?.activePath != null && g.router.peers.get('sig-primary')?.activePath != null, 20_000, 'both peers connected in NORMAL'); // generous: a loaded 2-core machine
    await sig.client.send('SIGNAL', order('a', { lots: 0.1 }));
    await sig.client.send('SIGNAL', order('a', { lots: 0.2 })); // the same id again
    await sig.client.send('SIGNAL', order('b', { lots: 0.2 }));
    await sig.client.send('SIGNAL', order('c', { lots: 0.3 }));
    await sig.client.send('SIGNAL', order('d', { lots: 0.4 })); // the fourth order in a minute
    await until(() => s!.errors.length >= 2, 5000, 'two ERRORs');
    expect(s.errors.map((e) => e.reason)).toEqual(['DUPLICATE_ORDER_BLOCK', 'RATE_THROTTLE_BLOCK']);
    await until(() => ea.receivedSignals().length === 3, 5000, 'three orders at the EA');
    expect(ea.receivedSignals().map((r) => r.signal_id)).toEqual(['a', 'b', 'c']);
    expect((await s.view()).blocked.map((b) => [b.signal_id, b.reason_code])).toEqual([['d', 'RATE_THROTTLE_BLOCK'], ['a', 'DUPLICATE_ORDER_BLOCK']]);
  });
});
