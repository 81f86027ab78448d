// What a console spec runs against: a page showing the deck, whoever launched it (the web
// console against `guardian serve --demo` in Chromium, or the Electron app). A launcher that
// cannot run here says why, and the specs skip with that reason printed.
import type { Page } from 'playwright-core';

export interface ConsoleTarget {
  kind: 'web' | 'electron';
  page: Page;
  /** The deck's address (the web console's includes the token). */
  url: string;
  /** The HTTP service behind the web console: origin and token, for the checks only HTTP has. */
  http?: { origin: string; port: number; token: string };
  /** Guardian's output so far, for a failure message. */
  output(): string;
  close(): Promise<void>;
}

export interface ConsoleLauncher {
  name: string;
  /** Why this launcher cannot run here, or null when it can. Checked when the specs are collected. */
  unavailable(): string | null;
  launch(): Promise<ConsoleTarget>;
}
