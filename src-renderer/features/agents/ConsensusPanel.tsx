// Agent consensus: each agent's vote and confidence, the weighted decision, and the risk veto
// shown above everything when it is armed.
import { useGuardian, selectConsensus } from '../../store';
import { Icon } from '../../ui/icons';
import { Panel } from '../../ui/Panel';
import { fmtClock } from '../../ui/format';
import './agents.css';

function Bar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <span className="conf" title={`${label} = ${pct}%`}>
      <span className="conf-bar"><span style={{ width: `${pct}%` }} /></span>
      <span className="conf-num">{pct}%</span>
    </span>
  );
}

export function ConsensusPanel() {
  const c = useGuardian(selectConsensus);
  return (
    <Panel title="Agent consensus" icon="shield" className="agents">
      {!c ? <p className="muted">No consensus reported.</p> : (
        <>
          {c.veto?.armed && (
            <div className="veto" role="alert">
              <Icon name="shieldAlert" size={16} />
              <div>
                <strong>Risk veto ARMED: {c.veto.action}</strong>
                <div>{c.veto.reason}{c.veto.since_ts ? ` (since ${fmtClock(c.veto.since_ts)})` : ''}. It overrides every other vote.</div>
              </div>
            </div>
          )}
          <div className="decision">
            <span className="dim">Decision</span>
            <strong className="mono">{c.decision}</strong>
            <Bar value={c.confidence} label="Weighted confidence of the decision" />
          </div>
          <p className="reasoning">{c.reasoning}</p>
          <table className="dense votes">
            <tbody>
              {c.votes.map((v) => (
                <tr key={v.agent} className={v.action === 'CONTINUE' ? '' : 'vote-act'}>
                  <td>{v.agent}</td>
                  <td className="mono" title={v.facts.join('; ')}>{v.action}</td>
                  <td><Bar value={v.confidence} label={`${v.agent} agent's confidence in ${v.action}`} /></td>
                  <td className="dim" title={`Weight of the ${v.agent} agent in the consensus`}>×{v.weight}</td>
                  <td className="facts" title={v.facts.join('; ')}><span className="facts-text">{v.facts.join('; ')}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Panel>
  );
}
