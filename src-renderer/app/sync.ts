// Wires a client to the store: events flow in as they come; on start and whenever the stream
// comes back, the snapshots are fetched again so nothing missed while away stays missing.
import type { GuardianClient } from '../client';
import type { GuardianStore } from '../store';

export const INCIDENTS_ON_LOAD = 5_000;
export const AUDIT_ON_LOAD = 1_000;

export function bindClient(client: GuardianClient, store: GuardianStore, now: () => number = Date.now): () => void {
  const { actions } = store.getState();
  let generation = 0;

  const resync = async () => {
    const mine = ++generation;
    const [metrics, status, incidents, audit, advice, signals, deadLetters] = await Promise.allSettled([
      client.getMetricsRecent(), client.getStatus(), client.getIncidents(INCIDENTS_ON_LOAD), client.getAudit(AUDIT_ON_LOAD),
      client.getAdvice(), client.getHeldSignals(), client.getDeadLetters(),
    ]);
    if (mine !== generation) return; // a newer resync is under way
    // History first: the status appends to it.
    if (metrics.status === 'fulfilled') actions.loadHistory(metrics.value);
    if (status.status === 'fulfilled') actions.applyStatus(status.value, now());
    if (incidents.status === 'fulfilled') actions.setIncidents(incidents.value);
    if (audit.status === 'fulfilled') actions.setAudit(audit.value);
    if (advice.status === 'fulfilled') actions.setAdvice(advice.value);
    if (signals.status === 'fulfilled') actions.setSignals(signals.value);
    if (deadLetters.status === 'fulfilled') actions.setDeadLetters(deadLetters.value);
  };

  const offEvents = client.subscribe((event) => actions.applyEvent(event, now()));
  let wasLive = client.getConnection().state === 'live';
  const offConnection = client.onConnection((info) => {
    actions.setConnection(info);
    if (info.state === 'live' && !wasLive) void resync();
    wasLive = info.state === 'live';
  });
  actions.setConnection(client.getConnection());
  const liveBefore = wasLive;
  client.start();
  // If start() went live at once, the connection listener has already resynced.
  if (liveBefore || !wasLive) void resync();

  // Unbinding leaves the client open: its owner (main.tsx) decides when it closes, and React's
  // strict mode unbinds and binds again on purpose.
  return () => {
    generation++;
    offEvents();
    offConnection();
  };
}
