// The console server's door: HTTP + WebSocket API, Prometheus /metrics and the built console, on
// loopback, behind the bearer token (DESIGN.md section 4). A Disposable part: Guardian starts it
// and stops it with itself.
export { startConsoleServer, CONTROL_HTTP_STATUS, type ConsoleServer, type ConsoleServerOptions } from './console-server';
export type { ConsoleBackend, PrometheusFigures } from './backend';
export { answerRead, ApiError, MAX_LIMIT, type ReadInput } from './answer-read';
export { GuardianConsole, GUARDIAN_VERSION, toContractIncident, type ConsoleSources, type ControlPlanePort, type ControlPlaneView, type FaultInjector } from './guardian-console';
export { learningPort, toContractAdvice, type LearningPort } from './learning-port';
export { ControlDesk, type Accepted, type ControlHandler, type ControlHandlers, type HandlerResult, type LapsedControl, type Refusal } from './control-desk';
export { loadOrCreateToken, defaultOperator, sameToken, TOKEN_FILE, type ApiToken } from './token';
export { DEFAULT_WEB_ROOT, WEB_BUILD_COMMAND, CONTENT_SECURITY_POLICY, webBuilt } from './static-files';
export { StatusHistory, HISTORY_WINDOW_S } from './history';
export { reportHtml } from './report-html';
