// Risk at a glance: is the veto armed, and how close correlation and slippage are to its caps.
import { useGuardian, selectRisk } from '../../store';
import { Icon } from '../../ui/icons';
import { Num } from '../../ui/Num';

export function RiskChip() {
  const risk = useGuardian(selectRisk);
  if (!risk) return <div className="chip tone-idle" title="No risk summary from Guardian">Risk: no data</div>;
  const near = risk.correlation >= risk.correlation_cap * 0.9 || risk.slippage_bps >= risk.slippage_cap_bps * 0.6;
  const tone = risk.veto_armed ? 'fail' : near ? 'watch' : 'ok';
  return (
    <div className={`chip risk-chip tone-${tone}`} data-tone={tone}>
      <span className="chip-head" title={risk.veto_armed ? 'The risk agent\'s EMERGENCY_STOP veto is armed: it overrides every other vote' : 'The risk veto is not armed'}>
        <Icon name={risk.veto_armed ? 'shieldAlert' : 'shield'} size={14} />
        {risk.veto_armed ? 'Veto ARMED' : 'Veto off'}
      </span>
      <span className="chip-kv">corr <Num value={risk.correlation} digits={2} label="Live portfolio correlation" budget={risk.correlation_cap} budgetWord="veto cap" /></span>
      <span className="chip-kv">slip <Num value={risk.slippage_bps} unit="bps" digits={1} label="Average slippage of the last 20 fills" budget={risk.slippage_cap_bps} budgetWord="veto cap" /></span>
    </div>
  );
}
