// What the tray shows for each state of Guardian: an icon coloured by mode (the same colours as
// the console's mode pill), a tooltip a trader reads at a glance, and the menu. Pure.
import type { Mode } from '../../src-shared/contract';

/** The five modes, plus the two states before and without a control plane. */
export type TrayState = Mode | 'STARTING' | 'OFFLINE';

export interface TrayView {
  /** File name under resources/tray/ (an @2x twin sits beside it). */
  icon: string;
  tooltip: string;
  /** The icon's colour, as in the console (src-renderer/app/styles.css --mode-*). */
  colour: string;
}

const VIEWS: Record<TrayState, { slug: string; words: string; colour: string }> = {
  NORMAL: { slug: 'normal', words: 'Normal: every gate healthy', colour: '#2ea043' },
  'DEGRADED.COMM': { slug: 'degraded-comm', words: 'Degraded: comms (on a standby path)', colour: '#d29922' },
  'DEGRADED.SIGNAL': { slug: 'degraded-signal', words: 'Degraded: signals (fallback tier)', colour: '#c9a227' },
  'DEGRADED.EXEC': { slug: 'degraded-exec', words: 'Manage-only: no new entries', colour: '#db6d28' },
  SAFE_MODE: { slug: 'safe-mode', words: 'Safe mode: trading frozen', colour: '#da3633' },
  STARTING: { slug: 'starting', words: 'starting', colour: '#6e7681' },
  OFFLINE: { slug: 'offline', words: 'control plane not running', colour: '#484f58' },
};

export const TRAY_STATES = Object.keys(VIEWS) as TrayState[];

export function trayIconFile(state: TrayState): string {
  return `tray-${VIEWS[state].slug}.png`;
}

export function trayView(state: TrayState, detail?: string): TrayView {
  const v = VIEWS[state];
  // Windows cuts tray tooltips at 127 characters.
  const tooltip = `Guardian: ${v.words}${detail ? ` (${detail})` : ''}`.slice(0, 127);
  return { icon: trayIconFile(state), tooltip, colour: v.colour };
}

export interface TrayMenuItem {
  id: 'show' | 'hide' | 'quit';
  label: string;
}

export function trayMenu(windowVisible: boolean): TrayMenuItem[] {
  return [
    windowVisible ? { id: 'hide', label: 'Hide the console' } : { id: 'show', label: 'Show the console' },
    { id: 'quit', label: 'Quit Guardian (stops the control plane)' },
  ];
}

/** Closing the window keeps Guardian running in the tray; without a tray it really closes. */
export function onWindowClose(state: { quitting: boolean; hasTray: boolean }): 'hide' | 'close' {
  return !state.quitting && state.hasTray ? 'hide' : 'close';
}
