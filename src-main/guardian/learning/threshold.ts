// A constraint's threshold: the one numeric literal in its condition, which way moving it relaxes
// the condition, and the condition rewritten with a new value. Pure.
//
// Direction is read from the condition's shape: on the right of `<` a larger number passes more
// often, under `not` or on the right of `-` or `/` the sense flips. Variables beside a threshold
// (normal_spread_pips * 2.0) are taken as non-negative: they are measurements (spreads,
// latencies, scores), and a condition that breaks this is refused rather than guessed at.
import { parse, type Expr } from '../constraints';

export interface Threshold {
  value: number;
  /** Offsets of the literal in the condition text, to rewrite it in place. */
  start: number;
  end: number;
  /** +1: a larger value relaxes the condition (passes more often); -1: a smaller one does. */
  relax: 1 | -1;
  /** The compared side is the literal times non-negative factors: the limit scales with it. */
  proportional: boolean;
  unit: string | null;
}

type NumberNode = Extract<Expr, { kind: 'number' }>;

function literals(e: Expr, out: NumberNode[] = []): NumberNode[] {
  if (e.kind === 'number') out.push(e);
  else if (e.kind === 'negate' || e.kind === 'not') literals(e.operand, out);
  else if (e.kind === 'arithmetic' || e.kind === 'compare' || e.kind === 'logical') {
    literals(e.left, out);
    literals(e.right, out);
  } else if (e.kind === 'call') e.args.forEach((a) => literals(a, out));
  return out;
}

interface Walk {
  sign: 1 | -1;
  inSide: boolean;
  proportional: boolean;
  unit: string | null;
}

const UNIT_SUFFIX: Record<string, string> = { ms: 'ms', s: 's', pct: '%', bps: 'bps', pips: 'pips' };
function unitOf(e: Expr): string | null {
  if (e.kind !== 'variable') return null;
  const m = /_(ms|s|pct|bps|pips)$/.exec(e.name);
  return m ? UNIT_SUFFIX[m[1]!] ?? null : null;
}
const flip = (s: 1 | -1): 1 | -1 => (s === 1 ? -1 : 1);

/** The walk down to the literal: its direction and proportionality, or why it has none. */
function walk(e: Expr, target: NumberNode, w: Walk): Walk | string | null {
  if (e === target) return w.inSide ? w : 'the number is not part of a comparison';
  switch (e.kind) {
    case 'number':
    case 'boolean':
    case 'variable':
      return null;
    case 'logical':
      return walk(e.left, target, w) ?? walk(e.right, target, w);
    case 'not':
      return walk(e.operand, target, { ...w, sign: flip(w.sign) });
    case 'negate':
      return walk(e.operand, target, { ...w, sign: flip(w.sign) });
    case 'compare': {
      if (w.inSide) return 'a comparison inside a comparison';
      if (e.op === '==' || e.op === '!=') return `an equality (${e.op}) has no direction to relax`;
      const rightSign: 1 | -1 = e.op === '<' || e.op === '<=' ? w.sign : flip(w.sign);
      const side = (sign: 1 | -1, other: Expr): Walk => ({ sign, inSide: true, proportional: true, unit: unitOf(other) });
      return walk(e.left, target, side(flip(rightSign), e.right)) ?? walk(e.right, target, side(rightSign, e.left));
    }
    case 'arithmetic': {
      // a factor is unitless: "2.0 times the normal spread"
      if (e.op === '*') return walk(e.left, target, { ...w, unit: '×' }) ?? walk(e.right, target, { ...w, unit: '×' });
      if (e.op === '/') return walk(e.left, target, { ...w, unit: null }) ?? walk(e.right, target, { ...w, sign: flip(w.sign), proportional: false, unit: null });
      const right = e.op === '-' ? flip(w.sign) : w.sign;
      return walk(e.left, target, { ...w, proportional: false }) ?? walk(e.right, target, { ...w, sign: right, proportional: false });
    }
    case 'call':
      if (e.fn === 'abs') return e.args.some((a) => literals(a).includes(target)) ? 'abs() has no single direction' : null;
      for (const a of e.args) {
        const found = walk(a, target, { ...w, proportional: false });
        if (found !== null) return found;
      }
      return null;
  }
}

/** The threshold of a condition, or a sentence saying why it has no single one to adjust. */
export function findThreshold(condition: string): Threshold | { problem: string } {
  let ast: Expr;
  try {
    ast = parse(condition);
  } catch (err) {
    return { problem: `the condition does not parse: ${(err as Error).message}` };
  }
  const found = literals(ast);
  if (found.length !== 1) return { problem: found.length === 0 ? 'the condition has no number to adjust' : `the condition has ${found.length} numbers; advice adjusts one` };
  const target = found[0]!;
  const w = walk(ast, target, { sign: 1, inSide: false, proportional: false, unit: null });
  if (w === null || typeof w === 'string') return { problem: w ?? 'the number was not found' };
  if (target.value === 0) return { problem: 'the threshold is 0: a change in percent of it means nothing' };
  return { value: target.value, start: target.start, end: target.end, relax: w.sign, proportional: w.proportional, unit: w.unit };
}

/** Six significant digits, written without float noise: 2.2, not 2.2000000000000006. */
export function formatThreshold(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** The condition with its threshold replaced; the rest of the text stays as written. */
export function withThreshold(condition: string, t: Pick<Threshold, 'start' | 'end'>, value: number): string {
  return condition.slice(0, t.start) + formatThreshold(value) + condition.slice(t.end);
}
