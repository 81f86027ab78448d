/* The durable side of sending, and the sequence state (PROTOCOL.md 5.1, 5.3):
 *   <state>/state            next_seq, acked_seq, last_seq_received, peer_node (atomic rewrite)
 *   <state>/outbox/<seq>.json every message of our stream not yet acknowledged, as sent
 * A message is written (fsync'd file, renamed, directory fsync'd) before its first send and
 * deleted only after an ACK covering it has been recorded in the state file. next_seq is never
 * lowered: on open it is the larger of the state's and the newest outbox file's + 1, so a crash
 * between storing and saving the state can never reuse a seq. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_client.h"

#define STATE_MAGIC "guardian-bridge-state 1"

void gbo_seq_name(char out[GB_NAME_MAX], long long seq, const char *suffix)
{
    snprintf(out, GB_NAME_MAX, "%012lld%s", seq, suffix);
}

int gbo_save(gb_client *c)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf,
                     STATE_MAGIC "\nnode_id %s\nnext_seq %lld\nacked_seq %lld\n"
                     "last_seq_received %lld\npeer_node %s\n",
                     c->node_id, c->next_seq, c->acked_seq, c->last_seq_received,
                     c->peer_node[0] ? c->peer_node : "-");
    int rc = gbp_write_atomic(c->state_dir, "state.tmp", "state", buf, (size_t)n);
    if (rc != GB_OK) return gbc_fail(c, rc, "cannot write %s/state", c->state_dir);
    c->state_dirty = 0;
    return GB_OK;
}

static int parse_ll(const char *s, long long *v)
{
    char *end;
    long long x = strtoll(s, &end, 10);
    if (end == s || x < 0) return -1;
    *v = x;
    return 0;
}

/* Reads the state file; a missing file is a fresh stream, a corrupt one is refused rather than
 * reset (a reset would reuse sequence numbers). */
static int load_state(gb_client *c)
{
    char *data = NULL, *line, *next;
    size_t len;
    int rc = gbp_read_file(c->state_dir, "state", &data, &len, 4096), ok = 0;
    c->next_seq = 1;
    if (rc == 1) return GB_OK;
    if (rc != GB_OK) return gbc_fail(c, rc, "cannot read %s/state", c->state_dir);
    for (line = data; line && *line; line = next) {
        char *sp, *nl = strchr(line, '\n');
        const char *val;
        next = nl ? nl + 1 : NULL;
        if (nl) *nl = '\0';
        sp = strchr(line, ' ');
        val = sp ? sp + 1 : "";
        if (strcmp(line, STATE_MAGIC) == 0) { ok = 1; continue; }
        if (!sp) continue;
        *sp = '\0';
        if (strcmp(line, "node_id") == 0 && strcmp(val, c->node_id) != 0) {
            gbc_fail(c, GB_E_STATE, "state dir belongs to node %.64s", val);
            free(data);
            return GB_E_STATE;
        }
        if ((strcmp(line, "next_seq") == 0 && parse_ll(val, &c->next_seq) != 0) ||
            (strcmp(line, "acked_seq") == 0 && parse_ll(val, &c->acked_seq) != 0) ||
            (strcmp(line, "last_seq_received") == 0 && parse_ll(val, &c->last_seq_received) != 0))
            ok = 0;
        if (strcmp(line, "peer_node") == 0 && strcmp(val, "-") != 0 && gbj_token_text(val) &&
            strlen(val) < sizeof c->peer_node)
            memcpy(c->peer_node, val, strlen(val) + 1);
    }
    free(data);
    if (!ok || c->next_seq < 1) return gbc_fail(c, GB_E_STATE, "corrupt %s/state", c->state_dir);
    return GB_OK;
}

int gbo_load(gb_client *c)
{
    long long *seqs = NULL;
    size_t n = 0, i;
    int rc = load_state(c);
    if (rc != GB_OK) return rc;
    rc = gbp_list_seq(c->outbox_dir, ".json", &seqs, &n);
    if (rc != GB_OK) return gbc_fail(c, rc, "cannot list %s", c->outbox_dir);
    if (n > 0 && seqs[n - 1] >= c->next_seq) { c->next_seq = seqs[n - 1] + 1; c->state_dirty = 1; }
    if (c->acked_seq > c->next_seq - 1) { c->acked_seq = c->next_seq - 1; c->state_dirty = 1; }
    /* Files at or below acked_seq are left over from a crash after the ACK was recorded. */
    for (i = 0; i < n && seqs[i] <= c->acked_seq; i++) {
        char name[GB_NAME_MAX];
        gbo_seq_name(name, seqs[i], ".json");
        gbp_remove(c->outbox_dir, name);
    }
    free(seqs);
    c->deleted_upto = c->acked_seq;
    c->spool_written = c->acked_seq;
    return c->state_dirty ? gbo_save(c) : GB_OK;
}

int gbo_store(gb_client *c, long long seq, const char *body, size_t len)
{
    char name[GB_NAME_MAX], tmp[GB_NAME_MAX];
    int rc;
    gbo_seq_name(name, seq, ".json");
    gbo_seq_name(tmp, seq, ".tmp");
    rc = gbp_write_atomic(c->outbox_dir, tmp, name, body, len);
    return rc == GB_OK ? GB_OK : gbc_fail(c, rc, "cannot store %s/%s", c->outbox_dir, name);
}

int gbo_read(gb_client *c, long long seq, char **body, size_t *len)
{
    char name[GB_NAME_MAX];
    int rc;
    gbo_seq_name(name, seq, ".json");
    rc = gbp_read_file(c->outbox_dir, name, body, len, GB_MAX_FRAME);
    if (rc == 1) return gbc_fail(c, GB_E_IO, "outbox message %lld is missing", seq);
    return rc == GB_OK ? GB_OK : gbc_fail(c, rc, "cannot read outbox message %lld", seq);
}

/* A cumulative acknowledgement of our stream. from_hello: the peer's last_seq_received in
 * HELLO_ACK; if it is past everything we know of, our state was lost or restored from an old
 * copy, and we jump past it so no seq is ever reused. A plain ACK past next_seq is clamped. */
void gbo_ack(gb_client *c, long long ack_seq, int from_hello)
{
    if (ack_seq >= c->next_seq) {
        if (from_hello) {
            c->next_seq = ack_seq + 1;
            gbc_fail(c, GB_E_STATE, "peer has seq %lld of our stream: skipping ahead", ack_seq);
        } else ack_seq = c->next_seq - 1;
        c->state_dirty = 1;
    }
    if (ack_seq <= c->acked_seq) return;
    c->acked_seq = ack_seq;
    gbs_progress(c);
    if (c->spool_written < ack_seq) c->spool_written = ack_seq;
    c->state_dirty = 1;
}

int gbo_sync(gb_client *c)
{
    if (c->state_dirty) {
        int rc = gbo_save(c);
        if (rc != GB_OK) return rc;
    }
    /* Only now that the ACK is on disk may the acknowledged messages go. */
    while (c->deleted_upto < c->acked_seq) {
        char name[GB_NAME_MAX];
        gbo_seq_name(name, ++c->deleted_upto, ".json");
        gbp_remove(c->outbox_dir, name);
    }
    return GB_OK;
}
