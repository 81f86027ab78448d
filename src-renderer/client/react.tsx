// React access to the client chosen at start-up.
import { createContext, useContext, type ReactNode } from 'react';
import type { GuardianClient } from './types';

const ClientContext = createContext<GuardianClient | null>(null);

export function ClientProvider({ client, children }: { client: GuardianClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): GuardianClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs a <ClientProvider>');
  return client;
}
