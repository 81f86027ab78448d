/* The 1.2 envelope: building it with its trailers, and checking a received one in the order of
 * PROTOCOL.md section 7 (JSON, checksum, auth, schema). The trailers are positional byte
 * suffixes, so neither side needs canonical JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_internal.h"

#define CK_PREFIX ",\"checksum\":\"CRC32:"
#define CK_LEN 29           /* ,"checksum":"CRC32: (19) + 8 hex + "} */
#define AUTH_PREFIX ",\"auth\":\"HMAC-SHA256:"
#define AUTH_LEN 86         /* ,"auth":"HMAC-SHA256: (21) + 64 hex + " */

/* Required payload fields per type: name:kind, kind s string, i integer, n number, a array,
 * o object, p ping id (string or number), * anything. Enough to refuse what would break the
 * application; the control plane's schemas stay the full reference. */
static const struct { const char *type; int kind; const char *fields; } TYPES[] = {
    { "HELLO", GBE_CONTROL, "role:s node_id:s versions:a last_seq_received:i" },
    { "HELLO_ACK", GBE_CONTROL, "version:s node_id:s last_seq_received:i" },
    { "HEARTBEAT", GBE_CONTROL, "" },
    { "ACK", GBE_CONTROL, "ack_seq:i" },
    { "ERROR", GBE_CONTROL, "reason:s" },
    { "STATUS", GBE_DATA, "ea_state:s" },
    { "STATUS_REQUEST", GBE_DATA, "" },
    { "STATUS_RESPONSE", GBE_DATA, "" },
    { "TRADE", GBE_DATA, "event:s ticket:n symbol:s side:s lots:n" },
    { "SIGNAL", GBE_DATA, "signal_id:s symbol:s action:s" },
    { "COMMAND", GBE_DATA, "command:s" },
    { "PARAM", GBE_DATA, "name:s value:*" },
};
#define NTYPES (sizeof TYPES / sizeof TYPES[0])

int gbe_type_kind(const char *t)
{
    size_t i;
    for (i = 0; t && i < NTYPES; i++) if (strcmp(TYPES[i].type, t) == 0) return TYPES[i].kind;
    return GBE_UNKNOWN;
}

static int one_of(const char *v, const char *const *set)
{
    for (; *set; set++) if (strcmp(v, *set) == 0) return 1;
    return 0;
}

static int check_fields(const char *fields, gbj_span payload)
{
    char name[40];
    const char *f = fields;
    while (*f) {
        const char *colon = strchr(f, ':');
        size_t n = (size_t)(colon - f);
        char want = colon[1], k;
        gbj_span v;
        long long iv;
        memcpy(name, f, n);
        name[n] = '\0';
        if (!gbj_get(payload, name, &v)) return -1;
        k = gbj_kind(v);
        if (want == 's' && k != 's') return -1;
        if ((want == 'n' || want == 'i') && k != 'n') return -1;
        if (want == 'i' && (gbj_int(v, &iv) != 0 || iv < 0)) return -1;
        if (want == 'a' && k != 'a') return -1;
        if (want == 'p' && k != 's' && k != 'n') return -1;
        f = colon + 2;
        while (*f == ' ') f++;
    }
    return 0;
}

static int check_payload(const char *type, gbj_span payload)
{
    static const char *const actions[] = { "BUY", "SELL", "CLOSE", "MODIFY", NULL };
    static const char *const commands[] = { "HOLD_NEW_ENTRIES", "RESUME", "CANCEL_ALL", "FLATTEN", "PING", NULL };
    char v[32];
    gbj_span s;
    size_t i;
    for (i = 0; i < NTYPES; i++)
        if (strcmp(TYPES[i].type, type) == 0 && check_fields(TYPES[i].fields, payload) != 0) return -1;
    if (strcmp(type, "SIGNAL") == 0 && gbj_get(payload, "action", &s) &&
        (gbj_string(s, v, sizeof v) < 0 || !one_of(v, actions))) return -1;
    if (strcmp(type, "COMMAND") == 0 && gbj_get(payload, "command", &s) &&
        (gbj_string(s, v, sizeof v) < 0 || !one_of(v, commands))) return -1;
    if (strcmp(type, "HEARTBEAT") == 0) {
        int ping = gbj_get(payload, "ping_id", &s);
        if (ping && gbj_kind(s) != 's' && gbj_kind(s) != 'n') return -1;
        if (!ping && !gbj_get(payload, "echo", &s)) return -1;
    }
    return 0;
}

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

static int hex_run(const char *p, size_t n, int upper)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char ch = p[i];
        int ok = (ch >= '0' && ch <= '9') || (upper ? (ch >= 'A' && ch <= 'F') : (ch >= 'a' && ch <= 'f'));
        if (!ok) return 0;
    }
    return 1;
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

static int schema(gb_env *e)
{
    static const char *const strs[] = { "timestamp", "message_id", "message_type", "source",
                                        "destination", "stream", NULL };
    const char *const *k;
    gbj_span v;
    if (gbj_kind(e->header) != 'o' || gbj_kind(e->payload) != 'o') return GB_E_BAD_MESSAGE;
    for (k = strs; *k; k++)
        if (!gbj_get(e->header, *k, &v) || gbj_kind(v) != 's') return GB_E_BAD_MESSAGE;
    if (strcmp(e->version, GB_PROTOCOL_VERSION) != 0 || e->seq < 0 || !e->message_id[0] ||
        !e->stream[0] || e->kind == GBE_UNKNOWN) return GB_E_BAD_MESSAGE;
    /* Control messages carry seq 0 and data messages 1, 2, 3 ... (PROTOCOL.md 3). */
    if ((e->kind == GBE_CONTROL) != (e->seq == 0)) return GB_E_BAD_MESSAGE;
    return check_payload(e->message_type, e->payload) == 0 ? GB_OK : GB_E_BAD_MESSAGE;
}

int gbe_decode(const char *body, size_t len, const unsigned char *key, size_t key_len, gb_env *e)
{
    gbj_span root;
    char want[9];
    size_t pre;
    memset(e, 0, sizeof *e);
    e->seq = -1;
    if (!body || len == 0 || gbj_validate(body, len) != GB_OK) return GB_E_BAD_JSON;
    root.p = body;
    root.n = len;
    if (body[0] == '{') {
        header_fields(root, e);
        gbj_get(root, "payload", &e->payload);
    }
    if (len < CK_LEN || memcmp(body + len - CK_LEN, CK_PREFIX, CK_LEN - 10) != 0 ||
        memcmp(body + len - 2, "\"}", 2) != 0 || !hex_run(body + len - 10, 8, 1))
        return GB_E_BAD_CHECKSUM;
    pre = len - CK_LEN;
    snprintf(want, sizeof want, "%08X", (unsigned)gb__crc32(body, pre));
    if (memcmp(want, body + len - 10, 8) != 0) return GB_E_BAD_CHECKSUM;
    if (key && key_len > 0) {
        unsigned char mac[32];
        char hex[65];
        if (pre < AUTH_LEN || memcmp(body + pre - AUTH_LEN, AUTH_PREFIX, 21) != 0 ||
            body[pre - 1] != '"' || !hex_run(body + pre - 65, 64, 0))
            return GB_E_AUTH_FAILED;
        gb__hmac_sha256(key, key_len, body, pre - AUTH_LEN, mac);
        gb__hex(mac, 32, hex, 0);
        if (memcmp(hex, body + pre - 65, 64) != 0) return GB_E_AUTH_FAILED;
    }
    return schema(e);
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
    if (!stream || !stream[0] || strlen(stream) > GB_NODE_MAX || seq < 0 ||
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
