/* Durable state without a network: the spool path both ways, the UTF-16 entry points, recovery
 * rules of the state dir, and bad handles / bad input on every public function. */
#include "test_util.h"

#define SIGNAL_P "{\"signal_id\":\"s\",\"symbol\":\"EURUSD\",\"action\":\"SELL\"}"

static char path[512], text[70000];

/* One spool line of Guardian's stream. */
static void line_for(char *out, int cap, long long seq, const char *type, const char *payload)
{
    char env[4096];
    int n = gb_encode_message("guardian-1", seq, type, "GUARDIAN", "EA", NULL, NULL, payload, NULL, env, sizeof env);
    CHECK(n > 0);
    CHECK(gb_spool_line_encode(env, n, out, cap) > 0);
}

static void spool(void)
{
    char dir[256], spool_dir[300], l1[2048], l2[2048], l3[2048], l4[2048], msg[4096], col[64];
    gb_client *c;
    t_tmpdir(dir, sizeof dir, "spool");
    snprintf(spool_dir, sizeof spool_dir, "%s/spool", dir);
    c = gb_open("ea-sp", dir, "key-is-ignored-on-spool");
    CHECK_EQ(gb_send(c, "STATUS", T_STATUS("IDLE")), 1);
    CHECK_EQ(gb_send(c, "STATUS_REQUEST", "{\"ea_state\":\"MANAGING\",\"note\":\"caf\xc3\xa9\"}"), 2);
    CHECK_EQ(gb_spool_write(c, spool_dir), 2);
    CHECK_EQ(gb_spool_write(c, spool_dir), 0);                     /* nothing new */
    snprintf(path, sizeof path, "%s/from_ea/000000000001.csv", spool_dir);
    CHECK(t_read_file(path, text, sizeof text) > 0);
    {
        char *nl = strchr(text, '\n'), *second = nl ? nl + 1 : NULL;
        CHECK(nl && second && strchr(second, '\n') && strchr(second, '\n')[1] == '\0');
        if (nl && second) {
            CHECK_EQ(gb_spool_line_check(text, (int)(nl - text)), 0);
            CHECK_EQ(gb_spool_line_check(second, (int)strlen(second)), 0);
            CHECK(strncmp(text, "1\tea-sp\tea-sp-000000000001\t", 27) == 0); /* seq, stream, id */
        }
    }
    snprintf(path, sizeof path, "%s/from_ea/heartbeat", spool_dir);
    CHECK(t_read_file(path, text, sizeof text) > 20);                /* what Guardian's SpoolDir reads */
    {
        const char *hb = "{\"node_id\":\"ea-sp\",\"role\":\"EA\",\"last_seq_received\":0,\"ts\":\"";
        CHECK(strncmp(text, hb, strlen(hb)) == 0);
    }
    snprintf(path, sizeof path, "%s/from_ea/000000000001.tmp", spool_dir);
    CHECK(t_read_file(path, col, sizeof col) < 0);                 /* the .tmp was renamed */
    /* Guardian's ack file: 1 keeps the file (it holds seq 2 too), 2 removes it. */
    snprintf(path, sizeof path, "%s/from_ea/ack", spool_dir);
    t_write_file(path, "1\n");
    CHECK_EQ(gb_spool_write(c, spool_dir), 0);
    CHECK_EQ(gb_unacked_count(c), 1);
    t_write_file(path, "2\n");
    CHECK_EQ(gb_spool_write(c, spool_dir), 0);
    CHECK_EQ(gb_unacked_count(c), 0);
    snprintf(path, sizeof path, "%s/from_ea/000000000001.csv", spool_dir);
    CHECK(t_read_file(path, text, sizeof text) < 0);
    /* Across a restart, files still in the spool are not written again under the same name
     * (Guardian reads each name once): the next file starts after them. */
    CHECK_EQ(gb_send(c, "STATUS", T_STATUS("ARMED")), 3);
    CHECK_EQ(gb_spool_write(c, spool_dir), 1);
    gb_close(c);
    c = gb_open("ea-sp", dir, NULL);
    CHECK_EQ(gb_unacked_count(c), 1);
    CHECK_EQ(gb_send(c, "STATUS", T_STATUS("MANAGING")), 4);
    CHECK_EQ(gb_spool_write(c, spool_dir), 1);
    snprintf(path, sizeof path, "%s/from_ea/000000000004.csv", spool_dir);
    CHECK(t_read_file(path, text, sizeof text) > 0 && strncmp(text, "4\t", 2) == 0 && !strchr(text, '\n')[1]);
    snprintf(path, sizeof path, "%s/from_ea/ack", spool_dir);
    t_write_file(path, "4");
    CHECK_EQ(gb_spool_write(c, spool_dir), 0);
    CHECK_EQ(gb_unacked_count(c), 0);
    snprintf(path, sizeof path, "%s/from_ea/000000000003.csv", spool_dir);
    CHECK(t_read_file(path, text, sizeof text) < 0);
    snprintf(path, sizeof path, "%s/from_ea/000000000004.csv", spool_dir);
    CHECK(t_read_file(path, text, sizeof text) < 0);
    /* Guardian -> EA, out of order across files, with a duplicate and a corrupt line. */
    line_for(l1, sizeof l1, 1, "COMMAND", "{\"command\":\"HOLD_NEW_ENTRIES\",\"reason\":\"drill\"}");
    line_for(l2, sizeof l2, 2, "SIGNAL", SIGNAL_P);
    line_for(l3, sizeof l3, 3, "PARAM", "{\"name\":\"label\",\"value\":\"\xe2\x82\xac\"}");
    line_for(l4, sizeof l4, 4, "SIGNAL", SIGNAL_P);
    *strstr(l4, "SELL") = 'X';                                      /* CRC now wrong */
    snprintf(path, sizeof path, "%s/to_ea", spool_dir);
    CHECK_EQ(gb_spool_read(c, spool_dir), 0);                      /* creates to_ea, writes ack 0 */
    snprintf(path, sizeof path, "%s/to_ea/000000000003.csv", spool_dir);
    snprintf(text, sizeof text, "%s\n%s\r\n%s\n", l2, l3, l4);
    t_write_file(path, text);
    snprintf(path, sizeof path, "%s/to_ea/000000000009.csv", spool_dir);
    snprintf(text, sizeof text, "%s\n%s\n", l1, l1);
    t_write_file(path, text);
    CHECK_EQ(gb_spool_read(c, spool_dir), 3);
    CHECK_EQ(gb_last_seq_received(c), 3);
    CHECK_EQ(gb_stat(c, GB_STAT_BAD_CHECKSUM), 1);
    snprintf(path, sizeof path, "%s/to_ea/ack", spool_dir);
    CHECK(t_read_file(path, col, sizeof col) > 0);
    CHECK_STR(col, "3");
    CHECK_EQ(gb_spool_read(c, spool_dir), 0);                      /* everything is a duplicate now */
    /* A line with a good CRC that breaks the schema is dead-lettered; the stream goes on. */
    line_for(l4, sizeof l4, 4, "SIGNAL", "{\"signal_id\":\"s\",\"action\":\"BUY\"}");
    line_for(l1, sizeof l1, 5, "STATUS_REQUEST", NULL);
    snprintf(path, sizeof path, "%s/to_ea/000000000010.csv", spool_dir);
    snprintf(text, sizeof text, "%s\n%s\n", l4, l1);
    t_write_file(path, text);
    CHECK_EQ(gb_spool_read(c, spool_dir), 1);
    CHECK_EQ(gb_last_seq_received(c), 5);
    snprintf(path, sizeof path, "%s/deadletter/000000000004.json", dir);
    CHECK(t_read_file(path, msg, sizeof msg) > 0 && strstr(msg, "\"seq\":4"));
    CHECK(gb_next_message(c, msg, sizeof msg) > 0 && strstr(msg, "HOLD_NEW_ENTRIES"));
    CHECK(gb_next_message(c, msg, sizeof msg) > 0 && strstr(msg, "\"seq\":2"));
    /* The UTF-16 twin, with a non-ASCII payload. */
    {
        gb_char16 w[4096];
        int n = gb_next_message_w(c, w, 4096), i, euro = 0;
        CHECK(n > 0);
        for (i = 0; i < n; i++) euro |= w[i] == 0x20AC;
        CHECK(euro);
        CHECK_EQ(w[n], 0);
    }
    CHECK(gb_next_message(c, msg, sizeof msg) > 0 && strstr(msg, "STATUS_REQUEST"));
    CHECK_EQ(gb_next_message(c, msg, sizeof msg), 0);
    gb_close(c);
}

