// A configuration problem, the same for every file in config/: where (file, line), which key, what
// is wrong and how to fix it. Printed one a line:
//   config/failover-policy.yaml:19: recover_threshold is 60, not above enter.comm_below (70); fix: set recover_threshold above 70, or lower enter.comm_below
import { LineCounter, isNode, type Document } from 'yaml';

export interface ConfigProblem {
  file: string;
  /** 1-based; absent when the file cannot be read or the place is unknown. */
  line?: number;
  /** Dotted key ('paths.socket.port', 'enter.comm_below', "constraints[spread_vs_normal].condition"); '' for the whole file. */
  key: string;
  problem: string;
  /** What to change; absent when the problem says it already. */
  fix?: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  return `${where}: ${p.key ? `${p.key} ` : ''}${p.problem}${p.fix ? `; fix: ${p.fix}` : ''}`;
}

/** The line of the value at `path`, or of its nearest existing ancestor (a missing key: its mapping). */
export function lineOf(doc: Document, lines: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** "a.b.0.c" from ['a', 'b', 0, 'c']. */
export const dotted = (path: readonly (string | number)[]): string => path.join('.') || '(top level)';

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest known name when it is a plausible typo. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let score = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < score) {
      score = d;
      best = k;
    }
  }
  return score <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
