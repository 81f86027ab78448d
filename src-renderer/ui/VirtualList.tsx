// A windowed list: only the rows in view (plus a few) are in the DOM, so the timeline and the
// audit log stay fast with thousands of entries. Row heights are known up front (fixed, or a
// function of the index), which keeps the maths exact and the scroll bar honest.
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface VirtualListProps {
  count: number;
  /** A row's height in px; a function must be memoised by the caller (it is the cache key). */
  itemHeight: number | ((index: number) => number);
  renderItem: (index: number) => ReactNode;
  getKey?: (index: number) => string | number;
  /** Viewport height in px; measured from the element when left out. */
  height?: number;
  /** Rows rendered beyond each edge of the viewport. */
  overscan?: number;
  label: string;
  className?: string;
  /** ARIA roles: a list by default; a table's body passes 'rowgroup' and 'presentation'. */
  roles?: { list: 'list' | 'rowgroup'; item: 'listitem' | 'presentation' };
}

const LIST_ROLES = { list: 'list', item: 'listitem' } as const;

/** offsets[i] = top of row i; offsets[count] = total height. */
export function rowOffsets(count: number, itemHeight: number | ((index: number) => number)): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i]! + (typeof itemHeight === 'number' ? itemHeight : itemHeight(i));
  return offsets;
}

/** The rows [start, end) that intersect [top, top + height), widened by `overscan` each side. */
export function visibleRange(offsets: Float64Array, top: number, height: number, overscan: number): [number, number] {
  const count = offsets.length - 1;
  if (count <= 0) return [0, 0];
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= top) lo = mid;
    else hi = mid - 1;
  }
  let end = lo;
  while (end < count && offsets[end]! < top + height) end++;
  return [Math.max(0, lo - overscan), Math.min(count, Math.max(end, lo + 1) + overscan)];
}

export function VirtualList({ count, itemHeight, renderItem, getKey, height, overscan = 4, label, className, roles = LIST_ROLES }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [measured, setMeasured] = useState(0);
  const offsets = useMemo(() => rowOffsets(count, itemHeight), [count, itemHeight]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (height !== undefined || !el) return;
    setMeasured(el.clientHeight);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setMeasured(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, [height]);

  // Before the first measurement, render a screenful rather than nothing.
  const viewport = height ?? (measured || 600);
  const [start, end] = visibleRange(offsets, scrollTop, viewport, overscan);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      <div
        key={getKey ? getKey(i) : i}
        role={roles.item}
        aria-setsize={roles.item === 'listitem' ? count : undefined}
        aria-posinset={roles.item === 'listitem' ? i + 1 : undefined}
        className="vrow"
        style={{ position: 'absolute', top: offsets[i], left: 0, right: 0, height: offsets[i + 1]! - offsets[i]! }}
      >
        {renderItem(i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className={className ? `vlist ${className}` : 'vlist'}
      style={height === undefined ? undefined : { height }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      tabIndex={0}
      aria-label={label}
    >
      <div role={roles.list} aria-label={label} style={{ position: 'relative', height: offsets[count] }}>
        {rows}
      </div>
    </div>
  );
}