static const gb_char16 *W(const char *s, gb_char16 *buf)
{
    int i = 0;
    for (; s[i]; i++) buf[i] = (gb_char16)(unsigned char)s[i];
    buf[i] = 0;
    return buf;
}

static void wide(void)
{
    char dir[256];
    gb_char16 a[300], b[300], d[300], err[512];
    gb_client *c;
    const gb_char16 *v = gb_version_w();
    t_tmpdir(dir, sizeof dir, "wide");
    CHECK(v && v[0] == 'g');
    c = gb_open_w(W("ea-w", a), W(dir, b), NULL);
    CHECK(c != NULL);
    /* "price": "1€" with the euro sign as one UTF-16 unit and a surrogate pair (U+1F600). */
    W("{\"ea_state\":\"IDLE\",\"note\":\"1?x??\"}", d);
    d[28] = 0x20AC; d[30] = 0xD83D; d[31] = 0xDE00;
    CHECK_EQ(gb_send_w(c, W("STATUS_REQUEST", a), d), 1);
    snprintf(path, sizeof path, "%s/outbox/000000000001.json", dir);
    CHECK(t_read_file(path, text, sizeof text) > 0);
    CHECK(strstr(text, "\"note\":\"1\xe2\x82\xacx\xf0\x9f\x98\x80\"") != NULL);
    d[30] = 0xD83D; d[31] = 'x';                                    /* a lone surrogate is refused */
    CHECK_EQ(gb_send_w(c, W("STATUS_REQUEST", a), d), GB_E_ARG);
    CHECK_EQ(gb_send_w(c, W("BOGUS", a), W("{}", b)), GB_E_ARG);
    CHECK(gb_last_error_w(c, err, 512) > 0);
    CHECK_EQ(gb_last_error_w(c, err, 3), GB_E_BUFFER);
    CHECK_EQ(gb_connect_socket_w(c, W("127.0.0.1", a), 1, 300), GB_E_CONNECT);
    CHECK_EQ(gb_next_message_w(c, err, 512), 0);
    CHECK_EQ(gb_set_hello_extra_w(c, W("{\"account\":\"1\"}", a)), 0);
    CHECK_EQ(gb_open_w(NULL, W(dir, b), NULL) == NULL, 1);
    gb_close(c);
}

