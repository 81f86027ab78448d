// A read-only console backend over the status file: for when the service does not answer. The
// status is the file's, marked `stale` with its age; the lists the file does not hold are empty;
// every control is refused UNAVAILABLE (nothing may be changed on the word of an old file).
import type {
  ControlResponse, GuardianStatus, MetricsRecent, StreamEvent,
} from '../../../src-shared/contract';
import { SEED_SLO_BUDGETS } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import { Emitter, type Disposable } from '../lifecycle';
import { ApiError, GUARDIAN_VERSION, type ConsoleBackend, type PrometheusFigures } from '../server';
import { readStatusFile } from '../status-file';

export const READ_ONLY_REFUSAL = "Guardian's service is not answering: this console shows its status file, read-only. Start Guardian (guardian serve) to act.";

export class StatusFileBackend implements ConsoleBackend, Disposable {
  readonly demo = false;
  readonly version = GUARDIAN_VERSION;
  readonly pulse_ms: number;
  private last: GuardianStatus | null = null;
  private lastError: string | null = null;
  private readonly events = new Emitter<StreamEvent>();
  private readonly timer: Disposable;

  constructor(private readonly file: string, private readonly clock: Clock, every_ms = 1000) {
    this.pulse_ms = every_ms;
    this.refresh();
    // The file's age grows while nobody writes it: the console is told every second.
    this.timer = clock.setInterval(() => {
      if (this.refresh()) this.events.fire([{ type: 'status', status: this.last! }]);
    }, every_ms);
  }

  /** Re-reads the file; a file that went missing or bad keeps the last good one (its age still grows). */
  private refresh(): boolean {
    const r = readStatusFile(this.file, this.clock.wall_ms());
    if (r.ok) {
      this.last = r.status;
      this.lastError = null;
    } else {
      this.lastError = r.error;
      if (this.last?.written_at) this.last = { ...this.last, age_s: Math.round((this.clock.wall_ms() - Date.parse(this.last.written_at)) / 100) / 10 };
    }
    return this.last !== null;
  }

  /** Why there is no status at all (no file yet), or null. */
  get unavailable(): string | null {
    return this.last ? null : this.lastError;
  }

  status(): GuardianStatus {
    if (!this.last) throw new ApiError(503, this.lastError ?? 'no status file');
    return this.last;
  }

  metricsRecent(window_s = 300): MetricsRecent {
    return { pulse_ms: this.pulse_ms, window_s, budgets: SEED_SLO_BUDGETS, samples: [] };
  }

  incidents() {
    return [];
  }

  incident() {
    return null;
  }

  audit() {
    return [];
  }

  advice() {
    return [];
  }

  heldSignals() {
    return [];
  }

  deadLetters() {
    return [];
  }

  report() {
    return null;
  }

  control(): ControlResponse {
    return { ok: false, error: READ_ONLY_REFUSAL, code: 'UNAVAILABLE' };
  }

  onEvent(listener: (event: StreamEvent) => void): Disposable {
    return this.events.on(listener);
  }

  figures(): PrometheusFigures {
    return { msgs_per_s: 0, store_failures: 0, bad_input: {}, peers_connected: 0 };
  }

  dispose(): void {
    this.timer.dispose();
  }
}
