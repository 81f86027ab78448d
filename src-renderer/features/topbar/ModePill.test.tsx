// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MODES } from '../../../src-shared/contract';
import { ModePill } from './ModePill';

afterEach(cleanup);

const EXPECTED = {
  NORMAL: { word: 'Normal', icon: 'check', cls: 'mode-normal' },
  'DEGRADED.COMM': { word: 'Degraded: comms', icon: 'unlink', cls: 'mode-comm' },
  'DEGRADED.SIGNAL': { word: 'Degraded: signals', icon: 'signal', cls: 'mode-signal' },
  'DEGRADED.EXEC': { word: 'Manage-only', icon: 'hand', cls: 'mode-exec' },
  SAFE_MODE: { word: 'Safe mode', icon: 'lock', cls: 'mode-safe' },
} as const;

describe('ModePill', () => {
  it.each(MODES)('shows %s with its own word, icon and colour, and the code', (mode) => {
    const { container } = render(<ModePill mode={mode} />);
    const pill = container.querySelector('.mode-pill')!;
    expect(screen.getByText(EXPECTED[mode].word)).toBeTruthy();
    expect(screen.getByText(mode)).toBeTruthy();
    expect(pill.querySelector('svg')!.getAttribute('data-icon')).toBe(EXPECTED[mode].icon);
    expect(pill.classList.contains(EXPECTED[mode].cls)).toBe(true);
    expect(pill.getAttribute('title')).toContain(mode);
  });

  it('gives every mode a distinct word and icon, so colour is never alone', () => {
    const words = new Set(Object.values(EXPECTED).map((e) => e.word));
    const icons = new Set(Object.values(EXPECTED).map((e) => e.icon));
    expect(words.size).toBe(MODES.length);
    expect(icons.size).toBe(MODES.length);
  });

  it('says when no status has arrived', () => {
    render(<ModePill mode={null} />);
    expect(screen.getByText('Waiting for status')).toBeTruthy();
  });

  it('marks a pinned mode', () => {
    render(<ModePill mode="SAFE_MODE" pinned />);
    expect(screen.getByText('SAFE_MODE · pinned')).toBeTruthy();
  });
});