static void recovery(void)
{
    char dir[256], msg[256];
    gb_client *c, *c2;
    t_tmpdir(dir, sizeof dir, "recover");
    c = gb_open("ea-rec", dir, NULL);
    CHECK(c != NULL);
    c2 = gb_open("ea-rec", dir, NULL);                              /* one owner per state dir */
    CHECK(c2 == NULL);
    CHECK_EQ(gb_open_error(), GB_E_BUSY);
    CHECK_EQ(gb_send(c, "STATUS_REQUEST", NULL), 1);
    CHECK_EQ(gb_send(c, "STATUS", T_STATUS("IDLE")), 2);
    gb_close(c);
    /* A state file that lags the outbox (crash between store and save): next_seq follows the files. */
    snprintf(path, sizeof path, "%s/state", dir);
    t_write_file(path, "guardian-bridge-state 1\nnode_id ea-rec\nnext_seq 1\nacked_seq 0\nlast_seq_received 0\npeer_node -\n");
    c = gb_open("ea-rec", dir, NULL);
    CHECK_EQ(gb_next_seq(c), 3);
    CHECK_EQ(gb_unacked_count(c), 2);
    gb_close(c);
    /* A stored inbox message whose state save was lost: adopted, so it is not taken twice. */
    snprintf(path, sizeof path, "%s/inbox/000000000001.json", dir);
    gb_encode_message("guardian-1", 1, "SIGNAL", "GUARDIAN", "EA", NULL, NULL, SIGNAL_P, NULL, text, sizeof text);
    t_write_file(path, text);
    c = gb_open("ea-rec", dir, NULL);
    CHECK_EQ(gb_last_seq_received(c), 1);
    CHECK_EQ(gb_pending_count(c), 1);
    CHECK(gb_next_message(c, msg, sizeof msg) == GB_E_BUFFER);
    gb_close(c);
    /* A corrupt state file is refused, never silently reset (that would reuse seqs). */
    snprintf(path, sizeof path, "%s/state", dir);
    t_write_file(path, "garbage\n");
    CHECK(gb_open("ea-rec", dir, NULL) == NULL);
    CHECK_EQ(gb_open_error(), GB_E_STATE);
}

