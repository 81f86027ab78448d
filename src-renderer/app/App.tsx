// The console: providers for the client, the store and the control dialog, and the two pages.
import { useEffect, useState } from 'react';
import { ClientProvider, type GuardianClient } from '../client';
import { ControlDialogProvider } from '../features/controls/ControlDialogProvider';
import { ReportPage } from '../features/report/ReportPage';
import { StoreProvider, createGuardianStore } from '../store';
import { Deck } from './Deck';
import { useRoute } from './route';
import { bindClient } from './sync';

export function App({ client }: { client: GuardianClient }) {
  const [store] = useState(() => createGuardianStore(client.getConnection()));
  useEffect(() => bindClient(client, store), [client, store]);
  const route = useRoute();
  return (
    <ClientProvider client={client}>
      <StoreProvider store={store}>
        <ControlDialogProvider>
          {route.page === 'report' ? <ReportPage id={route.id} /> : <Deck />}
        </ControlDialogProvider>
      </StoreProvider>
    </ClientProvider>
  );
}
