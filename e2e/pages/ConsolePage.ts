// The flight deck as a test (or a benchmark) drives it: what it shows, and the controls an
// operator uses. The same object drives the web console and the Electron window: it needs only
// a Playwright Page.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import type { FaultName, Mode, PathName } from '../../src-shared/contract';

export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** What a fault button on the demo panel is called (src-renderer/features/controls/controlInfo.ts). */
const FAULT_LABEL: Record<FaultName, string> = {
  drop_socket: 'Drop socket', stall_pipe: 'Stall pipe', slow_broker: 'Slow broker', spike_correlation: 'Spike correlation', clear: 'Clear faults',
};

export class ConsolePage {
  /** Console errors and uncaught exceptions since the page was attached. */
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.errors.push(`page: ${e.message}`));
  }

  /** Opens the deck and waits until it shows a live status. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitForLive();
  }

  async waitForLive(timeout = 15_000): Promise<void> {
    await this.page.locator('.mode-pill:not([data-mode="unknown"])').waitFor({ timeout });
    await this.page.locator('.conn-tag', { hasText: 'Live' }).waitFor({ timeout });
  }

  async mode(): Promise<Mode | 'unknown'> {
    return (await this.page.locator('.mode-pill').getAttribute('data-mode')) as Mode | 'unknown';
  }

  async waitForMode(mode: Mode, timeout: number): Promise<void> {
    await this.page.locator(`.mode-pill[data-mode="${mode}"]`).waitFor({ timeout });
  }

  /** The situation line's "Guardian is" sentence. */
  async guardianIs(): Promise<string> {
    return (await this.page.locator('.situation .sit-part').nth(1).locator('.sit-text').textContent()) ?? '';
  }

  /** The path the router table marks active. */
  async activePath(): Promise<PathName | null> {
    const cell = this.page.locator('.router tr.row-active td').first();
    return (await cell.count()) ? ((await cell.textContent()) as PathName) : null;
  }

  async waitForActivePath(path: PathName, timeout: number): Promise<void> {
    await this.page.locator('.router tr.row-active td:first-child', { hasText: new RegExp(`^${path}$`) }).waitFor({ timeout });
  }

  /** The router panel's "Last switch ..." line, or null. */
  async lastSwitch(): Promise<string | null> {
    const l = this.page.locator('.router .last-switch');
    return (await l.count()) ? l.textContent() : null;
  }

  // ---- controls ---------------------------------------------------------------------------------

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** Opens a control from the Manual controls panel by its button's short label ("Switch path"). */
  async openControl(short: string): Promise<void> {
    await this.page.locator('.controls button.ctl-btn', { hasText: short }).click();
    await this.dialog.waitFor();
  }

  /** Opens the demo panel's fault dialog. */
  async openFault(fault: FaultName): Promise<void> {
    await this.page.locator('.faults button', { hasText: FAULT_LABEL[fault] }).click();
    await this.dialog.waitFor();
  }

  /** Chooses a value in the dialog's select labelled `label` ("Path", "Peer", "Mode", "Fault"). */
  async choose(label: string, value: string): Promise<void> {
    await this.dialog.locator('label.field', { hasText: label }).locator('select').selectOption(value);
  }

  async fillReason(reason: string): Promise<void> {
    await this.dialog.locator('textarea').fill(reason);
  }

  confirmButton(): Locator {
    return this.dialog.locator('button[type="submit"]');
  }

  /** Confirms; resolves with the audit id when accepted, or the refusal text. */
  async confirm(): Promise<{ ok: true; audit_id: string } | { ok: false; refusal: string }> {
    await this.confirmButton().click();
    const done = this.dialog.locator('.modal-done');
    const refusal = this.dialog.locator('.refusal');
    await done.or(refusal).first().waitFor({ timeout: 10_000 });
    if (await done.count()) {
      const id = await done.locator('strong.mono').textContent();
      return { ok: true, audit_id: id ?? '' };
    }
    return { ok: false, refusal: (await refusal.textContent()) ?? '' };
  }

  async closeDialog(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close' }).first().click();
    await this.dialog.waitFor({ state: 'detached' });
  }

  /** One control, start to end: open, fill, confirm, close. */
  async runControl(open: () => Promise<void>, reason: string, fields: Record<string, string> = {}): Promise<{ ok: true; audit_id: string } | { ok: false; refusal: string }> {
    await open();
    for (const [label, value] of Object.entries(fields)) await this.choose(label, value);
    await this.fillReason(reason);
    const r = await this.confirm();
    await this.closeDialog();
    return r;
  }

  /** The audit log's rows, newest first, as the operator reads them. */
  async auditRows(): Promise<string[]> {
    return this.page.locator('.audit .audit-row').allTextContents();
  }

  async waitForAuditRow(text: string, timeout = 5000): Promise<void> {
    await this.page.locator('.audit .audit-row', { hasText: text }).first().waitFor({ timeout });
  }

  /** Clicks an incident's export button (MD or JSON) in the timeline and returns the downloaded file's text. */
  async downloadIncidentReport(id: string, button: 'MD' | 'JSON'): Promise<string> {
    const row = this.page.locator('.timeline .inc-row', { hasText: id }).first();
    await row.waitFor({ timeout: 5000 });
    const download = this.page.waitForEvent('download');
    await row.locator('.export-btns button', { hasText: button }).click();
    return readFileSync(await (await download).path(), 'utf8');
  }

  // ---- screenshots ------------------------------------------------------------------------------

  /** Saves e2e/artifacts/<name>-<w>x<h>.png at that viewport (the deck re-lays itself out first). */
  async screenshot(name: string, width: number, height: number): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const before = this.page.viewportSize();
    await this.page.setViewportSize({ width, height });
    // From the top, as the operator first sees the deck (a control clicked lower down scrolled it).
    await this.page.evaluate(() => {
      for (const el of [document.scrollingElement, ...Array.from(document.querySelectorAll('.deck, .deck-grid, .col-main, .col-side'))]) if (el) el.scrollTop = 0;
    });
    await this.page.waitForTimeout(400);
    const file = join(ARTIFACTS, `${name}-${width}x${height}.png`);
    await this.page.screenshot({ path: file });
    if (before) await this.page.setViewportSize(before);
    return file;
  }
}
