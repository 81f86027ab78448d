// A windowed table: a header and VirtualList rows laid out on one CSS grid, for lists that can
// grow to thousands (held signals, dead letters).
import type { ReactNode } from 'react';
import { VirtualList } from './VirtualList';

export interface Column<T> {
  header: string;
  /** A CSS grid track, e.g. "80px" or "minmax(0, 1fr)". */
  width: string;
  cell: (row: T) => ReactNode;
  title?: (row: T) => string;
}

export function VirtualTable<T>({ label, rows, columns, rowKey, rowHeight = 24, maxHeight = 220 }: {
  label: string;
  rows: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  rowHeight?: number;
  maxHeight?: number;
}) {
  const template = columns.map((c) => c.width).join(' ');
  return (
    <div className="vtable" role="table" aria-label={label} aria-rowcount={rows.length + 1}>
      <div className="vtable-row vtable-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        {columns.map((c) => <span key={c.header} role="columnheader">{c.header}</span>)}
      </div>
      <VirtualList
        label={label}
        roles={{ list: 'rowgroup', item: 'presentation' }}
        count={rows.length}
        itemHeight={rowHeight}
        height={Math.min(maxHeight, rows.length * rowHeight)}
        getKey={(i) => rowKey(rows[i]!)}
        renderItem={(i) => {
          const row = rows[i]!;
          return (
            <div className="vtable-row" role="row" aria-rowindex={i + 2} style={{ gridTemplateColumns: template, height: rowHeight }}>
              {columns.map((c) => <span key={c.header} role="cell" title={c.title?.(row)}>{c.cell(row)}</span>)}
            </div>
          );
        }}
      />
    </div>
  );
}
