// The control plane's events (control/ControlEvent) as incident log entries: what guardian.ts
// passes as the IncidentSink's record(). Mode changes, degradations and recoveries are not here:
// the sink's modeEffect() records those from the mode manager's effects as they are.
//
// Mapping, by event type:
// - path_switch, runbook_step, verify, repair, signal_tier: a consequence, never an incident of
//   its own. Raised (inhibited: attached and counted) under the open incident of its family
//   (COMM for paths and path repairs, SIGNAL for tiers); with none open, appended unattached.
//   A repair run stays with the incident it started under: its later steps, verification and
//   outcome are written to that incident even once it has closed (a path proved and switched
//   back often closes it before the runbook's last step), so a closed incident never shows a
//   runbook still "verifying".
// - breaker: a trip (-> OPEN) is an alert raised in the dependency's family (path:* COMM,
//   signal:* SIGNAL, broker EXEC, store STORE): it opens an incident or is inhibited under the
//   open one. Other moves attach or append; the breaker closing resolves an incident the trips
//   opened (no mode behind it) once no breaker of that family is open and no degradation of it is in force.
// - config: appended as a note (reloads, conditions loaded from advice, restores).
// - Skipped: entries and override (operator controls, audited by the console's control desk),
//   held_signal and command (one per signal or command: the router's tables hold them), note
//   (pulse failures: may repeat every pulse). Except a command about an EA's standing order (it
//   forgot HOLD_NEW_ENTRIES, or never confirms it): a consequence in EXEC, as above.
import type { ControlEvent } from './control';
import type { IncidentEventType, Severity } from '../../src-shared/contract';
import type { CauseFamily, IncidentLog, RunbookStepDetail } from './incidents';

export interface ControlEventContext {
  /** The control plane's view of a repair run, for the step state and estimate to recover. */
  repair(run_id: string): { state: string; target: string | null; estimate_to_recover_s: number | null } | undefined;
  /** Whether a family still has trouble: a breaker of it open, or its degradation in force. */
  troubleIn(family: CauseFamily): boolean;
  /** A runbook finished (learning's repair outcomes). */
  repairFinished?(r: { runbook: string; target: string | null; ok: boolean; duration_ms: number; incident_id: string | null }): void;
  /** The incident each running repair started under, by run id: kept by the caller across events. */
  repairIncidents: Map<string, string>;
}

/** The family of a breaker's dependency. */
export function familyOfDependency(dependency: string): CauseFamily {
  if (dependency.startsWith('path:')) return 'COMM';
  if (dependency.startsWith('signal:')) return 'SIGNAL';
  if (dependency === 'broker') return 'EXEC';
  return dependency.toUpperCase();
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function recordControlEvent(log: IncidentLog, e: ControlEvent, ctx: ControlEventContext): void {
  const data = e.data ?? {};
  const severity: Severity = e.severity;
  // A consequence: under the family's open incident (counted as inhibited), else on its own.
  const consequence = (family: CauseFamily | null, type: IncidentEventType, detail: Record<string, unknown>): void => {
    if (family && log.openIncidentOf(family)) {
      log.raise({ family, type, title: e.text, summary: e.text, severity, mode: e.mode, detail });
    } else {
      log.append({ type, summary: e.text, severity, detail });
    }
  };
  const repairFamily = (): CauseFamily | null => (str(data.target) ? 'COMM' : null);
  // A repair's event: under the incident its run started under, open or closed since.
  const repairEvent = (run_id: string, family: CauseFamily | null, type: IncidentEventType, detail: Record<string, unknown>): string | null => {
    const open = family ? log.openIncidentOf(family) : null;
    const known = ctx.repairIncidents.get(run_id);
    if (known === undefined && open && run_id) ctx.repairIncidents.set(run_id, open.id);
    if (known !== undefined && known !== open?.id) {
      log.append({ type, summary: e.text, severity, detail, incident_id: known });
      return known;
    }
    consequence(family, type, detail);
    return open?.id ?? null;
  };

  switch (e.type) {
    case 'path_switch':
      consequence('COMM', 'path_switch', { ...data });
      return;
    case 'signal_tier':
      consequence('SIGNAL', 'note', { ...data });
      return;
    case 'runbook_step': {
      const run_id = str(data.run_id) ?? '';
      const run = ctx.repair(run_id);
      const stepState = str(data.state);
      const state: RunbookStepDetail['state'] = stepState === 'done' || stepState === 'failed' || stepState === 'pending'
        ? stepState : run?.state === 'verifying' ? 'verifying' : 'running';
      const detail: RunbookStepDetail & { run_id: string } = {
        runbook: str(data.runbook) ?? '?', step: num(data.step) ?? 0, of: num(data.of) ?? 0, name: str(data.name) ?? '', state,
        estimate_to_recover_s: run?.estimate_to_recover_s ?? null, run_id,
      };
      // The step's target is the run's: the repair events carry it, the step events do not.
      repairEvent(run_id, run?.target ? 'COMM' : null, 'runbook_step', { ...detail });
      return;
    }
    case 'verify':
      repairEvent(str(data.run_id) ?? '', repairFamily(), 'verify', { ...data });
      return;
    case 'repair': {
      const run_id = str(data.run_id) ?? '';
      const incident_id = repairEvent(run_id, repairFamily(), 'note', { ...data });
      if (typeof data.ok === 'boolean') {
        ctx.repairIncidents.delete(run_id);
        ctx.repairFinished?.({
          runbook: str(data.runbook) ?? '?', target: str(data.target), ok: data.ok, duration_ms: num(data.duration_ms) ?? 0, incident_id,
        });
      }
      return;
    }
    case 'breaker': {
      const dependency = str(data.dependency) ?? '?';
      const family = familyOfDependency(dependency);
      if (data.to === 'OPEN') {
        log.raise({ family, type: 'breaker', title: `Breaker ${dependency} open: ${e.text}`, summary: e.text, severity, mode: e.mode, detail: { ...data } });
        return;
      }
      consequence(family, 'breaker', { ...data });
      const open = log.openIncidentOf(family);
      if (data.to === 'CLOSED' && open && open.mode === null && !ctx.troubleIn(family)) {
        log.resolve(open.id, { summary: `Breaker ${dependency} closed; no breaker of ${family} open and no degradation` });
      }
      return;
    }
    case 'config':
      log.append({ type: 'note', summary: e.text, severity, detail: { ...data } });
      return;
    case 'command':
      // An EA that forgot its standing order is the operator's to know (an EXEC matter); the
      // commands themselves are in the router's tables.
      if (data.standing === true) consequence('EXEC', 'note', { ...data });
      return;
    case 'mode_change': case 'degradation': case 'recover': // recorded from the mode effects
    case 'entries': case 'override': case 'held_signal': case 'note':
      return;
  }
}
