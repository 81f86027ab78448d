/* The public connection calls: connect (socket or pipe) with the HELLO handshake, send, poll,
 * heartbeat. One read loop (pump) serves the handshake and gb_poll, so a message arriving
 * during the handshake is handled exactly like one arriving later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_client.h"

#define MAX_READS_PER_POLL 64 /* bounds one gb_poll call even under a flood */

/* Reads for up to timeout_ms, handles every complete frame, then records state and ACKs. */
static int pump(gb_client *c, int timeout_ms, int *delivered)
{
    int reads = 0, rc = GB_OK;
    long long now;
    if (!c->connected) return GB_E_NOT_CONNECTED;
    while (c->connected && rc == GB_OK && reads < MAX_READS_PER_POLL) {
        size_t cap;
        unsigned char *dst = gbf_space(&c->fr, &cap);
        int n = gbt_read(&c->t, dst, cap, reads == 0 ? timeout_ms : 0);
        if (n == 0) break;
        if (n < 0) {
            gbs_drop(c);
            rc = gbc_fail(c, n, "connection lost");
            break;
        }
        gbf_added(&c->fr, (size_t)n);
        c->last_rx_ms = gbp_mono_ms();
        reads++;
        while (c->connected && rc == GB_OK) {
            const unsigned char *body;
            size_t len;
            int f = gbf_next(&c->fr, &body, &len);
            if (f == 0) break;
            if (f < 0) { /* the stream is desynchronised: say why, then close (PROTOCOL.md 2) */
                c->stats[GB_STAT_BAD_FRAME_SIZE]++;
                gbs_send_error(c, f, NULL, "frame length 0 or over 65536");
                gbs_drop(c);
                rc = gbc_fail(c, f, "bad frame length, disconnected");
                break;
            }
            rc = gbs_on_frame(c, (const char *)body, len, delivered);
            gbf_consume(&c->fr);
        }
    }
    if (gbo_sync(c) != GB_OK && rc == GB_OK) rc = GB_E_IO;
    if (rc == GB_OK) rc = gbs_send_ack(c);
    if (rc != GB_OK) return rc;
    if (!c->connected) return GB_E_CLOSED; /* a reply (ERROR, echo) failed to go out */
    now = gbp_mono_ms();
    if (c->fr.have > 0 && now - c->last_rx_ms > c->frame_timeout_ms) {
        gbs_drop(c);
        return gbc_fail(c, GB_E_FRAME_TIMEOUT, "peer stalled mid-frame for %d ms", c->frame_timeout_ms);
    }
    if (c->handshaken && c->silence_intervals > 0 &&
        now - c->last_rx_ms > (long long)c->silence_intervals * c->heartbeat_ms) {
        gbs_drop(c);
        return gbc_fail(c, GB_E_TIMEOUT, "peer silent for %d heartbeat intervals", c->silence_intervals);
    }
    return GB_OK;
}

static int handshake(gb_client *c, long long deadline)
{
    char p[1024];
    gbb b;
    int rc = GB_OK, delivered = 0;
    c->connected = 1;
    c->handshaken = c->handshake_error = c->auth_streak = 0;
    c->last_rx_ms = gbp_mono_ms();
    c->last_ping_ms = 0;
    gbf_reset(&c->fr);
    gbb_init(&b, p, sizeof p);
    gbb_str(&b, "{\"role\":\"EA\",\"node_id\":");
    gbb_jstr(&b, c->node_id);
    gbb_str(&b, ",\"versions\":[\"" GB_PROTOCOL_VERSION "\"],\"last_seq_received\":");
    gbb_int(&b, c->last_seq_received);
    if (c->hello_extra && c->hello_extra[0]) { gbb_str(&b, ","); gbb_str(&b, c->hello_extra); }
    gbb_str(&b, "}");
    if (b.overflow) { gbs_drop(c); return gbc_fail(c, GB_E_ARG, "HELLO extra too long"); }
    if ((rc = gbs_send_control(c, "HELLO", p)) != GB_OK) return rc;
    while (c->connected && !c->handshaken && !c->handshake_error && rc == GB_OK) {
        long long left = deadline - gbp_mono_ms();
        if (left <= 0) break;
        rc = pump(c, (int)left, &delivered);
    }
    if (c->handshaken && c->connected) return GB_OK;
    gbs_drop(c);
    if (c->handshake_error) return c->handshake_error == GB_E_PEER_ERROR
        ? gbc_fail(c, GB_E_PEER_ERROR, "Guardian refused HELLO (see gb_last_peer_error)")
        : c->handshake_error;
    if (rc != GB_OK) return rc;
    return gbc_fail(c, GB_E_TIMEOUT, "no HELLO_ACK in time");
}

static int timeout_ok(int timeout_ms) { return timeout_ms >= 0 && timeout_ms <= 600000; }

