// The fields a control needs besides its reason: a path, a mode, an incident...
import { FAULT_NAMES, MODES, PATH_PRIORITY, type ControlName } from '../../../src-shared/contract';
import { useGuardian } from '../../store';
import { FAULT_INFO } from './controlInfo';

export type Params = Record<string, string>;

export function ParamFields({ name, params, onChange }: { name: ControlName; params: Params; onChange: (p: Params) => void }) {
  const routes = useGuardian((s) => s.status?.routes ?? null);
  const peers = useGuardian((s) => s.status?.peers ?? null);
  const set = (key: string, value: string) => {
    const next = { ...params };
    if (value === '') delete next[key];
    else next[key] = value;
    onChange(next);
  };
  switch (name) {
    case 'force_path_switch':
      return (
        <>
          <label className="field">
            <span>Path</span>
            <select value={params.path ?? ''} onChange={(e) => set('path', e.target.value)} required>
              <option value="">Choose a path…</option>
              {PATH_PRIORITY.map((p) => {
                const m = routes?.metrics[p];
                const word = routes?.active === p ? 'active now' : m?.healthy === false ? `down: ${m.last_error ?? 'failing'}` : 'standby, healthy';
                return <option key={p} value={p}>{p} ({word})</option>;
              })}
            </select>
          </label>
          <label className="field">
            <span>Peer</span>
            <select value={params.peer ?? ''} onChange={(e) => set('peer', e.target.value)}>
              <option value="">Every peer</option>
              {(peers ?? []).map((p) => <option key={p.node_id} value={p.node_id}>{p.node_id} ({p.role.toLowerCase()})</option>)}
            </select>
          </label>
        </>
      );
    case 'override_mode':
      return (
        <>
          <label className="field">
            <span>Mode</span>
            <select value={params.mode ?? ''} onChange={(e) => set('mode', e.target.value)} required>
              <option value="">Choose a mode…</option>
              {MODES.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </label>
          <fieldset className="field">
            <legend>Direction</legend>
            <label><input type="radio" name="direction" value="pin" checked={params.direction === 'pin'} onChange={() => set('direction', 'pin')} /> Pin this mode</label>
            <label><input type="radio" name="direction" value="leave_early" checked={params.direction === 'leave_early'} onChange={() => set('direction', 'leave_early')} /> Leave early to it (skip the dwell)</label>
          </fieldset>
        </>
      );
    case 'acknowledge_incident':
      return <ReadOnly label="Incident" value={params.incident_id} />;
    case 'apply_advice':
    case 'rollback_advice':
      return <ReadOnly label="Advice" value={params.advice_id} />;
    case 'inject_fault':
      return (
        <label className="field">
          <span>Fault</span>
          <select value={params.fault ?? ''} onChange={(e) => set('fault', e.target.value)} required>
            <option value="">Choose a fault…</option>
            {FAULT_NAMES.map((f) => <option key={f} value={f}>{FAULT_INFO[f].does}</option>)}
          </select>
        </label>
      );
    default:
      return null;
  }
}

function ReadOnly({ label, value }: { label: string; value: string | undefined }) {
  return (
    <div className="field">
      <span>{label}</span>
      <output className="mono">{value ?? '—'}</output>
    </div>
  );
}
