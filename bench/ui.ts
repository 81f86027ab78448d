// The console's speed, measured in Chromium: how long a status takes from leaving the service to
// showing in the DOM, at 10 updates a second with 2,000 incidents in the timeline
// (ui_update_ms_p95, target <= 50), and how long the deck takes from navigation to its first full
// render (console_load_ms, target <= 1,500). Runnable alone: npx tsx bench/ui.ts
//
// The real console server serves the built console (out/web) and a backend of fixtures; the
// benchmark pushes synthetic statuses through the server's publish hook, each stamped with a
// sequence number in a field the deck prints (the router panel's last switch reason). A script
// added to the page before it loads notes, with a MutationObserver, the moment each number shows.
// Both clocks are the system clock with sub-millisecond precision (performance.timeOrigin +
// performance.now()); their offset is measured first and taken out.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  type AuditEntry, type ControlResponse, type GuardianStatus, type Incident, type MetricsRecent, type StreamEvent,
} from '../src-shared/contract';
import { Emitter } from '../src-main/guardian/lifecycle';
import { startConsoleServer, type ConsoleBackend } from '../src-main/guardian/server';
import { scenarioStatus } from '../src-renderer/client/fake/fixtures/scenario';
import { pastIncidents } from '../src-renderer/client/fake/fixtures/incidents';
import { fixtureHistory } from '../src-renderer/client/fake/fixtures/history';
import { fixtureAudit } from '../src-renderer/client/fake/fixtures/desk';
import { chromiumMissing, launchChromium } from '../e2e/support/launchers';
import { ensureWebBuilt } from '../e2e/support/web-build';

export interface UiBenchOptions {
  updates?: number;
  per_s?: number;
  incidents?: number;
  /** Another build of the console (an unminified one, to read a profile). */
  webRoot?: string;
  /** Writes the page's CPU profile of the update phase here (.cpuprofile, for Chrome's DevTools). */
  profile?: string;
}

const TOKEN = 'bench-token-bench-token-bench-token-000000';

/** A backend of fixtures: the whole deck's data, so the page renders what a live desk renders. */
class FixtureBackend implements ConsoleBackend {
  readonly demo = false;
  readonly version = 'bench';
  /** The service's pulse: the history is 15 minutes of it (the benchmark pushes faster than that). */
  readonly pulse_ms = 250;
  readonly events = new Emitter<StreamEvent>();
  current: GuardianStatus;
  private readonly list: Incident[];
  private readonly history: MetricsRecent;
  private readonly auditList: AuditEntry[];

  constructor(now_ms: number, incidents: number) {
    this.current = scenarioStatus('normal', now_ms, null);
    this.list = pastIncidents(incidents, now_ms);
    this.history = fixtureHistory('normal', now_ms, this.pulse_ms);
    this.auditList = fixtureAudit(now_ms);
  }
  status() { return this.current; }
  metricsRecent() { return this.history; }
  incidents(limit: number) { return this.list.slice(0, limit); }
  incident(id: string) { return this.list.find((i) => i.id === id) ?? null; }
  audit(limit: number) { return this.auditList.slice(0, limit); }
  advice() { return []; }
  heldSignals() { return []; }
  deadLetters() { return []; }
  report() { return null; }
  control(): ControlResponse { return { ok: false, code: 'UNAVAILABLE', error: 'benchmark' }; }
  onEvent(listener: (e: StreamEvent) => void) { return this.events.on(listener); }
  figures() { return { msgs_per_s: 0, store_failures: 0, bad_input: {}, peers_connected: 0 }; }
}

/** Update `seq`: the numbers move as a live pulse's do, and the sequence shows in the last switch. */
function nextStatus(base: GuardianStatus, seq: number): GuardianStatus {
  const wobble = (x: number, pct: number) => Math.round(x * (1 + pct * Math.sin(seq * 1.7)) * 10) / 10;
  const s: GuardianStatus = structuredClone(base);
  s.ts = new Date().toISOString();
  s.overall_score = wobble(base.overall_score, 0.01);
  for (const k of Object.keys(s.scores) as (keyof GuardianStatus['scores'])[]) s.scores[k] = wobble(base.scores[k], 0.01);
  for (const m of Object.values(s.routes.metrics)) if (m?.latency_ms !== undefined) m.latency_ms = wobble(m.latency_ms, 0.08);
  s.buffer = { ...s.buffer, depth: seq % 7, enq_per_s: wobble(base.buffer.enq_per_s, 0.05) };
  s.last_switch = { ts: s.ts, from: 'pipe', to: 'socket', reason: `bench-seq-${seq}`, actor: 'guardian' };
  return s;
}

