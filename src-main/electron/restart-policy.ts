// When the control-plane host dies unexpectedly, start it again, backing off: 1 s, 2 s, 4 s ...
// up to 30 s; after 5 crashes within 10 minutes, stop trying and say so (a crash loop helps
// nobody, and the tray shows OFFLINE). Pure: the caller keeps the crash times.
export const RESTART_WINDOW_MS = 10 * 60_000;
export const RESTART_LIMIT = 5;

export type RestartDecision = { restart: true; delay_ms: number } | { restart: false; why: string };

export function restartDecision(crashTimes_ms: readonly number[], now_ms: number): RestartDecision {
  const recent = crashTimes_ms.filter((t) => now_ms - t < RESTART_WINDOW_MS).length;
  if (recent >= RESTART_LIMIT) return { restart: false, why: `the control plane stopped ${recent} times in 10 minutes; restart Guardian after fixing the cause` };
  return { restart: true, delay_ms: Math.min(30_000, 1000 * 2 ** Math.max(0, recent - 1)) };
}
