// The flight deck's layout: the five-second read across the top (mode, score, risk, situation),
// the map and the gates in the middle, the incidents and controls on the right, detail below.
import { ConsensusPanel } from '../features/agents/ConsensusPanel';
import { ExecutionPanel } from '../features/execution/ExecutionPanel';
import { ConnectionBanner } from '../features/connection/ConnectionBanner';
import { AuditLog } from '../features/controls/AuditLog';
import { ControlsPanel } from '../features/controls/ControlsPanel';
import { FaultPanel } from '../features/demo/FaultPanel';
import { GatesPanel } from '../features/gates/GatesPanel';
import { IncidentTimeline } from '../features/incidents/IncidentTimeline';
import { AdvicePanel } from '../features/learning/AdvicePanel';
import { RouterPanel } from '../features/router/RouterPanel';
import { SituationLine } from '../features/situation/SituationLine';
import { SloStrip } from '../features/slo/SloStrip';
import { TopBar } from '../features/topbar/TopBar';
import { TopologyMap } from '../features/topology/TopologyMap';
import { ManifestPanel } from '../features/truth/ManifestPanel';
import { TruthPanel } from '../features/truth/TruthPanel';
import { useGuardian } from '../store';

export function Deck() {
  const live = useGuardian((s) => s.connection.state === 'live');
  return (
    <div className={live ? 'deck' : 'deck is-stale'}>
      <TopBar />
      <ConnectionBanner />
      <SituationLine />
      <main className="deck-grid">
        <div className="col-main">
          <TopologyMap />
          <GatesPanel />
          {/* The health of the chain first (DESIGN.md 3), then what the desk traded and what was stopped. */}
          <SloStrip />
          <div className="row-2">
            <RouterPanel />
            <ConsensusPanel />
          </div>
          <ExecutionPanel />
          <TruthPanel />
          <div className="row-2">
            <AuditLog />
            <div className="stack">
              <AdvicePanel />
              <ManifestPanel />
              <FaultPanel />
            </div>
          </div>
        </div>
        <div className="col-side">
          <IncidentTimeline />
          <ControlsPanel />
        </div>
      </main>
    </div>
  );
}
