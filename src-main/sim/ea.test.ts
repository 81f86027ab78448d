import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePayload, type Envelope, type SignalPayload, type TradePayload } from '../../src-shared/protocol';
import { FakeGuardian } from './testing/fake-guardian';
import { waitUntil } from './testing/wait';
import { SimulatedEa, type SimulatedEaOptions } from './ea';

let dir: string;
let guardian: FakeGuardian;
let ea: SimulatedEa | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-ea-'));
  guardian = await FakeGuardian.start({ dir: join(dir, 'guardian') });
});
afterEach(async () => {
  await ea?.stop();
  ea = undefined;
  await guardian.stop();
  rmSync(dir, { recursive: true, force: true });
});

function startEa(extra: Partial<SimulatedEaOptions> = {}): SimulatedEa {
  ea = new SimulatedEa({
    node_id: 'ea-1', dataDir: join(dir, 'ea'), heartbeat_ms: 50, status_ms: 100, reject_rate: 0, fill_ms: 5,
    paths: { socket: guardian.socketAddress }, ...extra,
  });
  ea.start();
  return ea;
}

const signal = (id: number, action: SignalPayload['action'], extra: Partial<SignalPayload> = {}): SignalPayload => ({
  signal_id: `sig-${id}`, symbol: 'EURUSD', action, lots: 0.1, price: 1.085, sl: 1.083, tp: 1.089, tier: 'primary', ...extra,
});
const ofType = (t: string): Envelope[] => guardian.received('ea-1').filter((e) => e.header.message_type === t);
const trades = (): TradePayload[] => ofType('TRADE').map((e) => e.payload as TradePayload);
const greeted = () => guardian.connectedPaths('ea-1').length > 0;

