// Rules a JSON Schema cannot say, each a ConfigProblem with its line and fix. They run on a file
// that passed its schema (the value has the schema's defaults).
import { parse, type Expr } from '../constraints';
import { dotted, lineOf, type ConfigProblem } from './problems';
import type { ParsedYaml } from './schema-check';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

function at(file: string, y: ParsedYaml, path: (string | number)[]): Pick<ConfigProblem, 'file' | 'line' | 'key'> {
  return { file, line: lineOf(y.doc, y.lines, path), key: dotted(path) };
}

/** guardian.yaml: addresses that must not clash, and timings that must fit together. */
export function guardianRules(file: string, y: ParsedYaml): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const v = obj(y.value);
  const paths = obj(v.paths);
  const socket = obj(paths.socket);
  const pipe = obj(paths.pipe);
  const spool = obj(paths.spool);
  const api = obj(v.api);
  const protocol = obj(v.protocol);
  const host = String(socket.host ?? '127.0.0.1');
  if (!isLoopback(host) && socket.allow_remote !== true) {
    out.push({ ...at(file, y, ['paths', 'socket', 'host']), problem: `is ${host}, not a loopback address`, fix: 'use 127.0.0.1, or set paths.socket.allow_remote: true if Guardian must listen beyond this machine' });
  }
  const apiHost = String(api.host ?? '127.0.0.1');
  if (apiHost !== 'localhost' && !/^127\./.test(apiHost)) {
    out.push({ ...at(file, y, ['api', 'host']), problem: `is ${apiHost}: the console and its API listen on loopback only`, fix: 'use 127.0.0.1 or localhost' });
  }
  if (socket.enabled === false && pipe.enabled === false && spool.enabled === false) {
    out.push({ ...at(file, y, ['paths']), problem: 'has every path disabled', fix: 'enable at least one of socket, pipe, spool' });
  }
  if (api.enabled !== false && socket.enabled !== false && typeof api.port === 'number' && api.port !== 0 && api.port === socket.port && (apiHost === host || isLoopback(apiHost) === isLoopback(host))) {
    out.push({ ...at(file, y, ['api', 'port']), problem: `is ${api.port}, the same port as paths.socket.port`, fix: 'give the console another port (8787 is the default)' });
  }
  const heartbeat = Number(protocol.heartbeat_ms);
  if (spool.enabled !== false && typeof spool.stale_ms === 'number' && Number.isFinite(heartbeat) && spool.stale_ms <= heartbeat) {
    out.push({
      ...at(file, y, ['paths', 'spool', 'stale_ms']),
      problem: `is ${spool.stale_ms}, not above protocol.heartbeat_ms (${heartbeat}): the EA rewrites its heartbeat file once a heartbeat, so the spool would always read as stale`,
      fix: `set it to at least ${heartbeat * 3}`,
    });
  }
  return out;
}

/** failover-policy.yaml: recovery above every entry line; breaker trip names unique. */
export function policyRules(file: string, y: ParsedYaml): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const v = obj(y.value);
  const enter = obj(v.enter);
  const recover = v.recover_threshold;
  if (typeof recover === 'number') {
    for (const [k, line] of Object.entries(enter)) {
      if (typeof line === 'number' && recover <= line) {
        out.push({
          ...at(file, y, ['recover_threshold']),
          problem: `is ${recover}, not above enter.${k} (${line}): Guardian would leave a degraded mode at a score that enters it again`,
          fix: `set recover_threshold above ${line}, or lower enter.${k}`,
        });
      }
    }
  }
  const trips = Array.isArray(obj(v.breakers).trips) ? (obj(v.breakers).trips as unknown[]) : [];
  const seen = new Set<string>();
  trips.forEach((t, i) => {
    const name = obj(t).name;
    if (typeof name !== 'string') return;
    if (seen.has(name)) out.push({ ...at(file, y, ['breakers', 'trips', i, 'name']), problem: `repeats the trip name '${name}'`, fix: 'give each trip its own name' });
    seen.add(name);
  });
  return out;
}

