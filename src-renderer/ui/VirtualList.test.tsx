// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualList, rowOffsets, visibleRange } from './VirtualList';

afterEach(cleanup);

describe('VirtualList', () => {
  it('renders only a window of 5,000 items', () => {
    render(<VirtualList label="items" count={5000} itemHeight={40} height={400} overscan={3} renderItem={(i) => <span>item {i}</span>} />);
    const rows = screen.getAllByRole('listitem');
    expect(rows.length).toBeLessThanOrEqual(14);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(screen.getByText('item 0')).toBeTruthy();
    expect(screen.queryByText('item 20')).toBeNull();
    // The scroll height is the whole list's, so the scroll bar is honest.
    expect((screen.getAllByRole('list')[0] as HTMLElement).style.height).toBe('200000px');
    expect(rows[0]!.getAttribute('aria-setsize')).toBe('5000');
  });

  it('moves the window when scrolled', () => {
    const { container } = render(<VirtualList label="items" count={5000} itemHeight={40} height={400} overscan={2} renderItem={(i) => <span>item {i}</span>} />);
    const viewport = container.querySelector('.vlist') as HTMLElement;
    viewport.scrollTop = 100_000;
    fireEvent.scroll(viewport);
    expect(screen.getByText('item 2500')).toBeTruthy();
    expect(screen.queryByText('item 0')).toBeNull();
    expect(screen.getAllByRole('listitem').length).toBeLessThanOrEqual(15);
    expect(screen.getByText('item 2500').parentElement!.style.top).toBe('100000px');
  });

  it('handles rows of different heights', () => {
    const h = (i: number) => (i % 10 === 0 ? 100 : 20);
    const offsets = rowOffsets(5000, h);
    expect(offsets[5000]).toBe(500 * 100 + 4500 * 20);
    const [start, end] = visibleRange(offsets, offsets[1234]!, 300, 0);
    expect(start).toBe(1234);
    expect(end).toBeGreaterThan(1234);
    expect(offsets[end - 1]!).toBeLessThan(offsets[1234]! + 300);
  });

  it('is empty for an empty list', () => {
    expect(visibleRange(rowOffsets(0, 10), 0, 100, 3)).toEqual([0, 0]);
  });
});
