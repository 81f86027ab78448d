// The console's only door to the control plane.
export type { ConnectionInfo, ConnectionState, GuardianClient, StreamListener } from './types';
export { HttpClient, GuardianApiError, type HttpClientOptions, type SocketLike } from './http';
export { IpcClient } from './ipc';
export { FakeClient, SCENARIOS, OPEN_INCIDENT_ID, type ScenarioName } from './fake';
export { chooseClient } from './choose';
export { ClientProvider, useClient } from './react';
