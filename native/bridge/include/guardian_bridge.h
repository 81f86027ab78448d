/*
 * guardian_bridge.h - the EA side of the Guardian Bridge Protocol 1.2 (shared/PROTOCOL.md).
 *
 * One C ABI for two hosts:
 *   - MetaTrader 4 (32-bit Windows, `#import "guardian_bridge.dll"`): every function is __stdcall
 *     and exported undecorated; MQL4 strings are UTF-16, so the string functions have `_w` twins
 *     taking gb_char16 (= MQL4 `ushort`/`string`, identical to wchar_t on Windows).
 *   - Node through koffi (Guardian's loop-around peer and tests): UTF-8 `const char*` in,
 *     caller-provided buffers out, no callbacks, an opaque handle.
 *
 * Conventions:
 *   - Every function returning int/long long returns >= 0 on success and a negative gb_error
 *     on failure. Output buffers are always NUL-terminated when the call succeeds; a buffer that
 *     is too small gives GB_E_BUFFER and nothing is consumed (ask the matching *_size function).
 *   - Every function accepts NULL, closed or garbage handles and bad input and returns an error
 *     code: handles are checked against a registry of live clients before use.
 *   - One handle is used by one thread at a time; different handles are independent (MT4 runs
 *     each chart's EA in its own thread, all sharing this DLL).
 */
#ifndef GUARDIAN_BRIDGE_H
#define GUARDIAN_BRIDGE_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define GB_CALL __stdcall
#  if defined(GB_BUILDING_DLL)
#    define GB_API __declspec(dllexport)
#  else
#    define GB_API __declspec(dllimport)
#  endif
#else
#  define GB_CALL
#  define GB_API __attribute__((visibility("default")))
#endif

#define GB_PROTOCOL_VERSION "1.2"
#define GB_MAX_FRAME 65536

/* A UTF-16 code unit on every platform (wchar_t is 32-bit on Linux), so the _w entry points can
 * be tested off Windows with the same bytes MQL4 passes. */
typedef unsigned short gb_char16;

typedef struct gb_client gb_client;

/* Error codes. The names after GB_E_ match the reasons of PROTOCOL.md section 7 where one exists;
 * gb_error_name() returns that name (e.g. "BAD_CHECKSUM") for use in an ERROR payload. */
typedef enum gb_error {
    GB_OK = 0,
    GB_E_ARG = -1,            /* NULL or invalid argument, unknown or closed handle */
    GB_E_FRAME_SIZE = -2,     /* frame length 0 or over 65536 */
    GB_E_BAD_JSON = -3,       /* not UTF-8 JSON */
    GB_E_BAD_CHECKSUM = -4,   /* CRC32 trailer missing or wrong */
    GB_E_AUTH_FAILED = -5,    /* HMAC trailer missing (key configured) or wrong */
    GB_E_BAD_MESSAGE = -6,    /* valid JSON that breaks the schema */
    GB_E_VERSION = -7,        /* no common protocol version */
    GB_E_IO = -8,             /* file system error (state dir, spool) */
    GB_E_TIMEOUT = -9,        /* handshake timeout, or peer silent for 3 heartbeat intervals */
    GB_E_FRAME_TIMEOUT = -10, /* peer stalled mid-frame longer than frame_timeout_ms */
    GB_E_NOT_CONNECTED = -11,
    GB_E_CLOSED = -12,        /* the peer closed the connection */
    GB_E_CONNECT = -13,       /* connection refused / unreachable / pipe not found */
    GB_E_BUFFER = -14,        /* caller's buffer too small; nothing consumed */
    GB_E_NOMEM = -15,
    GB_E_STATE = -16,         /* state dir corrupt or owned by another node_id */
    GB_E_BUSY = -17,          /* state dir already opened by another client */
    GB_E_PEER_ERROR = -18,    /* the peer answered ERROR (see gb_last_peer_error) */
    GB_E_UNSUPPORTED = -19    /* not available on this platform */
} gb_error;

