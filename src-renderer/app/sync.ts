// Wires a client to the store: events flow in as they come; on start and whenever the stream
// comes back, the snapshots are fetched again so nothing missed while away stays missing.
import type { GuardianClient } from '../client';
import type { GuardianStore } from '../store';

export const INCIDENTS_ON_LOAD = 5_000;
export const AUDIT_ON_LOAD = 1_000;
/** A stream not live this long after start: the snapshots are fetched without it. */
export const FIRST_SYNC_WAIT_MS = 1_500;

export function bindClient(client: GuardianClient, store: GuardianStore, now: () => number = Date.now): () => void {
  const { actions } = store.getState();
  let generation = 0;

  const resync = async () => {
    const mine = ++generation;
    const current = () => mine === generation; // else a newer resync is under way
    // Each snapshot lands as it arrives: the deck fills in, and the largest (thousands of incidents)
    // holds up nothing else. Only the status waits, for the history it is appended to.
    const land = <T>(p: Promise<T>, apply: (value: T) => void) => p.then((v) => { if (current()) apply(v); }, () => undefined);
    await Promise.all([
      Promise.allSettled([client.getMetricsRecent(), client.getStatus()]).then(([metrics, status]) => {
        if (!current()) return;
        if (metrics.status === 'fulfilled') actions.loadHistory(metrics.value);
        if (status.status === 'fulfilled') actions.applyStatus(status.value, now());
      }),
      land(client.getIncidents(INCIDENTS_ON_LOAD), actions.setIncidents),
      land(client.getAudit(AUDIT_ON_LOAD), actions.setAudit),
      land(client.getAdvice(), actions.setAdvice),
      land(client.getHeldSignals(), actions.setSignals),
      land(client.getDeadLetters(), actions.setDeadLetters),
    ]);
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
  // If start() went live at once, the connection listener has already resynced. If the stream is
  // still opening, its going live resyncs: fetching now as well would load every snapshot twice
  // (thousands of incidents) while the deck first renders. Only a stream that does not come up
  // soon leaves the snapshots to a timer, so the deck still shows them behind the banner.
  let fallback: ReturnType<typeof setTimeout> | null = null;
  if (liveBefore) void resync();
  else if (!wasLive) {
    fallback = setTimeout(() => {
      fallback = null;
      if (generation === 0) void resync();
    }, FIRST_SYNC_WAIT_MS);
  }

  // Unbinding leaves the client open: its owner (main.tsx) decides when it closes, and React's
  // strict mode unbinds and binds again on purpose.
  return () => {
    generation++;
    if (fallback !== null) clearTimeout(fallback);
    offEvents();
    offConnection();
  };
}
