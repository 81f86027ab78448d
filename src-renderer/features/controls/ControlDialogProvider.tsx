// One control dialog for the whole deck: any panel opens it with a control and preset fields.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { ControlName } from '../../../src-shared/contract';
import { ControlDialog } from './ControlDialog';
import type { Params } from './ParamFields';

type Open = (name: ControlName, initial?: Params) => void;
const OpenContext = createContext<Open | null>(null);

export function ControlDialogProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState<{ name: ControlName; initial?: Params; key: number } | null>(null);
  const openControl = useCallback<Open>((name, initial) => setOpen({ name, initial, key: Date.now() }), []);
  const value = useMemo(() => openControl, [openControl]);
  return (
    <OpenContext.Provider value={value}>
      {children}
      {open && <ControlDialog key={open.key} name={open.name} initial={open.initial} onClose={() => setOpen(null)} />}
    </OpenContext.Provider>
  );
}

export function useOpenControl(): Open {
  const open = useContext(OpenContext);
  if (!open) throw new Error('useOpenControl needs a <ControlDialogProvider>');
  return open;
}
