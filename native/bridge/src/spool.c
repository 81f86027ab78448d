/* The spool path (PROTOCOL.md 6), the EA's fallback when neither socket nor pipe answers, laid
 * out as Guardian's SpoolDir (src-main/guardian/paths/spool-dir.ts) expects:
 *   <spool>/from_ea/<first seq>.tmp -> .csv    our unacknowledged messages, one per line
 *   <spool>/from_ea/ack                         Guardian's cumulative ACK of our stream
 *   <spool>/from_ea/heartbeat                   {"node_id","role":"EA","last_seq_received","ts"}
 *   <spool>/to_ea/<first seq>.csv               Guardian's messages to us
 *   <spool>/to_ea/ack                           our cumulative ACK
 * The heartbeat is our greeting on this path: Guardian resends after its last_seq_received and
 * takes it as an ACK, and its modification time says we are alive; both calls rewrite it. The
 * outbox stays the source of truth: the spool only carries copies, and the same in-order rules
 * as the socket decide what is delivered. */
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

/* The seq of the last line of dir/<first>.csv, or -1. */
static long long last_seq_in(const char *dir, long long first)
{
    char name[GB_NAME_MAX], *data = NULL, *line;
    size_t len;
    long long v = -1;
    gbo_seq_name(name, first, ".csv");
    if (gbp_read_file(dir, name, &data, &len, SPOOL_FILE_MAX) != GB_OK) return -1;
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r')) data[--len] = '\0';
    line = strrchr(data, '\n');
    line = line ? line + 1 : data;
    if (*line >= '0' && *line <= '9') v = strtoll(line, NULL, 10);
    free(data);
    return v;
}

/* Deletes our files wholly at or below ack (a file ends just below the next one's first seq, the
 * newest is read to know: Guardian's rule), and stale .tmp files. Returns the last seq still in
 * the spool, or 0. */
static long long prune(const char *dir, long long ack)
{
    long long *seqs = NULL, newest = 0;
    size_t n = 0, i;
    if (gbp_list_seq(dir, ".tmp", &seqs, &n) == GB_OK)
        for (i = 0; i < n; i++) { /* a write cut short by a crash: never committed */
            char name[GB_NAME_MAX];
            gbo_seq_name(name, seqs[i], ".tmp");
            gbp_remove(dir, name);
        }
    free(seqs);
    if (gbp_list_seq(dir, ".csv", &seqs, &n) != GB_OK || n == 0) { free(seqs); return 0; }
    newest = last_seq_in(dir, seqs[n - 1]);
    for (i = 0; i < n; i++) {
        long long last = i + 1 < n ? seqs[i + 1] - 1 : newest;
        char name[GB_NAME_MAX];
        if (last < 0 || last > ack) break;
        gbo_seq_name(name, seqs[i], ".csv");
        gbp_remove(dir, name);
    }
    free(seqs);
    return newest < 0 ? 0 : newest;
}

static int write_heartbeat(gb_client *c, const char *spool_dir)
{
    char *dir = gbp_join(spool_dir, "from_ea"), text[GB_NODE_MAX + 160], ts[32];
    int rc;
    if (!dir) return GB_E_NOMEM;
    gbp_timestamp(ts);
    snprintf(text, sizeof text, "{\"node_id\":\"%s\",\"role\":\"EA\",\"last_seq_received\":%lld,\"ts\":\"%s\"}",
             c->node_id, c->last_seq_received, ts);
    rc = write_small(dir, "heartbeat", text);
    free(dir);
    return rc == GB_OK ? GB_OK : gbc_fail(c, GB_E_IO, "cannot write the spool heartbeat");
}

/* Writes seqs from..to (at most LINES_PER_FILE of them) as one <from>.csv. Returns the last seq
 * handled (from - 1 if nothing was committed); *lines gets the number of lines written. */
static long long write_batch(gb_client *c, const char *dir, long long from, long long to,
                             int *rc, int *lines)
{
    size_t cap = 64 * 1024, len = 0;
    char *buf = (char *)malloc(cap), tmp[GB_NAME_MAX], fin[GB_NAME_MAX];
    long long s;
    *lines = 0;
    if (!buf) { *rc = GB_E_NOMEM; return from - 1; }
    if (to - from >= LINES_PER_FILE) to = from + LINES_PER_FILE - 1;
    for (s = from; s <= to && *rc == GB_OK; s++) {
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
        (*lines)++;
    }
    if (*rc == GB_OK && len > 0) {
        gbo_seq_name(tmp, from, ".tmp");
        gbo_seq_name(fin, from, ".csv");
        *rc = gbp_write_atomic(dir, tmp, fin, buf, len); /* the rename is the commit */
        if (*rc != GB_OK) gbc_fail(c, *rc, "cannot write spool file %s", fin);
    }
    free(buf);
    if (*rc != GB_OK) { *lines = 0; return from - 1; }
    return to; /* what was left out could not be read or encoded: retrying would not help */
}

int GB_CALL gb_spool_write(gb_client *c, const char *spool_dir)
{
    char *dir;
    long long ack, newest;
    int rc, written = 0;
    if (!gbc_valid(c)) return GB_E_ARG;
    if (!(dir = subdir(c, spool_dir, "from_ea"))) return GB_E_IO;
    ack = read_ack(dir);
    if (ack >= 0) gbo_ack(c, ack, 0);
    rc = gbo_sync(c);
    newest = prune(dir, c->acked_seq);
    /* Files left by an earlier run are still there for Guardian: continue after them, so no
     * file name is ever written twice (Guardian reads each name once). */
    if (!c->spool_scanned) {
        c->spool_scanned = 1;
        if (newest > c->spool_written) c->spool_written = newest < c->next_seq - 1 ? newest : c->next_seq - 1;
    }
    if (c->spool_written < c->acked_seq) c->spool_written = c->acked_seq;
    while (rc == GB_OK && c->spool_written < c->next_seq - 1) {
        int lines = 0;
        c->spool_written = write_batch(c, dir, c->spool_written + 1, c->next_seq - 1, &rc, &lines);
        written += lines;
    }
    if (rc == GB_OK) rc = write_heartbeat(c, spool_dir);
    free(dir);
    return rc == GB_OK ? written : rc;
}

/* A line whose CRC holds but whose content is broken still has a trustworthy seq and stream:
 * keep it as a dead letter so the stream goes on. */
static int accept_broken(gb_client *c, const char *line, size_t len, int *delivered)
{
    char stream[GB_ID_MAX];
    long long seq = 0;
    size_t i = 0, k = 0;
    for (; i < len && i < 15 && line[i] >= '0' && line[i] <= '9'; i++) seq = seq * 10 + (line[i] - '0');
    if (i == 0 || i >= len || line[i] != '\t') return GB_E_BAD_MESSAGE;
    for (i++; i < len && line[i] != '\t' && k < sizeof stream - 1; i++) stream[k++] = line[i];
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
    if (rc == GB_OK && c->spool_ack != c->last_seq_received) {
        snprintf(ack, sizeof ack, "%lld", c->last_seq_received);
        if (write_small(dir, "ack", ack) != GB_OK) rc = gbc_fail(c, GB_E_IO, "cannot write %s/ack", dir);
        else c->spool_ack = c->last_seq_received;
    }
    if (rc == GB_OK) rc = write_heartbeat(c, spool_dir);
    free(dir);
    return rc == GB_OK ? delivered : rc;
}
