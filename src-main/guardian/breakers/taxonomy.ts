// The error taxonomy: every failure a dependency can show is reduced to one reason code that says
// whether it counts toward the breaker, whether retrying can help, and whether it halts (opens the
// breaker until an operator clears it). Retrying what cannot succeed (a wrong key, a full disk)
// only fills logs and hides the real fault, so those halt.

export type FailureReason =
  | 'NET_RETRY'
  | 'PEER_GONE'
  | 'TIMEOUT_RETRY'
  | 'RATE_LIMIT_RETRY'
  | 'RESOURCE_RETRY'
  | 'BAD_DATA'
  | 'REJECTED'
  | 'CANCELLED'
  | 'AUTH_HALT'
  | 'ACCESS_HALT'
  | 'DISK_FULL_HALT'
  | 'CONFIG_HALT'
  | 'UNKNOWN';

export interface FailureInfo {
  /** Counts toward the breaker's failure windows. */
  counts: boolean;
  /** A retry (after back-off) can succeed. */
  retryable: boolean;
  /** Opens the breaker at once, until an operator clears it. */
  halts: boolean;
  meaning: string;
}

export const FAILURE_REASONS: Readonly<Record<FailureReason, FailureInfo>> = {
  NET_RETRY: { counts: true, retryable: true, halts: false, meaning: 'could not reach the dependency (refused, unreachable, no route)' },
  PEER_GONE: { counts: true, retryable: true, halts: false, meaning: 'an established session was lost (reset, broken pipe, closed)' },
  TIMEOUT_RETRY: { counts: true, retryable: true, halts: false, meaning: 'no answer in time' },
  // Counted: the breaker's open time is the back-off the dependency asked for.
  RATE_LIMIT_RETRY: { counts: true, retryable: true, halts: false, meaning: 'the dependency asked us to slow down' },
  RESOURCE_RETRY: { counts: true, retryable: true, halts: false, meaning: 'a local resource ran out (file handles, memory, a busy port)' },
  // Corruption on the way (checksum, unparsable frame): the path is unhealthy; the sender resends.
  BAD_DATA: { counts: true, retryable: true, halts: false, meaning: 'data arrived corrupt' },
  // The dependency works; it refused one message (schema, policy). Switching paths would not help.
  REJECTED: { counts: false, retryable: false, halts: false, meaning: 'the message was refused; the dependency itself is working' },
  // We cancelled (shutdown, a superseded request): no evidence about the dependency.
  CANCELLED: { counts: false, retryable: false, halts: false, meaning: 'cancelled by Guardian' },
  AUTH_HALT: { counts: true, retryable: false, halts: true, meaning: 'authentication failed (wrong or missing key)' },
  ACCESS_HALT: { counts: true, retryable: false, halts: true, meaning: 'permission denied (file, pipe or directory)' },
  DISK_FULL_HALT: { counts: true, retryable: false, halts: true, meaning: 'the disk or quota is full' },
  CONFIG_HALT: { counts: true, retryable: false, halts: true, meaning: 'incompatible configuration (protocol version, invalid setting)' },
  // What we cannot name is presumed a failure: the breaker bounds the retries.
  UNKNOWN: { counts: true, retryable: true, halts: false, meaning: 'an unclassified error' },
};

