// A quality gate: its score (green >= 85, amber 70-84, red < 70, always with icon and word), the
// numbers it watches, the constraints it fails with their values, and the next step.
import type { GateDetail, GateName } from '../../../src-shared/contract';
import { Icon } from '../../ui/icons';
import { Num } from '../../ui/Num';
import { Sparkline } from '../../ui/Sparkline';
import { StateTag } from '../../ui/StateTag';
import { fmtNum } from '../../ui/format';
import { SCORE_OK, SCORE_WATCH, SCORE_WORD, scoreTone } from '../../ui/tone';
import { GATE_SHORT, GATE_WORDS } from '../situation/situation';
import { metricTitle } from './metric-names';
import './gates.css';

export interface GateCardProps {
  name: GateName;
  score: number | null;
  detail: GateDetail | null;
  /** Hide the sparkline (tests, print). */
  spark?: boolean;
}

export function GateCard({ name, score, detail, spark = true }: GateCardProps) {
  const tone = scoreTone(score);
  const failing = detail?.failing ?? [];
  const unknown = detail?.unknown ?? [];
  return (
    <article className={`gate-card tone-${tone}`} data-tone={tone} aria-label={`${GATE_WORDS[name]}: ${fmtNum(score, 1)}, ${SCORE_WORD[tone]}`}>
      <header className="gate-head">
        <h3 title={GATE_WORDS[name]}>{GATE_SHORT[name]}</h3>
        <StateTag tone={tone} word={SCORE_WORD[tone]} title={`Green >= ${SCORE_OK}, amber ${SCORE_WATCH}-${SCORE_OK - 1}, red < ${SCORE_WATCH}`} />
      </header>
      <div className="gate-score-row">
        <Num className="gate-score" value={score} digits={1} label={`${GATE_WORDS[name]} score (0-100)${detail ? `, weight ${detail.weight}` : ''}`} budget={SCORE_OK} budgetWord="healthy at" />
        {spark && <Sparkline series={name} label={`${GATE_WORDS[name]} score`} width={110} height={28} reference={SCORE_WATCH} domain={[0, 100]} digits={1} className={`tone-${tone}`} />}
      </div>
      {detail && detail.key_metrics.length > 0 && (
        <dl className="gate-metrics">
          {detail.key_metrics.map((m) => (
            <div key={m.name}>
              <dt title={m.name}>{metricTitle(m.name)}</dt>
              <dd><Num value={m.value} unit={m.unit} label={m.label} budget={m.budget} /></dd>
            </div>
          ))}
        </dl>
      )}
      {failing.length > 0 ? (
        <ul className="gate-failing" aria-label="Failing constraints">
          {failing.map((c) => (
            // A compound condition's explanation takes a line of its own under the id: beside it, the
            // two squeezed each other to a few letters in a 300 px card.
            <li key={c.id} className={`sev-${c.severity}${Number.isFinite(c.value) ? '' : ' compound'}`} title={c.explanation}>
              <span className="fc-id" title={`${c.id}: ${c.explanation}`}><Icon name={c.severity === 'critical' ? 'fail' : 'warn'} size={11} /><span className="fc-name">{c.id}</span></span>
              {Number.isFinite(c.value) ? (
                <span className="fc-val">
                  <Num value={c.value} unit={c.unit ?? ''} label={c.explanation} budget={c.limit} budgetWord="limit" />
                  <span className="fc-limit"> / {fmtNum(c.limit)}</span>
                </span>
              ) : (
                // A compound condition ("closed_trades < 20 or profit_factor >= 1") has no one value: its explanation says it.
                <span className="fc-why">{c.explanation}</span>
              )}
            </li>
          ))}
        </ul>
      ) : unknown.length > 0 ? (
        // Not judged is not passed: an amber card with nothing failing says what it cannot see.
        <p className="gate-unknown" title={unknown.map((u) => `${u.id}: ${u.explanation}`).join('\n')}>
          <Icon name="circle" size={11} />
          {unknown.length === 1 ? '1 constraint' : `${unknown.length} constraints`} not judged: no {[...new Set(unknown.flatMap((u) => u.missing))].map(metricTitle).join(', ') || 'data'}
        </p>
      ) : (
        <p className="gate-clear"><Icon name={detail ? 'check' : 'circle'} size={11} />{detail ? 'All constraints pass' : 'No constraint detail'}</p>
      )}
      {failing[0] && <p className="gate-next" title="Next step"><Icon name="wrench" size={11} />{failing[0].next_step}</p>}
    </article>
  );
}
