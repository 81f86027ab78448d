/* The 1.2 envelope: building it with its trailers, and checking a received one (checksum, JSON,
 * auth, schema: see gbe_decode). The trailers are positional byte suffixes, so neither side
 * needs canonical JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_internal.h"

#define CK_PREFIX ",\"checksum\":\"CRC32:"
#define CK_LEN 29           /* ,"checksum":"CRC32: (19) + 8 hex + "} */
#define AUTH_PREFIX ",\"auth\":\"HMAC-SHA256:"
#define AUTH_LEN 86         /* ,"auth":"HMAC-SHA256: (21) + 64 hex + " */

int gbe_encode(char *out, size_t cap, const char *stream, long long seq, const char *type,
               const char *source, const char *destination, const char *message_id,
               const char *timestamp, const char *payload, size_t payload_len,
               const unsigned char *key, size_t key_len)
{
    gbb b;
    char hex[65];
    unsigned char mac[32];
    gbb_init(&b, out, cap);
    gbb_str(&b, "{\"header\":{\"version\":\"" GB_PROTOCOL_VERSION "\",\"timestamp\":");
    gbb_jstr(&b, timestamp);
    gbb_str(&b, ",\"message_id\":");
    gbb_jstr(&b, message_id);
    gbb_str(&b, ",\"message_type\":");
    gbb_jstr(&b, type);
    gbb_str(&b, ",\"source\":");
    gbb_jstr(&b, source);
    gbb_str(&b, ",\"destination\":");
    gbb_jstr(&b, destination);
    gbb_str(&b, ",\"stream\":");
    gbb_jstr(&b, stream);
    gbb_str(&b, ",\"seq\":");
    gbb_int(&b, seq);
    gbb_str(&b, "},\"payload\":");
    gbb_raw(&b, payload, payload_len);
    if (key && key_len > 0 && !b.overflow) {
        gb__hmac_sha256(key, key_len, b.p, b.len, mac);
        gb__hex(mac, 32, hex, 0);
        gbb_str(&b, AUTH_PREFIX);
        gbb_str(&b, hex);
        gbb_str(&b, "\"");
    }
    if (!b.overflow) {
        snprintf(hex, sizeof hex, "%08X", (unsigned)gb__crc32(b.p, b.len));
        gbb_str(&b, CK_PREFIX);
        gbb_str(&b, hex);
        gbb_str(&b, "\"}");
    }
    if (b.overflow) return cap > GB_MAX_FRAME ? GB_E_FRAME_SIZE : GB_E_BUFFER;
    if (b.len > GB_MAX_FRAME) return GB_E_FRAME_SIZE;
    return (int)b.len;
}

