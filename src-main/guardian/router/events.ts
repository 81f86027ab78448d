// What the router tells the control plane. Every path switch carries its reason.
import type { Envelope, PathName, Role, SignalPayload, SignalTier } from '../../../src-shared/protocol';

export type RouterEvent =
  | { type: 'peer_connected'; peer: string; role: Exclude<Role, 'GUARDIAN'>; tier: SignalTier | null; path: PathName; legacy: boolean }
  | { type: 'peer_disconnected'; peer: string; path: PathName; reason: string }
  | { type: 'path_switch'; peer: string; from: PathName | null; to: PathName | null; reason: string }
  /** An operator's forced path, kept across restarts, lifted itself when its expiry passed. */
  | { type: 'force_lapsed'; peer: string; path: PathName; by: string; until_wall_ms: number }
  | { type: 'resend'; peer: string; from_seq: number; count: number; reason: string }
  | { type: 'message'; peer: string; role: Exclude<Role, 'GUARDIAN'>; path: PathName; envelope: Envelope }
  | { type: 'signal_held'; message_id: string; signal_id: string; reason: string }
  | { type: 'signal_expired'; message_id: string; reason: string }
  | { type: 'signal_refused'; peer: string; signal_id: string; reason: string; detail: string; message_id?: string; signal?: SignalPayload }
  /** New entries queued for an EA and judged at its return (router.ts greeted), voided in its stream: each service told. */
  | { type: 'queued_voided'; peer: string; voided: number }
  | { type: 'bad_input'; peer: string | null; path: PathName; reason: string; detail: string }
  | { type: 'security'; peer: string | null; path: PathName; detail: string }
  | { type: 'store_error'; detail: string }
  /** Intake held (signal services' ACKs withheld) while an EA is this far behind, and let go again. */
  | { type: 'backpressure'; on: boolean; ea: string; backlog: number };

export type RouterListener = (e: RouterEvent) => void;

export class RouterEvents {
  private readonly listeners = new Set<RouterListener>();
  on(listener: RouterListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  emit(e: RouterEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a listener's bug must never stop the data plane
      }
    }
  }
}
