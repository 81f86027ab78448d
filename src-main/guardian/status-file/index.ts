// The status file: the second status exporter (the first is the HTTP API). Guardian writes it
// every second; readers get it marked stale with its age. Light on purpose (node:fs only): the
// desktop app's main process reads it while its control plane restarts.
export { StatusFileWriter, readStatusFile, guardianRunningOn, processAlive, STATUS_FILE, type StatusFileContent, type StatusFileRead } from './status-file';
