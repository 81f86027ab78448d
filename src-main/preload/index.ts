// The preload (bundled to out/preload/index.cjs; it runs sandboxed, with only electron to
// require): exposes the contract's API as window.guardian through contextBridge, and nothing
// else. The renderer sees src-shared/contract's GuardianBridgeApi, declared in
// src-renderer/client/window.d.ts.
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridgeApi } from './bridge-api';

contextBridge.exposeInMainWorld('guardian', buildBridgeApi(ipcRenderer));
