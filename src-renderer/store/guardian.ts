// The console's store: the latest status, sparkline history, incidents, audit and the desk's
// other records, and the connection state. The client's events flow in through `apply`.
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  HELD_SIGNALS_PAGE, SEED_SLO_BUDGETS,
  type Advice, type AuditEntry, type DeadLetter, type GuardianStatus, type HeldSignal, type Incident, type MetricsRecent, type SloBudgets,
  type StreamEvent,
} from '../../src-shared/contract';
import type { ConnectionInfo } from '../client/types';
import { appendRow, createHistory, fillHistory, rowOfStatus, type History } from './history';
import { EMPTY_INCIDENTS, indexIncidents, upsertIncident, type IncidentIndex } from './incidents';
import { replaceEqualDeep } from './share';

/** Charts redraw at most this often, whatever the pulse rate: enough for the eye, cheap for the CPU. */
export const CHART_INTERVAL_MS = 1000;
export const MAX_AUDIT = 5_000;
export const DEFAULT_PULSE_MS = 250;

export interface GuardianState {
  status: GuardianStatus | null;
  /** Client clock (ms) when the last status arrived: the banner's "last update 4 s ago". */
  last_update_ms: number | null;
  connection: ConnectionInfo;
  /** Mutated in place for speed; `history_version` and `chart_version` say when it changed. */
  history: History;
  history_version: number;
  chart_version: number;
  budgets: SloBudgets;
  incidents: IncidentIndex;
  /** Newest first. */
  audit: AuditEntry[];
  advice: Advice[];
  signals: HeldSignal[];
  dead_letters: DeadLetter[];
  actions: GuardianActions;
}

export interface GuardianActions {
  applyStatus(status: GuardianStatus, now_ms: number): void;
  applyEvent(event: StreamEvent, now_ms: number): void;
  setConnection(info: ConnectionInfo): void;
  loadHistory(recent: MetricsRecent): void;
  setIncidents(list: readonly Incident[]): void;
  upsertIncident(incident: Incident): void;
  setAudit(list: readonly AuditEntry[]): void;
  addAudit(entry: AuditEntry): void;
  setAdvice(list: readonly Advice[]): void;
  upsertAdvice(advice: Advice): void;
  setSignals(list: readonly HeldSignal[]): void;
  setDeadLetters(list: readonly DeadLetter[]): void;
}

export type GuardianStore = StoreApi<GuardianState>;

export function createGuardianStore(initialConnection: ConnectionInfo): GuardianStore {
  let last_chart_ms = -Infinity;
  return createStore<GuardianState>()((set, get) => {
    const actions: GuardianActions = {
      applyStatus(next, now_ms) {
        const { status: prev, history } = get();
        // A snapshot fetched on reconnect can land after a newer pushed status: keep the newer.
        if (prev?.ts && next.ts && Date.parse(next.ts) < Date.parse(prev.ts)) return;
        const pulse_ms = next.pulse_ms ?? DEFAULT_PULSE_MS;
        const h = pulse_ms === history.pulse_ms ? history : createHistory(pulse_ms);
        const ts_ms = next.ts ? Date.parse(next.ts) : now_ms;
        appendRow(h, ts_ms, rowOfStatus(next));
        const chart = ts_ms - last_chart_ms >= CHART_INTERVAL_MS;
        if (chart) last_chart_ms = ts_ms;
        set((s) => ({
          status: prev ? replaceEqualDeep(prev, next) : next,
          last_update_ms: now_ms,
          history: h,
          history_version: s.history_version + 1,
          chart_version: chart || h !== history ? s.chart_version + 1 : s.chart_version,
        }));
      },
      applyEvent(event, now_ms) {
        switch (event.type) {
          case 'status': return actions.applyStatus(event.status, now_ms);
          case 'incident': return actions.upsertIncident(event.incident);
          case 'audit': return actions.addAudit(event.entry);
          case 'advice': return actions.upsertAdvice(event.advice);
          // Newest first, a page's worth: the server sends a storm of changes as one page (`signals`).
          case 'signal': return set((s) => ({ signals: upsertBy(s.signals, event.signal, 'signal_id').slice(0, HELD_SIGNALS_PAGE) }));
          case 'signals': return actions.setSignals(event.signals);
          case 'dead_letter': return set((s) => ({ dead_letters: [event.dead_letter, ...s.dead_letters].slice(0, MAX_AUDIT) }));
          case 'hello': return;
        }
      },
      setConnection: (connection) => set({ connection }),
      loadHistory(recent) {
        const h = createHistory(recent.pulse_ms);
        fillHistory(h, recent.samples);
        last_chart_ms = -Infinity;
        set((s) => ({ history: h, budgets: recent.budgets, history_version: s.history_version + 1, chart_version: s.chart_version + 1 }));
      },
      setIncidents: (list) => set({ incidents: indexIncidents(list) }),
      upsertIncident: (incident) => set((s) => ({ incidents: upsertIncident(s.incidents, incident) })),
      setAudit: (list) => set({ audit: list.slice(0, MAX_AUDIT) }),
      addAudit: (entry) => set((s) => ({ audit: [entry, ...s.audit.filter((a) => a.id !== entry.id)].slice(0, MAX_AUDIT) })),
      setAdvice: (list) => set({ advice: [...list] }),
      upsertAdvice: (advice) => set((s) => ({ advice: upsertBy(s.advice, advice, 'id') })),
      setSignals: (list) => set({ signals: [...list] }),
      setDeadLetters: (list) => set({ dead_letters: [...list] }),
    };
    return {
      status: null,
      last_update_ms: null,
      connection: initialConnection,
      history: createHistory(DEFAULT_PULSE_MS),
      history_version: 0,
      chart_version: 0,
      budgets: SEED_SLO_BUDGETS,
      incidents: EMPTY_INCIDENTS,
      audit: [],
      advice: [],
      signals: [],
      dead_letters: [],
      actions,
    };
  });
}

/** Replace the item with the same key, or put it first. */
function upsertBy<T, K extends keyof T>(list: readonly T[], item: T, key: K): T[] {
  const i = list.findIndex((x) => x[key] === item[key]);
  if (i < 0) return [item, ...list];
  const out = [...list];
  out[i] = item;
  return out;
}