/* Counters (gb_stat): every bad-input case is counted (PROTOCOL.md section 7). */
typedef enum gb_stat_id {
    GB_STAT_FRAMES_IN = 0, GB_STAT_FRAMES_OUT, GB_STAT_DELIVERED, GB_STAT_DUPLICATES,
    GB_STAT_GAPS, GB_STAT_RESENT, GB_STAT_BAD_FRAME_SIZE, GB_STAT_BAD_JSON,
    GB_STAT_BAD_CHECKSUM, GB_STAT_AUTH_FAILED, GB_STAT_BAD_MESSAGE, GB_STAT_PEER_ERRORS,
    GB_STAT_HEARTBEATS_SENT, GB_STAT_ECHOES_RECEIVED, GB_STAT_RTT_MS, GB_STAT_COUNT
} gb_stat_id;

/* Options (gb_set_option). */
typedef enum gb_option_id {
    GB_OPT_FRAME_TIMEOUT_MS = 0, /* stall mid-frame before disconnect; default 5000 */
    GB_OPT_SILENCE_INTERVALS,    /* heartbeat intervals of silence before disconnect; default 3, 0 = off */
    GB_OPT_IO_TIMEOUT_MS,        /* max wait for a blocked write; default 5000 */
    GB_OPT_HEARTBEAT_MS,         /* ping interval until HELLO_ACK sets it; default 250 */
    GB_OPT_RESEND_TIMEOUT_MS     /* no ACK progress this long: resend what is unacknowledged, each
                                    fruitless try doubling the wait (at most 16x); default 1000, 0 = off */
} gb_option_id;

/* ---- lifecycle ------------------------------------------------------------------------------ */
GB_API const char *GB_CALL gb_version(void);
GB_API const char *GB_CALL gb_error_name(int code);
/* node_id: 1..64 of [A-Za-z0-9._:-]. state_dir is created if missing and locked while open.
 * hmac_key: NULL or "" for none. Returns NULL on failure (see gb_open_error). */
GB_API gb_client *GB_CALL gb_open(const char *node_id, const char *state_dir, const char *hmac_key);
GB_API int GB_CALL gb_open_error(void); /* why the last gb_open in this thread returned NULL */
GB_API void GB_CALL gb_close(gb_client *c);
GB_API int GB_CALL gb_set_option(gb_client *c, int option, long long value);
/* Extra HELLO members, e.g. {"account":"123","symbols":["EURUSD"]} (PROTOCOL.md 4). */
GB_API int GB_CALL gb_set_hello_extra(gb_client *c, const char *json_object);

/* ---- connection ----------------------------------------------------------------------------- */
/* Connect, send HELLO, wait for HELLO_ACK, then resend everything after the peer's
 * last_seq_received. A previous connection is closed first. */
GB_API int GB_CALL gb_connect_socket(gb_client *c, const char *host, int port, int timeout_ms);
/* Windows: named pipe "\\.\pipe\NAME" (a bare NAME gets the prefix). POSIX: Unix socket path. */
GB_API int GB_CALL gb_connect_pipe(gb_client *c, const char *path, int timeout_ms);
GB_API void GB_CALL gb_disconnect(gb_client *c);
GB_API int GB_CALL gb_is_connected(gb_client *c);

/* ---- sending -------------------------------------------------------------------------------- */
/* Stores the message durably (outbox), then sends it if connected. Returns its seq (>= 1), or an
 * error if it could not be stored. A send failure after storing disconnects but still returns
 * the seq: the message is resent after the next handshake or written to the spool. */
GB_API long long GB_CALL gb_send(gb_client *c, const char *message_type, const char *payload_json);
/* Sends a HEARTBEAT ping if heartbeat_ms has passed since the last one. now_ms is the t0 put in
 * the ping (any clock the caller likes; <= 0: the library's monotonic clock). 1 sent, 0 not due. */
GB_API int GB_CALL gb_heartbeat(gb_client *c, long long now_ms);

