// Fixed positions, left to right as the work flows: signals -> Guardian -> paths -> EA, with the
// broker under the EA so the map fits a laptop screen at a readable scale. A fixed layout means
// nothing moves when numbers change (motion is kept for the active route). The gap before the
// paths is the widest: the path metrics are written on those edges.
export const NODE_W = 150;
export const NODE_H = 50;
const ROW_GAP = 80;

export const COLUMN_X = { tier: 0, guardian: 195, path: 545, ea: 760, broker: 760 } as const;

export function position(column: keyof typeof COLUMN_X, row: number): { x: number; y: number } {
  return { x: COLUMN_X[column], y: row * ROW_GAP };
}

/** Handle ids of DeckNode: flow enters left and leaves right; the EA -> broker hop goes down. */
export const HANDLE = { in: 'l', out: 'r', down: 'b', fromAbove: 't' } as const;
