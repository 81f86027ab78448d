// Number and time formatting in the desk's words: units always shown, times in UTC.

/** The decimals a value needs, at most two: 58.9 -> 1, 0.78 -> 2, 210 -> 0. */
export function autoDigits(value: number): number {
  for (let d = 0; d < 2; d++) {
    const f = 10 ** d;
    if (Math.abs(Math.round(value * f) - value * f) < 1e-9) return d;
  }
  return 2;
}

// One formatter per number of decimals: toLocaleString with options builds a new Intl.NumberFormat
// on every call, and the deck formats a few hundred numbers each pulse.
const NUMBER_FORMATS = new Map<number, Intl.NumberFormat>();
function numberFormat(digits: number): Intl.NumberFormat {
  let f = NUMBER_FORMATS.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    NUMBER_FORMATS.set(digits, f);
  }
  return f;
}

/** `digits` fixed, or left out for as many as the value needs (at most two). */
export function fmtNum(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return numberFormat(digits ?? autoDigits(value)).format(value);
}

/** "142 ms", "5.6%", "18 bps", "0.78": a value with its unit, spaced the way a trader reads it. */
export function fmtUnit(value: number | null | undefined, unit: string, digits?: number): string {
  const n = fmtNum(value, digits);
  if (n === '—' || unit === '') return n;
  if (unit === '%' || unit === 'x') return `${n}${unit}`;
  return `${n} ${unit}`;
}

/** "9 s", "1 m 36 s", "2 h 05 m", "3 d 4 h". */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function fmtAgo(then_ms: number | null | undefined, now_ms: number): string {
  if (then_ms === null || then_ms === undefined || Number.isNaN(then_ms)) return 'never';
  const s = Math.max(0, (now_ms - then_ms) / 1000);
  return s < 1 ? 'just now' : `${fmtDuration(s)} ago`;
}

/** "14:02:11" (UTC). */
export function fmtClock(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(11, 19);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 21 14:02:11" (UTC): for lists that span days. */
export function fmtStamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.toISOString().slice(11, 19)}`;
}

/** The plain-English tooltip of a number: "p95 bridge latency over the last 5 min = 142 ms, budget 120 ms". */
export function numberTip(label: string, value: number | null | undefined, unit: string, digits?: number, budget?: number | null, budgetWord = 'budget'): string {
  const v = fmtUnit(value, unit, digits);
  const head = value === null || value === undefined ? `${label}: no data` : `${label} = ${v}`;
  return budget === null || budget === undefined ? head : `${head}, ${budgetWord} ${fmtUnit(budget, unit)}`;
}

/** For a list row: recent times with their age ("02:01:46 · 1 m 36 s ago"), older ones by date. */
export function fmtWhen(iso: string, now_ms: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const age_s = (now_ms - t) / 1000;
  if (age_s < 3600) return `${iso.slice(11, 19)} · ${fmtAgo(t, now_ms)}`;
  if (age_s < 86400) return `${iso.slice(11, 16)} · ${fmtDuration(age_s).replace(/ \d+ m$/, '')} ago`;
  return fmtStamp(iso).slice(0, -3);
}
