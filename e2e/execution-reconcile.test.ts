// Issue 6: reconciliation with a real Guardian and the simulated EA. Guardian's ledger is built
// from TRADE events; on every EA (re)connect the EA's positions (STATUS_RESPONSE) are compared
// with it. The account is changed behind Guardian's back while the EA is down (a position closed,
// one opened, one partly closed): the reconnect finds missing, extra and different positions,
// opens an incident, keeps the differences, and the ledger takes the broker's truth.
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalPayload } from '../src-shared/protocol';
import { until } from './control-harness';
import { startExecutionScenario, type ExecutionScenario } from './execution-harness';

const entry = (id: string, symbol: string, lots: number, price: number): SignalPayload => ({ signal_id: id, symbol, action: 'BUY', lots, order_type: 'MARKET', price, tier: 'primary' });

describe('reconciliation', () => {
  let s: ExecutionScenario | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('missing, extra and different positions: an incident, the differences kept, the ledger takes the broker\'s truth', async () => {
    s = await startExecutionScenario();
    const { g, sig } = s;
    await until(() => g.control!.mode === 'NORMAL' && g.router.peers.get('ea-1')?.activePath != null && g.router.peers.get('sig-primary')?.activePath != null, 20_000, 'both peers connected in NORMAL'); // generous: a loaded 2-core machine
    // The first connect's reconciliation: nothing to differ.
    await until(() => g.console.execution(10)!.last_reconcile !== null, 5000, 'the reconciliation at connect');
    expect(g.console.execution(10)!.last_reconcile).toMatchObject({ peer: 'ea-1', differences: 0 });

    await sig.client.send('SIGNAL', entry('e1', 'EURUSD', 0.1, 1.085));
    await sig.client.send('SIGNAL', entry('e2', 'GBPUSD', 0.2, 1.27));
    await sig.client.send('SIGNAL', entry('e3', 'USDJPY', 0.3, 150));
    await until(() => g.console.execution(10)!.positions.length === 3, 5000, 'three positions in the ledger');
    const [p1, p2, p3] = s.ea.positions();
    expect(g.console.execution(10)!.positions.map((p) => [p.ticket, p.symbol, p.lots])).toEqual([[p1!.ticket, 'EURUSD', 0.1], [p2!.ticket, 'GBPUSD', 0.2], [p3!.ticket, 'USDJPY', 0.3]]);

    // The EA goes down; its account changes with no TRADE event; it comes back (HELLO) and is asked.
    let extra = 0;
    const ea = await s.restartEa((fresh) => {
      fresh.behindGuardian.remove(p1!.ticket);
      fresh.behindGuardian.setLots(p2!.ticket, 0.1);
      extra = fresh.behindGuardian.add({ symbol: 'AUDUSD', side: 'SELL', lots: 0.4, open_price: 0.66, sl: null, tp: null });
    });
    await until(() => g.console.execution(10)!.differences.length === 3, 8000, 'three differences after the reconnect');

    const view = await s.view();
    const byKind = Object.fromEntries(view.differences.map((d) => [d.kind, d]));
    expect(byKind.missing).toMatchObject({ peer: 'ea-1', ticket: p1!.ticket, guardian: { symbol: 'EURUSD', lots: 0.1 }, broker: null });
    expect(byKind.extra).toMatchObject({ ticket: extra, guardian: null, broker: { symbol: 'AUDUSD', side: 'SELL', lots: 0.4, open_price: 0.66 } });
    expect(byKind.different).toMatchObject({ ticket: p2!.ticket, fields: ['lots'], guardian: { lots: 0.2 }, broker: { lots: 0.1 } });
    expect(view.last_reconcile).toMatchObject({ peer: 'ea-1', differences: 3 });

    // One incident, named by every difference; each difference points at it.
    const incident_id = byKind.missing!.incident_id!;
    expect(incident_id).toBeTruthy();
    expect(view.differences.every((d) => d.incident_id === incident_id)).toBe(true);
    const open = g.incidents.openIncidentOf('RECONCILE');
    expect(open).toMatchObject({ id: incident_id, state: 'open' });
    expect((await s.get<'incident'>(`/api/incidents/${incident_id}`)).title).toBe("Reconciliation: 3 difference(s) between Guardian's ledger and ea-1's positions");

    // The ledger is the broker's now, and agrees with the next reconciliation.
    const broker = ea.positions().map((p) => [p.ticket, p.symbol, p.lots]);
    expect(view.positions.map((p) => [p.ticket, p.symbol, p.lots])).toEqual(broker);
    await s.restartEa();
    await until(() => g.console.execution(10)!.last_reconcile?.differences === 0, 8000, 'a clean reconciliation after the next reconnect');
    expect(g.console.execution(10)!.differences).toHaveLength(3); // kept, not repeated
  });
});

describe('reconciliation at start', () => {
  let s: ExecutionScenario | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('the ledger survives a restart, and the EA is asked at start: a position closed while Guardian was down is found missing', async () => {
    s = await startExecutionScenario();
    await until(() => s!.g.control!.mode === 'NORMAL' && s!.g.router.peers.get('ea-1')?.activePath != null && s!.g.router.peers.get('sig-primary')?.activePath != null, 20_000, 'both peers connected in NORMAL');
    await s.sig.client.send('SIGNAL', entry('r1', 'EURUSD', 0.1, 1.085));
    await s.sig.client.send('SIGNAL', entry('r2', 'GBPUSD', 0.2, 1.27));
    await until(() => s!.g.console.execution(10)!.positions.length === 2, 5000, 'two positions in the ledger');
    const [gone, kept] = s.ea.positions();

    // Guardian stops; meanwhile a position is closed on the terminal, with no TRADE event to tell it.
    const g = await s.restartGuardian(() => s!.ea.behindGuardian.remove(gone!.ticket));
    // The ledger came back from the database before any EA spoke.
    expect(g.console.execution(10)!.positions.map((p) => p.ticket)).toEqual([gone!.ticket, kept!.ticket]);
    await until(() => g.console.execution(10)!.differences.length === 1, 15_000, 'the difference found after the restart');
    expect(g.console.execution(10)!.differences[0]).toMatchObject({ kind: 'missing', ticket: gone!.ticket });
    expect(g.console.execution(10)!.positions.map((p) => p.ticket)).toEqual([kept!.ticket]);
  });
});
