// The mode manager's effects as incidents: one incident per degradation (family COMM, SIGNAL,
// EXEC) and one per risk veto (family SAFE), opened when it starts, resolved when it clears, with
// every mode change in its timeline. Alerts raised meanwhile in the same family attach to it.
import type { Db } from '../store';
import type { ModeEffect, Why } from '../modes';
import { operatorActor } from './operator';
import type { CauseFamily, CauseRecord, Mode, Severity } from './types';
import type { IncidentWriter } from './writer';

/** The family an incident about a mode belongs to; null for NORMAL. */
export function familyOfMode(mode: Mode): CauseFamily | null {
  if (mode === 'NORMAL') return null;
  if (mode === 'SAFE_MODE') return 'SAFE';
  return mode.slice('DEGRADED.'.length);
}

/** The constraints behind a decision, with their values (unknown values kept, as null). */
export function causesOfWhy(why: Why): CauseRecord[] {
  return why.constraints
    .filter((c) => c.status !== 'pass')
    .map((c) => {
      const cause: CauseRecord = { constraint_id: c.id, gate: c.gate, severity: c.severity, value: c.value ?? null, text: c.explanation };
      if (c.limit !== undefined) cause.limit = c.limit;
      return cause;
    });
}

export function actorOfWhy(why: Why): string {
  return why.by === 'policy' ? 'guardian' : operatorActor(why.by.operator) ?? 'guardian';
}

function severityOf(mode: Mode, causes: readonly CauseRecord[]): Severity {
  return mode === 'SAFE_MODE' || causes.some((c) => c.severity === 'critical') ? 'critical' : 'warning';
}

/** Records one effect inside the caller's transaction; effects that are not about modes are ignored. */
export function recordModeEffectIn(log: IncidentWriter, db: Db, effect: ModeEffect): void {
  switch (effect.type) {
    case 'MODE_CHANGED': {
      const cause = causesOfWhy(effect.why);
      const actor = actorOfWhy(effect.why);
      const event = {
        type: 'mode_change' as const, actor, summary: `${effect.from} -> ${effect.to}: ${effect.why.text}`,
        severity: severityOf(effect.to, cause), detail: { from_mode: effect.from, to_mode: effect.to, why: cause },
      };
      const family = familyOfMode(effect.to) ?? familyOfMode(effect.from);
      const open = family ? log.openIncidentOf(family) : null;
      if (open) log.attachIn(db, event, open.id);
      else if (effect.to !== 'NORMAL' && family) {
        log.openIncidentIn(db, { title: `${effect.to}: ${effect.why.text}`, severity: event.severity, cause, mode: effect.to, family, actor, event });
      } else log.appendIn(db, event);
      if (effect.from === 'SAFE_MODE' && effect.to !== 'SAFE_MODE') {
        log.resolveFamilyIn(db, 'SAFE', { actor, summary: `Left SAFE_MODE: ${effect.why.text}` });
      }
      return;
    }
    case 'DEGRADATION_ADDED': {
      const mode: Mode = `DEGRADED.${effect.degradation}`;
      const cause = causesOfWhy(effect.why);
      const actor = actorOfWhy(effect.why);
      const event = { type: 'detect' as const, actor, summary: `${mode}: ${effect.why.text}`, severity: severityOf(mode, cause), detail: { why: cause, degradation: effect.degradation } };
      const open = log.openIncidentOf(effect.degradation);
      if (open) log.attachIn(db, event, open.id);
      else {
        // Entered under a risk veto: the degradation is grouped under the SAFE incident.
        const parent = log.openIncidentOf('SAFE');
        log.openIncidentIn(db, { title: event.summary, severity: event.severity, cause, mode, family: effect.degradation, actor, parent_id: parent?.id ?? null, event });
      }
      return;
    }
    case 'DEGRADATION_CLEARED':
      log.resolveFamilyIn(db, effect.degradation, {
        actor: actorOfWhy(effect.why),
        summary: `DEGRADED.${effect.degradation} cleared: ${effect.why.text}`,
        detail: { why: causesOfWhy(effect.why) },
      });
      return;
    default:
      return;
  }
}
