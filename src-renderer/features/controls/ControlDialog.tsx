// The confirmation every control goes through: what it does, its fields, a typed reason (the
// confirm button stays disabled until the shared validator accepts the request), an optional
// expiry; then the server's answer: its refusal with the reason, or the audit entry it wrote.
import { useId, useRef, useState } from 'react';
import { REASON_MIN_CHARS, reasonProblem, validateControl, type ControlName, type ControlRequest, type ControlResponse } from '../../../src-shared/contract';
import { useClient } from '../../client';
import { useGuardian } from '../../store';
import { Icon } from '../../ui/icons';
import { fmtStamp } from '../../ui/format';
import { CONTROL_INFO, EXPIRY_CHOICES } from './controlInfo';
import { ParamFields, type Params } from './ParamFields';
import { useModal } from './useModal';
import './controls.css';

export interface ControlDialogProps {
  name: ControlName;
  initial?: Params;
  onClose: () => void;
}

export function ControlDialog({ name, initial, onClose }: ControlDialogProps) {
  const client = useClient();
  const demo = useGuardian((s) => s.status?.demo);
  const info = CONTROL_INFO[name];
  const [params, setParams] = useState<Params>(initial ?? {});
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [expiry, setExpiry] = useState<number | null>(null);
  const [phase, setPhase] = useState<'edit' | 'sending' | 'done'>('edit');
  const [answer, setAnswer] = useState<ControlResponse | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const reasonId = useId();
  const onKeyDown = useModal(ref, onClose, phase !== 'sending');

  const body = { ...params, reason, ...(expiry ? { expires_in_s: expiry } : {}) };
  const check = validateControl(name, body, demo === undefined ? {} : { demo });
  const problem = reasonProblem(reason);
  const auditId = answer?.ok ? answer.audit_id : null;
  const audit = useGuardian((s) => (auditId ? s.audit.find((a) => a.id === auditId) ?? null : null));

  const confirm = async () => {
    if (!check.ok || phase !== 'edit') return;
    setPhase('sending');
    let res: ControlResponse;
    try {
      res = await client.control(name, check.call.request as ControlRequest<typeof name>);
    } catch (err) {
      res = { ok: false, code: 'UNAVAILABLE', error: err instanceof Error ? err.message : String(err) };
    }
    setAnswer(res);
    setPhase(res.ok ? 'done' : 'edit');
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget && phase !== 'sending') onClose(); }}>
      <div ref={ref} className={`modal${info.danger ? ' modal-danger' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <header className="modal-head">
          <h2 id={titleId}><Icon name={info.icon} size={16} />{info.label}</h2>
          <button type="button" className="icon-btn" onClick={onClose} disabled={phase === 'sending'} aria-label="Close" title="Close (Esc)"><Icon name="close" /></button>
        </header>
        <p className="modal-does">{info.does}</p>
        {phase !== 'done' ? (
          <form onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
            <ParamFields name={name} params={params} onChange={setParams} />
            <label className="field" htmlFor={reasonId}>
              <span>Reason <small>(required, at least {REASON_MIN_CHARS} characters; it goes to the audit log)</small></span>
            </label>
            <textarea
              id={reasonId}
              data-autofocus
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              onBlur={() => setTouched(true)}
              aria-invalid={problem !== null && touched}
              aria-describedby={`${reasonId}-hint`}
              placeholder="e.g. NFP release in 5 minutes"
            />
            <p id={`${reasonId}-hint`} className={problem && touched ? 'hint hint-error' : 'hint'}>
              {problem && touched ? problem : problem ? `At least ${REASON_MIN_CHARS} characters.` : 'Ready: the reason will be in the audit entry.'}
            </p>
            {info.expires && (
              <label className="field">
                <span>Expires</span>
                <select value={expiry ?? ''} onChange={(e) => setExpiry(e.target.value ? Number(e.target.value) : null)}>
                  {EXPIRY_CHOICES.map((c) => <option key={c.label} value={c.seconds ?? ''}>{c.label}</option>)}
                </select>
              </label>
            )}
            {!check.ok && check.field && check.field !== 'reason' && <p className="hint">{check.error}</p>}
            {answer && !answer.ok && (
              <p role="alert" className="refusal"><Icon name="fail" size={13} />Guardian refused: {answer.error} <span className="mono">({answer.code})</span></p>
            )}
            <footer className="modal-foot">
              <button type="button" className="btn" onClick={onClose} disabled={phase === 'sending'}>Cancel</button>
              <button type="submit" className={info.danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={!check.ok || phase === 'sending'}>
                {phase === 'sending' ? 'Sending…' : `Confirm: ${info.label.toLowerCase()}`}
              </button>
            </footer>
          </form>
        ) : (
          <div className="modal-done" role="status">
            <p><Icon name="check" size={14} />Done. Recorded in the audit log as <strong className="mono">{auditId}</strong>.</p>
            {audit ? (
              <dl className="kv audit-entry">
                <dt>When</dt><dd>{fmtStamp(audit.ts)} UTC</dd>
                <dt>Who</dt><dd>{audit.actor}</dd>
                <dt>Control</dt><dd className="mono">{audit.control}</dd>
                <dt>Reason</dt><dd>{audit.reason}</dd>
                <dt>Outcome</dt><dd>{audit.outcome}{audit.expires_ts ? `, lapses ${fmtStamp(audit.expires_ts)} UTC` : ''}</dd>
              </dl>
            ) : <p className="muted">Waiting for the audit entry…</p>}
            <footer className="modal-foot"><button type="button" className="btn btn-primary" onClick={onClose}>Close</button></footer>
          </div>
        )}
      </div>
    </div>
  );
}
