/* A small JSON reader, just enough for the envelope: a strict validator (RFC 8259 grammar, UTF-8
 * checked, nesting bounded so hostile input cannot exhaust the stack), member lookup over
 * validated text, and values read as JSON.parse reads them. No allocation, no dependency.
 * The writing side is json_write.c. */
#include <string.h>
#include "gb_internal.h"

#define MAX_DEPTH 64

typedef struct { const unsigned char *p, *end; } cur;

static void ws(cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

/* One UTF-8 sequence starting at c->p (first byte >= 0x80); rejects overlongs, surrogates and
 * code points past U+10FFFF, as the WHATWG decoder Node uses would turn them into U+FFFD. */
static int utf8_seq(cur *c)
{
    const unsigned char *p = c->p;
    size_t left = (size_t)(c->end - p);
    unsigned char b = p[0];
    int n, i;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) n = 2;
    else if (b >= 0xE0 && b <= 0xEF) { n = 3; if (b == 0xE0) lo = 0xA0; if (b == 0xED) hi = 0x9F; }
    else if (b >= 0xF0 && b <= 0xF4) { n = 4; if (b == 0xF0) lo = 0x90; if (b == 0xF4) hi = 0x8F; }
    else return -1;
    if (left < (size_t)n) return -1;
    if (p[1] < lo || p[1] > hi) return -1;
    for (i = 2; i < n; i++) if (p[i] < 0x80 || p[i] > 0xBF) return -1;
    c->p += n;
    return 0;
}

static int is_hex(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static int v_string(cur *c)
{
    c->p++; /* opening quote */
    while (c->p < c->end) {
        unsigned char ch = *c->p;
        if (ch == '"') { c->p++; return 0; }
        if (ch < 0x20) return -1;
        if (ch == '\\') {
            if (c->end - c->p < 2) return -1;
            ch = c->p[1];
            if (ch == 'u') {
                int i;
                if (c->end - c->p < 6) return -1;
                for (i = 2; i < 6; i++) if (!is_hex(c->p[i])) return -1;
                c->p += 6;
            } else if (strchr("\"\\/bfnrt", ch) && ch) {
                c->p += 2;
            } else return -1;
        } else if (ch >= 0x80) {
            if (utf8_seq(c) != 0) return -1;
        } else c->p++;
    }
    return -1;
}

static int digits(cur *c)
{
    const unsigned char *s = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') c->p++;
    return c->p > s ? 0 : -1;
}

static int v_number(cur *c)
{
    if (*c->p == '-') c->p++;
    if (c->p >= c->end) return -1;
    if (*c->p == '0') c->p++;
    else if (digits(c) != 0) return -1;
    if (c->p < c->end && *c->p == '.') { c->p++; if (digits(c) != 0) return -1; }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-')) c->p++;
        if (digits(c) != 0) return -1;
    }
    return 0;
}

static int v_lit(cur *c, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0) return -1;
    c->p += n;
    return 0;
}

static int v_value(cur *c, int depth)
{
    ws(c);
    if (c->p >= c->end) return -1;
    switch (*c->p) {
    case '"': return v_string(c);
    case 't': return v_lit(c, "true");
    case 'f': return v_lit(c, "false");
    case 'n': return v_lit(c, "null");
    case '{': case '[': {
        unsigned char close = *c->p == '{' ? '}' : ']';
        int obj = close == '}';
        if (depth >= MAX_DEPTH) return -1;
        c->p++;
        ws(c);
        if (c->p < c->end && *c->p == close) { c->p++; return 0; }
        for (;;) {
            if (obj) {
                ws(c);
                if (c->p >= c->end || *c->p != '"' || v_string(c) != 0) return -1;
                ws(c);
                if (c->p >= c->end || *c->p != ':') return -1;
                c->p++;
            }
            if (v_value(c, depth + 1) != 0) return -1;
            ws(c);
            if (c->p >= c->end) return -1;
            if (*c->p == ',') { c->p++; continue; }
            if (*c->p == close) { c->p++; return 0; }
            return -1;
        }
    }
    default:
        if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')) return v_number(c);
        return -1;
    }
}

int gbj_validate(const char *s, size_t n)
{
    cur c;
    if (!s) return GB_E_BAD_JSON;
    c.p = (const unsigned char *)s;
    c.end = c.p + n;
    if (v_value(&c, 0) != 0) return GB_E_BAD_JSON;
    ws(&c);
    return c.p == c.end ? GB_OK : GB_E_BAD_JSON;
}

