// Test helpers: render a component with a client, a store and the control dialog, as the app does.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ClientProvider, FakeClient, type GuardianClient } from './client';
import { ControlDialogProvider } from './features/controls/ControlDialogProvider';
import { StoreProvider, createGuardianStore, type GuardianStore } from './store';
import { bindClient } from './app/sync';

export interface Harness extends RenderResult {
  client: GuardianClient;
  store: GuardianStore;
}

/** Renders `ui` against a FakeClient bound to a fresh store; resolves once the first snapshots are in. */
export async function renderWithDeck(ui: ReactElement, client: GuardianClient = new FakeClient({ scenario: 'degraded' })): Promise<Harness> {
  const store = createGuardianStore(client.getConnection());
  bindClient(client, store);
  await new Promise((r) => setTimeout(r, 0));
  const result = render(
    <ClientProvider client={client}>
      <StoreProvider store={store}>
        <ControlDialogProvider>{ui}</ControlDialogProvider>
      </StoreProvider>
    </ClientProvider>,
  );
  return { ...result, client, store };
}
