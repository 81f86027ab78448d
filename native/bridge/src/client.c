/* The handle's life: open (state dir, lock, recovery), close, options, state getters, error
 * text. Handles are registered so that a closed or garbage handle passed from MQL4 or koffi is
 * refused instead of dereferenced. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_client.h"

#define MAX_CLIENTS 256
#define GB_VERSION_STRING "guardian-bridge 1.0.0 (GBP " GB_PROTOCOL_VERSION ")"

#if defined(_MSC_VER)
#define GB_TLS __declspec(thread)
#else
#define GB_TLS __thread
#endif

static gb_client *registry[MAX_CLIENTS];
static GB_TLS int open_error;

int gbc_valid(gb_client *c)
{
    int i, ok = 0;
    if (!c) return 0;
    gbp_registry_lock();
    for (i = 0; i < MAX_CLIENTS && !ok; i++) ok = registry[i] == c;
    gbp_registry_unlock();
    return ok;
}

static int registry_add(gb_client *c)
{
    int i;
    gbp_registry_lock();
    for (i = 0; i < MAX_CLIENTS; i++)
        if (!registry[i]) { registry[i] = c; break; }
    gbp_registry_unlock();
    return i < MAX_CLIENTS ? GB_OK : GB_E_BUSY;
}

static void registry_remove(gb_client *c)
{
    int i;
    gbp_registry_lock();
    for (i = 0; i < MAX_CLIENTS; i++)
        if (registry[i] == c) registry[i] = NULL;
    gbp_registry_unlock();
}

int gbc_fail(gb_client *c, int code, const char *fmt, ...)
{
    va_list ap;
    int n;
    snprintf(c->err, sizeof c->err, "%s: ", gb_error_name(code));
    n = (int)strlen(c->err);
    va_start(ap, fmt);
    vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}

const char *GB_CALL gb_version(void) { return GB_VERSION_STRING; }

const char *GB_CALL gb_error_name(int code)
{
    static const char *const names[] = {
        "OK", "ARG", "FRAME_SIZE", "BAD_JSON", "BAD_CHECKSUM", "AUTH_FAILED", "BAD_MESSAGE",
        "VERSION", "IO", "TIMEOUT", "FRAME_TIMEOUT", "NOT_CONNECTED", "CLOSED", "CONNECT",
        "BUFFER", "NOMEM", "STATE", "BUSY", "PEER_ERROR", "UNSUPPORTED"
    };
    if (code > 0 || -code >= (int)(sizeof names / sizeof names[0])) return "UNKNOWN";
    return names[-code];
}

static void destroy(gb_client *c)
{
    if (!c) return;
    gbt_close(&c->t);
    gbf_free(&c->fr);
    gbp_unlock_dir(c->lock);
    if (c->key) memset(c->key, 0, c->key_len); /* do not leave the shared key in freed memory */
    free(c->state_dir); free(c->outbox_dir); free(c->inbox_dir); free(c->dead_dir);
    free(c->key); free(c->inbox); free(c->tx); free(c->hello_extra); free(c->peer_error);
    free(c);
}

static int init(gb_client *c, const char *node_id, const char *state_dir, const char *key)
{
    int rc;
    memcpy(c->node_id, node_id, strlen(node_id) + 1);
    c->heartbeat_ms = 250;
    c->frame_timeout_ms = 5000;
    c->io_timeout_ms = 5000;
    c->silence_intervals = 3;
    c->resend_timeout_ms = 1000;
    c->spool_ack = -1;
    c->t.fd = -1;
    c->state_dir = (char *)malloc(strlen(state_dir) + 1);
    if (!c->state_dir) return GB_E_NOMEM;
    memcpy(c->state_dir, state_dir, strlen(state_dir) + 1);
    c->outbox_dir = gbp_join(state_dir, "outbox");
    c->inbox_dir = gbp_join(state_dir, "inbox");
    c->dead_dir = gbp_join(state_dir, "deadletter");
    c->tx = (unsigned char *)malloc(4 + GB_MAX_FRAME + 1);
    if (!c->outbox_dir || !c->inbox_dir || !c->dead_dir || !c->tx) return GB_E_NOMEM;
    if (key && key[0]) {
        c->key_len = strlen(key);
        c->key = (unsigned char *)malloc(c->key_len);
        if (!c->key) return GB_E_NOMEM;
        memcpy(c->key, key, c->key_len);
    }
    if ((rc = gbf_init(&c->fr)) != GB_OK) return rc;
    if (gbp_mkdirs(c->outbox_dir) != GB_OK || gbp_mkdirs(c->inbox_dir) != GB_OK ||
        gbp_mkdirs(c->dead_dir) != GB_OK) return GB_E_IO;
    if ((rc = gbp_lock_dir(state_dir, &c->lock)) != GB_OK) return rc;
    if ((rc = gbo_load(c)) != GB_OK) return rc;
    return gbi_load(c);
}

