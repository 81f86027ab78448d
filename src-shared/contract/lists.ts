// Response wrappers of the list endpoints (an object, so fields can be added without a break).
import type { Advice } from './learning';
import type { AuditEntry } from './audit';
import type { DeadLetter, HeldSignal } from './signals';
import type { GateDetail } from './gates';
import type { Incident } from './incidents';
import type { SignalTier } from './modes';
import type { Peer } from './peers';
import type { PathSwitch, Routes } from './status';

/** Newest first. */
export interface IncidentList { incidents: Incident[] }
/** Newest first. */
export interface AuditList { entries: AuditEntry[] }
export interface AdviceList { advice: Advice[] }
export interface HeldSignalList { signals: HeldSignal[] }
export interface DeadLetterList { dead_letters: DeadLetter[] }
export interface GateList { gates: GateDetail[] }

export interface RoutesDetail {
  routes: Routes;
  peers: Peer[];
  active_tier: SignalTier;
  last_switch: PathSwitch | null;
}
