// A number on the deck: value and unit, with its plain-English tooltip.
import { fmtUnit, numberTip } from './format';

export interface NumProps {
  value: number | null | undefined;
  unit?: string;
  /** Fixed decimals; left out, as many as the value needs (at most two). */
  digits?: number;
  /** What the number is, in plain English ("p95 bridge latency over the last 5 min"). */
  label: string;
  budget?: number | null;
  budgetWord?: string;
  className?: string;
}

export function Num({ value, unit = '', digits, label, budget, budgetWord, className }: NumProps) {
  const tip = numberTip(label, value, unit, digits, budget, budgetWord);
  return (
    <span className={className ? `num ${className}` : 'num'} title={tip}>
      {fmtUnit(value, unit, digits)}
    </span>
  );
}
