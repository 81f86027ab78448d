// The native part's door: the C bridge library through koffi (the EA side of the protocol, as a
// synthetic loop-around peer), and on Windows the pipe server with a narrowed ACL.
export { loadNativeBridge, unavailable as unavailableNativeBridge, NativeBridgeError, type NativeBridge, type LoadOptions } from './native-bridge';
export { NativeLoopPeer, type LoopMessage, type LoopPeerOptions, type LoopPeerStats } from './loop-peer';
export { listenSecurePipe, securePipeListenerFactory, type SecurePipeListener, type SecurePipeResult, type PipeServerCalls } from './secure-pipe';
export { PipeSocket, type PipeIo, type PipeRead } from './pipe-socket';
export { bridgeLibraryCandidates, bridgeLibraryName, findBridgeLibrary, BRIDGE_LIBRARY_ENV, type LibrarySearch } from './library-path';
export { GB_ERROR, GB_STAT, type StatName } from './koffi-api';
