// The Electron preload exposes the bridge here; in a browser it is absent.
import type { GuardianBridgeApi } from '../../src-shared/contract';

declare global {
  interface Window {
    guardian?: GuardianBridgeApi;
  }
}
