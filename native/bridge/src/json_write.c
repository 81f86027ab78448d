/* The writing side of the JSON helpers: whitespace compaction (so a payload can go on a spool
 * line, where a tab would split a column) and a bounded string builder that never overruns its
 * buffer and remembers that it overflowed. */
#include <string.h>
#include "gb_internal.h"

size_t gbj_compact(const char *s, size_t n, char *out)
{
    size_t i, o = 0;
    int in_str = 0;
    for (i = 0; i < n; i++) {
        char ch = s[i];
        if (in_str) {
            out[o++] = ch;
            if (ch == '\\' && i + 1 < n) out[o++] = s[++i];
            else if (ch == '"') in_str = 0;
        } else if (ch == '"') { in_str = 1; out[o++] = ch; }
        else if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') out[o++] = ch;
    }
    return o;
}

void gbb_init(gbb *b, char *buf, size_t cap)
{
    b->p = buf; b->len = 0; b->cap = cap; b->overflow = 0;
    if (cap) buf[0] = '\0';
}

void gbb_raw(gbb *b, const char *s, size_t n)
{
    if (b->overflow || b->len + n + 1 > b->cap) { b->overflow = 1; return; }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void gbb_str(gbb *b, const char *s) { gbb_raw(b, s, strlen(s)); }

void gbb_jstr(gbb *b, const char *s)
{
    gbb_raw(b, "\"", 1);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        char esc[8];
        if (ch == '"' || ch == '\\') { esc[0] = '\\'; esc[1] = (char)ch; gbb_raw(b, esc, 2); }
        else if (ch < 0x20) {
            static const char hx[] = "0123456789abcdef";
            memcpy(esc, "\\u00", 4); esc[4] = hx[ch >> 4]; esc[5] = hx[ch & 15];
            gbb_raw(b, esc, 6);
        } else gbb_raw(b, (const char *)&ch, 1);
    }
    gbb_raw(b, "\"", 1);
}

void gbb_int(gbb *b, long long v)
{
    char tmp[24];
    int i = 23, neg = v < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    tmp[i] = '\0';
    do { tmp[--i] = (char)('0' + (int)(u % 10)); u /= 10; } while (u);
    if (neg) tmp[--i] = '-';
    gbb_str(b, tmp + i);
}
