// All dependencies' breakers, keyed by name ('path:socket', 'signal:primary', 'broker'): a pure
// board transition plus a small holder that reads the injected clock and reports changes.
import { monotonicShift_ms, savedAt, type Clock, type SavedAt } from '../clock';
import { Emitter, type Disposable } from '../lifecycle';
import { breakerTransition, canAttempt, initialBreaker, shiftBreaker, type BreakerChange, type BreakerEvent, type BreakerState } from './breaker';
import { DEFAULT_BREAKER_POLICY, type BreakerPolicy } from './policy';
import { classifyError, type ClassifiedFailure } from './taxonomy';

/** Plain data, JSON-safe. A dependency not in the board is CLOSED with no history. */
export type BoardState = Record<string, BreakerState>;

export interface BoardChange extends BreakerChange {
  dependency: string;
}

export function breakerOf(board: BoardState, dependency: string): BreakerState {
  return Object.hasOwn(board, dependency) ? (board[dependency] ?? initialBreaker()) : initialBreaker();
}

export function boardTransition(
  board: BoardState,
  dependency: string,
  event: BreakerEvent,
  now_ms: number,
  policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): [BoardState, BoardChange[]] {
  const [next, changes] = breakerTransition(breakerOf(board, dependency), event, now_ms, policy);
  return [{ ...board, [dependency]: next }, changes.map((c) => ({ ...c, dependency }))];
}

export interface BoardSnapshot {
  state: BoardState;
  saved_at: SavedAt;
}

export interface BreakerBoardOptions {
  clock: Clock;
  policy?: BreakerPolicy;
  state?: BoardState;
}

export class BreakerBoard {
  private board: BoardState;
  private readonly clock: Clock;
  private readonly policy: BreakerPolicy;
  private readonly changes = new Emitter<BoardChange>();

  constructor(options: BreakerBoardOptions) {
    this.clock = options.clock;
    this.policy = options.policy ?? DEFAULT_BREAKER_POLICY;
    this.board = options.state ?? {};
  }

  /** Rebuilds a board saved by an earlier process: its monotonic times are carried across. */
  static restore(snapshot: BoardSnapshot, options: Omit<BreakerBoardOptions, 'state'>): BreakerBoard {
    const shift = monotonicShift_ms(snapshot.saved_at, options.clock);
    const state = Object.fromEntries(Object.entries(snapshot.state).map(([dep, s]) => [dep, shiftBreaker(s, shift)]));
    return new BreakerBoard({ ...options, state });
  }

  /** Every change of every breaker, as it happens (after the board has moved). */
  onChange(listener: (change: BoardChange) => void): Disposable {
    return this.changes.on(listener);
  }

  get(dependency: string): BreakerState {
    return breakerOf(this.board, dependency);
  }

  dependencies(): string[] {
    return Object.keys(this.board);
  }

  /** Whether a call may go out now; does not take the half-open trial (see acquire). */
  canAttempt(dependency: string): boolean {
    return canAttempt(this.get(dependency), this.clock.now_ms(), this.policy);
  }

  /** Asks to make a call: true when allowed; in HALF_OPEN, the one caller let through holds the trial. */
  acquire(dependency: string): boolean {
    if (!this.canAttempt(dependency)) {
      this.apply(dependency, { type: 'TICK' });
      return false;
    }
    this.apply(dependency, { type: 'TRIAL_START' });
    return true;
  }

  success(dependency: string): BoardChange[] {
    return this.apply(dependency, { type: 'SUCCESS' });
  }

  /** Classifies what went wrong (Error, Node code, protocol reason) and records it. */
  failure(dependency: string, err: unknown): { failure: ClassifiedFailure; changes: BoardChange[] } {
    const failure = classifyError(err);
    return { failure, changes: this.apply(dependency, { type: 'FAILURE', reason: failure.reason, code: failure.code }) };
  }

  clear(dependency: string, by: string, reason: string): BoardChange[] {
    return this.apply(dependency, { type: 'OPERATOR_CLEAR', by, reason });
  }

  /** Lets time act on every breaker (open -> half-open, hung trials); call it each pulse. */
  tick(): BoardChange[] {
    return this.dependencies().flatMap((dep) => this.apply(dep, { type: 'TICK' }));
  }

  snapshot(): BoardSnapshot {
    return { state: structuredClone(this.board), saved_at: savedAt(this.clock) };
  }

  private apply(dependency: string, event: BreakerEvent): BoardChange[] {
    const [next, changes] = boardTransition(this.board, dependency, event, this.clock.now_ms(), this.policy);
    this.board = next;
    this.changes.fire(changes);
    return changes;
  }
}
