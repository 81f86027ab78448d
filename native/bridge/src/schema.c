/* The schema of every message (PROTOCOL.md 4), as field tables mirroring the TypeScript codec's
 * (src-shared/protocol/schemas.ts), so both halves dead-letter the same messages. Unknown fields
 * are allowed (a newer peer may add some); an unknown message_type is not. */
#include <string.h>
#include "gb_internal.h"

/* A field is "<!|?>name:kind[:a|b|c]"; ! required, ? optional. Kinds (JSON.parse semantics):
 *   s string   S non-empty string   k token   T ISO timestamp   n finite number   i safe integer
 *   u integer >= 0   p integer >= 1   x number or string   * anything
 *   a array of non-empty strings, at least one   A array of strings   e one of the listed strings */
#define STATUS_REQ "!ea_state:e:IDLE|ARMED|ORDERS_PLACED|TRADE_TRIGGERED|MANAGING|PAUSED|HALT !balance:n " \
    "!equity:n !margin_level:n !spread_pips:n !open_positions:u !server_time:s"
#define STATUS_OPT "?ea_state:e:IDLE|ARMED|ORDERS_PLACED|TRADE_TRIGGERED|MANAGING|PAUSED|HALT ?balance:n " \
    "?equity:n ?margin_level:n ?spread_pips:n ?open_positions:u ?server_time:s"

static const struct { const char *type; int kind; const char *fields; } TYPES[] = {
    { "HELLO", GBE_CONTROL, "!role:e:EA|SIGNAL !node_id:k !versions:a !last_seq_received:u "
                            "?tier:e:primary|cached|heuristic ?account:s ?symbols:A" },
    { "HELLO_ACK", GBE_CONTROL, "!version:e:1.2|1.0 !node_id:k !last_seq_received:u !heartbeat_ms:p" },
    { "HEARTBEAT", GBE_CONTROL, "?ping_id:s ?t0:n ?echo:s" },
    { "ACK", GBE_CONTROL, "!ack_seq:u" },
    { "ERROR", GBE_CONTROL, "!reason:S ?ref_message_id:s ?detail:s" },
    { "STATUS", GBE_DATA, STATUS_REQ },
    { "STATUS_REQUEST", GBE_DATA, STATUS_OPT },
    { "STATUS_RESPONSE", GBE_DATA, STATUS_REQ },
    { "TRADE", GBE_DATA, "!event:e:OPENED|MODIFIED|CLOSED|REJECTED !ticket:i !symbol:S !side:e:BUY|SELL "
                         "!lots:n ?requested_price:n ?price:n ?slippage_pips:n ?sl:n ?tp:n ?pnl:n ?reject_code:x" },
    { "SIGNAL", GBE_DATA, "!signal_id:S !symbol:S !action:e:BUY|SELL|CLOSE|MODIFY ?lots:n ?order_type:s "
                          "?price:n ?sl:n ?tp:n ?tier:e:primary|cached|heuristic" },
    { "COMMAND", GBE_DATA, "!command:e:HOLD_NEW_ENTRIES|RESUME|CANCEL_ALL|FLATTEN|PING ?reason:s ?incident_id:s" },
    { "PARAM", GBE_DATA, "!name:S !value:*" },
};
#define NTYPES (sizeof TYPES / sizeof TYPES[0])

int gbe_type_kind(const char *t)
{
    size_t i;
    for (i = 0; t && i < NTYPES; i++) if (strcmp(TYPES[i].type, t) == 0) return TYPES[i].kind;
    return GBE_UNKNOWN;
}

/* "2026-11-21T10:30:00.000Z": \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}) */
static int iso_timestamp(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    int i, f = 0;
    for (i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) return 0;
    s += i;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++) f++;
        if (f < 1 || f > 9) return 0;
    }
    if (s[0] == 'Z') return s[1] == '\0';
    if (s[0] != '+' && s[0] != '-') return 0;
    for (i = 1; i < 6; i++)
        if (i == 3 ? s[i] != ':' : (s[i] < '0' || s[i] > '9')) return 0;
    return s[6] == '\0';
}

/* Is `v` one of the '|'-separated words in [list, list_end)? */
static int one_of(gbj_span v, const char *list, const char *list_end)
{
    char w[64];
    size_t n;
    if (gbj_kind(v) != 's' || gbj_string(v, w, sizeof w) < 0) return 0;
    n = strlen(w);
    while (list < list_end) {
        const char *bar = memchr(list, '|', (size_t)(list_end - list));
        const char *e = bar ? bar : list_end;
        if ((size_t)(e - list) == n && memcmp(list, w, n) == 0) return 1;
        list = e + 1;
    }
    return 0;
}

