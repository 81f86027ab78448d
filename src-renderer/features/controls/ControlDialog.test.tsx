// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClient } from '../../client';
import { renderWithDeck } from '../../test-utils';
import { ControlDialog } from './ControlDialog';

afterEach(cleanup);

function reasonBox() {
  return screen.getByRole('textbox') as HTMLTextAreaElement;
}
function confirmButton() {
  return screen.getByRole('button', { name: /^Confirm/ }) as HTMLButtonElement;
}

describe('ControlDialog', () => {
  it('refuses an empty or too short reason: the confirm button stays disabled', async () => {
    const client = new FakeClient({ scenario: 'normal' });
    const control = vi.spyOn(client, 'control');
    await renderWithDeck(<ControlDialog name="hold_new_entries" onClose={() => {}} />, client);
    expect(confirmButton().disabled).toBe(true);
    fireEvent.change(reasonBox(), { target: { value: '  ab ' } });
    fireEvent.blur(reasonBox());
    expect(confirmButton().disabled).toBe(true);
    expect(screen.getByText('Give a reason of at least 3 characters.')).toBeTruthy();
    fireEvent.submit(confirmButton().closest('form')!);
    expect(control).not.toHaveBeenCalled();
  });

  it('sends the reason (and expiry) and then shows the audit entry', async () => {
    const client = new FakeClient({ scenario: 'normal' });
    const control = vi.spyOn(client, 'control');
    const { store } = await renderWithDeck(<ControlDialog name="hold_new_entries" onClose={() => {}} />, client);
    fireEvent.change(reasonBox(), { target: { value: 'NFP release in 5 minutes' } });
    fireEvent.change(screen.getByRole('combobox'), { target: { value: '900' } });
    expect(confirmButton().disabled).toBe(false);
    await act(async () => { fireEvent.click(confirmButton()); });
    expect(control).toHaveBeenCalledWith('hold_new_entries', { reason: 'NFP release in 5 minutes', expires_in_s: 900 });
    await waitFor(() => expect(screen.getByText(/Recorded in the audit log as/)).toBeTruthy());
    const id = store.getState().audit[0]!.id;
    expect(screen.getByText(id)).toBeTruthy();
    expect(screen.getByText('NFP release in 5 minutes')).toBeTruthy();
    expect(store.getState().status?.controls?.entries_held).toBe(true);
  });

  it('shows the server\'s refusal with its reason and keeps the dialog open', async () => {
    const client = new FakeClient({ scenario: 'degraded' });
    await renderWithDeck(<ControlDialog name="force_path_switch" onClose={() => {}} />, client);
    fireEvent.change(screen.getAllByRole('combobox')[0]!, { target: { value: 'socket' } });
    fireEvent.change(reasonBox(), { target: { value: 'try the socket again' } });
    await act(async () => { fireEvent.click(confirmButton()); });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Guardian refused');
    expect(alert.textContent).toContain('handshake_timeout');
    expect(alert.textContent).toContain('REFUSED');
    expect(confirmButton()).toBeTruthy();
  });

  it('needs the control\'s own fields before it can confirm', async () => {
    await renderWithDeck(<ControlDialog name="force_path_switch" onClose={() => {}} />);
    fireEvent.change(reasonBox(), { target: { value: 'move to spool' } });
    expect(confirmButton().disabled).toBe(true);
    fireEvent.change(screen.getAllByRole('combobox')[0]!, { target: { value: 'spool' } });
    expect(confirmButton().disabled).toBe(false);
  });

  it('closes on Escape', async () => {
    const onClose = vi.fn();
    await renderWithDeck(<ControlDialog name="resume" onClose={onClose} />);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});