/* Span of the value at p in already-validated text. */
static const char *skip_value(const char *p, const char *end)
{
    cur c;
    c.p = (const unsigned char *)p;
    c.end = (const unsigned char *)end;
    if (v_value(&c, 0) != 0) return NULL;
    return (const char *)c.p;
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

int gbj_get(gbj_span obj, const char *key, gbj_span *out)
{
    const char *p, *end;
    int found = 0;
    char name[64];
    if (!obj.p || obj.n < 2 || obj.p[0] != '{') return 0;
    p = obj.p + 1;
    end = obj.p + obj.n;
    for (;;) {
        const char *k, *v, *ve;
        gbj_span ks;
        p = skip_ws(p, end);
        if (p >= end || *p != '"') return found;
        k = p;
        p = skip_value(p, end);
        if (!p) return found;
        ks.p = k; ks.n = (size_t)(p - k);
        p = skip_ws(p, end);
        if (p >= end || *p != ':') return found;
        v = skip_ws(p + 1, end);
        ve = skip_value(v, end);
        if (!ve) return found;
        /* JSON.parse keeps the last duplicate; so do we, so both codecs read the same message. */
        if (gbj_string(ks, name, sizeof name) >= 0 && strcmp(name, key) == 0) {
            out->p = v; out->n = (size_t)(ve - v); found = 1;
        }
        p = skip_ws(ve, end);
        if (p >= end || *p != ',') return found;
        p++;
    }
}

char gbj_kind(gbj_span v)
{
    if (!v.p || v.n == 0) return 0;
    switch (v.p[0]) {
    case '"': return 's';
    case '{': return 'o';
    case '[': return 'a';
    case 't': return 't';
    case 'f': return 'f';
    case 'n': return 'z';
    default: return 'n';
    }
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    return ch - 'A' + 10;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

int gbj_string(gbj_span v, char *out, size_t cap)
{
    const char *p, *end;
    size_t n = 0;
    if (gbj_kind(v) != 's' || v.n < 2 || !out || cap == 0) return -1;
    p = v.p + 1;
    end = v.p + v.n - 1;
    while (p < end) {
        char tmp[4];
        size_t k = 1;
        if (*p != '\\') { tmp[0] = *p++; }
        else {
            char e = p[1];
            p += 2;
            switch (e) {
            case 'b': tmp[0] = '\b'; break;
            case 'f': tmp[0] = '\f'; break;
            case 'n': tmp[0] = '\n'; break;
            case 'r': tmp[0] = '\r'; break;
            case 't': tmp[0] = '\t'; break;
            case 'u': {
                unsigned long cp = (unsigned long)((hexval(p[0]) << 12) | (hexval(p[1]) << 8) |
                                                   (hexval(p[2]) << 4) | hexval(p[3]));
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                    unsigned long lo = (unsigned long)((hexval(p[2]) << 12) | (hexval(p[3]) << 8) |
                                                       (hexval(p[4]) << 4) | hexval(p[5]));
                    if (lo >= 0xDC00 && lo <= 0xDFFF) { cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); p += 6; }
                }
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* lone surrogate */
                if (cp == 0) return -1;                          /* no NUL inside C strings */
                k = put_utf8(tmp, cp);
                break;
            }
            default: tmp[0] = e; break; /* \" \\ \/ */
            }
        }
        if (n + k >= cap) return -1;
        memcpy(out + n, tmp, k);
        n += k;
    }
    out[n] = '\0';
    return (int)n;
}

/* A number token as JSON.parse reads it: finite as a double (1e999 is not), and an integer when
 * its value is whole and within 2^53 - 1 (so 1.0 and 1e3 are integers, as in JavaScript). The
 * token grammar was validated already. Returns 0, or -1 if v is not a finite number. */
int gbj_number(gbj_span v, int *is_int, long long *ival)
{
    const char *p = v.p, *end = v.p + v.n;
    char digits[40];
    int nd = 0, neg = 0, all_zero = 1;
    long long e10 = 0, exp = 0;
    *is_int = 0;
    *ival = 0;
    if (gbj_kind(v) != 'n') return -1;
    if (*p == '-') { neg = 1; p++; }
    /* Significant digits (the first 39 are plenty for the integer and range tests), and the
     * power of ten of the last one kept. */
    for (; p < end && *p >= '0' && *p <= '9'; p++) {
        if (*p != '0') all_zero = 0;
        if (!all_zero) { if (nd < 39) digits[nd++] = *p; else e10++; }
    }
    if (p < end && *p == '.') {
        for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
            if (*p != '0') all_zero = 0;
            if (all_zero) e10--;                            /* 0.00ddd: shifts the exponent */
            else if (nd < 39) { digits[nd++] = *p; e10--; } /* further digits: noise */
        }
    }
    if (all_zero) { *is_int = 1; return 0; }
    if (p < end && (*p == 'e' || *p == 'E')) {
        int eneg = 0;
        p++;
        if (*p == '+' || *p == '-') eneg = *p++ == '-';
        for (; p < end; p++) if (exp < 100000) exp = exp * 10 + (*p - '0');
        e10 += eneg ? -exp : exp;
    }
    while (nd > 1 && digits[nd - 1] == '0') { nd--; e10++; }
    /* value = digits * 10^e10, digits[0] != 0; its decimal magnitude is nd + e10 - 1. */
    if (nd + e10 - 1 > 308) return -1;
    if (nd + e10 - 1 == 308) {
        static const char max[] = "17976931348623157";
        int i, cmp = 0;
        for (i = 0; i < 17 && !cmp; i++) cmp = (i < nd ? digits[i] : '0') - max[i];
        if (cmp > 0) return -1;
    }
    if (e10 >= 0 && nd + e10 <= 16) {
        long long r = 0;
        int i;
        for (i = 0; i < nd; i++) r = r * 10 + (digits[i] - '0');
        for (i = 0; i < e10; i++) r *= 10;
        if (r <= 9007199254740991LL) { *is_int = 1; *ival = neg ? -r : r; }
    }
    return 0;
}

int gbj_int(gbj_span v, long long *out)
{
    int is_int;
    long long x;
    if (gbj_number(v, &is_int, &x) != 0 || !is_int) return -1;
    *out = x;
    return 0;
}

int gbj_token_text(const char *s)
{
    int units = 0;
    if (!s || !*s) return 0;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch <= 0x20 || ch == 0x7f) return 0;
        if ((ch & 0xC0) != 0x80) units += ch >= 0xF0 ? 2 : 1; /* UTF-16 units, as JS counts */
    }
    return units <= 128;
}

int gbj_token(gbj_span v, char *out, size_t cap)
{
    int n = gbj_string(v, out, cap);
    return n > 0 && gbj_token_text(out) ? n : -1;
}

int gbj_plain_id(const char *s, size_t max)
{
    size_t i;
    if (!s || !s[0]) return 0;
    for (i = 0; s[i]; i++) {
        char ch = s[i];
        if (i >= max) return 0;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == ':' || ch == '-')) return 0;
    }
    return 1;
}
