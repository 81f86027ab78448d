// What every analyser does the same way: read inputs (counting what it could not read), flag
// findings with an action, and turn them into a verdict whose confidence is its coverage.
import { describeConstraint, formatValue, type GateName } from '../gates';
import { ACTION_SEVERITY, type AgentAction, type AgentName, type AgentSnapshot, type AgentVerdict } from './types';

export const fmt = formatValue;

export class Findings {
  private asked = 0;
  private readonly missing: string[] = [];
  private readonly flags: Array<{ action: AgentAction; fact: string }> = [];
  private readonly notes: string[] = [];

  constructor(private readonly snapshot: AgentSnapshot) {}

  /** A variable, or undefined (counted as missing) when absent, null or not finite. */
  read(name: string): number | undefined {
    this.asked++;
    const v = this.optional(name);
    if (v === undefined) this.missing.push(name);
    return v;
  }

  /** A variable that helps when present (a baseline) but whose absence costs no confidence. */
  optional(name: string): number | undefined {
    const v = Object.hasOwn(this.snapshot.vars, name) ? this.snapshot.vars[name] : undefined;
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }

  /** Reads a gate: a red gate flags `action` with its failing constraints; amber is noted. */
  gate(name: GateName, action: AgentAction): void {
    this.asked++;
    const g = this.snapshot.gates[name];
    if (!g || g.score === null) {
      this.missing.push(`${name} gate`);
      return;
    }
    const failing = g.failing.map(describeConstraint).join('; ');
    const fact = `${name} gate ${fmt(g.score)} (${g.status})${failing ? `: ${failing}` : ''}`;
    if (g.status === 'red') this.flag(action, fact);
    else if (g.status === 'amber') this.note(fact);
  }

  flag(action: AgentAction, fact: string): void {
    this.flags.push({ action, fact });
  }

  note(fact: string): void {
    this.notes.push(fact);
  }

  verdict(agent: AgentName): AgentVerdict {
    const flags = [...this.flags].sort((a, b) => ACTION_SEVERITY[b.action] - ACTION_SEVERITY[a.action]);
    const action = flags[0]?.action ?? 'CONTINUE';
    const grounds = flags.filter((f) => f.action === action).map((f) => f.fact);
    const others = flags.filter((f) => f.action !== action).map((f) => `${f.fact} (${f.action})`);
    const missing = [...this.missing];
    return {
      agent,
      action,
      confidence: this.asked === 0 ? 0 : (this.asked - missing.length) / this.asked,
      facts: [...grounds, ...others, ...this.notes, ...(missing.length ? [`missing: ${missing.join(', ')}`] : [])],
      grounds,
      missing,
    };
  }
}