/* The value of 8 hex digits of either case (the TypeScript codec reads both), or -1. */
static long long hex8(const char *p)
{
    long long v = 0;
    int i;
    for (i = 0; i < 8; i++) {
        char ch = p[i];
        int d = (ch >= '0' && ch <= '9') ? ch - '0' : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
              : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

static void header_fields(gbj_span root, gb_env *e)
{
    gbj_span v;
    if (!gbj_get(root, "header", &e->header) || gbj_kind(e->header) != 'o') return;
    if (gbj_get(e->header, "version", &v)) gbj_string(v, e->version, sizeof e->version);
    if (gbj_get(e->header, "timestamp", &v)) gbj_string(v, e->timestamp, sizeof e->timestamp);
    if (gbj_get(e->header, "message_id", &v)) gbj_string(v, e->message_id, sizeof e->message_id);
    if (gbj_get(e->header, "message_type", &v)) gbj_string(v, e->message_type, sizeof e->message_type);
    if (gbj_get(e->header, "source", &v)) gbj_string(v, e->source, sizeof e->source);
    if (gbj_get(e->header, "destination", &v)) gbj_string(v, e->destination, sizeof e->destination);
    if (gbj_get(e->header, "stream", &v)) gbj_string(v, e->stream, sizeof e->stream);
    if (gbj_get(e->header, "seq", &v) && (gbj_int(v, &e->seq) != 0 || e->seq < 0)) e->seq = -1;
    e->kind = gbe_type_kind(e->message_type);
}

/* With a key: the auth trailer must be there and match (hex of either case). */
static int auth_ok(const char *body, size_t pre, const unsigned char *key, size_t key_len)
{
    unsigned char mac[32];
    char hex[65];
    int i, diff = 0;
    if (pre < AUTH_LEN + 1 || memcmp(body + pre - AUTH_LEN, AUTH_PREFIX, AUTH_LEN - 65) != 0 ||
        body[pre - 1] != '"') return 0;
    gb__hmac_sha256(key, key_len, body, pre - AUTH_LEN, mac);
    gb__hex(mac, 32, hex, 0);
    for (i = 0; i < 64; i++) diff |= (body[pre - 65 + i] | 0x20) ^ hex[i]; /* A-F folds onto a-f */
    return diff == 0;
}

/* Checks in the TypeScript codec's order (src-shared/protocol/envelope.ts), so both sides give
 * the same reason: a checksum trailer that is there is verified first (a corruption that also
 * broke the JSON is still BAD_CHECKSUM, and the sender resends); then UTF-8 and JSON; a 1.2 body
 * (it has "header") without the trailer is BAD_CHECKSUM; then auth, then the schema. */
int gbe_decode(const char *body, size_t len, const unsigned char *key, size_t key_len, gb_env *e)
{
    gbj_span root, header;
    size_t pre = len >= CK_LEN ? len - CK_LEN : 0;
    int json_ok, has_ck;
    memset(e, 0, sizeof *e);
    e->seq = -1;
    if (!body || len == 0) return GB_E_BAD_JSON;
    json_ok = gbj_validate(body, len) == GB_OK;
    root.p = body;
    root.n = len;
    if (json_ok && body[0] == '{') {  /* best effort, so an ERROR can name the message */
        header_fields(root, e);
        gbj_get(root, "payload", &e->payload);
    }
    has_ck = len >= CK_LEN + 1 && memcmp(body + pre, CK_PREFIX, CK_LEN - 10) == 0 &&
             memcmp(body + len - 2, "\"}", 2) == 0;
    if (has_ck) {
        long long declared = hex8(body + len - 10);
        if (declared < 0 || (uint32_t)declared != gb__crc32(body, pre)) return GB_E_BAD_CHECKSUM;
    }
    if (!json_ok) return GB_E_BAD_JSON;
    if (body[0] != '{') return GB_E_BAD_MESSAGE;        /* JSON, but not an object */
    if (!gbj_get(root, "header", &header)) return GB_E_BAD_MESSAGE; /* not 1.2 (a 1.0 or other) */
    if (!has_ck) return GB_E_BAD_CHECKSUM;
    if (key && key_len > 0 && !auth_ok(body, pre, key, key_len)) return GB_E_AUTH_FAILED;
    return gbe_schema(e);
}

int gbe_prepare_payload(const char *json, char **out, size_t *out_len)
{
    size_t n = json ? strlen(json) : 0;
    if (n == 0) { json = "{}"; n = 2; }
    if (gbj_validate(json, n) != GB_OK) return GB_E_BAD_JSON;
    *out = (char *)malloc(n + 1);
    if (!*out) return GB_E_NOMEM;
    *out_len = gbj_compact(json, n, *out);
    (*out)[*out_len] = '\0';
    if ((*out)[0] != '{') { free(*out); *out = NULL; return GB_E_BAD_MESSAGE; }
    return GB_OK;
}

/* ---- exported pure helpers ------------------------------------------------------------------ */

int GB_CALL gb_encode_message(const char *stream, long long seq, const char *message_type,
                              const char *source, const char *destination,
                              const char *message_id, const char *timestamp,
                              const char *payload_json, const char *hmac_key,
                              char *out, int out_cap)
{
    char id[GB_ID_MAX], ts[32], *payload = NULL;
    size_t plen = 0;
    int rc;
    if (!stream || !stream[0] || strlen(stream) >= GB_ID_MAX || seq < 0 ||
        !gbj_plain_id(message_type, 23) || !source || !destination || !out || out_cap <= 0)
        return GB_E_ARG;
    if (!message_id) {
        snprintf(id, sizeof id, "%s-%012lld", stream, seq);
        message_id = id;
    }
    if (!timestamp) {
        gbp_timestamp(ts);
        timestamp = ts;
    }
    rc = gbe_prepare_payload(payload_json, &payload, &plen);
    if (rc != GB_OK) return rc;
    rc = gbe_encode(out, (size_t)out_cap, stream, seq, message_type, source, destination,
                    message_id, timestamp, payload, plen, (const unsigned char *)hmac_key,
                    hmac_key ? strlen(hmac_key) : 0);
    free(payload);
    return rc;
}

int GB_CALL gb_decode_check(const unsigned char *body, int len, const char *hmac_key)
{
    gb_env e;
    if (!body || len <= 0) return len == 0 ? GB_E_BAD_JSON : GB_E_ARG;
    return gbe_decode((const char *)body, (size_t)len, (const unsigned char *)hmac_key,
                      hmac_key ? strlen(hmac_key) : 0, &e);
}
