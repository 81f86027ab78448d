// The overall score: an arc gauge with the number, its word, and a 15-minute sparkline.
import { useGuardian, selectOverall } from '../../store';
import { Icon } from '../../ui/icons';
import { Sparkline } from '../../ui/Sparkline';
import { SCORE_WORD, TONE_ICON, scoreTone } from '../../ui/tone';
import { fmtNum } from '../../ui/format';

/** Trading is approved at an overall score of 80 or more (DESIGN.md section 1). */
export const APPROVE_AT = 80;

function arc(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const a = Math.PI * (1 - f);
  const x = 22 + 18 * Math.cos(a);
  const y = 24 - 18 * Math.sin(a);
  return `M4 24 A18 18 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}`;
}

export function ScoreGauge() {
  const score = useGuardian(selectOverall);
  const tone = scoreTone(score);
  const tip = score === null
    ? 'Overall score: no data yet'
    : `Overall score now = ${fmtNum(score, 1)} of 100 (weighted over the four gates); trading is approved at ${APPROVE_AT} or more`;
  return (
    <div className={`score-gauge tone-${tone}`}>
      <svg width="44" height="28" viewBox="0 0 44 28" aria-hidden="true">
        <path d="M4 24 A18 18 0 0 1 40 24" className="gauge-track" />
        <path d={arc((score ?? 0) / 100)} className="gauge-fill" />
      </svg>
      <div className="gauge-text" title={tip}>
        <span className="gauge-value">{fmtNum(score, 1)}</span>
        <span className="gauge-word"><Icon name={TONE_ICON[tone]} size={11} />{SCORE_WORD[tone]}</span>
      </div>
      <div className="gauge-spark">
        <span className="gauge-label">Overall · 15 min</span>
        <Sparkline series="overall_score" label="Overall score" width={120} height={26} reference={APPROVE_AT} domain={[0, 100]} digits={1} />
      </div>
    </div>
  );
}