/** Node error codes, protocol reasons (PROTOCOL.md section 7) and router policy codes. */
const BY_CODE: Readonly<Record<string, FailureReason>> = {
  ECONNREFUSED: 'NET_RETRY', ENETUNREACH: 'NET_RETRY', EHOSTUNREACH: 'NET_RETRY', ENETDOWN: 'NET_RETRY',
  EHOSTDOWN: 'NET_RETRY', ENOTFOUND: 'NET_RETRY', EAI_AGAIN: 'NET_RETRY', EADDRNOTAVAIL: 'NET_RETRY',
  // A Unix socket or named pipe that does not exist: nobody is listening.
  ENOENT: 'NET_RETRY', NO_ROUTE: 'NET_RETRY',
  ECONNRESET: 'PEER_GONE', EPIPE: 'PEER_GONE', ECONNABORTED: 'PEER_GONE', ERR_SOCKET_CLOSED: 'PEER_GONE',
  ERR_STREAM_PREMATURE_CLOSE: 'PEER_GONE', ERR_STREAM_DESTROYED: 'PEER_GONE', PEER_SILENT: 'PEER_GONE',
  ETIMEDOUT: 'TIMEOUT_RETRY', ESOCKETTIMEDOUT: 'TIMEOUT_RETRY', FRAME_TIMEOUT: 'TIMEOUT_RETRY', TimeoutError: 'TIMEOUT_RETRY',
  EMFILE: 'RESOURCE_RETRY', ENFILE: 'RESOURCE_RETRY', ENOMEM: 'RESOURCE_RETRY', EAGAIN: 'RESOURCE_RETRY',
  EBUSY: 'RESOURCE_RETRY', EADDRINUSE: 'RESOURCE_RETRY',
  BAD_CHECKSUM: 'BAD_DATA', BAD_JSON: 'BAD_DATA', FRAME_SIZE: 'BAD_DATA',
  BAD_MESSAGE: 'REJECTED', NOT_HELLO: 'REJECTED', MODE_BLOCK: 'REJECTED', ORDER_SIZE_BLOCK: 'REJECTED',
  PRICE_COLLAR_BLOCK: 'REJECTED', DUPLICATE_ORDER_BLOCK: 'REJECTED', RATE_THROTTLE_BLOCK: 'REJECTED',
  CANCEL_LOOP_BLOCK: 'REJECTED', SIGNAL_EXPIRED: 'REJECTED',
  ABORT_ERR: 'CANCELLED', AbortError: 'CANCELLED',
  AUTH_FAILED: 'AUTH_HALT',
  EACCES: 'ACCESS_HALT', EPERM: 'ACCESS_HALT', EROFS: 'ACCESS_HALT',
  ENOSPC: 'DISK_FULL_HALT', EDQUOT: 'DISK_FULL_HALT',
  VERSION: 'CONFIG_HALT', EINVAL: 'CONFIG_HALT',
};

function byHttpStatus(status: number): FailureReason {
  if (status === 429 || status === 503) return 'RATE_LIMIT_RETRY';
  if (status === 401 || status === 403) return 'AUTH_HALT';
  if (status === 408 || status === 504) return 'TIMEOUT_RETRY';
  if (status >= 500) return 'NET_RETRY';
  return status >= 400 ? 'REJECTED' : 'UNKNOWN';
}

function isFailureReason(code: string): code is FailureReason {
  return Object.hasOwn(FAILURE_REASONS, code);
}

function byCode(code: string): FailureReason | null {
  if (isFailureReason(code)) return code;
  const known = Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : undefined;
  if (known) return known;
  // Free-text reasons from peers and runbooks ("handshake_timeout").
  return /timed?[ _-]?out/i.test(code) ? 'TIMEOUT_RETRY' : null;
}

export interface ClassifiedFailure extends FailureInfo {
  reason: FailureReason;
  /** The code that was recognised (Node code, protocol reason, HTTP status), or null. */
  code: string | null;
}

function classified(reason: FailureReason, code: string | null): ClassifiedFailure {
  return { reason, code, ...FAILURE_REASONS[reason] };
}

/**
 * Maps anything thrown or reported to the taxonomy: a code string ('ECONNRESET', 'BAD_CHECKSUM',
 * 'AUTH_HALT'), an HTTP status, an Error with `code` / `reason` / `status` / `name`, or one that
 * wraps the real error in `cause`.
 */
export function classifyError(err: unknown): ClassifiedFailure {
  return classifyAt(err, 0);
}

// A cause chain is followed a few links deep: far enough for wrapped errors, never round a cycle.
const MAX_CAUSE_DEPTH = 4;

function classifyAt(err: unknown, depth: number): ClassifiedFailure {
  if (typeof err === 'string') return classified(byCode(err) ?? 'UNKNOWN', err);
  if (typeof err === 'number' && Number.isInteger(err)) return classified(byHttpStatus(err), String(err));
  if (typeof err !== 'object' || err === null) return classified('UNKNOWN', null);
  const e = err as { code?: unknown; reason?: unknown; status?: unknown; statusCode?: unknown; name?: unknown; cause?: unknown };
  for (const candidate of [e.code, e.reason]) {
    if (typeof candidate === 'string') {
      const reason = byCode(candidate);
      if (reason) return classified(reason, candidate);
    }
  }
  for (const status of [e.status, e.statusCode]) {
    if (typeof status === 'number' && status >= 400) return classified(byHttpStatus(status), String(status));
  }
  if (typeof e.name === 'string' && Object.hasOwn(BY_CODE, e.name)) return classified(BY_CODE[e.name] ?? 'UNKNOWN', e.name);
  if (e.cause !== undefined && depth < MAX_CAUSE_DEPTH) return classifyAt(e.cause, depth + 1);
  return classified('UNKNOWN', typeof e.code === 'string' ? e.code : null);
}
