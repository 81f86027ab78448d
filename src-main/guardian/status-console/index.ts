// The console, read-only, from the status file: for when the service does not answer.
// `guardian status` prints the file; `guardian status-console` serves the built console over it.
export { StatusFileBackend, READ_ONLY_REFUSAL } from './file-backend';
export { statusCommand, statusConsoleCommand, statusFileOf } from './commands';
