/* Framing (PROTOCOL.md 2): 4-byte little-endian length N, then N bytes of UTF-8 JSON, with
 * 1 <= N <= 65536. The framer buffers partial frames across reads in one fixed buffer sized for
 * the largest legal frame, so a hostile length can never make it allocate more. */
#include <stdlib.h>
#include <string.h>
#include "gb_internal.h"

#define FRAMER_CAP (4 + GB_MAX_FRAME)

int gbf_init(gb_framer *f)
{
    f->have = 0;
    f->buf = (unsigned char *)malloc(FRAMER_CAP);
    return f->buf ? GB_OK : GB_E_NOMEM;
}

void gbf_free(gb_framer *f)
{
    free(f->buf);
    f->buf = NULL;
    f->have = 0;
}

void gbf_reset(gb_framer *f) { f->have = 0; }

unsigned char *gbf_space(gb_framer *f, size_t *cap)
{
    *cap = FRAMER_CAP - f->have;
    return f->buf + f->have;
}

void gbf_added(gb_framer *f, size_t n) { f->have += n; }

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

int gbf_next(gb_framer *f, const unsigned char **body, size_t *len)
{
    uint32_t n;
    if (f->have < 4) return 0;
    n = le32(f->buf);
    /* A bad length means we no longer know where frames start: the caller must close. */
    if (n == 0 || n > GB_MAX_FRAME) return GB_E_FRAME_SIZE;
    if (f->have < 4 + (size_t)n) return 0;
    *body = f->buf + 4;
    *len = n;
    return 1;
}

void gbf_consume(gb_framer *f)
{
    size_t used;
    if (f->have < 4) return;
    used = 4 + (size_t)le32(f->buf);
    if (used > f->have) used = f->have;
    memmove(f->buf, f->buf + used, f->have - used);
    f->have -= used;
}

int gbf_write_header(unsigned char out[4], size_t len)
{
    if (len == 0 || len > GB_MAX_FRAME) return GB_E_FRAME_SIZE;
    out[0] = (unsigned char)(len & 0xFF);
    out[1] = (unsigned char)((len >> 8) & 0xFF);
    out[2] = (unsigned char)((len >> 16) & 0xFF);
    out[3] = (unsigned char)((len >> 24) & 0xFF);
    return GB_OK;
}

int GB_CALL gb_frame_length(const unsigned char *buf, int len)
{
    uint32_t n;
    if (!buf || len < 4) return GB_E_ARG;
    n = le32(buf);
    if (n == 0 || n > GB_MAX_FRAME) return GB_E_FRAME_SIZE;
    return (int)n;
}

int GB_CALL gb_frame_encode(const unsigned char *body, int len, unsigned char *out, int out_cap)
{
    if (!body || !out || len < 0 || out_cap < 0) return GB_E_ARG;
    if (len == 0 || len > GB_MAX_FRAME) return GB_E_FRAME_SIZE;
    if (out_cap < 4 + len) return GB_E_BUFFER;
    gbf_write_header(out, (size_t)len);
    memcpy(out + 4, body, (size_t)len);
    return 4 + len;
}