static void bad_input(void)
{
    char buf[64], dir[256];
    int fake[64] = { 0 };
    gb_client *bogus = (gb_client *)(void *)fake, *c;
    CHECK(gb_open(NULL, "x", NULL) == NULL);
    CHECK_EQ(gb_open_error(), GB_E_ARG);
    CHECK(gb_open("bad id with spaces", "x", NULL) == NULL);
    CHECK(gb_open("ok", NULL, NULL) == NULL);
    CHECK(gb_open("ok", "", NULL) == NULL);
    CHECK_EQ(gb_send(NULL, "STATUS", "{}"), GB_E_ARG);
    CHECK_EQ(gb_send(bogus, "STATUS", "{}"), GB_E_ARG);           /* not a live handle */
    CHECK_EQ(gb_poll(bogus, 0), GB_E_ARG);
    CHECK_EQ(gb_next_message(bogus, buf, sizeof buf), GB_E_ARG);
    CHECK_EQ(gb_last_error(bogus, buf, sizeof buf), GB_E_ARG);
    CHECK_EQ(gb_heartbeat(NULL, 0), GB_E_ARG);
    CHECK_EQ(gb_unacked_count(NULL), GB_E_ARG);
    CHECK_EQ(gb_spool_write(NULL, "x"), GB_E_ARG);
    CHECK_EQ(gb_spool_read(bogus, "x"), GB_E_ARG);
    CHECK_EQ(gb_connect_socket(bogus, "127.0.0.1", 9999, 10), GB_E_ARG);
    CHECK_EQ(gb_set_option(NULL, 0, 1), GB_E_ARG);
    gb_close(NULL);
    gb_close(bogus);
    gb_disconnect(bogus);
    t_tmpdir(dir, sizeof dir, "bad");
    c = gb_open("ea-bad", dir, NULL);
    CHECK_EQ(gb_send(c, NULL, "{}"), GB_E_ARG);
    CHECK_EQ(gb_send(c, "ACK", "{\"ack_seq\":1}"), GB_E_ARG);     /* control types are not sent as data */
    CHECK_EQ(gb_send(c, "STATUS", "{oops"), GB_E_BAD_JSON);
    CHECK_EQ(gb_send(c, "STATUS", "[]"), GB_E_BAD_MESSAGE);
    CHECK_EQ(gb_send(c, "STATUS", "{}"), GB_E_BAD_MESSAGE);       /* no ea_state: refused at the source */
    CHECK_EQ(gb_send(c, "TRADE", "{\"event\":\"OPENED\"}"), GB_E_BAD_MESSAGE);
    CHECK_EQ(gb_send(c, "SIGNAL", SIGNAL_P), GB_E_ARG);            /* Guardian -> EA only */
    CHECK_EQ(gb_next_seq(c), 1);                                    /* failed sends take no seq */
    CHECK_EQ(gb_connect_socket(c, NULL, 1, 10), GB_E_ARG);
    CHECK_EQ(gb_connect_socket(c, "127.0.0.1", 0, 10), GB_E_ARG);
    CHECK_EQ(gb_connect_socket(c, "127.0.0.1", 70000, 10), GB_E_ARG);
    CHECK_EQ(gb_connect_socket(c, "127.0.0.1", 1, -5), GB_E_ARG);
    CHECK_EQ(gb_poll(c, -1), GB_E_ARG);
    CHECK_EQ(gb_heartbeat(c, 0), GB_E_NOT_CONNECTED);
    CHECK_EQ(gb_set_option(c, 99, 1), GB_E_ARG);
    CHECK_EQ(gb_set_option(c, GB_OPT_FRAME_TIMEOUT_MS, 0), GB_E_ARG);
    CHECK_EQ(gb_set_hello_extra(c, "[1]"), GB_E_BAD_MESSAGE);
    CHECK_EQ(gb_stat(c, -1), GB_E_ARG);
    CHECK_EQ(gb_stat(c, GB_STAT_COUNT), GB_E_ARG);
    CHECK_EQ(gb_next_message(c, NULL, 10), GB_E_ARG);
    CHECK_EQ(gb_last_error(c, buf, 0), GB_E_ARG);
    CHECK_EQ(gb_spool_write(c, ""), GB_E_IO);
    CHECK_EQ(gb_spool_read(c, NULL), GB_E_IO);
    gb_close(c);
    CHECK_EQ(gb_poll(c, 0), GB_E_ARG);                              /* closed handle */
    gb_close(c);                                                    /* twice: harmless */
    CHECK(strstr(gb_version(), "1.2") != NULL);
}

int main(void)
{
    spool();
    wide();
    recovery();
    bad_input();
    TEST_DONE();
}
