// Where the control-plane host's bundle is: out/main/host/, built by scripts/build-electron-host.ts
// after `electron-vite build` (npm start and npm run dist:win do both). It is kept out of the
// main bundle on purpose: the main process stays a thin shell, and the control plane, which finds
// config/ and package.json three folders above its own file, runs from a file at that depth.
import { join } from 'node:path';

export const HOST_DIR = 'host';
export const UTILITY_ENTRY = 'utility-entry.js';
export const IN_PROCESS_ENTRY = 'in-process-entry.js';

export function hostBundle(mainDir: string): { utilityEntry: string; inProcessEntry: string } {
  return { utilityEntry: join(mainDir, HOST_DIR, UTILITY_ENTRY), inProcessEntry: join(mainDir, HOST_DIR, IN_PROCESS_ENTRY) };
}