static int array_of_strings(gbj_span v, int nonempty)
{
    const char *p, *end;
    int count = 0;
    if (gbj_kind(v) != 'a') return 0;
    p = v.p + 1;
    end = v.p + v.n - 1;
    /* Validated text: items are separated by commas outside strings and nesting. */
    while (p < end) {
        gbj_span item;
        int depth = 0, in_str = 0;
        const char *s;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
        if (p >= end) break;
        for (s = p; p < end; p++) {
            if (in_str) { if (*p == '\\') p++; else if (*p == '"') in_str = 0; continue; }
            if (*p == '"') in_str = 1;
            else if (*p == '[' || *p == '{') depth++;
            else if (*p == ']' || *p == '}') depth--;
            else if (*p == ',' && depth == 0) break;
        }
        item.p = s;
        item.n = (size_t)(p - s);
        while (item.n > 0 && (s[item.n - 1] == ' ' || s[item.n - 1] == '\t' || s[item.n - 1] == '\n' || s[item.n - 1] == '\r')) item.n--;
        if (gbj_kind(item) != 's' || (nonempty && item.n <= 2)) return 0;
        count++;
        p++;
    }
    return !nonempty || count > 0;
}

static int check_value(gbj_span v, char kind, const char *list, const char *list_end)
{
    char buf[GB_ID_MAX];
    int is_int;
    long long x;
    char k = gbj_kind(v);
    switch (kind) {
    case 's': return k == 's';
    case 'S': return k == 's' && v.n > 2;
    case 'k': return k == 's' && gbj_token(v, buf, sizeof buf) > 0;
    case 'T': return k == 's' && gbj_string(v, buf, sizeof buf) > 0 && iso_timestamp(buf);
    case 'n': return gbj_number(v, &is_int, &x) == 0;
    case 'i': return gbj_number(v, &is_int, &x) == 0 && is_int;
    case 'u': return gbj_number(v, &is_int, &x) == 0 && is_int && x >= 0;
    case 'p': return gbj_number(v, &is_int, &x) == 0 && is_int && x >= 1;
    case 'x': return k == 's' || gbj_number(v, &is_int, &x) == 0;
    case 'a': return array_of_strings(v, 1);
    case 'A': return array_of_strings(v, 0);
    case 'e': return one_of(v, list, list_end);
    default: return 1; /* '*' */
    }
}

/* Checks obj against a field list; 0 when it conforms. */
static int check_fields(gbj_span obj, const char *f)
{
    while (*f) {
        char name[32];
        const char *colon = strchr(f, ':'), *end = strchr(f, ' ');
        size_t n = (size_t)(colon - f - 1);
        gbj_span v;
        if (!end) end = f + strlen(f);
        memcpy(name, f + 1, n);
        name[n] = '\0';
        if (!gbj_get(obj, name, &v)) { if (f[0] == '!') return -1; }
        else if (!check_value(v, colon[1], colon[2] == ':' ? colon + 3 : end, end)) return -1;
        f = *end ? end + 1 : end;
    }
    return 0;
}

int gbe_schema(gb_env *e)
{
    gbj_span v;
    size_t i;
    if (gbj_kind(e->header) != 'o') return GB_E_BAD_MESSAGE;
    for (i = 0; i < NTYPES && strcmp(TYPES[i].type, e->message_type) != 0; i++) {}
    if (i == NTYPES || !gbj_get(e->header, "message_type", &v)) return GB_E_BAD_MESSAGE;
    if (check_fields(e->header, "!version:e:" GB_PROTOCOL_VERSION " !timestamp:T !message_id:k "
                                "!source:e:GUARDIAN|EA|SIGNAL !destination:e:GUARDIAN|EA|SIGNAL !stream:k") != 0)
        return GB_E_BAD_MESSAGE;
    /* Control messages carry seq 0, data messages 1, 2, 3 ... (PROTOCOL.md 3). */
    if (!gbj_get(e->header, "seq", &v) || !check_value(v, TYPES[i].kind == GBE_CONTROL ? 'u' : 'p', NULL, NULL) ||
        (TYPES[i].kind == GBE_CONTROL) != (e->seq == 0))
        return GB_E_BAD_MESSAGE;
    if (gbj_kind(e->payload) != 'o' || check_fields(e->payload, TYPES[i].fields) != 0) return GB_E_BAD_MESSAGE;
    return GB_OK;
}