int GB_CALL gb_connect_socket(gb_client *c, const char *host, int port, int timeout_ms)
{
    long long deadline = gbp_mono_ms() + timeout_ms;
    int rc;
    if (!gbc_valid(c)) return GB_E_ARG;
    if (!host || !host[0] || port < 1 || port > 65535 || !timeout_ok(timeout_ms))
        return gbc_fail(c, GB_E_ARG, "bad host, port or timeout");
    gbs_drop(c);
    rc = gbt_connect_tcp(&c->t, host, port, timeout_ms, c->err, sizeof c->err);
    return rc == GB_OK ? handshake(c, deadline) : rc;
}

int GB_CALL gb_connect_pipe(gb_client *c, const char *path, int timeout_ms)
{
    long long deadline = gbp_mono_ms() + timeout_ms;
    int rc;
    if (!gbc_valid(c)) return GB_E_ARG;
    if (!path || !path[0] || !timeout_ok(timeout_ms))
        return gbc_fail(c, GB_E_ARG, "bad pipe path or timeout");
    gbs_drop(c);
    rc = gbt_connect_pipe(&c->t, path, timeout_ms, c->err, sizeof c->err);
    return rc == GB_OK ? handshake(c, deadline) : rc;
}

void GB_CALL gb_disconnect(gb_client *c)
{
    if (gbc_valid(c)) gbs_drop(c);
}

/* The data messages an EA sends (PROTOCOL.md 4). */
static int sendable(const char *t)
{
    static const char *const types[] = { "STATUS", "STATUS_REQUEST", "STATUS_RESPONSE", "TRADE", NULL };
    const char *const *k;
    for (k = types; t && *k; k++) if (strcmp(*k, t) == 0) return 1;
    return 0;
}

long long GB_CALL gb_send(gb_client *c, const char *message_type, const char *payload_json)
{
    gb_env e;
    char id[GB_ID_MAX], ts[32], *payload = NULL;
    size_t plen = 0;
    long long seq;
    int n, rc;
    if (!gbc_valid(c)) return GB_E_ARG;
    if (!sendable(message_type))
        return gbc_fail(c, GB_E_ARG, "the EA does not send %.24s", message_type ? message_type : "(null)");
    rc = gbe_prepare_payload(payload_json, &payload, &plen);
    if (rc != GB_OK) return gbc_fail(c, rc, "payload is not a JSON object");
    seq = c->next_seq;
    if (seq > GB_SEQ_MAX) return gbc_fail(c, GB_E_STATE, "sequence numbers exhausted");
    /* Nothing was in flight: the silence before a resend counts from this send. */
    if (c->acked_seq >= seq - 1) gbs_progress(c);
    snprintf(id, sizeof id, "%s-%012lld", c->node_id, seq);
    gbp_timestamp(ts);
    n = gbe_encode((char *)c->tx + 4, GB_MAX_FRAME + 1, c->node_id, seq, message_type, "EA",
                   "GUARDIAN", id, ts, payload, plen, c->key, c->key_len);
    free(payload);
    if (n < 0) return gbc_fail(c, n, "message over %d bytes", GB_MAX_FRAME);
    /* Refused here, with a clear error, rather than dead-lettered by Guardian later. */
    if (gbe_decode((const char *)c->tx + 4, (size_t)n, NULL, 0, &e) != GB_OK)
        return gbc_fail(c, GB_E_BAD_MESSAGE, "%s payload breaks the schema", message_type);
    /* Store before the first send (PROTOCOL.md 5.1); the seq is only taken once stored. */
    if ((rc = gbo_store(c, seq, (const char *)c->tx + 4, (size_t)n)) != GB_OK) return rc;
    c->next_seq++;
    if (c->connected && c->handshaken) gbs_send_body(c, (size_t)n); /* failure: resent later */
    return seq;
}

int GB_CALL gb_poll(gb_client *c, int timeout_ms)
{
    int delivered = 0, rc;
    if (!gbc_valid(c)) return GB_E_ARG;
    if (!timeout_ok(timeout_ms)) return gbc_fail(c, GB_E_ARG, "bad timeout");
    if (!c->connected) return GB_E_NOT_CONNECTED;
    rc = pump(c, timeout_ms, &delivered);
    if (rc == GB_OK) rc = gbs_resend_if_silent(c);
    return rc != GB_OK ? rc : delivered;
}

int GB_CALL gb_heartbeat(gb_client *c, long long now_ms)
{
    char p[GB_NODE_MAX + 80];
    long long mono;
    int rc;
    if (!gbc_valid(c)) return GB_E_ARG;
    if (!c->connected || !c->handshaken) return GB_E_NOT_CONNECTED;
    mono = gbp_mono_ms();
    if (c->last_ping_ms && mono - c->last_ping_ms < c->heartbeat_ms) return 0;
    snprintf(c->ping_id, sizeof c->ping_id, "%s-p%lld", c->node_id, ++c->ping_counter);
    snprintf(p, sizeof p, "{\"ping_id\":\"%s\",\"t0\":%lld}", c->ping_id, now_ms > 0 ? now_ms : mono);
    if ((rc = gbs_send_control(c, "HEARTBEAT", p)) != GB_OK) return rc;
    c->last_ping_ms = c->ping_sent_ms = mono;
    c->stats[GB_STAT_HEARTBEATS_SENT]++;
    return 1;
}
