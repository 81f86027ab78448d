// A small holder around the pure transition: it keeps the state, reads the injected clock, and
// hands every effect to its listeners. It does no I/O and sets no timers: the pulse drives it, so
// an override expires on the first pulse or tick at or after its expiry time.
import { monotonicShift_ms, savedAt, type Clock, type SavedAt } from '../clock';
import { Emitter, type Disposable } from '../lifecycle';
import { initialModeState, modeOf, shiftModeState, transition } from './machine';
import { DEFAULT_FAILOVER_POLICY, type FailoverPolicy } from './policy';
import type { Mode, ModeEffect, ModeEvent, ModePulse, ModeState } from './types';

export interface ModeSnapshot {
  state: ModeState;
  saved_at: SavedAt;
}

export interface ModeManagerOptions {
  clock: Clock;
  policy?: FailoverPolicy;
  state?: ModeState;
}

export type ModeListener = (effect: ModeEffect) => void;

export class ModeManager {
  private current: ModeState;
  private readonly clock: Clock;
  private readonly policy: FailoverPolicy;
  private readonly effects = new Emitter<ModeEffect>();

  constructor(options: ModeManagerOptions) {
    this.clock = options.clock;
    this.policy = options.policy ?? DEFAULT_FAILOVER_POLICY;
    this.current = options.state ?? initialModeState();
  }

  /** Rebuilds a manager saved (as JSON) by an earlier process; the dwell starts again. */
  static restore(snapshot: ModeSnapshot, options: Omit<ModeManagerOptions, 'state'>): ModeManager {
    return new ModeManager({ ...options, state: shiftModeState(snapshot.state, monotonicShift_ms(snapshot.saved_at, options.clock)) });
  }

  get state(): ModeState {
    return this.current;
  }

  get mode(): Mode {
    return modeOf(this.current);
  }

  onEffect(listener: ModeListener): Disposable {
    return this.effects.on(listener);
  }

  pulse(pulse: ModePulse): ModeEffect[] {
    return this.apply({ type: 'PULSE', pulse });
  }

  tick(): ModeEffect[] {
    return this.apply({ type: 'TICK' });
  }

  pin(mode: Exclude<Mode, 'NORMAL'>, duration_ms: number, by: string, reason: string): ModeEffect[] {
    return this.apply({ type: 'OPERATOR_PIN', mode, duration_ms, by, reason });
  }

  unpin(by: string, reason: string): ModeEffect[] {
    return this.apply({ type: 'OPERATOR_UNPIN', by, reason });
  }

  requestExit(duration_ms: number, by: string, reason: string): ModeEffect[] {
    return this.apply({ type: 'OPERATOR_EXIT', duration_ms, by, reason });
  }

  snapshot(): ModeSnapshot {
    return { state: structuredClone(this.current), saved_at: savedAt(this.clock) };
  }

  /** The state moves first; then every listener hears every effect, even if one of them throws. */
  private apply(event: ModeEvent): ModeEffect[] {
    const [next, effects] = transition(this.current, event, this.clock.now_ms(), this.policy);
    this.current = next;
    this.effects.fire(effects);
    return effects;
  }
}
