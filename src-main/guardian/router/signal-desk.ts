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

export class SignalDesk {
  policy: SignalPolicy | undefined;
  releaseCheck: ReleaseCheck | undefined;
  constructor(public activeTier: SignalTier) {}

  decide(signal: SignalPayload, from: Peer): SignalDecision {
    const tier = signal.tier ?? from.tier ?? 'primary';
    if (tier !== this.activeTier) return { action: 'shadow' };
    return this.policy?.(signal, { node_id: from.node_id, tier }) ?? { action: 'route' };
  }
}
