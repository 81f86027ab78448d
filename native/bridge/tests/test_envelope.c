/* Envelope 1.2: golden vectors cross-checked with Python's zlib.crc32 and hmac (the bytes the
 * TypeScript codec must also produce), trailer verification, the check order of PROTOCOL.md 7,
 * schema rules, spool lines, and a mutation fuzz that must never crash. */
#include "test_util.h"

#define TS "2026-11-21T10:30:00.000Z"
#define PAYLOAD "{\"event\":\"OPENED\",\"ticket\":1001,\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"lots\":0.1}"
#define PRE "{\"header\":{\"version\":\"1.2\",\"timestamp\":\"" TS "\",\"message_id\":\"ea-7f3a-000000000042\"," \
    "\"message_type\":\"TRADE\",\"source\":\"EA\",\"destination\":\"GUARDIAN\",\"stream\":\"ea-7f3a\",\"seq\":42}," \
    "\"payload\":" PAYLOAD
static const char *GOLDEN = PRE ",\"checksum\":\"CRC32:464D8A64\"}";
static const char *GOLDEN_AUTH = PRE ",\"auth\":\"HMAC-SHA256:d430c5aaaecc2913793cce14a67e9c5780ee184d7468d202ae14dc149d75da4f\","
                                     "\"checksum\":\"CRC32:95D1A657\"}";
static const char *GOLDEN_LINE = "42\tea-7f3a\tea-7f3a-000000000042\t" TS "\tTRADE\tEA\tGUARDIAN\t" PAYLOAD "\tCRC32:973876D1";

static char buf[70000];

static int check(const char *body, const char *key) { return gb_decode_check((const unsigned char *)body, (int)strlen(body), key); }

/* Appends a correct checksum trailer to a hand-made body prefix. */
static const char *seal(const char *pre)
{
    unsigned int c = gb_crc32((const unsigned char *)pre, (int)strlen(pre));
    snprintf(buf, sizeof buf, "%s,\"checksum\":\"CRC32:%08X\"}", pre, c);
    return buf;
}

static int enc(const char *type, long long seq, const char *payload)
{
    return gb_encode_message("guardian-1", seq, type, "GUARDIAN", "EA", NULL, TS, payload, NULL, buf, (int)sizeof buf);
}

static int check_encoded(const char *type, long long seq, const char *payload)
{
    int n = enc(type, seq, payload);
    return n < 0 ? n : gb_decode_check((const unsigned char *)buf, n, NULL);
}

static void golden(void)
{
    int n = gb_encode_message("ea-7f3a", 42, "TRADE", "EA", "GUARDIAN", NULL, TS,
                              "{ \"event\": \"OPENED\", \"ticket\": 1001,\n \"symbol\": \"EURUSD\", \"side\": \"BUY\", \"lots\": 0.1 }",
                              NULL, buf, (int)sizeof buf);
    CHECK_EQ(n, (int)strlen(GOLDEN));
    CHECK_STR(buf, GOLDEN); /* whitespace in the payload is compacted */
    n = gb_encode_message("ea-7f3a", 42, "TRADE", "EA", "GUARDIAN", NULL, TS, PAYLOAD, "secret", buf, (int)sizeof buf);
    CHECK_STR(buf, GOLDEN_AUTH);
    CHECK_EQ(check(GOLDEN, NULL), GB_OK);
    CHECK_EQ(check(GOLDEN_AUTH, NULL), GB_OK);           /* no key configured: auth not required */
    CHECK_EQ(check(GOLDEN_AUTH, "secret"), GB_OK);
    CHECK_EQ(check(GOLDEN_AUTH, "wrong"), GB_E_AUTH_FAILED);
    CHECK_EQ(check(GOLDEN, "secret"), GB_E_AUTH_FAILED); /* missing when a key is configured */
    /* Too small a buffer is refused, a too large message is a frame-size error. */
    CHECK_EQ(gb_encode_message("ea-7f3a", 42, "TRADE", "EA", "GUARDIAN", NULL, TS, PAYLOAD, NULL, buf, 100), GB_E_BUFFER);
}

