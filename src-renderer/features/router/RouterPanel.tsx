// Router and buffer: the queue, its rates and oldest message, each path's health and last error,
// the last switch and why; and what Guardian kept back (held signals, dead letters).
import { useState } from 'react';
import { PATH_PRIORITY } from '../../../src-shared/contract';
import { useGuardian, selectBuffer, selectLastSwitch, selectRoutes } from '../../store';
import { Icon } from '../../ui/icons';
import { Num } from '../../ui/Num';
import { Panel } from '../../ui/Panel';
import { StateTag } from '../../ui/StateTag';
import { fmtClock } from '../../ui/format';
import { budgetTone } from '../../ui/tone';
import { pathState } from '../topology/graph/buildTopology';
import { ROUTE_ICON, ROUTE_TONE, ROUTE_WORD } from '../topology/routeWords';
import { HeldTables } from './HeldTables';
import './router.css';

/** A message older than this in the buffer is worth a look (the seed frame timeout is 5 s). */
const OLDEST_BUDGET_S = 5;

function PathsTable() {
  const routes = useGuardian(selectRoutes);
  if (!routes) return <p className="muted">No route data.</p>;
  return (
    <table className="dense">
      <thead><tr><th>Path</th><th>State</th><th>Latency</th><th>Drop</th><th>Retries</th><th>Acks/s</th><th>Queue</th><th>Last error</th></tr></thead>
      <tbody>
        {PATH_PRIORITY.map((p) => {
          const m = routes.metrics[p];
          const state = pathState(routes, p);
          return (
            <tr key={p} className={`row-${state}`}>
              <td>{p}</td>
              <td><StateTag tone={ROUTE_TONE[state]} word={ROUTE_WORD[state]} icon={ROUTE_ICON[state]} /></td>
              <td><Num value={m?.latency_ms} unit="ms" label={`${p} latency now`} /></td>
              <td><Num value={m?.drop_pct} unit="%" digits={1} label={`${p} frames dropped in the last minute`} budget={1} budgetWord="limit" /></td>
              <td><Num value={m?.retries} label={`${p} resends in the last minute`} /></td>
              <td><Num value={m?.acks_per_s} label={`${p} acknowledgements per second`} /></td>
              <td><Num value={m?.queue_depth} label={`Messages queued on ${p}`} /></td>
              <td className="mono">{m?.last_error ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function BufferStrip() {
  const buffer = useGuardian(selectBuffer);
  const drain = useGuardian((s) => s.status?.controls?.drain_buffer_first ?? false);
  if (!buffer) return null;
  const net = buffer.enq_per_s - buffer.deq_per_s;
  const ageTone = budgetTone(buffer.oldest_age_s, OLDEST_BUDGET_S);
  return (
    <div className="buffer-strip">
      <div className="big-stat"><span className="bs-label">Queue depth</span><Num className="bs-value" value={buffer.depth} label="Messages in the durable outbox, not yet acknowledged" /></div>
      <div className="big-stat"><span className="bs-label">In / out per s</span><span className="bs-value"><Num value={buffer.enq_per_s} label="Messages queued per second" /> / <Num value={buffer.deq_per_s} label="Messages delivered and acknowledged per second" /></span></div>
      <div className="big-stat"><span className="bs-label">Trend</span><span className="bs-value" title={`Queue ${net > 0 ? 'growing' : net < 0 ? 'shrinking' : 'steady'} by ${Math.abs(net)} messages per second`}>{net > 0 ? `+${net}/s growing` : net < 0 ? `${net}/s draining` : 'steady'}</span></div>
      <div className={`big-stat tone-${ageTone}`}><span className="bs-label">Oldest message</span><Num className="bs-value" value={buffer.oldest_age_s} unit="s" label="Age of the oldest unacknowledged message" budget={OLDEST_BUDGET_S} budgetWord="watch above" /></div>
      {drain && <StateTag tone="info" word="Draining first" icon="inbox" title="An operator asked to deliver the queue before any new signal" />}
    </div>
  );
}

export function RouterPanel() {
  const last = useGuardian(selectLastSwitch);
  // The rows listed (held and settled), or the signals held now when more: the list is only the newest page.
  const held = useGuardian((s) => Math.max(s.signals.length, s.status?.buffer.held ?? 0));
  const dead = useGuardian((s) => s.dead_letters.length);
  const [tab, setTab] = useState<'paths' | 'held' | 'dead'>('paths');
  const tabs = [['paths', 'Paths'], ['held', `Held/blocked (${held.toLocaleString('en-US')})`], ['dead', `Dead letters (${dead.toLocaleString('en-US')})`]] as const;
  return (
    <Panel title="Router & buffer" icon="inbox" className="router">
      <BufferStrip />
      {last && (
        <p className="last-switch" title={`Last path switch at ${fmtClock(last.ts)} UTC`}>
          <Icon name="route" size={12} /> Last switch {fmtClock(last.ts)}: <strong>{last.from} → {last.to}</strong> by {last.actor === 'guardian' ? 'Guardian' : 'an operator'}: {last.reason}
        </p>
      )}
      <div className="tabs" role="tablist" aria-label="Router detail">
        {tabs.map(([key, word]) => (
          <button key={key} type="button" role="tab" aria-selected={tab === key} className={tab === key ? 'tab is-on' : 'tab'} onClick={() => setTab(key)}>{word}</button>
        ))}
      </div>
      <div role="tabpanel">{tab === 'paths' ? <PathsTable /> : <HeldTables which={tab} />}</div>
    </Panel>
  );
}
