// Breaker figures of DESIGN.md section 1: 3 failures in 60 s open for 60 s; 10 in 10 min open
// for 900 s. Written in seconds, as in config/failover-policy.yaml; the state works in ms.

export interface BreakerTrip {
  /** A label for people and logs ('short', 'long'). */
  name: string;
  /** This many counted failures ... */
  failures: number;
  /** ... within this many seconds (inclusive: failures exactly within_s apart still count) ... */
  within_s: number;
  /** ... open the breaker for this long. */
  open_s: number;
}

export interface BreakerPolicy {
  /** Every trip is checked; the one with the longest open time wins. */
  trips: BreakerTrip[];
  /** A half-open trial that reports nothing for this long has failed (a hung call is a failure). */
  trial_timeout_s: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  trips: [
    { name: 'short', failures: 3, within_s: 60, open_s: 60 },
    { name: 'long', failures: 10, within_s: 600, open_s: 900 },
  ],
  trial_timeout_s: 10,
};