gb_client *GB_CALL gb_open(const char *node_id, const char *state_dir, const char *hmac_key)
{
    gb_client *c;
    int rc;
    if (!gbj_plain_id(node_id, GB_NODE_MAX) || !state_dir || !state_dir[0]) {
        open_error = GB_E_ARG;
        return NULL;
    }
    c = (gb_client *)calloc(1, sizeof *c);
    if (!c) { open_error = GB_E_NOMEM; return NULL; }
    rc = init(c, node_id, state_dir, hmac_key);
    if (rc == GB_OK) rc = registry_add(c);
    if (rc != GB_OK) {
        open_error = rc;
        destroy(c);
        return NULL;
    }
    open_error = GB_OK;
    return c;
}

int GB_CALL gb_open_error(void) { return open_error; }

void GB_CALL gb_close(gb_client *c)
{
    if (!gbc_valid(c)) return;
    registry_remove(c);
    gbs_drop(c);
    gbo_sync(c);
    destroy(c);
}

int GB_CALL gb_set_option(gb_client *c, int option, long long value)
{
    if (!gbc_valid(c) || value < 0 || value > 3600000) return GB_E_ARG;
    switch (option) {
    case GB_OPT_FRAME_TIMEOUT_MS: if (value < 1) return GB_E_ARG; c->frame_timeout_ms = (int)value; break;
    case GB_OPT_SILENCE_INTERVALS: c->silence_intervals = (int)value; break;
    case GB_OPT_IO_TIMEOUT_MS: if (value < 1) return GB_E_ARG; c->io_timeout_ms = (int)value; break;
    case GB_OPT_HEARTBEAT_MS: if (value < 1) return GB_E_ARG; c->heartbeat_ms = (int)value; break;
    case GB_OPT_RESEND_TIMEOUT_MS: c->resend_timeout_ms = (int)value; break;
    default: return GB_E_ARG;
    }
    return GB_OK;
}

int GB_CALL gb_set_hello_extra(gb_client *c, const char *json_object)
{
    char *p = NULL;
    size_t n = 0;
    int rc;
    if (!gbc_valid(c)) return GB_E_ARG;
    rc = gbe_prepare_payload(json_object, &p, &n);
    if (rc != GB_OK) return gbc_fail(c, rc, "hello extra must be a JSON object");
    /* Keep the members only ("{a,b}" -> "a,b") so they can follow the required ones. */
    memmove(p, p + 1, n - 2);
    p[n - 2] = '\0';
    free(c->hello_extra);
    c->hello_extra = p;
    return GB_OK;
}

long long GB_CALL gb_next_seq(gb_client *c) { return gbc_valid(c) ? c->next_seq : GB_E_ARG; }
long long GB_CALL gb_unacked_count(gb_client *c)
{
    return gbc_valid(c) ? c->next_seq - 1 - c->acked_seq : GB_E_ARG;
}
long long GB_CALL gb_last_seq_received(gb_client *c)
{
    return gbc_valid(c) ? c->last_seq_received : GB_E_ARG;
}
long long GB_CALL gb_stat(gb_client *c, int id)
{
    if (!gbc_valid(c) || id < 0 || id >= GB_STAT_COUNT) return GB_E_ARG;
    return c->stats[id];
}
int GB_CALL gb_is_connected(gb_client *c) { return gbc_valid(c) ? (c->connected && c->handshaken) : GB_E_ARG; }
int GB_CALL gb_pending_count(gb_client *c) { return gbc_valid(c) ? (int)c->inbox_n : GB_E_ARG; }

static int copy_out(const char *s, char *out, int cap)
{
    size_t n = strlen(s);
    if (!out || cap <= 0) return GB_E_ARG;
    if (n + 1 > (size_t)cap) return GB_E_BUFFER;
    memcpy(out, s, n + 1);
    return (int)n;
}

int GB_CALL gb_last_error(gb_client *c, char *out, int cap)
{
    if (!gbc_valid(c)) return GB_E_ARG;
    return copy_out(c->err, out, cap);
}

int GB_CALL gb_last_peer_error(gb_client *c, char *out, int cap)
{
    if (!gbc_valid(c)) return GB_E_ARG;
    return copy_out(c->peer_error ? c->peer_error : "", out, cap);
}