/** Added before the page's own scripts: notes the first full render, and when each sequence number shows. */
const PAGE_PROBE = `(() => {
  const seen = (window.__benchSeen = {});
  window.__benchLoad = null;
  let last = -1;
  const check = () => {
    if (window.__benchLoad === null && document.querySelector('.mode-pill[data-mode]:not([data-mode="unknown"])') && document.querySelector('.timeline .inc-row') && document.querySelector('.router .last-switch')) {
      window.__benchLoad = performance.now();
    }
    const el = document.querySelector('.router .last-switch');
    const m = el && /bench-seq-(\\d+)/.exec(el.textContent || '');
    if (m) {
      const n = Number(m[1]);
      if (n !== last) { last = n; if (!(n in seen)) seen[n] = performance.timeOrigin + performance.now(); }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  const arrived = (window.__benchArrived = {});
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (ev) => {
        const m = typeof ev.data === 'string' && /bench-seq-(\\d+)/.exec(ev.data);
        if (m) arrived[m[1]] = performance.timeOrigin + performance.now();
      });
    }
  };
})();`;

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] ?? Number.NaN;
}
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function benchUi(o: UiBenchOptions = {}): Promise<{ ui_update_ms_p95: number; console_load_ms: number; ui_update_ms_p50: number; ui_updates_missed: number; ui_incidents: number }> {
  const missing = chromiumMissing();
  if (missing) throw new Error(`benchUi needs Chromium: ${missing}`);
  const updates = o.updates ?? 200;
  const per_s = o.per_s ?? 10;
  const incidents = o.incidents ?? 2000;
  if (!o.webRoot) await ensureWebBuilt();
  const backend = new FixtureBackend(Date.now(), incidents);
  const server = await startConsoleServer({ backend, port: 0, token: TOKEN, actor: 'operator:bench', ...(o.webRoot ? { webRoot: o.webRoot } : {}) });
  const browser = await launchChromium();
  try {
    // The browser is already running when an operator opens the console: one throwaway load
    // starts its processes. The measured load is in a fresh context: nothing cached.
    const warm = await browser.newContext();
    await (await warm.newPage()).goto(`${server.origin}/?token=${TOKEN}`);
    await warm.close();
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.addInitScript({ content: PAGE_PROBE });

    // First full render: navigation start to mode, timeline rows and router panel all drawn.
    await page.goto(`${server.origin}/?token=${TOKEN}`);
    await page.waitForFunction(() => (window as unknown as { __benchLoad: number | null }).__benchLoad !== null, undefined, { timeout: 30_000 });
    const console_load_ms = await page.evaluate(() => (window as unknown as { __benchLoad: number }).__benchLoad);
    if (process.env.BENCH_UI_DEBUG) {
      console.error(await page.evaluate(() => performance.getEntries().map((e) => `${e.entryType} ${e.name.replace(location.origin, '')} start ${Math.round(e.startTime)} dur ${Math.round(e.duration)}${'transferSize' in e ? ` ${(e as PerformanceResourceTiming).transferSize}B` : ''}`).join('\n')));
    }
    const rows = await page.locator('.timeline').textContent();
    if (!rows?.includes(`${incidents.toLocaleString('en-US')}`) && !rows?.includes(String(incidents))) {
      throw new Error(`the timeline does not say ${incidents} incidents: ${rows?.slice(0, 120)}`);
    }
    await page.waitForFunction(() => document.querySelector('.conn-tag')?.textContent?.includes('Live'), undefined, { timeout: 10_000 });
    await page.waitForTimeout(1000);

    // The clocks' offset: the page's clock minus ours, from the quickest of a few round trips.
    let offset = 0;
    let best = Infinity;
    for (let i = 0; i < 15; i++) {
      const t0 = performance.timeOrigin + performance.now();
      const theirs = await page.evaluate(() => performance.timeOrigin + performance.now());
      const t1 = performance.timeOrigin + performance.now();
      if (t1 - t0 < best) {
        best = t1 - t0;
        offset = theirs - (t0 + t1) / 2;
      }
    }

    const cdp = o.profile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const sent = new Map<number, number>();
    const every = 1000 / per_s;
    const start = performance.now();
    for (let seq = 1; seq <= updates; seq++) {
      const due = start + (seq - 1) * every;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      backend.current = nextStatus(backend.current, seq);
      sent.set(seq, performance.timeOrigin + performance.now());
      server.publish({ type: 'status', status: backend.current });
    }
    await page.waitForTimeout(500);
    if (cdp && o.profile) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(o.profile, JSON.stringify(profile));
    }
    const seen = await page.evaluate(() => (window as unknown as { __benchSeen: Record<string, number> }).__benchSeen);
    const arrived = await page.evaluate(() => (window as unknown as { __benchArrived: Record<string, number> }).__benchArrived);
    const lat: number[] = [];
    const transit: number[] = [];
    for (const [seq, t] of sent) {
      const shown = seen[String(seq)];
      if (shown !== undefined) lat.push(shown - offset - t);
      const got = arrived[String(seq)];
      if (got !== undefined) transit.push(got - offset - t);
    }
    // BENCH_UI_DEBUG=1: where the time goes (to the page's message handler, then to the DOM), per update.
    if (process.env.BENCH_UI_DEBUG) {
      console.error(`clock offset ${offset.toFixed(2)} ms (round trip ${best.toFixed(2)} ms); transit p95 ${p95(transit).toFixed(1)} ms`);
      console.error([...sent.keys()].map((q) => `${q}:${Math.round((arrived[String(q)] ?? NaN) - offset - sent.get(q)!)}/${Math.round((seen[String(q)] ?? NaN) - offset - sent.get(q)!)}`).join(' '));
    }
    if (lat.length < updates * 0.9) throw new Error(`only ${lat.length} of ${updates} updates reached the DOM`);
    return {
      ui_update_ms_p95: round1(p95(lat)),
      console_load_ms: Math.round(console_load_ms),
      ui_update_ms_p50: round1([...lat].sort((a, b) => a - b)[lat.length >> 1]!),
      ui_updates_missed: updates - lat.length,
      ui_incidents: incidents,
    };
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
}


const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  benchUi().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err: unknown) => {
      console.error(`bench/ui: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
