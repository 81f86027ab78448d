// The incident list as the store keeps it: by id, plus ids newest first (thousands of them).
import type { Incident } from '../../src-shared/contract';

export interface IncidentIndex {
  by_id: Record<string, Incident>;
  /** Ids by opened_ts, newest first. */
  order: string[];
}

export const MAX_INCIDENTS = 20_000;
export const EMPTY_INCIDENTS: IncidentIndex = { by_id: {}, order: [] };

export function indexIncidents(list: readonly Incident[]): IncidentIndex {
  const sorted = [...list].sort((a, b) => compareNewestFirst(a.opened_ts, b.opened_ts)).slice(0, MAX_INCIDENTS);
  return { by_id: Object.fromEntries(sorted.map((i) => [i.id, i])), order: sorted.map((i) => i.id) };
}

export function upsertIncident(index: IncidentIndex, incident: Incident): IncidentIndex {
  const by_id = { ...index.by_id, [incident.id]: incident };
  if (incident.id in index.by_id) return { by_id, order: index.order };
  // New incidents are nearly always the newest: find the slot by binary search, not a re-sort.
  let lo = 0;
  let hi = index.order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const other = index.by_id[index.order[mid]!]!;
    if (compareNewestFirst(other.opened_ts, incident.opened_ts) <= 0) lo = mid + 1;
    else hi = mid;
  }
  const order = [...index.order.slice(0, lo), incident.id, ...index.order.slice(lo)];
  if (order.length > MAX_INCIDENTS) {
    for (const dropped of order.splice(MAX_INCIDENTS)) delete by_id[dropped];
  }
  return { by_id, order };
}

function compareNewestFirst(a: string, b: string): number {
  return Date.parse(b) - Date.parse(a);
}
