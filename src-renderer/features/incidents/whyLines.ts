// The lines of an incident's "Why?" disclosure, and the row heights that follow from them.
// One function gives both, so the windowed list's arithmetic always matches what is drawn.
import type { Cause, Incident, IncidentEvent } from '../../../src-shared/contract';

export type WhyLine =
  | { kind: 'head'; text: string }
  | { kind: 'cause'; cause: Cause }
  | { kind: 'event'; event: IncidentEvent };

/** A closed incident: four lines. An open one has a fifth, for its estimate to recover. */
export const ROW_BASE_PX = 92;
export const ROW_OPEN_PX = 112;
export const LINE_PX = 20;
const EXPANDED_PAD_PX = 8;
export const MAX_EVENT_LINES = 8;

export function hasModeChange(incident: Incident): boolean {
  return incident.events.some((e) => e.type === 'mode_change') || Boolean(incident.why?.causes.length);
}

export function whyLines(incident: Incident): WhyLine[] {
  const lines: WhyLine[] = [];
  const changes = incident.events.filter((e) => e.type === 'mode_change');
  for (const change of changes) {
    lines.push({ kind: 'head', text: `${change.from_mode ?? '?'} → ${change.to_mode ?? '?'} because:` });
    const causes = change.why ?? incident.why?.causes ?? [];
    for (const cause of causes) lines.push({ kind: 'cause', cause });
  }
  if (!changes.length && incident.why?.causes.length) {
    lines.push({ kind: 'head', text: 'Caused by:' });
    for (const cause of incident.why.causes) lines.push({ kind: 'cause', cause });
  }
  lines.push({ kind: 'head', text: `Events (${incident.events.length}, newest first):` });
  for (const event of incident.events.slice(0, MAX_EVENT_LINES)) lines.push({ kind: 'event', event });
  return lines;
}

export function rowHeight(incident: Incident | undefined, expanded: boolean): number {
  if (!incident) return ROW_BASE_PX;
  const base = incident.closed_ts === null ? ROW_OPEN_PX : ROW_BASE_PX;
  return expanded ? base + EXPANDED_PAD_PX + whyLines(incident).length * LINE_PX : base;
}
