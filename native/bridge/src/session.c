/* A session with Guardian on the socket or pipe path: HELLO / HELLO_ACK, resend, sending data
 * and control messages, and the receiving rules of PROTOCOL.md 5.2 and 7 (shared with the spool
 * path through gbs_accept). Every wait is bounded; errors that desynchronise the stream close
 * the connection, everything else is answered with ERROR and the session goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_client.h"

void gbs_drop(gb_client *c)
{
    gbt_close(&c->t);
    gbf_reset(&c->fr);
    c->connected = c->handshaken = 0;
}

int gbs_send_body(gb_client *c, size_t len)
{
    int rc;
    if (!c->connected) return GB_E_NOT_CONNECTED;
    gbf_write_header(c->tx, len);
    rc = gbt_write_all(&c->t, c->tx, 4 + len, c->io_timeout_ms);
    if (rc != GB_OK) {
        gbs_drop(c);
        return gbc_fail(c, rc, "write failed, disconnected");
    }
    c->stats[GB_STAT_FRAMES_OUT]++;
    return GB_OK;
}

/* Control messages (seq 0, never stored or resent). payload: compact JSON object. */
int gbs_send_control(gb_client *c, const char *type, const char *payload)
{
    char id[GB_ID_MAX], ts[32];
    int n;
    snprintf(id, sizeof id, "%s-c%lld-%lld", c->node_id, gbp_wall_ms(), ++c->control_counter);
    gbp_timestamp(ts);
    n = gbe_encode((char *)c->tx + 4, GB_MAX_FRAME + 1, c->node_id, 0, type, "EA", "GUARDIAN",
                   id, ts, payload, strlen(payload), c->key, c->key_len);
    if (n < 0) return gbc_fail(c, n, "cannot encode %s", type);
    return gbs_send_body(c, (size_t)n);
}

void gbs_send_error(gb_client *c, int code, const char *ref, const char *detail)
{
    char p[512];
    gbb b;
    gbb_init(&b, p, sizeof p);
    gbb_str(&b, "{\"reason\":");
    gbb_jstr(&b, gb_error_name(code));
    if (ref && ref[0]) { gbb_str(&b, ",\"ref_message_id\":"); gbb_jstr(&b, ref); }
    gbb_str(&b, ",\"detail\":");
    gbb_jstr(&b, detail);
    gbb_str(&b, "}");
    if (!b.overflow && c->connected) gbs_send_control(c, "ERROR", p);
}

int gbs_send_ack(gb_client *c)
{
    char p[64];
    if (!c->ack_due || !c->connected) return GB_OK;
    if (c->state_dirty) return GB_OK; /* only what is recorded on disk may be acknowledged */
    snprintf(p, sizeof p, "{\"ack_seq\":%lld}", c->last_seq_received);
    c->ack_due = 0;
    return gbs_send_control(c, "ACK", p);
}

/* Resend every stored message after the peer's last_seq_received, in order (PROTOCOL.md 5.3). */
static int resend(gb_client *c)
{
    long long s;
    for (s = c->acked_seq + 1; s < c->next_seq && c->connected; s++) {
        char *body = NULL;
        size_t len = 0;
        int rc = gbo_read(c, s, &body, &len);
        if (rc != GB_OK) continue; /* a lost file cannot be resent; the error text says which */
        memcpy(c->tx + 4, body, len);
        free(body);
        if ((rc = gbs_send_body(c, len)) != GB_OK) return rc;
        c->stats[GB_STAT_RESENT]++;
    }
    return GB_OK;
}

/* Guardian's stream id: learnt from HELLO_ACK. A different id there is a new stream, counted
 * from 1 again; anywhere else a foreign stream is refused. */
static int adopt_peer(gb_client *c, const char *node, int from_hello)
{
    /* A token has no whitespace, so it is also safe in the state file's "peer_node" line. */
    if (!gbj_token_text(node) || strlen(node) >= sizeof c->peer_node) return 0;
    if (c->peer_node[0] && strcmp(c->peer_node, node) == 0) return 1;
    if (c->peer_node[0] && !from_hello) return 0;
    if (c->peer_node[0]) {
        gbc_fail(c, GB_E_STATE, "Guardian stream changed from %s to %s", c->peer_node, node);
        c->last_seq_received = 0;
    }
    memcpy(c->peer_node, node, strlen(node) + 1);
    c->state_dirty = 1;
    return 1;
}

