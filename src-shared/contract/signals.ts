// Signals Guardian kept instead of routing (held by manage-only mode or refused by policy),
// and messages that broke the schema (PROTOCOL.md section 7).
import type { IsoTs, PathName, SignalTier } from './modes';
import type { ReasonCode, SignalAction } from '../protocol/types';

export type HeldState = 'held' | 'blocked' | 'expired' | 'released';

/** The held signals a console keeps: the newest, as many as one page of `signalsHeld` gives by default. */
export const HELD_SIGNALS_PAGE = 200;

export interface HeldSignal {
  signal_id: string;
  message_id: string;
  symbol: string;
  action: SignalAction;
  lots: number | null;
  tier: SignalTier | null;
  state: HeldState;
  reason_code: ReasonCode | string;
  reason: string;
  received_ts: IsoTs;
  expires_ts: IsoTs | null;
}

export interface DeadLetter {
  message_id: string;
  peer: string;
  path: PathName;
  ts: IsoTs;
  reason_code: ReasonCode | string;
  detail: string;
  /** The first bytes of the offending message, for the operator to read. */
  excerpt: string;
}