/** runbooks.yaml: unique ids, a path runbook names its paths, switch_back only after verify. */
export function runbookRules(file: string, y: ParsedYaml): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const books = Array.isArray(obj(y.value).runbooks) ? (obj(y.value).runbooks as unknown[]) : [];
  const seen = new Set<string>();
  books.forEach((b, i) => {
    const r = obj(b);
    const steps = Array.isArray(r.steps) ? r.steps.map(obj) : [];
    if (typeof r.id === 'string') {
      if (seen.has(r.id)) out.push({ ...at(file, y, ['runbooks', i, 'id']), problem: `repeats the id '${r.id}'`, fix: 'give each runbook its own id' });
      seen.add(r.id);
    }
    if (Array.isArray(r.triggers) && r.triggers.includes('path_failing') && !(Array.isArray(r.paths) && r.paths.length > 0)) {
      out.push({ ...at(file, y, ['runbooks', i, 'triggers']), problem: 'has the path_failing trigger but lists no paths', fix: 'add paths: [socket] (or pipe, spool)' });
    }
    const verify = steps.findIndex((s) => s.action === 'verify');
    const back = steps.findIndex((s) => s.action === 'switch_back');
    if (back >= 0 && (verify < 0 || verify > back)) {
      out.push({ ...at(file, y, ['runbooks', i, 'steps', back]), problem: 'switches back before any verify step', fix: 'put a verify step before switch_back (traffic returns only to a proved path)' });
    }
    steps.forEach((s, k) => {
      if ((s.pings !== undefined || s.rtt_budget_ms !== undefined) && s.action !== 'verify') {
        out.push({ ...at(file, y, ['runbooks', i, 'steps', k]), problem: 'has pings or rtt_budget_ms on a step that is not verify', fix: 'move them to the verify step' });
      }
    });
  });
  return out;
}

const RISK_VARIABLE = /^daily_loss_pct$|risk.*_pct$/;
const DRAWDOWN_VARIABLE = /drawdown.*_pct$/;
const SCORE_VARIABLE = /score/;

/** constraints.yaml: a limit compared with a risk percent, a drawdown or a score must be in that quantity's range. */
export function constraintLimitRules(file: string, y: ParsedYaml): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const list = Array.isArray(obj(y.value).constraints) ? (obj(y.value).constraints as unknown[]) : [];
  list.forEach((c, i) => {
    const condition = obj(c).condition;
    if (typeof condition !== 'string') return;
    let ast: Expr;
    try {
      ast = parse(condition);
    } catch {
      return; // the loader reports a condition that does not parse
    }
    const visit = (e: Expr): void => {
      if (e.kind === 'compare') {
        const pair = e.left.kind === 'variable' && e.right.kind === 'number' ? [e.left.name, e.right.value] as const
          : e.right.kind === 'variable' && e.left.kind === 'number' ? [e.right.name, e.left.value] as const : null;
        if (pair) {
          const [name, limit] = pair;
          const range = RISK_VARIABLE.test(name) ? [0, 5, 'a risk percent'] as const
            : DRAWDOWN_VARIABLE.test(name) ? [0, 100, 'a drawdown percent'] as const
            : SCORE_VARIABLE.test(name) ? [0, 100, 'a score'] as const : null;
          if (range && (limit < range[0] || limit > range[1])) {
            const id = typeof obj(c).id === 'string' ? String(obj(c).id) : String(i);
            out.push({
              file, line: lineOf(y.doc, y.lines, ['constraints', i, 'condition']), key: `constraints[${id}].condition`,
              problem: `compares ${name} with ${limit}, outside ${range[0]}-${range[1]} for ${range[2]}`, fix: `use a limit between ${range[0]} and ${range[1]}`,
            });
          }
        }
      }
      for (const k of ['left', 'right', 'operand'] as const) {
        const child = (e as unknown as Record<string, Expr | undefined>)[k];
        if (child) visit(child);
      }
      if (e.kind === 'call') e.args.forEach(visit);
    };
    visit(ast);
  });
  return out;
}

/** pretrade.yaml: a per-order limit cannot exceed its per-symbol one, nor a symbol's rate the global rate. */
export function pretradeRules(file: string, y: ParsedYaml): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const v = obj(y.value);
  const pairs: [string, string, string][] = [
    ['order_size', 'max_lots_per_order', 'max_lots_per_symbol'],
    ['order_size', 'max_notional_per_order', 'max_notional_per_symbol'],
    ['rate', 'orders_per_min_per_symbol', 'orders_per_min'],
  ];
  for (const [section, small, large] of pairs) {
    const s = obj(v[section]);
    const a = s[small];
    const b = s[large];
    if (typeof a === 'number' && typeof b === 'number' && a > b) {
      out.push({ ...at(file, y, [section, small]), problem: `is ${a}, above ${section}.${large} (${b}): the larger limit could never apply`, fix: `set it to ${b} or less, or raise ${section}.${large}` });
    }
  }
  return out;
}