/* ---- receiving ------------------------------------------------------------------------------ */
/* Reads for up to timeout_ms, handles ACK / HEARTBEAT / HELLO_ACK / ERROR, stores Guardian's data
 * messages (SIGNAL, COMMAND, PARAM, STATUS_REQUEST, STATUS_RESPONSE) durably, ACKs them and
 * queues them. Returns how many were newly delivered, or an error (the connection is then closed
 * when the error is fatal: CLOSED, FRAME_SIZE, FRAME_TIMEOUT, TIMEOUT, AUTH_FAILED x3). */
GB_API int GB_CALL gb_poll(gb_client *c, int timeout_ms);
GB_API int GB_CALL gb_pending_count(gb_client *c);
/* Bytes needed (including the NUL) for the next queued message, 0 when the queue is empty. */
GB_API int GB_CALL gb_next_message_size(gb_client *c);
/* Copies the next queued message (its full JSON envelope) and removes it from the queue: each
 * message is handed over exactly once, in seq order, even across restarts. Returns its length,
 * 0 when the queue is empty, GB_E_BUFFER if out_cap is too small (the message stays queued). */
GB_API int GB_CALL gb_next_message(gb_client *c, char *out_json, int out_cap);

/* ---- state and diagnostics ------------------------------------------------------------------ */
GB_API long long GB_CALL gb_next_seq(gb_client *c);
GB_API long long GB_CALL gb_unacked_count(gb_client *c);
GB_API long long GB_CALL gb_last_seq_received(gb_client *c);
GB_API long long GB_CALL gb_stat(gb_client *c, int stat_id);
GB_API int GB_CALL gb_last_error(gb_client *c, char *out, int cap);      /* text of the last failure */
GB_API int GB_CALL gb_last_peer_error(gb_client *c, char *out, int cap); /* last ERROR envelope received */

/* ---- spool path (PROTOCOL.md section 6) ----------------------------------------------------- */
/* Applies <spool>/from_ea/ack (as a cumulative ACK, deleting acknowledged spool files), writes every
 * unacknowledged message not yet spooled as <first seq>.tmp renamed to .csv, and rewrites
 * <spool>/from_ea/heartbeat ({"node_id","role":"EA","last_seq_received","ts"}: the greeting and
 * liveness Guardian reads on this path). Returns the number of messages written. */
GB_API int GB_CALL gb_spool_write(gb_client *c, const char *spool_dir);
/* Reads the <spool>/to_ea/<seq>.csv files, delivers in-order messages to the queue (as gb_poll
 * does), rewrites <spool>/to_ea/ack atomically when it moves, and the heartbeat as above.
 * Returns the number newly delivered. */
GB_API int GB_CALL gb_spool_read(gb_client *c, const char *spool_dir);

/* ---- pure helpers (tests, cross-checks with the TypeScript codec) --------------------------- */
GB_API unsigned int GB_CALL gb_crc32(const unsigned char *data, int len);
GB_API int GB_CALL gb_sha256_hex(const unsigned char *data, int len, char out65[65]);
/* key_len < 0: key is NUL-terminated. */
GB_API int GB_CALL gb_hmac_sha256_hex(const unsigned char *key, int key_len,
                                      const unsigned char *data, int len, char out65[65]);
/* Frame header check: needs >= 4 bytes; returns the body length N, or GB_E_FRAME_SIZE. */
GB_API int GB_CALL gb_frame_length(const unsigned char *buf, int len);
/* Writes the 4-byte LE length + body. Returns 4 + len. */
GB_API int GB_CALL gb_frame_encode(const unsigned char *body, int len, unsigned char *out, int out_cap);
/* Builds a 1.2 envelope with trailers. message_id NULL: "<stream>-<seq 12 digits>".
 * timestamp NULL: now. key NULL/"": no auth trailer. Returns the body length. */
GB_API int GB_CALL gb_encode_message(const char *stream, long long seq, const char *message_type,
                                     const char *source, const char *destination,
                                     const char *message_id, const char *timestamp,
                                     const char *payload_json, const char *hmac_key,
                                     char *out, int out_cap);
