// The graceful shutdown as a sequence of named steps, each with its own deadline. A step that
// fails or overruns is recorded and the next one still runs: the database must be closed even
// when the outbox could not be flushed. Pure sequencing over injected steps and timers.

export interface ShutdownStep {
  name: string;
  /** Resolves with a line for the log, e.g. "3 messages left unacknowledged". */
  run(): Promise<string | void> | string | void;
  timeout_ms: number;
}

export interface StepOutcome {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

export interface ShutdownReport {
  ok: boolean;
  steps: StepOutcome[];
}

export async function runShutdown(steps: readonly ShutdownStep[], now: () => number = () => Date.now()): Promise<ShutdownReport> {
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    const t0 = now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const overrun = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within ${step.timeout_ms} ms`)), step.timeout_ms);
    });
    try {
      const detail = await Promise.race([Promise.resolve().then(() => step.run()), overrun]);
      outcomes.push({ name: step.name, ok: true, ms: now() - t0, detail: detail ?? 'done' });
    } catch (err) {
      outcomes.push({ name: step.name, ok: false, ms: now() - t0, detail: err instanceof Error ? err.message : String(err) });
    } finally {
      clearTimeout(timer);
    }
  }
  return { ok: outcomes.every((o) => o.ok), steps: outcomes };
}

/** Waits until `depth()` is 0, polling, or gives up at the deadline saying what is left. */
export async function waitForEmptyOutbox(depth: () => number, deadline_ms: number, poll_ms = 50): Promise<string> {
  const until = Date.now() + deadline_ms;
  for (;;) {
    const left = depth();
    if (left === 0) return 'outbox flushed: every message acknowledged';
    if (Date.now() >= until) return `${left} message(s) still unacknowledged; they stay stored and are resent after the next start`;
    await new Promise((r) => setTimeout(r, poll_ms));
  }
}

export function formatShutdownReport(r: ShutdownReport): string {
  return r.steps.map((s) => `${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.ms} ms): ${s.detail}`).join('\n');
}
