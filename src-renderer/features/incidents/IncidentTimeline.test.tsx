// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClient, OPEN_INCIDENT_ID } from '../../client';
import { renderWithDeck } from '../../test-utils';
import { IncidentTimeline } from './IncidentTimeline';
import { ROW_OPEN_PX, rowHeight } from './whyLines';

afterEach(cleanup);

describe('IncidentTimeline', () => {
  it('stays a window with 5,000 incidents, newest (the open one) first', async () => {
    const client = new FakeClient({ scenario: 'degraded', incidents: 4999 });
    const { store } = await renderWithDeck(<IncidentTimeline height={600} />, client);
    expect(store.getState().incidents.order).toHaveLength(5000);
    const rows = screen.getAllByRole('listitem');
    expect(rows.length).toBeLessThan(20);
    expect(within(rows[0]!).getByText(OPEN_INCIDENT_ID)).toBeTruthy();
    expect(within(rows[0]!).getByText(/to recover/)).toBeTruthy();
    expect(within(rows[0]!).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1');
    expect(screen.getByText(/Incidents · 5,000 · 1 open/)).toBeTruthy();
  });

  it('opens "Why?" on a mode change with the constraints and their values', async () => {
    await renderWithDeck(<IncidentTimeline height={600} />);
    const first = screen.getAllByRole('listitem')[0]!;
    await act(async () => { fireEvent.click(within(first).getByRole('button', { name: /Why\?/ })); });
    expect(within(first).getByText('NORMAL → DEGRADED.COMM because:')).toBeTruthy();
    expect(within(first).getByText('bridge_latency_vs_p95')).toBeTruthy();
    expect(first.textContent).toContain('= 210 ms (limit 150 ms)');
    expect(parseFloat((first as HTMLElement).style.height)).toBeGreaterThan(ROW_OPEN_PX);
  });

  it('filters to the open incidents', async () => {
    await renderWithDeck(<IncidentTimeline height={600} />);
    await act(async () => { fireEvent.click(screen.getByLabelText(/Open only/)); });
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('sizes rows from what they show', () => {
    expect(rowHeight(undefined, true)).toBeGreaterThan(0);
  });
});
