// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualTable } from './VirtualTable';

afterEach(cleanup);

describe('VirtualTable', () => {
  it('renders the header and only a window of 5,000 rows', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ id: `M${i}`, n: i }));
    render(<VirtualTable label="Dead letters" rows={rows} rowKey={(r) => r.id} columns={[
      { header: 'Id', width: '80px', cell: (r) => r.id },
      { header: 'N', width: '1fr', cell: (r) => String(r.n), title: (r) => `row ${r.n}` },
    ]} />);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('5001');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Id', 'N']);
    const body = screen.getAllByRole('row');
    expect(body.length).toBeLessThan(20);
    expect(screen.getByText('M0')).toBeTruthy();
    expect(screen.getByTitle('row 1')).toBeTruthy();
  });
});
