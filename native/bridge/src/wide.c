/* UTF-16 twins of the string functions, for MQL4 (its `string` is UTF-16 and is passed to a DLL
 * as wchar_t*). Each converts at the edge and calls the UTF-8 function, so there is one
 * implementation of everything. The converters are our own, not Win32's, so they behave (and
 * are tested) the same on every platform. */
#include <stdlib.h>
#include <string.h>
#include "gb_client.h"

#define WIDE_MAX (4 * 1024 * 1024) /* a runaway (unterminated) string stops here */

char *gbu_to_utf8(const gb_char16 *s)
{
    size_t n = 0, i, o = 0;
    char *out;
    if (!s) return NULL;
    while (s[n]) if (++n > WIDE_MAX) return NULL;
    out = (char *)malloc(3 * n + 1);
    if (!out) return NULL;
    for (i = 0; i < n; i++) {
        unsigned long cp = s[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00u);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            free(out); /* a lone surrogate is not text: refuse rather than guess */
            return NULL;
        }
        if (cp < 0x80) out[o++] = (char)cp;
        else if (cp < 0x800) { out[o++] = (char)(0xC0 | (cp >> 6)); out[o++] = (char)(0x80 | (cp & 0x3F)); }
        else if (cp < 0x10000) {
            out[o++] = (char)(0xE0 | (cp >> 12)); out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | (cp >> 18)); out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[o] = '\0';
    return out;
}

/* UTF-8 (already validated, or our own text) to UTF-16; invalid bytes become U+FFFD. */
int gbu_to_utf16(const char *s, size_t n, gb_char16 *out, int cap)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    int o = 0;
    if (!out || cap <= 0) return GB_E_ARG;
    while (p < end) {
        unsigned long cp = 0xFFFD;
        unsigned char b = *p;
        int k = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0, i;
        if (k == 0 || end - p < k) { p++; }
        else {
            cp = k == 1 ? b : (unsigned long)(b & (0xFF >> (k + 1)));
            for (i = 1; i < k && (p[i] & 0xC0) == 0x80; i++) cp = (cp << 6) | (p[i] & 0x3Fu);
            if (i < k) { cp = 0xFFFD; k = 1; }
            p += k;
        }
        if (o + (cp >= 0x10000 ? 2 : 1) >= cap) return GB_E_BUFFER;
        if (cp >= 0x10000) {
            out[o++] = (gb_char16)(0xD800 + ((cp - 0x10000) >> 10));
            out[o++] = (gb_char16)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else out[o++] = (gb_char16)cp;
    }
    out[o] = 0;
    return o;
}

const gb_char16 *GB_CALL gb_version_w(void)
{
    static gb_char16 v[64];
    static volatile int ready;
    if (!ready) {
        gbp_registry_lock();
        if (!ready) {
            const char *s = gb_version();
            gbu_to_utf16(s, strlen(s), v, 64);
            ready = 1;
        }
        gbp_registry_unlock();
    }
    return v;
}

gb_client *GB_CALL gb_open_w(const gb_char16 *node_id, const gb_char16 *state_dir, const gb_char16 *key)
{
    char *n = gbu_to_utf8(node_id), *d = gbu_to_utf8(state_dir), *k = key ? gbu_to_utf8(key) : NULL;
    gb_client *c = (n && d && (!key || k)) ? gb_open(n, d, k) : NULL;
    free(n); free(d); free(k);
    return c;
}

int GB_CALL gb_set_hello_extra_w(gb_client *c, const gb_char16 *json)
{
    char *j = gbu_to_utf8(json);
    int rc = j ? gb_set_hello_extra(c, j) : GB_E_ARG;
    free(j);
    return rc;
}

int GB_CALL gb_connect_socket_w(gb_client *c, const gb_char16 *host, int port, int timeout_ms)
{
    char *h = gbu_to_utf8(host);
    int rc = h ? gb_connect_socket(c, h, port, timeout_ms) : GB_E_ARG;
    free(h);
    return rc;
}

int GB_CALL gb_connect_pipe_w(gb_client *c, const gb_char16 *path, int timeout_ms)
{
    char *p = gbu_to_utf8(path);
    int rc = p ? gb_connect_pipe(c, p, timeout_ms) : GB_E_ARG;
    free(p);
    return rc;
}

long long GB_CALL gb_send_w(gb_client *c, const gb_char16 *type, const gb_char16 *payload)
{
    char *t = gbu_to_utf8(type), *p = payload ? gbu_to_utf8(payload) : NULL;
    long long rc = (t && (!payload || p)) ? gb_send(c, t, p) : GB_E_ARG;
    free(t); free(p);
    return rc;
}

int GB_CALL gb_next_message_w(gb_client *c, gb_char16 *out, int cap)
{
    char *body = NULL;
    size_t len = 0;
    int rc, n;
    if (!gbc_valid(c) || !out || cap <= 0) return GB_E_ARG;
    if ((rc = gbo_sync(c)) != GB_OK) return rc;
    if ((rc = gbi_peek(c, &body, &len)) != 1) return rc;
    n = gbu_to_utf16(body, len, out, cap); /* GB_E_BUFFER leaves the message queued */
    free(body);
    if (n < 0) return n;
    rc = gbi_pop(c);
    return rc == GB_OK ? n : rc;
}

static int text_w(int (GB_CALL *get)(gb_client *, char *, int), gb_client *c, gb_char16 *out, int cap)
{
    char buf[4 * GB_ERR_MAX];
    int n = get(c, buf, (int)sizeof buf);
    if (n == GB_E_BUFFER) { /* a long peer ERROR envelope: hand over what fits */
        char *big = (char *)malloc(GB_MAX_FRAME + 1);
        if (!big) return GB_E_NOMEM;
        n = get(c, big, GB_MAX_FRAME + 1);
        if (n >= 0) n = gbu_to_utf16(big, (size_t)n, out, cap);
        free(big);
        return n;
    }
    return n < 0 ? n : gbu_to_utf16(buf, (size_t)n, out, cap);
}

int GB_CALL gb_last_error_w(gb_client *c, gb_char16 *out, int cap) { return text_w(gb_last_error, c, out, cap); }
int GB_CALL gb_last_peer_error_w(gb_client *c, gb_char16 *out, int cap) { return text_w(gb_last_peer_error, c, out, cap); }

int GB_CALL gb_spool_write_w(gb_client *c, const gb_char16 *dir)
{
    char *d = gbu_to_utf8(dir);
    int rc = d ? gb_spool_write(c, d) : GB_E_ARG;
    free(d);
    return rc;
}

int GB_CALL gb_spool_read_w(gb_client *c, const gb_char16 *dir)
{
    char *d = gbu_to_utf8(dir);
    int rc = d ? gb_spool_read(c, d) : GB_E_ARG;
    free(d);
    return rc;
}
