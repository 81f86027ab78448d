// The console's contract with the control plane: one source for the IPC channels and HTTP routes.
export * from './modes';
export * from './status';
export * from './gates';
export * from './peers';
export * from './incidents';
export * from './audit';
export * from './agents';
export * from './metrics';
export * from './learning';
export * from './signals';
export * from './controls';
export * from './reports';
export * from './lists';
export * from './api';
export * from './events';
export * from './bridge';
