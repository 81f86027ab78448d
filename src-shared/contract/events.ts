// The event stream: WebSocket messages over HTTP, `guardian:event` messages over IPC.
import type { Advice } from './learning';
import type { AuditEntry } from './audit';
import type { DeadLetter, HeldSignal } from './signals';
import type { GuardianStatus } from './status';
import type { Incident } from './incidents';
import type { IsoTs } from './modes';

export const EVENT_STREAM = {
  path: '/api/events',
  ipc: 'guardian:event',
  /** WebSocket subprotocol the server must echo. */
  protocol: 'guardian.v1',
  /**
   * Browsers cannot set headers on a WebSocket, so the bearer token travels as a second
   * subprotocol, `guardian.bearer.<token>`, which the server checks and never echoes.
   */
  bearer_protocol_prefix: 'guardian.bearer.',
} as const;

export type StreamEvent =
  | { type: 'hello'; server_ts: IsoTs; version: string; pulse_ms: number; demo: boolean }
  | { type: 'status'; status: GuardianStatus }
  /** An incident opened or changed: the whole incident, to upsert by id. */
  | { type: 'incident'; incident: Incident }
  | { type: 'audit'; entry: AuditEntry }
  | { type: 'advice'; advice: Advice }
  | { type: 'signal'; signal: HeldSignal }
  /**
   * The newest held signals, a whole page, newest first: sent instead of one `signal` each when
   * more changed in one pulse than are worth sending one by one (a hold at full rate holds and
   * expires tens of thousands a second). Replaces the list.
   */
  | { type: 'signals'; signals: HeldSignal[] }
  | { type: 'dead_letter'; dead_letter: DeadLetter };

export type StreamEventType = StreamEvent['type'];

/** The key that carries each event's object; `hello` carries its fields flat. */
const PAYLOAD_KEY: Record<StreamEventType, string | null> = {
  hello: null,
  status: 'status',
  incident: 'incident',
  audit: 'entry',
  advice: 'advice',
  signal: 'signal',
  signals: 'signals',
  dead_letter: 'dead_letter',
};

/** Accepts a decoded message only if it is a known event with its object; otherwise null. */
export function parseStreamEvent(raw: unknown): StreamEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(PAYLOAD_KEY, type)) return null;
  const key = PAYLOAD_KEY[type as StreamEventType];
  if (key === null) return raw as StreamEvent;
  const payload = (raw as Record<string, unknown>)[key];
  return typeof payload === 'object' && payload !== null ? (raw as StreamEvent) : null;
}
