// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithDeck } from '../../test-utils';
import { COMMAND_TONE, ExecutionPanel } from './ExecutionPanel';

afterEach(cleanup);

describe('the execution panel', () => {
  it('shows blocked signals with their reason, command outcomes (unknown as unknown), the ledger and differences', async () => {
    await renderWithDeck(<ExecutionPanel />);
    await waitFor(() => expect(screen.getByText('ORDER_SIZE_BLOCK')).toBeTruthy());
    expect(screen.getByText('8 lots > max_lots_per_order 5')).toBeTruthy();
    expect(screen.getByText('unknown')).toBeTruthy();
    expect(screen.getByText("acknowledged, but its effect was not seen in the EA's STATUS within 10 s")).toBeTruthy();
    expect(screen.getByText('missing')).toBeTruthy();
    expect(screen.getByText('Pre-trade gate on')).toBeTruthy();
  });

  it('never colours an unknown outcome as a success', () => {
    expect(COMMAND_TONE.unknown).toBe('fail');
    expect(COMMAND_TONE.confirmed).toBe('ok');
  });
});
