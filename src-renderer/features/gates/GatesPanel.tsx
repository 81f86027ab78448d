// The four gates side by side; each card subscribes to its own gate only.
import { GATE_NAMES, type GateName } from '../../../src-shared/contract';
import { useGuardian, selectGate, selectScore } from '../../store';
import { GateCard } from './GateCard';

function ConnectedGate({ name }: { name: GateName }) {
  const score = useGuardian(selectScore(name));
  const detail = useGuardian(selectGate(name));
  return <GateCard name={name} score={score} detail={detail} />;
}

export function GatesPanel() {
  return (
    <section className="gates" aria-label="Quality gates">
      {GATE_NAMES.map((g) => <ConnectedGate key={g} name={g} />)}
    </section>
  );
}
