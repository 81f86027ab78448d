// The C ABI of native/bridge/include/guardian_bridge.h, declared for koffi 3. UTF-8 `str` in,
// caller-owned Buffers out, no callbacks. 32-bit Windows exports are __stdcall (MT4's ABI);
// everywhere else the convention word is left out (koffi ignores it on x64 anyway).
import koffi, { type LibraryHandle, type TypeObject } from 'koffi';

type KoffiFunction = ReturnType<LibraryHandle['func']>;

/** The opaque client handle (gb_client *); null when gb_open failed. */
export type ClientHandle = object;

export interface BridgeCalls {
  version: KoffiFunction;
  errorName: KoffiFunction;
  crc32: KoffiFunction;
  open: KoffiFunction;
  openError: KoffiFunction;
  close: KoffiFunction;
  setOption: KoffiFunction;
  setHelloExtra: KoffiFunction;
  connectSocket: KoffiFunction;
  connectPipe: KoffiFunction;
  disconnect: KoffiFunction;
  isConnected: KoffiFunction;
  send: KoffiFunction;
  heartbeat: KoffiFunction;
  poll: KoffiFunction;
  pendingCount: KoffiFunction;
  nextMessage: KoffiFunction;
  unackedCount: KoffiFunction;
  lastSeqReceived: KoffiFunction;
  stat: KoffiFunction;
  lastError: KoffiFunction;
  lastPeerError: KoffiFunction;
  encodeMessage: KoffiFunction;
  decodeCheck: KoffiFunction;
  /** Absent from a library built before the pipe server existed. */
  pipe: PipeCalls | null;
}

export interface PipeCalls {
  listen: KoffiFunction;
  accept: KoffiFunction;
  read: KoffiFunction;
  write: KoffiFunction;
  security: KoffiFunction;
  close: KoffiFunction;
}

/** gb_error, with the names of PROTOCOL.md section 7 where one exists. */
export const GB_ERROR = {
  ARG: -1, FRAME_SIZE: -2, BAD_JSON: -3, BAD_CHECKSUM: -4, AUTH_FAILED: -5, BAD_MESSAGE: -6,
  VERSION: -7, IO: -8, TIMEOUT: -9, FRAME_TIMEOUT: -10, NOT_CONNECTED: -11, CLOSED: -12,
  CONNECT: -13, BUFFER: -14, NOMEM: -15, STATE: -16, BUSY: -17, PEER_ERROR: -18, UNSUPPORTED: -19,
} as const;

/** gb_stat_id, in the header's order. */
export const GB_STAT = {
  frames_in: 0, frames_out: 1, delivered: 2, duplicates: 3, gaps: 4, resent: 5, bad_frame_size: 6,
  bad_json: 7, bad_checksum: 8, auth_failed: 9, bad_message: 10, peer_errors: 11,
  heartbeats_sent: 12, echoes_received: 13, rtt_ms: 14,
} as const;
export type StatName = keyof typeof GB_STAT;

export const GB_OPTION = { frame_timeout_ms: 0, silence_intervals: 1, io_timeout_ms: 2, heartbeat_ms: 3, resend_timeout_ms: 4 } as const;

// koffi keeps named types in one process-wide table: declare the handle type once.
let clientType: TypeObject | undefined;

export function declareBridge(lib: LibraryHandle, platform: NodeJS.Platform = process.platform, arch: string = process.arch): BridgeCalls {
  clientType ??= koffi.opaque('guardian_gb_client');
  const cc = platform === 'win32' && arch === 'ia32' ? '__stdcall ' : '';
  const fn = (ret: string, name: string, params: string) => lib.func(`${ret} ${cc}${name}(${params})`);
  const C = 'guardian_gb_client *c';
  return {
    version: fn('str', 'gb_version', ''),
    errorName: fn('str', 'gb_error_name', 'int code'),
    crc32: fn('uint32', 'gb_crc32', 'const uint8_t *data, int len'),
    open: fn('guardian_gb_client *', 'gb_open', 'str node_id, str state_dir, str key'),
    openError: fn('int', 'gb_open_error', ''),
    close: fn('void', 'gb_close', C),
    setOption: fn('int', 'gb_set_option', `${C}, int option, int64 value`),
    setHelloExtra: fn('int', 'gb_set_hello_extra', `${C}, str json`),
    connectSocket: fn('int', 'gb_connect_socket', `${C}, str host, int port, int timeout_ms`),
    connectPipe: fn('int', 'gb_connect_pipe', `${C}, str path, int timeout_ms`),
    disconnect: fn('void', 'gb_disconnect', C),
    isConnected: fn('int', 'gb_is_connected', C),
    send: fn('int64', 'gb_send', `${C}, str type, str payload`),
    heartbeat: fn('int', 'gb_heartbeat', `${C}, int64 now_ms`),
    poll: fn('int', 'gb_poll', `${C}, int timeout_ms`),
    pendingCount: fn('int', 'gb_pending_count', C),
    nextMessage: fn('int', 'gb_next_message', `${C}, _Out_ uint8_t *out, int cap`),
    unackedCount: fn('int64', 'gb_unacked_count', C),
    lastSeqReceived: fn('int64', 'gb_last_seq_received', C),
    stat: fn('int64', 'gb_stat', `${C}, int id`),
    lastError: fn('int', 'gb_last_error', `${C}, _Out_ uint8_t *out, int cap`),
    lastPeerError: fn('int', 'gb_last_peer_error', `${C}, _Out_ uint8_t *out, int cap`),
    encodeMessage: fn('int', 'gb_encode_message',
      'str stream, int64 seq, str type, str source, str dest, str id, str ts, str payload, str key, _Out_ uint8_t *out, int cap'),
    decodeCheck: fn('int', 'gb_decode_check', 'const uint8_t *body, int len, str key'),
    pipe: declarePipe(fn),
  };
}

function declarePipe(fn: (ret: string, name: string, params: string) => KoffiFunction): PipeCalls | null {
  try {
    return {
      listen: fn('int64', 'gb_pipe_listen', 'str name'),
      accept: fn('int64', 'gb_pipe_accept', 'int64 server, int timeout_ms'),
      read: fn('int', 'gb_pipe_read', 'int64 conn, _Out_ uint8_t *out, int cap, int timeout_ms'),
      write: fn('int', 'gb_pipe_write', 'int64 conn, const uint8_t *data, int len, int timeout_ms'),
      security: fn('int', 'gb_pipe_security', 'int64 handle, _Out_ uint8_t *out, int cap'),
      close: fn('void', 'gb_pipe_close', 'int64 handle'),
    };
  } catch {
    return null; // an older build: everything else still works
  }
}

/** Runs a declared function on koffi's worker thread, so a blocking call leaves the event loop free. */
export function callAsync<T>(f: KoffiFunction, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    f.async(...args, (err: unknown, result: T) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)));
  });
}
