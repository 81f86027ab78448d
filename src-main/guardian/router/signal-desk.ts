// Which signals reach the EA: only the active tier's (primary -> cached -> heuristic), and
// only what the control plane's policy lets through. The policy is a hook so that the data
// plane never depends on the control plane's parts.
import type { SignalPayload, SignalTier } from '../../../src-shared/protocol';
import type { Peer } from './peer';

export type SignalDecision =
  | { action: 'route' }
  | { action: 'shadow' }
  | { action: 'hold'; reason: string; ttl_s: number }
  | { action: 'refuse'; reason: string; detail: string };

export type SignalPolicy = (signal: SignalPayload, from: { node_id: string; tier: SignalTier | undefined }) => SignalDecision | undefined;

/**
 * A signal the policy held (manage-only), about to be released once the mode clears: the
 * pre-trade gate's word on it, which it did not have on arrival. A refusal names its reason and detail.
 */
export type ReleaseCheck = (signal: SignalPayload, origin: string) => { reason: string; detail: string } | undefined;

/**
 * What the entry policy (the mode) says of a signal now, whatever the gates said on its arrival:
 * asked of every held signal at its release, so that one held for want of an EA does not go out
 * in SAFE_MODE, or while entries are held, just because the EA came back.
 */
export type EntryVerdict = (signal: SignalPayload) => { action: 'refuse'; reason: string; detail: string } | { action: 'hold'; reason: string; ttl_s: number } | undefined;

export class SignalDesk {
  policy: SignalPolicy | undefined;
  releaseCheck: ReleaseCheck | undefined;
  /**
   * A signal the whole policy admitted on arrival, held for want of an EA or queued for one that was
   * away: what the market says of it now. The detail does not say when; the caller does.
   */
  admittedCheck: ReleaseCheck | undefined;
  entryVerdict: EntryVerdict | undefined;
  /**
   * Why new entries are refused now (SAFE_MODE), or null: asked when an EA greets, so that the
   * entries queued for it and not stored by it are voided before anything is resent.
   */
  entriesRefused: (() => string | null) | undefined;
  /**
   * Why new entries are held now (the mode, or the operator), or null: asked when an EA comes
   * back, so that the entries queued for it while it was away do not go out past the hold.
   */
  entriesHeld: (() => string | null) | undefined;
  constructor(public activeTier: SignalTier) {}

  decide(signal: SignalPayload, from: Peer): SignalDecision {
    const tier = signal.tier ?? from.tier ?? 'primary';
    if (tier !== this.activeTier) return { action: 'shadow' };
    return this.policy?.(signal, { node_id: from.node_id, tier }) ?? { action: 'route' };
  }
}
