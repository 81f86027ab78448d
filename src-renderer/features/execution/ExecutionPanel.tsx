// Execution safety on the deck: the kill switch, signals refused before the EA (with their reason),
// every COMMAND's outcome (unknown shown as unknown), Guardian's position ledger and what
// reconciliation with the broker found. Read from the `execution` API every few seconds.
import { useEffect, useState } from 'react';
import type { BlockedSignal, CommandOutcome, CommandState, ExecutionView, LedgerPosition, ReconcileDifference } from '../../../src-shared/contract';
import { useClient } from '../../client/react';
import { Panel } from '../../ui/Panel';
import { StateTag } from '../../ui/StateTag';
import type { Tone } from '../../ui/tone';
import { VirtualTable, type Column } from '../../ui/VirtualTable';
import { fmtClock } from '../../ui/format';
import './execution.css';

const REFRESH_MS = 2000;

export const COMMAND_TONE: Record<CommandState, Tone> = { sent: 'info', acknowledged: 'watch', confirmed: 'ok', unknown: 'fail' };

const position = (p: LedgerPosition | null) => (p ? `${p.side} ${p.lots} ${p.symbol}${p.open_price !== null ? ` @ ${p.open_price}` : ''}` : '—');

const BLOCKED: Column<BlockedSignal>[] = [
  { header: 'Time', width: '64px', cell: (b) => <span className="mono">{fmtClock(b.ts)}</span> },
  { header: 'Signal', width: '90px', cell: (b) => <span className="mono">{b.signal_id}</span>, title: (b) => `${b.message_id ?? ''} from ${b.origin}` },
  { header: 'Order', width: '110px', cell: (b) => `${b.action} ${b.lots ?? ''} ${b.symbol}` },
  { header: 'Why', width: 'minmax(0, 1fr)', cell: (b) => <><span className="mono">{b.reason_code}</span> {b.detail}</>, title: (b) => b.detail },
];

const COMMANDS: Column<CommandOutcome>[] = [
  { header: 'Sent', width: '64px', cell: (c) => <span className="mono">{fmtClock(c.sent_ts)}</span> },
  { header: 'Command', width: '130px', cell: (c) => <><span className="mono">{c.command}</span> <span className="dim">{c.peer}</span></>, title: (c) => `seq ${c.seq}: ${c.reason}` },
  { header: 'Outcome', width: '104px', cell: (c) => <StateTag tone={COMMAND_TONE[c.state]} word={c.state} /> },
  { header: 'Evidence', width: 'minmax(0, 1fr)', cell: (c) => c.detail, title: (c) => c.detail },
];

const POSITIONS: Column<LedgerPosition>[] = [
  { header: 'EA', width: '70px', cell: (p) => p.peer },
  { header: 'Ticket', width: '70px', cell: (p) => <span className="mono">{p.ticket}</span> },
  { header: 'Position', width: 'minmax(0, 1fr)', cell: (p) => position(p) },
];

const DIFFERENCES: Column<ReconcileDifference>[] = [
  { header: 'Time', width: '64px', cell: (d) => <span className="mono">{fmtClock(d.ts)}</span> },
  { header: 'Ticket', width: '70px', cell: (d) => <span className="mono">{d.ticket}</span> },
  { header: 'Kind', width: '84px', cell: (d) => <StateTag tone={d.kind === 'different' ? 'watch' : 'fail'} word={d.kind} /> },
  {
    header: 'Guardian / broker', width: 'minmax(0, 1fr)',
    cell: (d) => `${position(d.guardian)} / ${position(d.broker)}${d.fields.length ? ` (${d.fields.join(', ')})` : ''}`,
    title: (d) => (d.incident_id ? `incident ${d.incident_id}` : ''),
  },
];

export function ExecutionPanel() {
  const client = useClient();
  const [view, setView] = useState<ExecutionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => {
      client.call('execution', { limit: 100 }).then(
        (v) => {
          if (!live) return;
          setView(v);
          setError(null);
        },
        (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client]);

  const kill = view?.kill_switch;
  return (
    <Panel title="Execution safety" icon="shield" className="execution">
      {!view && <p className="muted">{error ?? 'Loading…'}</p>}
      {view && (
        <>
          <div className="exec-strip">
            {kill?.engaged
              ? <StateTag tone="fail" word="Kill switch ENGAGED" title={`by ${kill.by ?? '?'} since ${kill.since ?? '?'}: ${kill.reason ?? ''}. Release: ${kill.release}`} />
              : <StateTag tone="ok" word="Kill switch off" title={`Release, once engaged: ${kill?.release ?? ''}`} />}
            <StateTag tone={view.gate_enabled ? 'ok' : 'idle'} word={view.gate_enabled ? 'Pre-trade gate on' : 'Pre-trade gate off (MODE_BLOCK only)'} />
            <span className="exec-stat">{view.blocks_per_min} blocked / min</span>
            <span className="exec-stat">
              {view.last_reconcile
                ? `reconciled ${fmtClock(view.last_reconcile.ts)} with ${view.last_reconcile.peer}: ${view.last_reconcile.differences} difference(s)`
                : 'not reconciled yet'}
            </span>
          </div>
          <h3 className="exec-sub">Blocked signals</h3>
          {view.blocked.length ? <VirtualTable label="Blocked signals" rows={view.blocked} columns={BLOCKED} rowKey={(b) => `${b.ts}|${b.signal_id}|${b.message_id ?? ''}`} /> : <p className="muted">No signal refused.</p>}
          <h3 className="exec-sub">Commands</h3>
          {view.commands.length ? <VirtualTable label="Command outcomes" rows={view.commands} columns={COMMANDS} rowKey={(c) => String(c.id)} /> : <p className="muted">No command sent.</p>}
          <div className="row-2">
            <div>
              <h3 className="exec-sub">Open positions (Guardian&apos;s ledger)</h3>
              {view.positions.length ? <VirtualTable label="Open positions" rows={view.positions} columns={POSITIONS} rowKey={(p) => `${p.peer}|${p.ticket}`} /> : <p className="muted">No open position.</p>}
            </div>
            <div>
              <h3 className="exec-sub">Reconciliation differences</h3>
              {view.differences.length ? <VirtualTable label="Reconciliation differences" rows={view.differences} columns={DIFFERENCES} rowKey={(d) => String(d.id)} /> : <p className="muted">The ledger agrees with the broker.</p>}
            </div>
          </div>
        </>
      )}
    </Panel>
  );
}
