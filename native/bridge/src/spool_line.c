/* One spool line (PROTOCOL.md 6, amended: the sender's stream is the 2nd column):
 *   seq \t stream \t message_id \t timestamp \t message_type \t source \t destination \t
 *   payload_json \t CRC32:HHHHHHHH
 * with the CRC over the line's UTF-8 bytes before its last tab. Tabs cannot appear in compact
 * JSON, so splitting on tabs is unambiguous; text columns that would hold a tab are refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_internal.h"

#define COLS 9

static int plain_text(const char *s)
{
    for (; *s; s++) if (*s == '\t' || *s == '\n' || *s == '\r') return 0;
    return 1;
}

int gbe_spool_line(const char *body, size_t len, char *out, size_t cap)
{
    gb_env e;
    gbb b;
    char crc[16];
    int rc = gbe_decode(body, len, NULL, 0, &e);
    /* A message that breaks the schema still travels (the receiver dead-letters and ACKs it,
     * as on the socket); only the columns themselves must exist. */
    if (rc != GB_OK && rc != GB_E_BAD_MESSAGE) return rc;
    if (e.seq < 0 || !e.stream[0] || !e.message_id[0] || !e.message_type[0] || !e.timestamp[0] ||
        !e.source[0] || !e.destination[0] || gbj_kind(e.payload) != 'o') return GB_E_BAD_MESSAGE;
    if (!plain_text(e.stream) || !plain_text(e.message_id) || !plain_text(e.timestamp) ||
        !plain_text(e.source) || !plain_text(e.destination)) return GB_E_BAD_MESSAGE;
    gbb_init(&b, out, cap);
    gbb_int(&b, e.seq);
    gbb_raw(&b, "\t", 1); gbb_str(&b, e.stream);
    gbb_raw(&b, "\t", 1); gbb_str(&b, e.message_id);
    gbb_raw(&b, "\t", 1); gbb_str(&b, e.timestamp);
    gbb_raw(&b, "\t", 1); gbb_str(&b, e.message_type);
    gbb_raw(&b, "\t", 1); gbb_str(&b, e.source);
    gbb_raw(&b, "\t", 1); gbb_str(&b, e.destination);
    gbb_raw(&b, "\t", 1);
    /* Compact in place: the payload may carry whitespace (even tabs) between tokens. */
    if (!b.overflow && b.len + e.payload.n + 1 <= b.cap) {
        b.len += gbj_compact(e.payload.p, e.payload.n, b.p + b.len);
        b.p[b.len] = '\0';
    } else b.overflow = 1;
    if (!b.overflow) {
        snprintf(crc, sizeof crc, "%08X", (unsigned)gb__crc32(b.p, b.len));
        gbb_str(&b, "\tCRC32:");
        gbb_str(&b, crc);
    }
    return b.overflow ? GB_E_BUFFER : (int)b.len;
}

/* The last column is CRC32:HHHHHHHH (hex of either case, as the TypeScript codec reads it) over
 * every byte before the last tab. A line without any tab is not a spool line at all. */
static int check_crc(const char *line)
{
    const char *last = strrchr(line, '\t');
    unsigned long declared = 0;
    int i;
    if (!last) return GB_E_BAD_JSON;
    if (strlen(last + 1) != 14 || memcmp(last + 1, "CRC32:", 6) != 0) return GB_E_BAD_CHECKSUM;
    for (i = 7; i < 15; i++) {
        char ch = last[i];
        int d = (ch >= '0' && ch <= '9') ? ch - '0' : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
              : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
        if (d < 0) return GB_E_BAD_CHECKSUM;
        declared = declared * 16 + (unsigned long)d;
    }
    return declared == gb__crc32(line, (size_t)(last - line)) ? GB_OK : GB_E_BAD_CHECKSUM;
}

/* Cuts a NUL-terminated copy of a line into its columns, in place. */
static int split(char *p, char *col[COLS])
{
    int i;
    for (i = 0; i < COLS; i++) {
        char *tab = strchr(p, '\t');
        col[i] = p;
        if (i == COLS - 1) return tab ? GB_E_BAD_JSON : GB_OK; /* the column count: as the TS codec */
        if (!tab) return GB_E_BAD_JSON;
        *tab = '\0';
        p = tab + 1;
    }
    return GB_OK;
}

int gbe_from_spool_line(const char *line, size_t len, char *out, size_t cap, long long *seq)
{
    char *copy, *col[COLS];
    int rc, i;
    long long s = 0;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    if (len == 0 || len > 2 * GB_MAX_FRAME || memchr(line, '\0', len)) return GB_E_BAD_MESSAGE;
    copy = (char *)malloc(len + 1);
    if (!copy) return GB_E_NOMEM;
    memcpy(copy, line, len);
    copy[len] = '\0';
    /* The TypeScript codec's order: CRC, column count, payload JSON, then the schema (which the
     * caller applies to the envelope built here; a seq that is not digits fails it). */
    rc = check_crc(copy);
    if (rc == GB_OK) rc = split(copy, col);
    if (rc == GB_OK) rc = gbj_validate(col[7], strlen(col[7]));
    for (i = 0; rc == GB_OK && (col[0][i] || i == 0); i++) {
        if (col[0][i] < '0' || col[0][i] > '9' || i >= 15) { rc = GB_E_BAD_MESSAGE; break; }
        s = s * 10 + (col[0][i] - '0');
    }
    if (rc == GB_OK)
        rc = gbe_encode(out, cap, col[1], s, col[4], col[5], col[6], col[2], col[3], col[7],
                        strlen(col[7]), NULL, 0);
    if (rc >= 0 && seq) *seq = s;
    free(copy);
    return rc;
}

int GB_CALL gb_spool_line_encode(const char *envelope, int len, char *out, int out_cap)
{
    if (!envelope || len <= 0 || !out || out_cap <= 0) return GB_E_ARG;
    return gbe_spool_line(envelope, (size_t)len, out, (size_t)out_cap);
}

int GB_CALL gb_spool_line_check(const char *line, int len)
{
    char *buf;
    int rc;
    if (!line || len <= 0) return GB_E_ARG;
    buf = (char *)malloc(GB_MAX_FRAME + 1);
    if (!buf) return GB_E_NOMEM;
    rc = gbe_from_spool_line(line, (size_t)len, buf, GB_MAX_FRAME + 1, NULL);
    if (rc > 0) {
        gb_env e;
        rc = gbe_decode(buf, (size_t)rc, NULL, 0, &e);
    }
    free(buf);
    return rc < 0 ? rc : GB_OK;
}