static void tampering(void)
{
    char t[1024];
    strcpy(t, GOLDEN);
    *strstr(t, "EURUSD") = 'X';
    CHECK_EQ(check(t, NULL), GB_E_BAD_CHECKSUM);
    strcpy(t, GOLDEN);
    *strstr(t, "464D8A64") = '5';
    CHECK_EQ(check(t, NULL), GB_E_BAD_CHECKSUM);
    strcpy(t, GOLDEN);
    memcpy(strstr(t, "464D8A64"), "464d8a64", 8);      /* sent upper case, read in either */
    CHECK_EQ(check(t, NULL), GB_OK);
    strcpy(t, GOLDEN);
    memcpy(strstr(t, "464D8A64"), "464D8A6G", 8);
    CHECK_EQ(check(t, NULL), GB_E_BAD_CHECKSUM);
    strcpy(t, GOLDEN);
    *strstr(t, "\"seq\":42}") = '!';                  /* breaks the JSON too: the checksum says so first */
    CHECK_EQ(check(t, NULL), GB_E_BAD_CHECKSUM);
    strcpy(t, GOLDEN_AUTH);
    memcpy(strstr(t, "d430c5aa"), "D430C5AA", 8);       /* auth hex of either case, CRC fixed up */
    t[strlen(t) - 29] = '\0';
    CHECK_EQ(check(seal(t), "secret"), GB_OK);
    strcpy(t, GOLDEN_AUTH);
    *strstr(t, "d430c5") = 'e';                         /* the checksum covers the auth trailer */
    CHECK_EQ(check(t, "secret"), GB_E_BAD_CHECKSUM);
    strcpy(t, GOLDEN);
    t[strlen(t) - 1] = '\0';                            /* truncated: not JSON any more */
    CHECK_EQ(check(t, NULL), GB_E_BAD_JSON);
    CHECK_EQ(check(seal(PRE), NULL), GB_OK);
    snprintf(t, sizeof t, "%s,\"checksum\": \"CRC32:464D8A64\"}", PRE); /* whitespace in the trailer */
    CHECK_EQ(check(t, NULL), GB_E_BAD_CHECKSUM);
    CHECK_EQ(check(PRE "}", NULL), GB_E_BAD_CHECKSUM);  /* no trailer at all */
    CHECK_EQ(check("[1,2]", NULL), GB_E_BAD_MESSAGE);            /* JSON, not an envelope */
    CHECK_EQ(check("{\"version\":\"1.0\",\"message_type\":\"STATUS\"}", NULL), GB_E_BAD_MESSAGE); /* legacy: not for the EA */
    CHECK_EQ(check("", NULL), GB_E_BAD_JSON);
    CHECK_EQ(check("{\"a\":1", NULL), GB_E_BAD_JSON);
    CHECK_EQ(check("{\"a\":\"\xff\"}", NULL), GB_E_BAD_JSON);          /* not UTF-8 */
    CHECK_EQ(check("{\"a\":\"\xc0\xaf\"}", NULL), GB_E_BAD_JSON);      /* overlong */
    CHECK_EQ(check("{\"a\":\"\xed\xa0\x80\"}", NULL), GB_E_BAD_JSON);  /* UTF-8 surrogate */
    CHECK_EQ(check("{\"a\":\"\xe2\x82\xac\"}", NULL), GB_E_BAD_MESSAGE);  /* valid UTF-8, no header */
    CHECK_EQ(check("\xef\xbb\xbf{}", NULL), GB_E_BAD_JSON);           /* a BOM is not JSON */
    CHECK_EQ(check("{\"a\":01}", NULL), GB_E_BAD_JSON);
    CHECK_EQ(check("{\"a\":\"tab\there\"}", NULL), GB_E_BAD_JSON);     /* raw control char */
    CHECK_EQ(gb_decode_check(NULL, 5, NULL), GB_E_ARG);
    {   /* deep nesting: refused without exhausting the stack */
        static char deep[200001];
        memset(deep, '[', 200000);
        deep[200000] = '\0';
        CHECK_EQ(check(deep, NULL), GB_E_BAD_JSON);
    }
}

