// The live stores, shared by every screen through context.
import { createContext, useContext } from 'react';
import type { Stores } from '../store/host.ts';

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const s = useContext(StoresContext);
  if (!s) throw new Error('useStores outside the shell');
  return s;
}
