// A toy market for the simulator: a random walk per symbol, pip sizes, and a seeded generator so
// a run can be replayed.

export { seededRandom } from '../../src-shared/random';

const BASE_PRICES: Record<string, number> = { EURUSD: 1.085, GBPUSD: 1.27, USDJPY: 150, XAUUSD: 2000, AUDUSD: 0.66 };
export const DEFAULT_SYMBOLS = ['EURUSD', 'GBPUSD', 'USDJPY'];

export function pipSize(symbol: string): number {
  if (symbol.includes('JPY')) return 0.01;
  if (symbol.startsWith('XAU')) return 0.1;
  return 0.0001;
}

/** USD per pip per lot, roughly: what makes a P&L look plausible. */
export const PIP_VALUE_USD = 10;

export class Market {
  private readonly prices = new Map<string, number>();

  constructor(private readonly random: () => number) {}

  price(symbol: string): number {
    let p = this.prices.get(symbol);
    if (p === undefined) {
      p = BASE_PRICES[symbol] ?? 1;
      this.prices.set(symbol, p);
    }
    return p;
  }

  /** Every symbol moves a few pips either way. */
  step(): void {
    for (const [symbol, p] of this.prices) this.prices.set(symbol, roundPrice(symbol, p + (this.random() - 0.5) * 6 * pipSize(symbol)));
  }
}

export function roundPrice(symbol: string, price: number): number {
  const digits = Math.round(-Math.log10(pipSize(symbol))) + 1;
  return Number(price.toFixed(digits));
}
