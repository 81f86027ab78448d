// One line under the top bar that says, in words, the state of the desk.
import { useGuardian, selectOpenIncident } from '../../store';
import { Icon } from '../../ui/icons';
import { TONE_ICON } from '../../ui/tone';
import { situation } from './situation';
import './situation.css';

export function SituationLine() {
  const status = useGuardian((s) => s.status);
  const open = useGuardian(selectOpenIncident);
  const s = situation(status, open);
  return (
    <div className={`situation tone-${s.tone}`} role="region" aria-label="Situation">
      <div className="sit-part sit-broken">
        <span className="sit-label"><Icon name={TONE_ICON[s.tone]} size={13} />What's wrong</span>
        <span className="sit-text">{s.broken}</span>
      </div>
      <div className="sit-part">
        <span className="sit-label"><Icon name="wrench" size={13} />Guardian is</span>
        <span className="sit-text">{s.doing}</span>
      </div>
      <div className="sit-part">
        <span className="sit-label"><Icon name="hand" size={13} />For the desk</span>
        <span className="sit-text">{s.desk}</span>
      </div>
    </div>
  );
}