static void schema(void)
{
    CHECK_EQ(check_encoded("SIGNAL", 1, "{\"signal_id\":\"s1\",\"symbol\":\"EURUSD\",\"action\":\"BUY\",\"lots\":0.1}"), GB_OK);
    CHECK_EQ(check_encoded("SIGNAL", 1, "{\"signal_id\":\"s1\",\"action\":\"BUY\"}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("SIGNAL", 1, "{\"signal_id\":\"s1\",\"symbol\":\"EURUSD\",\"action\":\"HOLD\"}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("SIGNAL", 1, "{\"signal_id\":7,\"symbol\":\"EURUSD\",\"action\":\"BUY\"}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("SIGNAL", 0, "{\"signal_id\":\"s1\",\"symbol\":\"EURUSD\",\"action\":\"BUY\"}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("COMMAND", 3, "{\"command\":\"FLATTEN\",\"reason\":\"drill\"}"), GB_OK);
    CHECK_EQ(check_encoded("COMMAND", 3, "{\"command\":\"EXPLODE\"}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("PARAM", 3, "{\"name\":\"max_lots\",\"value\":[1,2]}"), GB_OK);
    CHECK_EQ(check_encoded("PARAM", 3, "{\"name\":\"max_lots\"}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("STATUS_REQUEST", 9, NULL), GB_OK);
    CHECK_EQ(check_encoded("STATUS_REQUEST", 9, "{\"ea_state\":\"BUSY\"}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("STATUS", 9, T_STATUS("MANAGING")), GB_OK);
    CHECK_EQ(check_encoded("STATUS", 9, "{\"ea_state\":\"IDLE\"}"), GB_E_BAD_MESSAGE); /* fields missing */
    CHECK_EQ(check_encoded("TRADE", 9, "{\"event\":\"OPENED\",\"ticket\":1e3,\"symbol\":\"X\",\"side\":\"BUY\",\"lots\":1,\"reject_code\":\"x\"}"), GB_OK);
    CHECK_EQ(check_encoded("TRADE", 9, "{\"event\":\"OPENED\",\"ticket\":1.5,\"symbol\":\"X\",\"side\":\"BUY\",\"lots\":1}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("TRADE", 9, "{\"event\":\"OPENED\",\"ticket\":1,\"symbol\":\"\",\"side\":\"BUY\",\"lots\":1}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("TRADE", 9, "{\"event\":\"OPENED\",\"ticket\":1,\"symbol\":\"X\",\"side\":\"BUY\",\"lots\":1e999}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("ACK", 0, "{\"ack_seq\":12}"), GB_OK);
    CHECK_EQ(check_encoded("ACK", 5, "{\"ack_seq\":12}"), GB_E_BAD_MESSAGE);  /* control with a seq */
    CHECK_EQ(check_encoded("ACK", 0, "{\"ack_seq\":-1}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("ACK", 0, "{\"ack_seq\":1.5}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("ACK", 0, "{\"ack_seq\":12.0}"), GB_OK);              /* an integer to JSON.parse */
    CHECK_EQ(check_encoded("ACK", 0, "{\"ack_seq\":9007199254740992}"), GB_E_BAD_MESSAGE); /* past 2^53 - 1 */
    CHECK_EQ(check_encoded("HEARTBEAT", 0, "{\"ping_id\":\"p1\",\"t0\":5}"), GB_OK);
    CHECK_EQ(check_encoded("HEARTBEAT", 0, "{\"echo\":\"p1\"}"), GB_OK);
    CHECK_EQ(check_encoded("HEARTBEAT", 0, "{}"), GB_OK);                   /* every field optional */
    CHECK_EQ(check_encoded("HEARTBEAT", 0, "{\"ping_id\":7}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("HELLO_ACK", 0, "{\"version\":\"1.2\",\"node_id\":\"g\",\"last_seq_received\":0}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("HELLO", 0, "{\"role\":\"EA\",\"node_id\":\"e\",\"versions\":[\"1.2\"],\"last_seq_received\":3,\"symbols\":[]}"), GB_OK);
    CHECK_EQ(check_encoded("HELLO", 0, "{\"role\":\"EA\",\"node_id\":\"e\",\"versions\":[],\"last_seq_received\":3}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("HELLO", 0, "{\"role\":\"EA\",\"node_id\":\"e f\",\"versions\":[\"1.2\"],\"last_seq_received\":3}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(check_encoded("HELLO_ACK", 0, "{\"version\":\"1.2\",\"node_id\":\"g\",\"last_seq_received\":0,\"heartbeat_ms\":250}"), GB_OK);
    CHECK_EQ(check_encoded("ERROR", 0, "{\"reason\":\"MODE_BLOCK\",\"ref_message_id\":\"x\"}"), GB_OK);
    CHECK_EQ(check_encoded("FOO", 4, "{}"), GB_E_BAD_MESSAGE);              /* unknown type */
    CHECK_EQ(enc("SIGNAL", 1, "[1]"), GB_E_BAD_MESSAGE);                     /* payload not an object */
    CHECK_EQ(enc("SIGNAL", 1, "{bad"), GB_E_BAD_JSON);
    CHECK_EQ(check(seal("{\"header\":{\"version\":\"1.3\",\"timestamp\":\"2026-11-21T10:30:00+01:00\",\"message_id\":\"m\",\"message_type\":\"ACK\","
                        "\"source\":\"GUARDIAN\",\"destination\":\"EA\",\"stream\":\"g\",\"seq\":0},\"payload\":{\"ack_seq\":1}"), NULL),
             GB_E_BAD_MESSAGE);
    CHECK_EQ(check(seal("{\"header\":{\"version\":\"1.2\",\"timestamp\":\"2026-11-21T10:30:00+01:00\",\"message_id\":\"m\",\"message_type\":\"ACK\","
                        "\"source\":\"GUARDIAN\",\"destination\":\"EA\",\"stream\":\"g\",\"seq\":0},\"payload\":{\"ack_seq\":1}"), NULL),
             GB_OK);
    /* Duplicate keys: the last one wins, as in JSON.parse, so seq 0 here makes a data type invalid. */
    CHECK_EQ(check(seal("{\"header\":{\"version\":\"1.2\",\"timestamp\":\"2026-11-21T10:30:00+01:00\",\"message_id\":\"m\",\"message_type\":\"STATUS_REQUEST\","
                        "\"source\":\"GUARDIAN\",\"destination\":\"EA\",\"stream\":\"g\",\"seq\":4,\"seq\":0},\"payload\":{}"), NULL),
             GB_E_BAD_MESSAGE);
    CHECK_EQ(check(seal("{\"header\":{\"version\":\"1.2\"},\"payload\":{}"), NULL), GB_E_BAD_MESSAGE);
    CHECK_EQ(check(seal("{\"header\":{\"version\":\"1.2\",\"timestamp\":\"2026-11-21 10:30:00\",\"message_id\":\"m\",\"message_type\":\"ACK\","
                        "\"source\":\"GUARDIAN\",\"destination\":\"EA\",\"stream\":\"g\",\"seq\":0},\"payload\":{\"ack_seq\":1}"), NULL),
             GB_E_BAD_MESSAGE);                                           /* not ISO 8601 with a zone */
    {   /* a payload that makes the message exceed one frame */
        static char huge[70100];
        memcpy(huge, "{\"name\":\"x\",\"value\":\"", 21);
        memset(huge + 21, 'a', 70000);
        strcpy(huge + 70021, "\"}");
        CHECK_EQ(enc("PARAM", 1, huge), GB_E_FRAME_SIZE);
    }
    CHECK_STR(gb_error_name(GB_E_BAD_CHECKSUM), "BAD_CHECKSUM");
    CHECK_STR(gb_error_name(GB_E_FRAME_SIZE), "FRAME_SIZE");
    CHECK_STR(gb_error_name(7), "UNKNOWN");
    CHECK_STR(gb_error_name(-1000), "UNKNOWN");
}

static void spool_lines(void)
{
    char line[1024], t[1024];
    int n = gb_spool_line_encode(GOLDEN, (int)strlen(GOLDEN), line, (int)sizeof line);
    CHECK_EQ(n, (int)strlen(GOLDEN_LINE));
    CHECK_STR(line, GOLDEN_LINE);
    n = gb_spool_line_encode(GOLDEN_AUTH, (int)strlen(GOLDEN_AUTH), line, (int)sizeof line);
    CHECK_STR(line, GOLDEN_LINE);
    CHECK_EQ(gb_spool_line_check(GOLDEN_LINE, (int)strlen(GOLDEN_LINE)), GB_OK);
    snprintf(t, sizeof t, "%s\r\n", GOLDEN_LINE);
    CHECK_EQ(gb_spool_line_check(t, (int)strlen(t)), GB_OK);
    strcpy(t, GOLDEN_LINE);
    *strstr(t, "EURUSD") = 'X';
    CHECK_EQ(gb_spool_line_check(t, (int)strlen(t)), GB_E_BAD_CHECKSUM);
    strcpy(t, GOLDEN_LINE);
    *strstr(t, "TRADE") = 'X';
    CHECK_EQ(gb_spool_line_check(t, (int)strlen(t)), GB_E_BAD_CHECKSUM);
    {   /* 8 columns with a correct CRC: structure error */
        const char *pre = "42\tea-7f3a\t" TS "\tTRADE\tEA\tGUARDIAN\t" PAYLOAD;
        snprintf(t, sizeof t, "%s\tCRC32:%08X", pre, gb_crc32((const unsigned char *)pre, (int)strlen(pre)));
        CHECK_EQ(gb_spool_line_check(t, (int)strlen(t)), GB_E_BAD_JSON); /* the TS codec's reason */
    }
    CHECK_EQ(gb_spool_line_check("no tabs at all", 14), GB_E_BAD_JSON);
    {   /* CRC hex of either case; a payload that is not JSON; a seq that is not digits */
        const char *bad_json = "42\tea-7f3a\tea-7f3a-000000000042\t" TS "\tTRADE\tEA\tGUARDIAN\t{oops";
        const char *bad_seq = "4x\tea-7f3a\tea-7f3a-000000000042\t" TS "\tTRADE\tEA\tGUARDIAN\t" PAYLOAD;
        strcpy(t, GOLDEN_LINE);
        memcpy(strstr(t, "973876D1"), "973876d1", 8);
        CHECK_EQ(gb_spool_line_check(t, (int)strlen(t)), GB_OK);
        snprintf(t, sizeof t, "%s\tCRC32:%08X", bad_json, gb_crc32((const unsigned char *)bad_json, (int)strlen(bad_json)));
        CHECK_EQ(gb_spool_line_check(t, (int)strlen(t)), GB_E_BAD_JSON);
        snprintf(t, sizeof t, "%s\tCRC32:%08X", bad_seq, gb_crc32((const unsigned char *)bad_seq, (int)strlen(bad_seq)));
        CHECK_EQ(gb_spool_line_check(t, (int)strlen(t)), GB_E_BAD_MESSAGE);
    }
    CHECK_EQ(gb_spool_line_encode(GOLDEN, (int)strlen(GOLDEN), line, 20), GB_E_BUFFER);
    CHECK_EQ(gb_spool_line_check(NULL, 5), GB_E_ARG);
    CHECK_EQ(gb_spool_line_check("", 0), GB_E_ARG);
}

/* Random byte flips, truncations and duplications: every result is a defined code. */
static void fuzz(void)
{
    unsigned int seed = 12345;
    int i;
    char t[2048], line[2048];
    for (i = 0; i < 30000; i++) {
        const char *src = (i & 1) ? GOLDEN_AUTH : GOLDEN;
        int n = (int)strlen(src), rc, k;
        memcpy(t, src, (size_t)n);
        for (k = 0; k < 1 + (i % 4); k++) {
            seed = seed * 1103515245u + 12345u;
            switch ((seed >> 16) % 4) {
            case 0: t[(seed >> 8) % (unsigned)n] = (char)(seed >> 3); break;
            case 1: n = (int)((seed >> 8) % (unsigned)n) + 1; break;
            case 2: if (n < 1500) { memmove(t + n / 2 + 10, t + n / 2, (size_t)(n - n / 2)); n += 10; } break;
            default: t[(seed >> 8) % (unsigned)n] = "{}[]\",:\\"[(seed >> 4) % 8]; break;
            }
        }
        rc = gb_decode_check((const unsigned char *)t, n, (i & 2) ? "secret" : NULL);
        CHECK(rc == GB_OK || rc == GB_E_BAD_JSON || rc == GB_E_BAD_CHECKSUM || rc == GB_E_AUTH_FAILED || rc == GB_E_BAD_MESSAGE);
        rc = gb_spool_line_check(t, n);
        CHECK(rc == GB_OK || rc == GB_E_BAD_JSON || rc == GB_E_BAD_CHECKSUM || rc == GB_E_BAD_MESSAGE);
        rc = gb_spool_line_encode(t, n, line, (int)sizeof line);
        CHECK(rc > 0 || rc == GB_E_BAD_JSON || rc == GB_E_BAD_CHECKSUM || rc == GB_E_BAD_MESSAGE);
    }
}

int main(void)
{
    golden();
    tampering();
    schema();
    spool_lines();
    fuzz();
    TEST_DONE();
}
