export { FramedConnection, type ConnectionHandlers, type ConnectionOptions } from './framed-connection';
export { listenSocket, listenPipe, ListenError, type Listener } from './listeners';
export { SpoolDir, type SpoolHeartbeat, type SpoolSide } from './spool-dir';
