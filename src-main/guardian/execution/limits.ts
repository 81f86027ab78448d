// The pre-trade limits (config/pretrade.yaml), checked against config/pretrade.schema.json by the
// shared YAML loader: a bad file names the file, the line, the key and what to fix.
import { join } from 'node:path';
import { CONFIG_DIR, ConfigError, loadYamlConfig, parseYamlConfig } from '../config';

export interface PretradeLimits {
  version: 1;
  /** false: only MODE_BLOCK (the mode's, always on) refuses signals; the limits below are not applied. */
  enabled: boolean;
  /** The bar of DUPLICATE_ORDER_BLOCK and CANCEL_LOOP_BLOCK. */
  bar_s: number;
  order_size: {
    max_lots_per_order: number;
    max_lots_per_symbol: number;
    /** Notional in USD: lots x contract size (x price for a USD-quoted symbol; see pretrade.notional). */
    max_notional_per_order: number;
    max_notional_per_symbol: number;
    contract_size: number;
    contract_size_by_symbol: Record<string, number>;
  };
  price_collar: {
    /** A limit or stop price further than this from the EA's last quote (ask for BUY, bid for SELL) is refused. */
    max_distance_pct: number;
    /** No quote from the EA for the symbol: refuse (true) or let the order pass (false). */
    require_quote: boolean;
  };
  duplicates: {
    /** How long a signal_id is remembered. */
    signal_id_memory_s: number;
  };
  rate: {
    orders_per_min: number;
    orders_per_min_per_symbol: number;
    modifies_per_min: number;
  };
  cancel_loop: {
    /** MODIFY and CLOSE signals on a symbol since its last fill; one more blocks the symbol. */
    max_without_fill: number;
    block_bars: number;
  };
  /** Command tracking: a COMMAND not confirmed this long after it was sent reads unknown. */
  command_timeout_s: number;
}

export const PRETRADE_SCHEMA = join(CONFIG_DIR, 'pretrade.schema.json');
export const PRETRADE_FILE = join(CONFIG_DIR, 'pretrade.yaml');

/** Cross-field rules the schema cannot say; each names its key and what to do. */
function crossCheck(l: PretradeLimits, file: string): void {
  const problems: string[] = [];
  if (l.order_size.max_lots_per_order > l.order_size.max_lots_per_symbol) {
    problems.push(`${file}: order_size.max_lots_per_order (${l.order_size.max_lots_per_order}) must not exceed order_size.max_lots_per_symbol (${l.order_size.max_lots_per_symbol}): raise the symbol's limit or lower the order's`);
  }
  if (l.order_size.max_notional_per_order > l.order_size.max_notional_per_symbol) {
    problems.push(`${file}: order_size.max_notional_per_order must not exceed order_size.max_notional_per_symbol: raise the symbol's limit or lower the order's`);
  }
  if (l.rate.orders_per_min_per_symbol > l.rate.orders_per_min) {
    problems.push(`${file}: rate.orders_per_min_per_symbol (${l.rate.orders_per_min_per_symbol}) must not exceed rate.orders_per_min (${l.rate.orders_per_min})`);
  }
  if (problems.length) throw new ConfigError(problems);
}

export function loadPretradeLimits(file = PRETRADE_FILE): PretradeLimits {
  const limits = loadYamlConfig<PretradeLimits>(file, PRETRADE_SCHEMA);
  crossCheck(limits, file);
  return limits;
}

export function parsePretradeLimits(text: string, file: string): PretradeLimits {
  const limits = parseYamlConfig<PretradeLimits>(text, file, PRETRADE_SCHEMA);
  crossCheck(limits, file);
  return limits;
}
