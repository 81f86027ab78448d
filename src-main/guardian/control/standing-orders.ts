// The EAs' standing order while Guardian holds or refuses new entries: each EA must hold them too,
// and say so (STATUS ea_state PAUSED, or HALT). COMMAND HOLD_NEW_ENTRIES is sent once, on the
// edge; an EA that restarts forgets it (MT4 keeps an EA's state in memory), and one that reports
// RUNNING afterwards would place its own entries while Guardian thinks them held. So the order is
// checked as a level: an EA that has stored the command (acknowledged its seq), and whose STATUS
// taken a while after that still says it is not holding, is told again, at most every resend_ms.
// One that never confirms is reported once after max_unconfirmed commands, not told forever.
// Pure: the caller passes the time and what the router knows.

/** The states in which an EA places no new entries. */
const HOLDING_STATES = new Set(['PAUSED', 'HALT']);

export interface StandingOrderTimes {
  /** A STATUS this long after the EA stored the command shows whether it obeys. */
  confirm_ms: number;
  /** Told again at most this often. */
  resend_ms: number;
  /** A STATUS older than this says nothing of the EA now (it is away: the outbox holds the command). */
  live_ms: number;
  /** Commands sent without a confirmation before the EA is reported, and no longer told. */
  max_unconfirmed: number;
}

export const DEFAULT_STANDING_ORDER_TIMES: StandingOrderTimes = { confirm_ms: 2000, resend_ms: 10_000, live_ms: 5000, max_unconfirmed: 3 };

interface Sent {
  at_ms: number;
  /** The command's seq in the EA's stream, once stored; null until then. */
  seq: number | null;
  /** When the EA was first seen to have acknowledged it. */
  acked_ms: number | null;
  unconfirmed: number;
  reported: boolean;
}

export interface StandingDue {
  /** EAs to send HOLD_NEW_ENTRIES again, with the state they report. */
  resend: { ea: string; state: string }[];
  /** EAs that did not confirm after max_unconfirmed commands: reported once, then left alone. */
  unconfirmed: { ea: string; state: string; commands: number }[];
}

export class StandingOrders {
  private readonly status = new Map<string, { state: string; at_ms: number }>();
  private readonly sent = new Map<string, Sent>();

  constructor(private readonly times: StandingOrderTimes = DEFAULT_STANDING_ORDER_TIMES) {}

  /** A STATUS from the EA. */
  observe(ea: string, state: string, now_ms: number): void {
    this.status.set(ea, { state, at_ms: now_ms });
    const s = this.sent.get(ea);
    if (s && HOLDING_STATES.has(state)) {
      s.unconfirmed = 0;
      s.reported = false;
    }
  }

  /** HOLD_NEW_ENTRIES was handed to the router for the EA (on the edge, or again). */
  holdSent(ea: string, now_ms: number): void {
    const s = this.sent.get(ea);
    this.sent.set(ea, { at_ms: now_ms, seq: null, acked_ms: null, unconfirmed: (s?.unconfirmed ?? 0) + 1, reported: s?.reported ?? false });
  }

  /** The command was stored at `seq` in the EA's stream. */
  holdStored(ea: string, seq: number): void {
    const s = this.sent.get(ea);
    if (s && s.seq === null) s.seq = seq;
  }

  /** Entries pass again (RESUME went out): nothing is owed. */
  clear(): void {
    this.sent.clear();
  }

  /**
   * While entries are held: the EAs to tell again. `eas` are the EAs Guardian knows, `acked` the
   * last seq each has acknowledged of Guardian's stream.
   */
  due(now_ms: number, eas: readonly string[], acked: (ea: string) => number): StandingDue {
    const out: StandingDue = { resend: [], unconfirmed: [] };
    const t = this.times;
    for (const ea of eas) {
      const s = this.sent.get(ea);
      if (s && s.seq !== null && s.acked_ms === null && acked(ea) >= s.seq) s.acked_ms = now_ms;
      const status = this.status.get(ea);
      if (!status || now_ms - status.at_ms > t.live_ms || HOLDING_STATES.has(status.state)) continue;
      if (s) {
        if (s.acked_ms === null) continue; // not stored, or not read yet: the outbox delivers it
        // A STATUS from before the EA had read the command, or soon after, says nothing of it.
        if (status.at_ms < s.acked_ms + t.confirm_ms || now_ms - s.at_ms < t.resend_ms) continue;
        if (s.unconfirmed >= t.max_unconfirmed) {
          if (!s.reported) {
            s.reported = true;
            out.unconfirmed.push({ ea, state: status.state, commands: s.unconfirmed });
          }
          continue;
        }
      }
      out.resend.push({ ea, state: status.state });
    }
    return out;
  }
}
