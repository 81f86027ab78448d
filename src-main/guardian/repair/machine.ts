// The repair orchestrator as a pure step machine: repairTransition(state, event, now_ms) ->
// [state, effects]. A run walks its runbook's steps in order: an action step asks the control
// plane to act (RUN_ACTION) and waits for ACTION_DONE; wait_path_up waits for the path to come
// back; verify is the shadow verification: the repaired path carries no traffic yet, and must
// answer `pings` loop-around pings in a row, each within its round-trip budget (a lost or slow
// ping starts the count again); switch_back hands the path back (SWITCH_BACK). Every step has a
// timeout; a step that fails or times out fails the run. Finished runs feed the estimate to
// recover: the median duration of the successful runs of that runbook.
import type { PathName } from '../../../src-shared/protocol';
import type {
  RepairEffect, RepairEvent, RepairHistoryEntry, RepairRun, RepairState, Runbook, RunbookStep, StepProgress, StepState,
} from './types';

export const HISTORY_LIMIT = 200;
/** The estimate reads this many of a runbook's latest successful runs. */
export const ESTIMATE_SAMPLE = 20;

export function initialRepairState(): RepairState {
  return { runs: [], history: [], up: {}, next_id: 1 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Seconds a run of this runbook usually takes: the median duration of its latest successful runs,
 * or the runbook's seed (expected_s) before any has succeeded; null when neither is known.
 */
export function estimateToRecover_s(history: readonly RepairHistoryEntry[], runbook: string, seed_s: number | null = null): number | null {
  const ok = history.filter((h) => h.runbook === runbook && h.ok).slice(-ESTIMATE_SAMPLE).map((h) => h.duration_ms);
  if (ok.length === 0) return seed_s;
  return Math.round(median(ok) / 100) / 10;
}

/** What is left of the estimate for a run in progress (never below 0). */
export function remaining_s(run: RepairRun, history: readonly RepairHistoryEntry[], now_ms: number, seed_s: number | null = null): number | null {
  const estimate = estimateToRecover_s(history, run.runbook, seed_s);
  if (estimate === null) return null;
  return Math.max(0, Math.round((estimate - (now_ms - run.started_ms) / 1000) * 10) / 10);
}

/** Share of finished runs that succeeded, in percent (null before any). */
export function successRate_pct(history: readonly RepairHistoryEntry[], since_ms = -Infinity): number | null {
  const runs = history.filter((h) => h.ended_ms >= since_ms);
  if (runs.length === 0) return null;
  return (100 * runs.filter((h) => h.ok).length) / runs.length;
}

const clone = (run: RepairRun): RepairRun => structuredClone(run);

class Out {
  readonly effects: RepairEffect[] = [];
  push(e: RepairEffect): void {
    this.effects.push(e);
  }
}

function setStep(run: RepairRun, index: number, state: StepState, now_ms: number, detail: string | null): RepairRun {
  const steps = run.steps.map((s, i): StepProgress => {
    if (i !== index) return s;
    const started = state === 'running' ? now_ms : s.started_ms;
    const ended = state === 'done' || state === 'failed' || state === 'skipped' ? now_ms : s.ended_ms;
    return { ...s, state, started_ms: started, ended_ms: ended, detail: detail ?? s.detail };
  });
  return { ...run, steps };
}

function finish(state: RepairState, run: RepairRun, ok: boolean, detail: string, now_ms: number, out: Out, cancelled = false): RepairState {
  const ended: RepairRun = { ...run, state: cancelled ? 'cancelled' : ok ? 'done' : 'failed', ended_ms: now_ms, detail, verify: run.verify };
  const entry: RepairHistoryEntry = { runbook: run.runbook, target: run.target, ok, duration_ms: now_ms - run.started_ms, ended_ms: now_ms };
  out.push({ type: 'FINISHED', run: clone(ended), ok, duration_ms: entry.duration_ms });
  return {
    ...state,
    runs: state.runs.filter((r) => r.id !== run.id),
    history: cancelled ? state.history : [...state.history, entry].slice(-HISTORY_LIMIT),
  };
}

/** Starts step `index` of a run (or finishes the run past its last step). */
function enterStep(state: RepairState, run: RepairRun, index: number, now_ms: number, out: Out): RepairState {
  if (index >= run.plan.length) return finish(state, { ...run, step: index }, true, 'every step done', now_ms, out);
  const step = run.plan[index]!;
  let next: RepairRun = setStep({ ...run, step: index, step_started_ms: now_ms, state: step.action === 'verify' ? 'verifying' : 'running', verify: null }, index, 'running', now_ms, null);
  out.push({ type: 'STEP', run: clone(next), index, state: 'running', detail: null });
  switch (step.action) {
    case 'wait_path_up':
      if (run.target === null || state.up[run.target]) return completeStep(state, next, index, now_ms, out, run.target === null ? 'no path to wait for' : `${run.target} is up`);
      return replace(state, next);
    case 'verify':
      if (run.target === null) return completeStep(state, next, index, now_ms, out, 'no path to verify');
      next = { ...next, verify: { good: 0, needed: step.pings ?? 10, rtt_budget_ms: step.rtt_budget_ms ?? 250, last_rtt_ms: null, resets: 0 } };
      return replace(state, next);
    case 'switch_back':
      if (run.target !== null) out.push({ type: 'SWITCH_BACK', run_id: run.id, path: run.target });
      return completeStep(state, next, index, now_ms, out, run.target === null ? 'nothing to switch back' : `traffic may return to ${run.target}`);
    default:
      out.push({ type: 'RUN_ACTION', run_id: run.id, action: step.action, target: run.target, params: { ...(step.params ?? {}) } });
      return replace(state, next);
  }
}

function completeStep(state: RepairState, run: RepairRun, index: number, now_ms: number, out: Out, detail: string): RepairState {
  const done = setStep(run, index, 'done', now_ms, detail);
  out.push({ type: 'STEP', run: clone(done), index, state: 'done', detail });
  return enterStep(replace(state, done), done, index + 1, now_ms, out);
}

function failStep(state: RepairState, run: RepairRun, now_ms: number, out: Out, detail: string): RepairState {
  const index = run.step;
  const failed = setStep(run, index, 'failed', now_ms, detail);
  const skipped = failed.steps.map((s, i) => (i > index && s.state === 'pending' ? { ...s, state: 'skipped' as const } : s));
  out.push({ type: 'STEP', run: clone({ ...failed, steps: skipped }), index, state: 'failed', detail });
  const step = run.plan[index];
  if (step?.action === 'verify') out.push({ type: 'VERIFY', run: clone(failed), passed: false });
  return finish(state, { ...failed, steps: skipped }, false, `step ${index + 1} (${step?.name ?? '?'}) failed: ${detail}`, now_ms, out);
}

function replace(state: RepairState, run: RepairRun): RepairState {
  return { ...state, runs: state.runs.map((r) => (r.id === run.id ? run : r)) };
}

function currentStep(run: RepairRun): RunbookStep | undefined {
  return run.plan[run.step];
}

function checkTimeouts(state: RepairState, now_ms: number, out: Out): RepairState {
  let s = state;
  for (const { id } of state.runs) {
    const run = s.runs.find((r) => r.id === id);
    const step = run ? currentStep(run) : undefined;
    if (!run || !step) continue;
    if (now_ms - run.step_started_ms > step.timeout_s * 1000) {
      const what = step.action === 'verify' && run.verify
        ? `verification timed out after ${step.timeout_s} s (${run.verify.good} of ${run.verify.needed} good pings in a row)`
        : `timed out after ${step.timeout_s} s`;
      s = failStep(s, run, now_ms, out, what);
    }
  }
  return s;
}

function start(state: RepairState, e: Extract<RepairEvent, { type: 'START' }>, now_ms: number, out: Out): RepairState {
  const busy = state.runs.find((r) => r.target === e.target && (e.target !== null || r.runbook === e.runbook.id));
  if (busy) {
    out.push({ type: 'REFUSED', runbook: e.runbook.id, target: e.target, reason: `run ${busy.id} (${busy.runbook}) is already repairing ${e.target ?? 'this'}` });
    return state;
  }
  if (e.runbook.steps.length === 0) {
    out.push({ type: 'REFUSED', runbook: e.runbook.id, target: e.target, reason: 'the runbook has no steps' });
    return state;
  }
  const run: RepairRun = {
    id: `repair-${state.next_id}`,
    runbook: e.runbook.id,
    title: e.runbook.title,
    target: e.target,
    why: e.why,
    state: 'running',
    step: 0,
    steps: e.runbook.steps.map((s) => ({ name: s.name, action: s.action, state: 'pending', started_ms: null, ended_ms: null, detail: null })),
    plan: e.runbook.steps.map((s) => ({ ...s, ...(s.params ? { params: { ...s.params } } : {}) })),
    started_ms: now_ms,
    ended_ms: null,
    step_started_ms: now_ms,
    verify: null,
    detail: null,
  };
  out.push({ type: 'STARTED', run: clone(run), estimate_s: estimateToRecover_s(state.history, run.runbook, e.runbook.expected_s ?? null) });
  const s = { ...state, next_id: state.next_id + 1, runs: [...state.runs, run] };
  return enterStep(s, run, 0, now_ms, out);
}

function onPing(state: RepairState, path: PathName, echoed: boolean, rtt_ms: number | null, now_ms: number, out: Out): RepairState {
  let s = state;
  for (const { id } of state.runs) {
    const run = s.runs.find((r) => r.id === id);
    if (!run || run.target !== path || !run.verify || currentStep(run)?.action !== 'verify') continue;
    const v = run.verify;
    const good = echoed && rtt_ms !== null && rtt_ms <= v.rtt_budget_ms;
    const verify = good ? { ...v, good: v.good + 1, last_rtt_ms: rtt_ms } : { ...v, good: 0, last_rtt_ms: rtt_ms, resets: v.resets + (v.good > 0 ? 1 : 0) };
    const next = { ...run, verify };
    s = replace(s, next);
    if (verify.good >= verify.needed) {
      out.push({ type: 'VERIFY', run: clone(next), passed: true });
      s = completeStep(s, next, next.step, now_ms, out, `${verify.good} loop-around pings in a row within ${verify.rtt_budget_ms} ms`);
    }
  }
  return s;
}

function onObserve(state: RepairState, up: Partial<Record<PathName, boolean>>, now_ms: number, out: Out): RepairState {
  let s: RepairState = { ...state, up: { ...up } };
  for (const { id } of state.runs) {
    const run = s.runs.find((r) => r.id === id);
    const step = run ? currentStep(run) : undefined;
    if (!run || !step || run.target === null) continue;
    if (step.action === 'wait_path_up' && up[run.target]) s = completeStep(s, run, run.step, now_ms, out, `${run.target} is up`);
    else if (step.action === 'verify' && !up[run.target] && run.verify && run.verify.good > 0) {
      s = replace(s, { ...run, verify: { ...run.verify, good: 0, resets: run.verify.resets + 1 } });
    }
  }
  return s;
}

export function repairTransition(state: RepairState, event: RepairEvent, now_ms: number): [RepairState, RepairEffect[]] {
  const out = new Out();
  let s = state;
  switch (event.type) {
    case 'START':
      s = start(s, event, now_ms, out);
      break;
    case 'ACTION_DONE': {
      const run = s.runs.find((r) => r.id === event.run_id);
      const step = run ? currentStep(run) : undefined;
      if (!run || !step || step.action === 'verify' || step.action === 'wait_path_up' || step.action === 'switch_back') break;
      s = event.ok ? completeStep(s, run, run.step, now_ms, out, event.detail) : failStep(s, run, now_ms, out, event.detail);
      break;
    }
    case 'OBSERVE':
      s = onObserve(s, event.up, now_ms, out);
      break;
    case 'PING':
      s = onPing(s, event.path, event.echoed, event.rtt_ms, now_ms, out);
      break;
    case 'CANCEL': {
      const run = s.runs.find((r) => r.id === event.run_id);
      if (run) s = finish(s, run, false, `cancelled: ${event.reason}`, now_ms, out, true);
      break;
    }
    case 'TICK':
      break;
  }
  s = checkTimeouts(s, now_ms, out);
  return [s, out.effects];
}

/** Moves a saved state's monotonic times by shift_ms (a restart): runs in progress keep their step timeouts. */
export function shiftRepairState(s: RepairState, shift_ms: number): RepairState {
  const t = (v: number | null) => (v === null ? null : v + shift_ms);
  return {
    ...s,
    up: {},
    runs: s.runs.map((r) => ({
      ...r,
      started_ms: r.started_ms + shift_ms,
      step_started_ms: r.step_started_ms + shift_ms,
      ended_ms: t(r.ended_ms),
      steps: r.steps.map((st) => ({ ...st, started_ms: t(st.started_ms), ended_ms: t(st.ended_ms) })),
    })),
    history: s.history.map((h) => ({ ...h, ended_ms: h.ended_ms + shift_ms })),
  };
}

/** The runbooks that repair this path, in the file's order (the first is tried first). */
export function runbooksFor(runbooks: readonly Runbook[], path: PathName): Runbook[] {
  return runbooks.filter((r) => r.triggers.includes('path_failing') && (r.paths ?? []).includes(path));
}
