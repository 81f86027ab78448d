// A small set of line icons drawn inline (no icon font: nothing to miss on a locked-down desk PC).
// Icons are decoration next to a word: aria-hidden, never the only carrier of a state.
import type { ReactElement } from 'react';

const PATHS = {
  check: <><circle cx="8" cy="8" r="6.5" /><path d="M5 8.2l2 2 4-4.4" /></>,
  warn: <><path d="M8 1.8l6.6 11.7H1.4z" /><path d="M8 6.2v3.4M8 11.6v.1" /></>,
  fail: <><path d="M5.3 1.5h5.4l3.8 3.8v5.4l-3.8 3.8H5.3l-3.8-3.8V5.3z" /><path d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4" /></>,
  shield: <><path d="M8 1.5l5.5 2v4.2c0 3.3-2.4 5.8-5.5 6.8-3.1-1-5.5-3.5-5.5-6.8V3.5z" /></>,
  shieldAlert: <><path d="M8 1.5l5.5 2v4.2c0 3.3-2.4 5.8-5.5 6.8-3.1-1-5.5-3.5-5.5-6.8V3.5z" /><path d="M8 5v3.5M8 10.8v.1" /></>,
  unlink: <><path d="M6.5 9.5L4.8 11.2a2.3 2.3 0 01-3.2-3.2l1.7-1.7M9.5 6.5l1.7-1.7a2.3 2.3 0 013.2 3.2l-1.7 1.7" /><path d="M2 2l2 2M14 14l-2-2M5.5 1.5v1.5M1.5 5.5H3" /></>,
  signal: <><path d="M2 13h1.5v-2H2zM6 13h1.5V8H6zM10 13h1.5V5H10zM14 13h-.1" /><path d="M13.5 2.5l-11 11" /></>,
  hand: <><path d="M5 8V3.5a1 1 0 012 0V7m0-4.5a1 1 0 012 0V7m0-3.5a1 1 0 012 0V8m0-2.5a1 1 0 012 0v4c0 2.8-2 5-4.7 5-1.9 0-3-.9-4-2.3L2.6 9.7a1 1 0 011.6-1.2L5 9.5" /></>,
  lock: <><rect x="3" y="7" width="10" height="7.5" rx="1.2" /><path d="M5.2 7V5a2.8 2.8 0 015.6 0v2" /></>,
  refresh: <><path d="M13.5 3v3.5H10" /><path d="M13.2 6.3A5.5 5.5 0 103.3 11" /></>,
  power: <><path d="M8 1.5v6" /><path d="M4.6 3.7a5.5 5.5 0 106.8 0" /></>,
  pause: <><rect x="3.5" y="2.5" width="3" height="11" rx=".5" /><rect x="9.5" y="2.5" width="3" height="11" rx=".5" /></>,
  play: <><path d="M4.5 2.5l9 5.5-9 5.5z" /></>,
  info: <><circle cx="8" cy="8" r="6.5" /><path d="M8 7.2v4M8 4.8v.1" /></>,
  download: <><path d="M8 2v8M4.5 6.8L8 10.3l3.5-3.5M2.5 13.5h11" /></>,
  print: <><path d="M4 6V1.8h8V6M4 11.5H2.5v-5h11v5H12" /><rect x="4" y="9.5" width="8" height="5" /></>,
  route: <><circle cx="3" cy="12.5" r="1.8" /><circle cx="13" cy="3.5" r="1.8" /><path d="M4.8 12.5H10a2.5 2.5 0 000-5H6a2.5 2.5 0 010-5h5.2" /></>,
  bolt: <><path d="M9 1.5L3 9h4.5L7 14.5 13 7H8.5z" /></>,
  clock: <><circle cx="8" cy="8" r="6.5" /><path d="M8 4.5V8l2.5 1.5" /></>,
  close: <><path d="M3.5 3.5l9 9M12.5 3.5l-9 9" /></>,
  inbox: <><path d="M1.5 9l2-6.5h9l2 6.5v4.5h-13z" /><path d="M1.5 9h4l1 2h3l1-2h4" /></>,
  wrench: <><path d="M10.5 1.8a3.5 3.5 0 00-3.3 4.7L2 11.7 4.3 14l5.2-5.2a3.5 3.5 0 004.7-3.3l-2 2-2.1-.6-.6-2.1z" /></>,
  dot: <><circle cx="8" cy="8" r="3.5" /></>,
  circle: <><circle cx="8" cy="8" r="5.5" /></>,
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 14, className }: { name: IconName; size?: number; className?: string }): ReactElement {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      data-icon={name}
    >
      {PATHS[name]}
    </svg>
  );
}