/* Verifies a received body: 0, or GB_E_BAD_CHECKSUM / BAD_JSON / AUTH_FAILED / BAD_MESSAGE, with
 * the checks and the schema of Guardian's TypeScript codec (src-shared/protocol): a checksum
 * trailer that is present is verified first, then UTF-8 JSON, a 1.2 body without the trailer,
 * auth (a key given: required), the schema. */
GB_API int GB_CALL gb_decode_check(const unsigned char *body, int len, const char *hmac_key);
/* Envelope <-> spool line (9 tab-separated columns, no line terminator). */
GB_API int GB_CALL gb_spool_line_encode(const char *envelope, int len, char *out, int out_cap);
GB_API int GB_CALL gb_spool_line_check(const char *line, int len); /* 0, BAD_CHECKSUM, BAD_JSON, BAD_MESSAGE */

/* ---- UTF-16 twins for MQL4 (lengths and capacities in UTF-16 code units) --------------------
 * gb_next_message_size() (bytes) is also enough UTF-16 units for gb_next_message_w(). NULL or
 * "" for hmac_key means no key. A lone surrogate in an input string gives GB_E_ARG. */
GB_API const gb_char16 *GB_CALL gb_version_w(void);
GB_API gb_client *GB_CALL gb_open_w(const gb_char16 *node_id, const gb_char16 *state_dir,
                                    const gb_char16 *hmac_key);
GB_API int GB_CALL gb_set_hello_extra_w(gb_client *c, const gb_char16 *json_object);
GB_API int GB_CALL gb_connect_socket_w(gb_client *c, const gb_char16 *host, int port, int timeout_ms);
GB_API int GB_CALL gb_connect_pipe_w(gb_client *c, const gb_char16 *path, int timeout_ms);
GB_API long long GB_CALL gb_send_w(gb_client *c, const gb_char16 *message_type, const gb_char16 *payload_json);
GB_API int GB_CALL gb_next_message_w(gb_client *c, gb_char16 *out, int out_cap);
GB_API int GB_CALL gb_last_error_w(gb_client *c, gb_char16 *out, int cap);
GB_API int GB_CALL gb_last_peer_error_w(gb_client *c, gb_char16 *out, int cap);
GB_API int GB_CALL gb_spool_write_w(gb_client *c, const gb_char16 *spool_dir);
GB_API int GB_CALL gb_spool_read_w(gb_client *c, const gb_char16 *spool_dir);

/* ---- Guardian's named pipe server (Windows; src/pipe_server_win.c) -------------------------
 * Node cannot narrow the default ACL of a pipe it creates (Everyone may read, other machines may
 * connect), so on Windows Guardian serves its pipe path through these. Every instance of
 * \\.\pipe\NAME gets a DACL granting only the current user and LocalSystem, and
 * PIPE_REJECT_REMOTE_CLIENTS; the first is created with FILE_FLAG_FIRST_PIPE_INSTANCE, so a name
 * already taken by another process gives GB_E_BUSY instead of a shared pipe.
 * Handles are positive integers. Blocking calls take a timeout (< 0: none) and may run on worker
 * threads: one accept per server at a time, one read and one write per connection at a time
 * (a read and a write may overlap). gb_pipe_close may be called from any thread: it wakes a
 * blocked accept or read, which returns GB_E_CLOSED. On POSIX every call returns GB_E_UNSUPPORTED. */
GB_API long long GB_CALL gb_pipe_listen(const char *name);                   /* server handle, or error */
GB_API long long GB_CALL gb_pipe_accept(long long server, int timeout_ms);   /* connection handle, 0 = timeout */
GB_API int GB_CALL gb_pipe_read(long long conn, unsigned char *out, int cap, int timeout_ms); /* bytes, 0 = timeout, GB_E_CLOSED */
GB_API int GB_CALL gb_pipe_write(long long conn, const unsigned char *data, int len, int timeout_ms); /* len, or error */
GB_API int GB_CALL gb_pipe_security(long long handle, char *out, int cap);   /* the DACL as SDDL, for tests */
GB_API void GB_CALL gb_pipe_close(long long handle);

#ifdef __cplusplus
}
#endif
#endif /* GUARDIAN_BRIDGE_H */
