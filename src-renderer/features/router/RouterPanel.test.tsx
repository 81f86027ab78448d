// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { HELD_SIGNALS_PAGE, type HeldSignal } from '../../../src-shared/contract';
import { renderWithDeck } from '../../test-utils';
import { RouterPanel } from './RouterPanel';

afterEach(cleanup);

const held = (i: number): HeldSignal => ({
  signal_id: `st-${i}`, message_id: `m-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1, tier: 'primary', state: 'held',
  reason_code: 'MODE_BLOCK', reason: 'held', received_ts: '2026-11-21T10:00:00Z', expires_ts: null,
});

describe('the router panel: held signals', () => {
  it('counts what is held now, not the page it lists, and says the list is the newest page', async () => {
    const { store } = await renderWithDeck(<RouterPanel />);
    const status = store.getState().status!;
    act(() => {
      store.getState().actions.applyEvent({ type: 'signals', signals: Array.from({ length: HELD_SIGNALS_PAGE }, (_, i) => held(i)) }, 0);
      store.getState().actions.applyStatus({ ...status, ts: new Date(Date.parse(status.ts!) + 1000).toISOString(), buffer: { ...status.buffer, held: 396_605 } }, 0);
    });
    fireEvent.click(screen.getByRole('tab', { name: /Held\/blocked/ }));
    expect(screen.getByRole('tab', { name: 'Held/blocked (396,605)' })).toBeTruthy();
    expect(screen.getByText(`The newest ${HELD_SIGNALS_PAGE} shown; 396,605 held now.`)).toBeTruthy();
  });

  it('lists a few held and blocked signals without a note, counting the rows listed', async () => {
    const { store } = await renderWithDeck(<RouterPanel />);
    const status = store.getState().status!;
    act(() => {
      store.getState().actions.applyEvent({ type: 'signals', signals: [held(1), { ...held(2), state: 'blocked' }, { ...held(3), state: 'expired' }] }, 0);
      store.getState().actions.applyStatus({ ...status, ts: new Date(Date.parse(status.ts!) + 1000).toISOString(), buffer: { ...status.buffer, held: 1 } }, 0);
    });
    fireEvent.click(screen.getByRole('tab', { name: /Held\/blocked/ }));
    expect(screen.getByRole('tab', { name: 'Held/blocked (3)' })).toBeTruthy();
    expect(screen.queryByText(/The newest/)).toBeNull();
  });
});
