// Named selectors, so panels subscribe to the smallest piece they draw.
import type { GateName, PathName } from '../../src-shared/contract';
import type { GuardianState } from './guardian';

export const selectMode = (s: GuardianState) => s.status?.mode ?? null;
export const selectOverall = (s: GuardianState) => s.status?.overall_score ?? null;
export const selectScore = (gate: GateName) => (s: GuardianState) => s.status?.scores[gate] ?? null;
export const selectGate = (gate: GateName) => (s: GuardianState) => s.status?.gates?.[gate] ?? null;
export const selectRoutes = (s: GuardianState) => s.status?.routes ?? null;
export const selectPathMetrics = (path: PathName) => (s: GuardianState) => s.status?.routes.metrics[path] ?? null;
export const selectBuffer = (s: GuardianState) => s.status?.buffer ?? null;
export const selectRisk = (s: GuardianState) => s.status?.risk ?? null;
export const selectControls = (s: GuardianState) => s.status?.controls ?? null;
export const selectConsensus = (s: GuardianState) => s.status?.consensus ?? null;
export const selectPeers = (s: GuardianState) => s.status?.peers ?? null;
export const selectSlo = (s: GuardianState) => s.status?.slo ?? null;
export const selectDemo = (s: GuardianState) => s.status?.demo === true;
export const selectLastSwitch = (s: GuardianState) => s.status?.last_switch ?? null;
export const selectIncident = (id: string) => (s: GuardianState) => s.incidents.by_id[id] ?? null;
export const selectIncidentOrder = (s: GuardianState) => s.incidents.order;
export const selectActions = (s: GuardianState) => s.actions;
export const selectConnection = (s: GuardianState) => s.connection;

/** The incident Guardian is working on now: the newest open one. */
export const selectOpenIncident = (s: GuardianState) => {
  const id = s.status?.open_incident_ids?.[0];
  return id ? s.incidents.by_id[id] ?? null : null;
};