describe('the simulated EA', () => {
  it('reports a valid STATUS every interval, with a correlation that can spike', async () => {
    const e = startEa();
    await waitUntil(() => ofType('STATUS').length >= 2, 2000, 'two STATUS');
    const st = ofType('STATUS')[0]!.payload as unknown as Record<string, unknown>;
    expect(validatePayload('STATUS', st)).toBeNull();
    expect(st).toMatchObject({ ea_state: 'IDLE', balance: 10_000, open_positions: 0 });
    expect(st.portfolio_correlation).toBeLessThan(0.5);
    // The last quote per symbol (optional STATUS field): what Guardian's price collar reads.
    const q = (st.quotes as Record<string, { bid: number; ask: number }>).EURUSD!;
    expect(q.ask - q.bid).toBeCloseTo(0.0001, 6);
    e.faults.spikeCorrelation(0.95);
    const n = ofType('STATUS').length;
    await waitUntil(() => ofType('STATUS').length > n, 2000, 'the next STATUS');
    expect((ofType('STATUS').at(-1)!.payload as unknown as Record<string, unknown>).portfolio_correlation).toBe(0.95);
  });

  it('trades on signals, obeys commands, answers STATUS_REQUEST, keeps the ledger', async () => {
    const e = startEa({ max_slippage_pips: 0.5 });
    await waitUntil(greeted, 2000, 'the greeting');
    guardian.send('ea-1', 'SIGNAL', signal(1, 'BUY'));
    await waitUntil(() => trades().length === 1, 2000, 'the fill');
    const opened = trades()[0]!;
    expect(opened).toMatchObject({ event: 'OPENED', symbol: 'EURUSD', side: 'BUY', lots: 0.1, requested_price: 1.085, sl: 1.083, tp: 1.089 });
    expect(opened.slippage_pips).toBeLessThanOrEqual(0.5);
    expect(opened.price! - 1.085).toBeGreaterThanOrEqual(0); // adverse for a buy

    guardian.send('ea-1', 'SIGNAL', signal(2, 'MODIFY', { sl: 1.084 }));
    await waitUntil(() => trades().length === 2, 2000, 'the modify');
    expect(trades()[1]).toMatchObject({ event: 'MODIFIED', ticket: opened.ticket, sl: 1.084 });

    guardian.send('ea-1', 'COMMAND', { command: 'HOLD_NEW_ENTRIES', reason: 'test' });
    guardian.send('ea-1', 'SIGNAL', signal(3, 'SELL'));
    await waitUntil(() => trades().length === 3, 2000, 'the refusal');
    expect(trades()[2]).toMatchObject({ event: 'REJECTED', reject_code: 'HOLD_NEW_ENTRIES' });
    expect(e.status().ea_state).toBe('PAUSED');
    guardian.send('ea-1', 'COMMAND', { command: 'RESUME' });
    guardian.send('ea-1', 'SIGNAL', signal(4, 'SELL', { symbol: 'USDJPY', price: 150 }));
    await waitUntil(() => trades().length === 4, 2000, 'the second fill');

    guardian.send('ea-1', 'STATUS_REQUEST', {});
    await waitUntil(() => ofType('STATUS_RESPONSE').length === 1, 2000, 'the STATUS_RESPONSE');
    const resp = ofType('STATUS_RESPONSE')[0]!.payload as unknown as { positions: unknown[]; open_positions: number };
    expect(validatePayload('STATUS_RESPONSE', resp)).toBeNull();
    expect(resp.open_positions).toBe(2);
    expect(resp.positions).toHaveLength(2);

    guardian.send('ea-1', 'COMMAND', { command: 'FLATTEN', reason: 'test' });
    await waitUntil(() => trades().length === 6, 2000, 'two closes');
    expect(trades().slice(4).map((t) => t.event)).toEqual(['CLOSED', 'CLOSED']);
    expect(e.positions()).toHaveLength(0);
    for (const t of trades()) expect(validatePayload('TRADE', t)).toBeNull();
    expect(e.receivedSignals().map((r) => [r.signal_id, r.seq])).toEqual([['sig-1', 1], ['sig-2', 2], ['sig-3', 4], ['sig-4', 6]]);
  });

  it('rejects by the configured rate, and a slow broker delays fills', async () => {
    const e = startEa({ reject_rate: 1 });
    await waitUntil(greeted, 2000, 'the greeting');
    guardian.send('ea-1', 'SIGNAL', signal(1, 'BUY'));
    await waitUntil(() => trades().length === 1, 2000, 'the rejection');
    expect(trades()[0]).toMatchObject({ event: 'REJECTED', reject_code: 138 });
    guardian.send('ea-1', 'PARAM', { name: 'reject_rate', value: 0 });
    e.faults.slowBroker(300);
    const t0 = Date.now();
    guardian.send('ea-1', 'SIGNAL', signal(2, 'BUY'));
    await waitUntil(() => trades().length === 2, 2000, 'the slow fill');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(trades()[1]!.event).toBe('OPENED');
  });

  it('keeps its ledger and positions across a crash, without acting twice', async () => {
    const e1 = startEa();
    await waitUntil(greeted, 2000, 'the greeting');
    guardian.send('ea-1', 'SIGNAL', signal(1, 'BUY'));
    guardian.send('ea-1', 'SIGNAL', signal(2, 'BUY', { symbol: 'GBPUSD', price: 1.27 }));
    await waitUntil(() => trades().length === 2, 2000, 'two fills');
    e1.faults.crash();
    await e1.stop();
    ea = undefined;
    const e2 = startEa();
    guardian.send('ea-1', 'SIGNAL', signal(3, 'CLOSE'));
    await waitUntil(() => trades().length === 3, 2000, 'the close');
    expect(e2.receivedSignals().map((r) => r.signal_id)).toEqual(['sig-1', 'sig-2', 'sig-3']);
    expect(e2.positions().map((p) => p.symbol)).toEqual(['GBPUSD']);
    expect(trades().filter((t) => t.event === 'OPENED')).toHaveLength(2);
  });
});
