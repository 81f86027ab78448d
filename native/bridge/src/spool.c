/* The spool path (PROTOCOL.md 6), the EA's fallback when neither socket nor pipe answers:
 *   <spool>/from_ea/<highest seq>.tmp -> .csv   our unacknowledged messages, one per line
 *   <spool>/from_ea/ack                          Guardian's cumulative ACK of our stream
 *   <spool>/from_ea/heartbeat                    rewritten on every gb_spool_write
 *   <spool>/to_ea/<seq>.csv                      Guardian's messages to us
 *   <spool>/to_ea/ack                            our cumulative ACK, rewritten on every gb_spool_read
 * The outbox stays the source of truth: the spool only carries copies, and the same in-order
 * rules as the socket decide what is delivered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_client.h"

#define SPOOL_FILE_MAX (16 * 1024 * 1024)
#define LINES_PER_FILE 1000

static char *subdir(gb_client *c, const char *spool, const char *name)
{
    char *d;
    if (!spool || !spool[0]) { gbc_fail(c, GB_E_ARG, "no spool dir"); return NULL; }
    d = gbp_join(spool, name);
    if (d && gbp_mkdirs(d) != GB_OK) {
        gbc_fail(c, GB_E_IO, "cannot create %s", d);
        free(d);
        d = NULL;
    }
    return d;
}

/* The ack file holds one decimal seq; -1 if absent or unreadable. */
static long long read_ack(const char *dir)
{
    char *data = NULL;
    size_t len;
    long long v = -1;
    if (gbp_read_file(dir, "ack", &data, &len, 64) == GB_OK) {
        char *end;
        v = strtoll(data, &end, 10);
        if (end == data || v < 0) v = -1;
        free(data);
    }
    return v;
}

static int write_small(const char *dir, const char *name, const char *text)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%s.tmp", name);
    return gbp_write_atomic(dir, tmp, name, text, strlen(text));
}

static void remove_files(const char *dir, const char *suffix, long long upto)
{
    long long *seqs = NULL;
    size_t n = 0, i;
    if (gbp_list_seq(dir, suffix, &seqs, &n) != GB_OK) return;
    for (i = 0; i < n && seqs[i] <= upto; i++) {
        char name[GB_NAME_MAX];
        gbo_seq_name(name, seqs[i], suffix);
        gbp_remove(dir, name);
    }
    free(seqs);
}

/* Writes seqs from..to (at most LINES_PER_FILE) as one <to>.csv; returns the last seq written. */
static long long write_batch(gb_client *c, const char *dir, long long from, long long to, int *rc)
{
    size_t cap = 64 * 1024, len = 0;
    char *buf = (char *)malloc(cap), tmp[GB_NAME_MAX], fin[GB_NAME_MAX];
    long long s, last = from - 1;
    if (!buf) { *rc = GB_E_NOMEM; return last; }
    if (to - from >= LINES_PER_FILE) to = from + LINES_PER_FILE - 1;
    for (s = from; s <= to; s++) {
        char *body = NULL;
        size_t blen = 0;
        int n;
        if (gbo_read(c, s, &body, &blen) != GB_OK) continue; /* lost file: error text says which */
        if (cap - len < 2 * blen + 64) {
            char *g = (char *)realloc(buf, cap * 2 + 2 * blen + 64);
            if (!g) { free(body); *rc = GB_E_NOMEM; break; }
            buf = g;
            cap = cap * 2 + 2 * blen + 64;
        }
        n = gbe_spool_line(body, blen, buf + len, cap - len - 1);
        free(body);
        if (n < 0) { gbc_fail(c, n, "outbox message %lld cannot be spooled", s); continue; }
        len += (size_t)n;
        buf[len++] = '\n';
        last = s;
    }
    if (*rc == GB_OK && len > 0) {
        gbo_seq_name(tmp, last, ".tmp");
        gbo_seq_name(fin, last, ".csv");
        *rc = gbp_write_atomic(dir, tmp, fin, buf, len); /* the rename is the commit */
        if (*rc != GB_OK) { gbc_fail(c, *rc, "cannot write spool file %s", fin); last = from - 1; }
    }
    if (*rc == GB_OK && last < to) last = to; /* only unreadable messages were left out */
    free(buf);
    return last;
}

