// React access to the store: a provider (one store per app, or per test) and `useGuardian`.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { GuardianState, GuardianStore } from './guardian';

const StoreContext = createContext<GuardianStore | null>(null);

export function StoreProvider({ store, children }: { store: GuardianStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useGuardianStore(): GuardianStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useGuardian needs a <StoreProvider>');
  return store;
}

/** Re-renders only when the selected value changes (Object.is). Select primitives or shared objects. */
export function useGuardian<T>(selector: (s: GuardianState) => T): T {
  return useStore(useGuardianStore(), selector);
}

/** For selectors that build a new array or object: compared one level deep. */
export function useGuardianShallow<T>(selector: (s: GuardianState) => T): T {
  return useStore(useGuardianStore(), useShallow(selector));
}
