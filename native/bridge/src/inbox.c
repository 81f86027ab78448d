/* The receiving side's durable queue (PROTOCOL.md 5.2):
 *   <state>/inbox/<arrival>.json       Guardian's messages stored, not yet handed to the EA
 *   <state>/deadletter/<arrival>.json  messages that broke the schema (ACKed, kept for the operator)
 * Files are numbered by local arrival, not by seq, so a new Guardian stream can never overwrite
 * a message still waiting. A message is stored before it is ACKed and deleted (with a directory
 * sync) as it is handed over, so the EA gets each one exactly once even across a crash. */
#include <stdlib.h>
#include <string.h>
#include "gb_client.h"

static int push(gb_client *c, long long arrival)
{
    if (c->inbox_n == c->inbox_cap) {
        size_t cap = c->inbox_cap ? c->inbox_cap * 2 : 32;
        long long *g = (long long *)realloc(c->inbox, cap * sizeof *g);
        if (!g) return GB_E_NOMEM;
        c->inbox = g;
        c->inbox_cap = cap;
    }
    c->inbox[c->inbox_n++] = arrival;
    return GB_OK;
}

/* A crash between storing a message and saving the state leaves the newest file ahead of
 * last_seq_received: adopt its seq, or Guardian would resend it and the EA would see it twice. */
static void adopt_newest(gb_client *c, const char *dir, long long arrival)
{
    char name[GB_NAME_MAX], *body = NULL;
    size_t len;
    gb_env e;
    gbo_seq_name(name, arrival, ".json");
    if (gbp_read_file(dir, name, &body, &len, GB_MAX_FRAME) != GB_OK) return;
    gbe_decode(body, len, NULL, 0, &e);
    if (e.seq > c->last_seq_received && e.stream[0] &&
        (!c->peer_node[0] || strcmp(e.stream, c->peer_node) == 0)) {
        c->last_seq_received = e.seq;
        memcpy(c->peer_node, e.stream, strlen(e.stream) + 1);
        c->state_dirty = 1;
    }
    free(body);
}

int gbi_load(gb_client *c)
{
    long long *in = NULL, *dead = NULL, newest_in = 0, newest_dead = 0;
    size_t n_in = 0, n_dead = 0, i;
    int rc = gbp_list_seq(c->inbox_dir, ".json", &in, &n_in);
    if (rc == GB_OK) rc = gbp_list_seq(c->dead_dir, ".json", &dead, &n_dead);
    if (rc != GB_OK) { free(in); return gbc_fail(c, rc, "cannot list inbox"); }
    for (i = 0; i < n_in && rc == GB_OK; i++) rc = push(c, in[i]);
    if (n_in) newest_in = in[n_in - 1];
    if (n_dead) newest_dead = dead[n_dead - 1];
    free(in);
    free(dead);
    if (rc != GB_OK) return rc;
    c->next_arrival = (newest_in > newest_dead ? newest_in : newest_dead) + 1;
    if (newest_in > newest_dead) adopt_newest(c, c->inbox_dir, newest_in);
    else if (newest_dead > 0) adopt_newest(c, c->dead_dir, newest_dead);
    return c->state_dirty ? gbo_save(c) : GB_OK;
}

int gbi_store(gb_client *c, const char *body, size_t len, int dead)
{
    char name[GB_NAME_MAX], tmp[GB_NAME_MAX];
    int rc;
    gbo_seq_name(name, c->next_arrival, ".json");
    gbo_seq_name(tmp, c->next_arrival, ".tmp");
    rc = gbp_write_atomic(dead ? c->dead_dir : c->inbox_dir, tmp, name, body, len);
    if (rc != GB_OK) return gbc_fail(c, rc, "cannot store received message %s", name);
    if (!dead && (rc = push(c, c->next_arrival)) != GB_OK) return rc;
    c->next_arrival++;
    return GB_OK;
}

int gbi_peek(gb_client *c, char **body, size_t *len)
{
    while (c->inbox_n > 0) {
        char name[GB_NAME_MAX];
        int rc;
        gbo_seq_name(name, c->inbox[0], ".json");
        rc = gbp_read_file(c->inbox_dir, name, body, len, GB_MAX_FRAME);
        if (rc == GB_OK) return 1;
        if (rc != 1) return gbc_fail(c, rc, "cannot read inbox/%s", name);
        /* Removed behind our back: nothing to hand over. */
        memmove(c->inbox, c->inbox + 1, (c->inbox_n - 1) * sizeof *c->inbox);
        c->inbox_n--;
    }
    return 0;
}

int gbi_pop(gb_client *c)
{
    char name[GB_NAME_MAX];
    int rc;
    if (c->inbox_n == 0) return GB_OK;
    gbo_seq_name(name, c->inbox[0], ".json");
    rc = gbp_remove(c->inbox_dir, name);
    if (rc == GB_OK) rc = gbp_sync_dir(c->inbox_dir);
    if (rc != GB_OK) return gbc_fail(c, rc, "cannot remove inbox/%s", name);
    memmove(c->inbox, c->inbox + 1, (c->inbox_n - 1) * sizeof *c->inbox);
    c->inbox_n--;
    return GB_OK;
}

int GB_CALL gb_next_message_size(gb_client *c)
{
    char *body = NULL;
    size_t len = 0;
    int rc;
    if (!gbc_valid(c)) return GB_E_ARG;
    rc = gbi_peek(c, &body, &len);
    free(body);
    return rc == 1 ? (int)len + 1 : rc;
}

int GB_CALL gb_next_message(gb_client *c, char *out, int cap)
{
    char *body = NULL;
    size_t len = 0;
    int rc;
    if (!gbc_valid(c) || !out || cap <= 0) return GB_E_ARG;
    /* last_seq_received must be on disk before the message it covers can leave the inbox. */
    if ((rc = gbo_sync(c)) != GB_OK) return rc;
    rc = gbi_peek(c, &body, &len);
    if (rc != 1) return rc;
    if (len + 1 > (size_t)cap) { free(body); return GB_E_BUFFER; }
    memcpy(out, body, len + 1);
    free(body);
    rc = gbi_pop(c);
    return rc == GB_OK ? (int)len : rc;
}