int GB_CALL gb_spool_write(gb_client *c, const char *spool_dir)
{
    char *dir, ts[40];
    long long ack, written = 0;
    int rc = GB_OK;
    if (!gbc_valid(c)) return GB_E_ARG;
    if (!(dir = subdir(c, spool_dir, "from_ea"))) return GB_E_IO;
    ack = read_ack(dir);
    if (ack >= 0) gbo_ack(c, ack, 0);
    rc = gbo_sync(c);
    if (rc == GB_OK) {
        remove_files(dir, ".csv", c->acked_seq);
        remove_files(dir, ".tmp", c->next_seq); /* a write interrupted by a crash */
    }
    if (c->spool_written < c->acked_seq) c->spool_written = c->acked_seq;
    while (rc == GB_OK && c->spool_written < c->next_seq - 1) {
        long long from = c->spool_written + 1;
        long long last = write_batch(c, dir, from, c->next_seq - 1, &rc);
        written += last - from + 1;
        c->spool_written = last;
    }
    gbp_timestamp(ts);
    strcat(ts, "\n");
    if (rc == GB_OK && write_small(dir, "heartbeat", ts) != GB_OK) rc = gbc_fail(c, GB_E_IO, "cannot write heartbeat");
    free(dir);
    return rc == GB_OK ? (int)written : rc;
}

/* A line whose CRC holds but whose content is broken still has a trustworthy seq and stream:
 * keep it as a dead letter so the stream goes on. */
static int accept_broken(gb_client *c, const char *line, size_t len, int *delivered)
{
    char stream[GB_NODE_MAX + 1];
    long long seq = 0;
    size_t i = 0, k = 0;
    for (; i < len && i < 15 && line[i] >= '0' && line[i] <= '9'; i++) seq = seq * 10 + (line[i] - '0');
    if (i == 0 || i >= len || line[i] != '\t') return GB_E_BAD_MESSAGE;
    for (i++; i < len && line[i] != '\t' && k < GB_NODE_MAX; i++) stream[k++] = line[i];
    stream[k] = '\0';
    return gbs_accept(c, seq, stream, NULL, line, len, delivered);
}

/* One pass over every to_ea file in name order. *gap is set if a seq arrived early. Bad lines
 * are counted on the first pass only. */
static int read_pass(gb_client *c, const char *dir, char *env, int first, int *delivered, int *gap)
{
    long long *files = NULL;
    size_t n = 0, f;
    int rc = gbp_list_seq(dir, ".csv", &files, &n);
    for (f = 0; f < n && rc == GB_OK; f++) {
        char name[GB_NAME_MAX], *data = NULL, *line, *nl;
        size_t len;
        gbo_seq_name(name, files[f], ".csv");
        if (gbp_read_file(dir, name, &data, &len, SPOOL_FILE_MAX) != GB_OK) continue;
        for (line = data; rc == GB_OK && line < data + len; line = nl + 1) {
            long long seq = 0, before = c->stats[GB_STAT_GAPS];
            int m;
            nl = memchr(line, '\n', (size_t)(data + len - line));
            if (!nl) nl = data + len;
            if (nl == line || (nl == line + 1 && *line == '\r')) continue;
            m = gbe_from_spool_line(line, (size_t)(nl - line), env, GB_MAX_FRAME + 1, &seq);
            if (m == GB_E_BAD_CHECKSUM) { c->stats[GB_STAT_BAD_CHECKSUM] += first; continue; }
            if (m < 0) {
                c->stats[m == GB_E_BAD_JSON ? GB_STAT_BAD_JSON : GB_STAT_BAD_MESSAGE] += first;
                m = accept_broken(c, line, (size_t)(nl - line), delivered);
            } else {
                gb_env e;
                int d = gbe_decode(env, (size_t)m, NULL, 0, &e);
                m = gbs_accept(c, e.seq, e.stream, d == GB_OK ? e.message_type : NULL, env, (size_t)m, delivered);
            }
            if (m == GB_E_IO) rc = m;
            if (c->stats[GB_STAT_GAPS] != before) *gap = 1;
        }
        free(data);
    }
    free(files);
    return rc;
}

int GB_CALL gb_spool_read(gb_client *c, const char *spool_dir)
{
    char *dir, *env, ack[32];
    int delivered = 0, rc, pass, gap = 1;
    if (!gbc_valid(c)) return GB_E_ARG;
    if (!(dir = subdir(c, spool_dir, "to_ea"))) return GB_E_IO;
    env = (char *)malloc(GB_MAX_FRAME + 1);
    if (!env) { free(dir); return GB_E_NOMEM; }
    /* Files may overlap or come out of order (a resend after a restart): another pass picks up
     * what a gap made us drop, as long as the previous pass made progress. */
    rc = GB_OK;
    for (pass = 0; pass < 8 && gap && rc == GB_OK; pass++) {
        long long before = c->last_seq_received;
        gap = 0;
        rc = read_pass(c, dir, env, pass == 0, &delivered, &gap);
        if (c->last_seq_received == before) break;
    }
    free(env);
    if (rc == GB_OK) rc = gbo_sync(c);
    if (rc == GB_OK) {
        /* Rewritten on every call: its modification time is our heartbeat on this path. */
        snprintf(ack, sizeof ack, "%lld\n", c->last_seq_received);
        if (write_small(dir, "ack", ack) != GB_OK) rc = gbc_fail(c, GB_E_IO, "cannot write %s/ack", dir);
    }
    free(dir);
    return rc == GB_OK ? delivered : rc;
}
