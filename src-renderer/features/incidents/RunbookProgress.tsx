// A runbook's progress: a bar with step n of m, the step's name and its state in words.
import type { RunbookProgress as Progress } from '../../../src-shared/contract';
import { Icon } from '../../ui/icons';

const STATE_ICON = { pending: 'clock', running: 'wrench', verifying: 'refresh', done: 'check', failed: 'fail' } as const;

export function RunbookProgress({ runbook }: { runbook: Progress }) {
  const done = runbook.state === 'done' ? runbook.of : runbook.step - 1;
  const pct = Math.round((Math.max(0, done) / Math.max(1, runbook.of)) * 100);
  const tip = `Runbook ${runbook.runbook}: step ${runbook.step} of ${runbook.of} (${runbook.name}) is ${runbook.state}; ${done} of ${runbook.of} steps done`;
  return (
    <div className={`runbook rb-${runbook.state}`} title={tip}>
      <span className="rb-name"><Icon name={STATE_ICON[runbook.state]} size={11} />{runbook.runbook.replace(/_/g, ' ')}</span>
      <span className="rb-bar" role="progressbar" aria-valuemin={0} aria-valuemax={runbook.of} aria-valuenow={done} aria-label={tip}>
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="rb-step">{runbook.step}/{runbook.of} {runbook.state === 'done' ? 'done' : `${runbook.name} · ${runbook.state}`}</span>
    </div>
  );
}