int gbs_accept(gb_client *c, long long seq, const char *stream, const char *type,
               const char *body, size_t len, int *delivered)
{
    static const char *const accepted[] = { "SIGNAL", "COMMAND", "PARAM", "STATUS_REQUEST",
                                            "STATUS_RESPONSE", NULL };
    const char *const *t = accepted;
    int rc, dead;
    if (seq < 1 || !adopt_peer(c, stream, 0)) return GB_E_BAD_MESSAGE; /* not ours to ACK */
    for (; type && *t && strcmp(*t, type) != 0; t++) {}
    dead = !type || !*t; /* broken, wrong direction (STATUS, TRADE) or unknown: for the operator */
    c->ack_due = 1;
    if (seq <= c->last_seq_received) { c->stats[GB_STAT_DUPLICATES]++; return GB_OK; }
    if (seq > c->last_seq_received + 1) { c->stats[GB_STAT_GAPS]++; return GB_OK; } /* go-back-N */
    if ((rc = gbi_store(c, body, len, dead)) != GB_OK) { c->ack_due = 0; return rc; }
    c->last_seq_received = seq;
    c->state_dirty = 1;
    if (!dead) { (*delivered)++; c->stats[GB_STAT_DELIVERED]++; }
    return dead ? GB_E_BAD_MESSAGE : GB_OK;
}

static int on_hello_ack(gb_client *c, const gb_env *e)
{
    gbj_span v;
    char ver[8] = "";
    char node[GB_ID_MAX] = "";
    long long n;
    if (gbj_get(e->payload, "version", &v)) gbj_string(v, ver, sizeof ver);
    if (strcmp(ver, GB_PROTOCOL_VERSION) != 0) {
        gbs_send_error(c, GB_E_VERSION, e->message_id, "the EA speaks 1.2 only");
        gbs_drop(c);
        return c->handshake_error = gbc_fail(c, GB_E_VERSION, "Guardian chose version '%s'", ver);
    }
    if (gbj_get(e->payload, "heartbeat_ms", &v) && gbj_int(v, &n) == 0 && n > 0 && n <= 3600000)
        c->heartbeat_ms = (int)n;
    if (gbj_get(e->payload, "node_id", &v)) gbj_string(v, node, sizeof node);
    adopt_peer(c, node, 1);
    if (gbj_get(e->payload, "last_seq_received", &v) && gbj_int(v, &n) == 0) gbo_ack(c, n, 1);
    c->handshaken = 1;
    if (gbo_sync(c) != GB_OK) return GB_E_IO;
    gbs_progress(c); /* the resend below starts the silence timer afresh */
    return resend(c);
}

void gbs_progress(gb_client *c)
{
    c->ack_progress_ms = gbp_mono_ms();
    c->resend_timeouts = 0;
}

/* No ACK progress for resend_timeout_ms: resend everything unacknowledged (PROTOCOL.md 5.3), then
 * wait twice as long before the next try, up to 16x, until an ACK moves the mark. A frame Guardian
 * refused (BAD_CHECKSUM is never ACKed) that was the last one sent leaves no later frame to show
 * Guardian the gap: without this the message would wait for the next reconnect. The backoff keeps
 * a receiver that is busy, not deaf, from being buried under copies (congestion collapse). */
int gbs_resend_if_silent(gb_client *c)
{
    long long now = gbp_mono_ms();
    int shift = c->resend_timeouts < 4 ? c->resend_timeouts : 4;
    if (!c->connected || !c->handshaken || c->resend_timeout_ms <= 0) return GB_OK;
    if (c->acked_seq >= c->next_seq - 1) return GB_OK;
    if (now - c->ack_progress_ms < ((long long)c->resend_timeout_ms << shift)) return GB_OK;
    c->ack_progress_ms = now;
    c->resend_timeouts++;
    return resend(c);
}

static void on_heartbeat(gb_client *c, const gb_env *e)
{
    gbj_span v;
    char p[GB_ID_MAX + 16], echo[GB_NODE_MAX + 24];
    if (gbj_get(e->payload, "ping_id", &v) && v.n < GB_ID_MAX) {
        /* Echo the ping_id token as received, string or number. */
        snprintf(p, sizeof p, "{\"echo\":%.*s}", (int)v.n, v.p);
        gbs_send_control(c, "HEARTBEAT", p);
    }
    if (gbj_get(e->payload, "echo", &v) && gbj_string(v, echo, sizeof echo) >= 0 &&
        strcmp(echo, c->ping_id) == 0) {
        c->stats[GB_STAT_ECHOES_RECEIVED]++;
        c->stats[GB_STAT_RTT_MS] = gbp_mono_ms() - c->ping_sent_ms;
    }
}

