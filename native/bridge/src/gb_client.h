/* The client handle and the functions its parts (client.c, outbox.c, inbox.c, session.c,
 * spool.c, wide.c) share. */
#ifndef GB_CLIENT_H
#define GB_CLIENT_H

#include "gb_internal.h"

#define GB_NAME_MAX 40                 /* a <12 digits><suffix> file name, with room to spare */
#define GB_SEQ_MAX 999999999999LL      /* file names and message ids carry 12 digits */

struct gb_client {
    char node_id[GB_NODE_MAX + 1];
    char *state_dir, *outbox_dir, *inbox_dir, *dead_dir;
    unsigned char *key;
    size_t key_len;
    void *lock;

    /* Persisted in <state>/state (outbox.c). */
    long long next_seq;           /* next seq of our stream */
    long long acked_seq;          /* Guardian stored everything up to here */
    long long last_seq_received;  /* last in-order seq of Guardian's stream stored here */
    char peer_node[GB_ID_MAX];    /* Guardian's stream id (a token), from HELLO_ACK */
    int state_dirty;
    long long deleted_upto;       /* outbox files at or below this are gone */

    /* Received messages waiting for the application, by local arrival number (inbox.c). */
    long long *inbox;
    size_t inbox_n, inbox_cap;
    long long next_arrival;

    /* Connection (session.c). */
    gb_transport t;
    gb_framer fr;
    unsigned char *tx;            /* 4-byte header + one body */
    int connected, handshaken, handshake_error, ack_due, auth_streak;
    long long last_rx_ms, last_ping_ms, ping_sent_ms, ping_counter, control_counter;
    char ping_id[GB_NODE_MAX + 24];
    char *hello_extra;            /* members merged into HELLO, without braces */
    long long spool_written;      /* highest seq already written to the spool */
    int spool_scanned;            /* the spool's existing files were looked at */
    long long spool_ack;          /* last value written to <spool>/to_ea/ack (-1: none yet) */

    int heartbeat_ms, frame_timeout_ms, io_timeout_ms, silence_intervals;
    int resend_timeout_ms, resend_timeouts; /* resend after silence, and fruitless tries in a row */
    long long ack_progress_ms;    /* monotonic: the last ACK that moved acked_seq, or the first send after it */
    long long stats[GB_STAT_COUNT];
    char err[GB_ERR_MAX];
    char *peer_error;             /* last ERROR envelope received */
};

/* client.c */
int gbc_valid(gb_client *c);                  /* 1 if c is a live handle */
int gbc_fail(gb_client *c, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* outbox.c: sequence state, store-before-send, acknowledgement */
int gbo_load(gb_client *c);
int gbo_save(gb_client *c);
int gbo_store(gb_client *c, long long seq, const char *body, size_t len);
int gbo_read(gb_client *c, long long seq, char **body, size_t *len);
void gbo_ack(gb_client *c, long long ack_seq, int from_hello);
int gbo_sync(gb_client *c);                   /* save state if dirty, then drop acked files */
void gbo_seq_name(char out[GB_NAME_MAX], long long seq, const char *suffix);

/* inbox.c: durable queue of received messages, dead letters */
int gbi_load(gb_client *c);
int gbi_store(gb_client *c, const char *body, size_t len, int dead);
int gbi_peek(gb_client *c, char **body, size_t *len);
int gbi_pop(gb_client *c);

/* session.c: sending frames, and the receiving rules shared by the socket/pipe and spool paths */
void gbs_drop(gb_client *c);                  /* close the connection, keep all state */
int gbs_send_body(gb_client *c, size_t len);  /* frames and sends the body at c->tx + 4 */
int gbs_send_control(gb_client *c, const char *type, const char *payload);
void gbs_send_error(gb_client *c, int code, const char *ref, const char *detail);
int gbs_send_ack(gb_client *c);               /* cumulative ACK if due and recorded */
int gbs_resend_if_silent(gb_client *c);       /* resend the unacknowledged after resend_timeout_ms without progress */
void gbs_progress(gb_client *c);               /* restart the silence timer (ACK progress, a send from idle, HELLO_ACK) */
int gbs_on_frame(gb_client *c, const char *body, size_t len, int *delivered);
/* In-order, exactly-once acceptance of one of Guardian's data messages (any path): duplicates
 * and gaps are dropped (and re-ACKed), the next seq is stored, in the inbox when type is one the
 * EA accepts, else (type NULL: broken) as a dead letter. GB_E_BAD_MESSAGE: dead-lettered or not
 * of Guardian's stream; GB_E_IO: could not be stored (no ACK). */
int gbs_accept(gb_client *c, long long seq, const char *stream, const char *type,
               const char *body, size_t len, int *delivered);
#endif
