// A simulated signal service of one tier (primary, cached, heuristic): emits SIGNALs at a steady
// rate or on demand. Signal ids are unique and monotonic across restarts (a counter in its own
// SQLite file), and every signal is stored by the peer stack before it is sent.
import { join } from 'node:path';
import type { SignalAction, SignalPayload, SignalTier } from '../../src-shared/protocol';
import type { Db } from '../guardian/store';
import { DEFAULT_SYMBOLS, Market, pipSize, roundPrice, seededRandom } from './market';
import { openSimDatabase, PeerClient, type PeerOptions, type SimMigration } from './peer';
import { WireFaults } from './wire-faults';

const SIGNAL_MIGRATIONS: readonly SimMigration[] = [
  {
    version: 100,
    name: 'signal service: id counter',
    sql: `CREATE TABLE sim_signal_counter (id INTEGER PRIMARY KEY CHECK (id = 1), next INTEGER NOT NULL);
          INSERT INTO sim_signal_counter (id, next) VALUES (1, 1);`,
  },
];

export interface SignalServiceOptions extends Omit<PeerOptions, 'role' | 'tier'> {
  tier: SignalTier;
  /** Signals per second; 0 = only on demand (emit). Default 0. */
  rate_per_s?: number;
  symbols?: string[];
  seed?: number;
}

/** How often the rate timer runs: fast rates emit a few per tick rather than one timer each. */
const RATE_TICK_MS = 20;

export class SimulatedSignalService {
  readonly client: PeerClient;
  readonly faults: WireFaults;
  emitted = 0;
  private readonly db: Db;
  private readonly random: () => number;
  private readonly market: Market;
  private readonly symbols: string[];
  private rateTimer: NodeJS.Timeout | undefined;
  private owed = 0;
  private rate_per_s: number;

  constructor(private readonly opts: SignalServiceOptions) {
    this.random = seededRandom(opts.seed ?? 7);
    this.market = new Market(this.random);
    this.symbols = opts.symbols ?? DEFAULT_SYMBOLS;
    this.rate_per_s = opts.rate_per_s ?? 0;
    this.db = openSimDatabase(join(opts.dataDir, 'signals.db'), SIGNAL_MIGRATIONS);
    this.client = new PeerClient({ ...opts, role: 'SIGNAL', tier: opts.tier });
    this.faults = new WireFaults(this.client.faults);
  }

  get node_id(): string {
    return this.opts.node_id;
  }

  get tier(): SignalTier {
    return this.opts.tier;
  }

  start(): void {
    this.client.start();
    this.setRate(this.rate_per_s);
  }

  /** Changes the steady rate (0 stops it). */
  setRate(per_s: number): void {
    this.rate_per_s = Math.max(0, per_s);
    if (this.rateTimer) clearInterval(this.rateTimer);
    this.rateTimer = undefined;
    this.owed = 0;
    if (this.rate_per_s === 0) return;
    this.rateTimer = setInterval(() => {
      this.owed += (this.rate_per_s * RATE_TICK_MS) / 1000;
      const n = Math.floor(this.owed);
      if (n === 0) return;
      this.owed -= n;
      this.emit(n).catch(() => {}); // a stopped service: nothing to do
    }, RATE_TICK_MS);
  }

  async stop(): Promise<void> {
    this.setRate(0);
    await this.client.stop();
    this.db.close();
  }

  /** Emits n signals now; resolves once all are stored (they are then sent until acknowledged). */
  async emit(n = 1): Promise<SignalPayload[]> {
    const first = this.reserveIds(n);
    const signals: SignalPayload[] = [];
    for (let i = 0; i < n; i++) signals.push(this.makeSignal(first + i));
    this.market.step();
    await Promise.all(signals.map((s) => this.client.send('SIGNAL', s)));
    this.emitted += n;
    return signals;
  }

  /** One write reserves a block of ids, so a burst costs one fsync, not one per signal. */
  private reserveIds(n: number): number {
    return this.db.prepare('UPDATE sim_signal_counter SET next = next + ? WHERE id = 1 RETURNING next - ? AS first').pluck().get(n, n) as number;
  }

  private makeSignal(counter: number): SignalPayload {
    const symbol = this.symbols[Math.floor(this.random() * this.symbols.length)] ?? 'EURUSD';
    const r = this.random();
    const action: SignalAction = r < 0.35 ? 'BUY' : r < 0.7 ? 'SELL' : r < 0.9 ? 'CLOSE' : 'MODIFY';
    const price = this.market.price(symbol);
    const pip = pipSize(symbol);
    const dir = action === 'SELL' ? -1 : 1;
    return {
      // Zero-padded: the ids sort as strings in the order they were made.
      signal_id: `${this.opts.node_id}-${String(counter).padStart(10, '0')}`,
      symbol,
      action,
      lots: Math.max(1, Math.round(this.random() * 50)) / 100,
      order_type: 'MARKET',
      price,
      sl: roundPrice(symbol, price - dir * (20 + Math.round(this.random() * 20)) * pip),
      tp: roundPrice(symbol, price + dir * (30 + Math.round(this.random() * 30)) * pip),
      tier: this.opts.tier,
    };
  }
}
