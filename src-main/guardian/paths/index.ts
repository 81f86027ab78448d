export { FramedConnection, type ConnectionHandlers, type ConnectionOptions, type StreamSocket } from './framed-connection';
export { listenSocket, listenPipe, ListenError, type Listener } from './listeners';
export { SpoolDir, type SpoolHeartbeat, type SpoolSide } from './spool-dir';