static void on_error(gb_client *c, const gb_env *e, const char *body, size_t len)
{
    char reason[32] = "";
    gbj_span v;
    char *copy = (char *)malloc(len + 1);
    if (copy) { memcpy(copy, body, len); copy[len] = '\0'; free(c->peer_error); c->peer_error = copy; }
    c->stats[GB_STAT_PEER_ERRORS]++;
    if (gbj_get(e->payload, "reason", &v)) gbj_string(v, reason, sizeof reason);
    if (!c->handshaken)
        c->handshake_error = strcmp(reason, "VERSION") == 0 ? GB_E_VERSION
                           : strcmp(reason, "AUTH_FAILED") == 0 ? GB_E_AUTH_FAILED : GB_E_PEER_ERROR;
}

/* A message we could not store must not be lost: close, so that Guardian resends everything
 * after our last_seq_received on the next HELLO. */
static int not_stored(gb_client *c, int rc)
{
    if (rc == GB_OK || rc == GB_E_BAD_MESSAGE) return GB_OK;
    gbs_drop(c);
    return rc;
}

/* One received frame. Returns GB_OK to go on, or a fatal error (connection already closed). */
int gbs_on_frame(gb_client *c, const char *body, size_t len, int *delivered)
{
    gb_env e;
    int rc = gbe_decode(body, len, c->key, c->key_len, &e);
    c->stats[GB_STAT_FRAMES_IN]++;
    switch (rc) {
    case GB_E_BAD_JSON:
        c->stats[GB_STAT_BAD_JSON]++;
        gbs_send_error(c, rc, NULL, "frame is not UTF-8 JSON");
        return GB_OK;
    case GB_E_BAD_CHECKSUM: /* no ACK: the sender resends */
        c->stats[GB_STAT_BAD_CHECKSUM]++;
        gbs_send_error(c, rc, e.message_id, "CRC32 trailer missing or wrong");
        return GB_OK;
    case GB_E_AUTH_FAILED:
        c->stats[GB_STAT_AUTH_FAILED]++;
        gbs_send_error(c, rc, e.message_id, "HMAC trailer missing or wrong");
        if (++c->auth_streak < 3) return GB_OK;
        gbs_drop(c);
        return gbc_fail(c, rc, "3 frames in a row failed authentication");
    case GB_E_BAD_MESSAGE:
        c->stats[GB_STAT_BAD_MESSAGE]++;
        gbs_send_error(c, rc, e.message_id, "message breaks the 1.2 schema");
        /* One bad message must not stall the stream: a data seq is stored as a dead letter and ACKed. */
        return not_stored(c, gbs_accept(c, e.seq, e.stream, NULL, body, len, delivered));
    default: break;
    }
    c->auth_streak = 0;
    if (strcmp(e.message_type, "HELLO_ACK") == 0) return on_hello_ack(c, &e);
    if (strcmp(e.message_type, "HEARTBEAT") == 0) { on_heartbeat(c, &e); return GB_OK; }
    if (strcmp(e.message_type, "ACK") == 0) {
        gbj_span v;
        long long n;
        if (gbj_get(e.payload, "ack_seq", &v) && gbj_int(v, &n) == 0) gbo_ack(c, n, 0);
        return GB_OK;
    }
    if (strcmp(e.message_type, "ERROR") == 0) { on_error(c, &e, body, len); return GB_OK; }
    if (e.kind == GBE_CONTROL) { /* a HELLO sent to the EA */
        c->stats[GB_STAT_BAD_MESSAGE]++;
        gbs_send_error(c, GB_E_BAD_MESSAGE, e.message_id, "unexpected control message");
        return GB_OK;
    }
    rc = gbs_accept(c, e.seq, e.stream, e.message_type, body, len, delivered);
    if (rc == GB_E_BAD_MESSAGE) {
        c->stats[GB_STAT_BAD_MESSAGE]++;
        gbs_send_error(c, rc, e.message_id, "not a message the EA accepts");
    }
    return not_stored(c, rc);
}
