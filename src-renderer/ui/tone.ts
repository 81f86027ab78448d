// Tones: the console's few state colours, each always paired with an icon and a word.
import type { IconName } from './icons';

export type Tone = 'ok' | 'watch' | 'fail' | 'idle' | 'info';

export const TONE_ICON: Record<Tone, IconName> = { ok: 'check', watch: 'warn', fail: 'fail', idle: 'circle', info: 'info' };

/** DESIGN.md section 3: green >= 85, amber 70-84, red < 70. */
export const SCORE_OK = 85;
export const SCORE_WATCH = 70;

export function scoreTone(score: number | null | undefined): Tone {
  if (score === null || score === undefined || Number.isNaN(score)) return 'idle';
  if (score >= SCORE_OK) return 'ok';
  if (score >= SCORE_WATCH) return 'watch';
  return 'fail';
}

export const SCORE_WORD: Record<Tone, string> = { ok: 'Healthy', watch: 'Watch', fail: 'Failing', idle: 'No data', info: 'Info' };

/** Over budget = fail, within 80% of it = watch. For "lower is better" numbers. */
export function budgetTone(value: number | null | undefined, budget: number | null | undefined): Tone {
  if (value === null || value === undefined || Number.isNaN(value) || budget === null || budget === undefined) return 'idle';
  if (value > budget) return 'fail';
  if (value > budget * 0.8) return 'watch';
  return 'ok';
}
