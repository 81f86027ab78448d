/* Loopback: a scripted Guardian peer in a thread, the library as the EA. Covers HELLO /
 * HELLO_ACK, resend after the peer's last_seq_received, ACK handling, in-order exactly-once
 * delivery (duplicates, gaps), heartbeats, durable state across gb_close / gb_open, the bad-input
 * table of PROTOCOL.md 7, auth, version refusal, timeouts, the pipe path, and resend after silence. */
#include "test_util.h"

#define HELLO_ACK(last, hb) "{\"version\":\"1.2\",\"node_id\":\"guardian-1\",\"last_seq_received\":" #last ",\"heartbeat_ms\":" #hb "}"
#define SIGNAL_P "{\"signal_id\":\"s\",\"symbol\":\"EURUSD\",\"action\":\"BUY\",\"lots\":0.1}"

static char state_dir[256];
static char fb[70000]; /* peer-side frame buffer (one peer thread at a time) */

/* Peer reads frames until an ACK with ack_seq >= want, or gives up. */
static long long peer_wait_ack(tpeer *p, long long want)
{
    long long last = -1;
    while (last < want && tpeer_expect(p, "ACK", fb, sizeof fb, 3000) > 0) last = t_json_int(fb, "ack_seq");
    return last;
}

/* Client polls until `n` messages are pending or the deadline passes. */
static void poll_until_pending(gb_client *c, int n)
{
    long long deadline = t_now_ms() + 5000;
    while (gb_pending_count(c) < n && t_now_ms() < deadline && gb_poll(c, 50) >= 0) {}
}

/* ---- 1. first session: resend, ACK, delivery rules, heartbeats ------------------------------ */
static void peer_first(void *arg)
{
    tpeer *p = (tpeer *)arg;
    char v[64];
    CHECK_EQ(tpeer_accept(p), 0);
    CHECK(tpeer_expect(p, "HELLO", fb, sizeof fb, 3000) > 0);
    CHECK_EQ(gb_decode_check((const unsigned char *)fb, (int)strlen(fb), NULL), GB_OK);
    CHECK_STR(t_json_str(fb, "role", v, sizeof v), "EA");
    CHECK_STR(t_json_str(fb, "node_id", v, sizeof v), "ea-test");
    CHECK(strstr(fb, "\"versions\":[\"1.2\"]") != NULL);
    CHECK_EQ(t_json_int(fb, "last_seq_received"), 0);
    CHECK_EQ(t_json_int(fb, "seq"), 0);
    CHECK(strstr(fb, "\"account\":\"12345\"") != NULL);            /* gb_set_hello_extra */
    tpeer_send(p, "HELLO_ACK", 0, HELLO_ACK(1, 60000));           /* "I already have seq 1" */
    CHECK(tpeer_expect(p, "STATUS", fb, sizeof fb, 3000) > 0);     /* so 2 and 3 come again */
    CHECK_EQ(t_json_int(fb, "seq"), 2);
    CHECK_STR(t_json_str(fb, "message_id", v, sizeof v), "ea-test-000000000002");
    CHECK(tpeer_expect(p, "STATUS", fb, sizeof fb, 3000) > 0);
    CHECK_EQ(t_json_int(fb, "seq"), 3);
    tpeer_send(p, "ACK", 0, "{\"ack_seq\":3}");
    tpeer_send(p, "SIGNAL", 1, SIGNAL_P);
    tpeer_send(p, "SIGNAL", 1, SIGNAL_P);                          /* duplicate */
    tpeer_send(p, "COMMAND", 3, "{\"command\":\"HOLD_NEW_ENTRIES\"}"); /* gap: dropped */
    tpeer_send(p, "COMMAND", 2, "{\"command\":\"PING\"}");
    CHECK_EQ(peer_wait_ack(p, 2), 2);                             /* never beyond the gap */
    tpeer_send(p, "COMMAND", 3, "{\"command\":\"HOLD_NEW_ENTRIES\"}"); /* go-back-N resend */
    CHECK_EQ(peer_wait_ack(p, 3), 3);
    tpeer_send(p, "HEARTBEAT", 0, "{\"ping_id\":\"g-7\",\"t0\":1}");
    {   /* our ping's echo and the EA's own ping, in either order */
        int echoed = 0, pinged = 0;
        while ((!echoed || !pinged) && tpeer_expect(p, "HEARTBEAT", fb, sizeof fb, 3000) > 0) {
            if (strcmp(t_json_str(fb, "echo", v, sizeof v), "g-7") == 0) echoed = 1;
            if (t_json_str(fb, "ping_id", v, sizeof v)[0]) {
                CHECK_STR(v, "ea-test-p1");
                CHECK(t_json_int(fb, "t0") > 0);
                snprintf(fb, sizeof fb, "{\"echo\":\"%s\"}", v);
                tpeer_send(p, "HEARTBEAT", 0, fb);
                pinged = 1;
            }
        }
        CHECK(echoed && pinged);
    }
    while (tpeer_read_frame(p, fb, sizeof fb, 3000) > 0) {}        /* until the EA closes */
    tpeer_close(p);
}

static void first_session(void)
{
    tpeer p;
    t_thread_start ts = { peer_first, &p };
    t_thread th;
    gb_client *c = gb_open("ea-test", state_dir, NULL);
    long long deadline;
    char msg[4096];
    CHECK(c != NULL);
    if (!c) return;
    CHECK_EQ(gb_set_hello_extra(c, "{\"account\":\"12345\",\"symbols\":[\"EURUSD\"]}"), 0);
    CHECK_EQ(gb_send(c, "STATUS", T_STATUS("IDLE")), 1);  /* stored while disconnected */
    CHECK_EQ(gb_send(c, "STATUS", T_STATUS("IDLE")), 2);
    CHECK_EQ(gb_send(c, "STATUS", T_STATUS("ARMED")), 3);
    CHECK_EQ(gb_unacked_count(c), 3);
    CHECK_EQ(gb_poll(c, 0), GB_E_NOT_CONNECTED);
    CHECK_EQ(tpeer_listen_tcp(&p), 0);
    th = t_spawn(&ts);
    CHECK_EQ(gb_connect_socket(c, "127.0.0.1", p.port, 5000), 0);
    CHECK_EQ(gb_is_connected(c), 1);
    poll_until_pending(c, 3);
    CHECK_EQ(gb_pending_count(c), 3);
    CHECK_EQ(gb_unacked_count(c), 0);
    CHECK_EQ(gb_last_seq_received(c), 3);
    CHECK(gb_stat(c, GB_STAT_DUPLICATES) >= 1);
    CHECK(gb_stat(c, GB_STAT_GAPS) >= 1);
    CHECK_EQ(gb_stat(c, GB_STAT_RESENT), 2);
    /* Handed over in seq order, each once. */
    CHECK(gb_next_message_size(c) > 100);
    CHECK_EQ(gb_next_message(c, msg, 10), GB_E_BUFFER);           /* stays queued */
    CHECK(gb_next_message(c, msg, sizeof msg) > 0);
    CHECK(strstr(msg, "\"message_type\":\"SIGNAL\"") && t_json_int(msg, "seq") == 1);
    CHECK(gb_next_message(c, msg, sizeof msg) > 0);
    CHECK(strstr(msg, "\"command\":\"PING\"") && t_json_int(msg, "seq") == 2);
    CHECK(gb_next_message(c, msg, sizeof msg) > 0);
    CHECK(strstr(msg, "HOLD_NEW_ENTRIES") && t_json_int(msg, "seq") == 3);
    CHECK_EQ(gb_next_message(c, msg, sizeof msg), 0);
    /* Heartbeat: one ping when due, an echo measured. */
    CHECK_EQ(gb_heartbeat(c, 0), 1);
    CHECK_EQ(gb_heartbeat(c, 0), 0);
    deadline = t_now_ms() + 3000;
    while (gb_stat(c, GB_STAT_ECHOES_RECEIVED) < 1 && t_now_ms() < deadline && gb_poll(c, 50) >= 0) {}
    CHECK_EQ(gb_stat(c, GB_STAT_ECHOES_RECEIVED), 1);
    CHECK(gb_stat(c, GB_STAT_RTT_MS) >= 0);
    gb_close(c);
    t_join(th);
}

/* ---- 2. restart: durable state, resend of what was stored offline, bad input ---------------- */
static void peer_second(void *arg)
{
    tpeer *p = (tpeer *)arg;
    char v[128], ref[128];
    unsigned char bad[8] = { 0x70, 0x11, 0x01, 0x00, 'x', 'x', 'x', 'x' }; /* length 70000 */
    CHECK_EQ(tpeer_accept(p), 0);
    CHECK(tpeer_expect(p, "HELLO", fb, sizeof fb, 3000) > 0);
    CHECK_EQ(t_json_int(fb, "last_seq_received"), 3);               /* survived the restart */
    tpeer_send(p, "HELLO_ACK", 0, HELLO_ACK(3, 60000));
    CHECK(tpeer_expect(p, "TRADE", fb, sizeof fb, 3000) > 0);
    CHECK_STR(t_json_str(fb, "message_id", v, sizeof v), "ea-test-000000000004");
    tpeer_send(p, "ACK", 0, "{\"ack_seq\":4}");
    tpeer_send_raw(p, "{not json", 9);
    CHECK(tpeer_expect(p, "ERROR", fb, sizeof fb, 3000) > 0);
    CHECK_STR(t_json_str(fb, "reason", v, sizeof v), "BAD_JSON");
    gb_encode_message("guardian-1", 4, "SIGNAL", "GUARDIAN", "EA", NULL, NULL, SIGNAL_P, NULL, fb, sizeof fb);
    t_json_str(fb, "message_id", ref, sizeof ref);
    *strstr(fb, "EURUSD") = 'X';                                    /* corrupt in transit */
    tpeer_send_raw(p, fb, (int)strlen(fb));
    CHECK(tpeer_expect(p, "ERROR", fb, sizeof fb, 3000) > 0);
    CHECK_STR(t_json_str(fb, "reason", v, sizeof v), "BAD_CHECKSUM");
    CHECK_STR(t_json_str(fb, "ref_message_id", v, sizeof v), ref);
    tpeer_send(p, "SIGNAL", 4, "{\"signal_id\":\"s\",\"action\":\"BUY\"}"); /* no symbol */
    CHECK(tpeer_expect(p, "ERROR", fb, sizeof fb, 3000) > 0);
    CHECK_STR(t_json_str(fb, "reason", v, sizeof v), "BAD_MESSAGE");
    CHECK_EQ(peer_wait_ack(p, 4), 4);                               /* ACKed: the stream goes on */
    tpeer_send(p, "TRADE", 5, "{\"event\":\"OPENED\",\"ticket\":1,\"symbol\":\"X\",\"side\":\"BUY\",\"lots\":1}");
    CHECK(tpeer_expect(p, "ERROR", fb, sizeof fb, 3000) > 0);       /* wrong direction */
    CHECK_EQ(peer_wait_ack(p, 5), 5);
    /* Two frames in one write, the second split across two writes. */
    {
        char a[1024], b[1024];
        unsigned char both[2100];
        int na = gb_encode_message("guardian-1", 6, "PARAM", "GUARDIAN", "EA", NULL, NULL, "{\"name\":\"a\",\"value\":1}", NULL, a, sizeof a);
        int nb = gb_encode_message("guardian-1", 7, "PARAM", "GUARDIAN", "EA", NULL, NULL, "{\"name\":\"b\",\"value\":2}", NULL, b, sizeof b);
        int n1 = gb_frame_encode((unsigned char *)a, na, both, sizeof both);
        int n2 = gb_frame_encode((unsigned char *)b, nb, both + n1, (int)sizeof both - n1);
        tpeer_write(p, both, n1 + 10);
        t_sleep(50);
        tpeer_write(p, both + n1 + 10, n2 - 10);
        CHECK_EQ(peer_wait_ack(p, 7), 7);
    }
    tpeer_write(p, bad, sizeof bad);
    CHECK(tpeer_expect(p, "ERROR", fb, sizeof fb, 3000) > 0);
    CHECK_STR(t_json_str(fb, "reason", v, sizeof v), "FRAME_SIZE");
    CHECK(tpeer_read_frame(p, fb, sizeof fb, 3000) < 0);            /* and the EA closed */
    tpeer_close(p);
}

static void second_session(void)
{
    tpeer p;
    t_thread_start ts = { peer_second, &p };
    t_thread th;
    gb_client *c = gb_open("ea-test", state_dir, NULL);
    long long deadline;
    int rc = 0;
    char dead[512], msg[2048];
    CHECK(c != NULL);
    if (!c) return;
    CHECK_EQ(gb_next_seq(c), 4);
    CHECK_EQ(gb_last_seq_received(c), 3);
    CHECK_EQ(gb_unacked_count(c), 0);
    CHECK_EQ(gb_send(c, "TRADE", "{\"event\":\"OPENED\",\"ticket\":5,\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"lots\":0.1}"), 4);
    gb_close(c);                                                    /* "crash" before it was sent */
    c = gb_open("ea-test", state_dir, NULL);
    CHECK(c != NULL);
    if (!c) return;
    CHECK_EQ(gb_unacked_count(c), 1);
    CHECK_EQ(tpeer_listen_tcp(&p), 0);
    th = t_spawn(&ts);
    CHECK_EQ(gb_connect_socket(c, "localhost", p.port, 5000), 0);
    deadline = t_now_ms() + 8000;
    while (t_now_ms() < deadline && (rc = gb_poll(c, 50)) >= 0) {}
    CHECK_EQ(rc, GB_E_FRAME_SIZE);
    CHECK_EQ(gb_is_connected(c), 0);
    CHECK_EQ(gb_unacked_count(c), 0);
    CHECK_EQ(gb_last_seq_received(c), 7);
    CHECK_EQ(gb_pending_count(c), 2);                               /* PARAM 6 and 7 */
    CHECK(gb_next_message(c, msg, sizeof msg) > 0 && t_json_int(msg, "seq") == 6);
    CHECK_EQ(gb_stat(c, GB_STAT_BAD_JSON), 1);
    CHECK_EQ(gb_stat(c, GB_STAT_BAD_CHECKSUM), 1);
    CHECK_EQ(gb_stat(c, GB_STAT_BAD_MESSAGE), 2);
    CHECK_EQ(gb_stat(c, GB_STAT_BAD_FRAME_SIZE), 1);
    snprintf(dead, sizeof dead, "%s/deadletter/000000000001.json", state_dir);
    CHECK(t_read_file(dead, msg, sizeof msg) > 0 && strstr(msg, "\"seq\":4"));
    gb_close(c);
    t_join(th);
}

/* ---- 3. auth: a key on both sides; three bad MACs in a row close --------------------------- */
static void peer_auth(void *arg)
{
    tpeer *p = (tpeer *)arg;
    char v[64];
    CHECK_EQ(tpeer_accept(p), 0);
    CHECK(tpeer_expect(p, "HELLO", fb, sizeof fb, 3000) > 0);
    CHECK_EQ(gb_decode_check((const unsigned char *)fb, (int)strlen(fb), "k3y"), GB_OK);
    CHECK_EQ(gb_decode_check((const unsigned char *)fb, (int)strlen(fb), "other"), GB_E_AUTH_FAILED);
    tpeer_send(p, "HELLO_ACK", 0, HELLO_ACK(0, 60000));
    tpeer_send(p, "SIGNAL", 1, SIGNAL_P);
    CHECK_EQ(peer_wait_ack(p, 1), 1);
    p->key = "wrong";
    tpeer_send(p, "SIGNAL", 2, SIGNAL_P);
    p->key = NULL;
    tpeer_send(p, "SIGNAL", 2, SIGNAL_P);
    p->key = "wrong";
    tpeer_send(p, "SIGNAL", 2, SIGNAL_P);
    CHECK(tpeer_expect(p, "ERROR", fb, sizeof fb, 3000) > 0);
    CHECK_STR(t_json_str(fb, "reason", v, sizeof v), "AUTH_FAILED");
    while (tpeer_read_frame(p, fb, sizeof fb, 3000) > 0) {}
    tpeer_close(p);
}

static void auth_session(void)
{
    char dir[256];
    tpeer p;
    t_thread_start ts = { peer_auth, &p };
    t_thread th;
    gb_client *c;
    long long deadline;
    int rc = 0;
    t_tmpdir(dir, sizeof dir, "auth");
    c = gb_open("ea-auth", dir, "k3y");
    CHECK_EQ(tpeer_listen_tcp(&p), 0);
    p.key = "k3y";
    th = t_spawn(&ts);
    CHECK_EQ(gb_connect_socket(c, "127.0.0.1", p.port, 5000), 0);
    deadline = t_now_ms() + 5000;
    while (t_now_ms() < deadline && (rc = gb_poll(c, 50)) >= 0) {}
    CHECK_EQ(rc, GB_E_AUTH_FAILED);
    CHECK_EQ(gb_last_seq_received(c), 1);
    CHECK_EQ(gb_stat(c, GB_STAT_AUTH_FAILED), 3);
    gb_close(c);
    t_join(th);
}

/* ---- 4. refusals and timeouts ---------------------------------------------------------------- */
static int peer_mode;
static void peer_refuse(void *arg)
{
    tpeer *p = (tpeer *)arg;
    char v[64];
    CHECK_EQ(tpeer_accept(p), 0);
    CHECK(tpeer_expect(p, "HELLO", fb, sizeof fb, 3000) > 0);
    if (peer_mode == 0) {         /* a version we do not speak */
        tpeer_send(p, "HELLO_ACK", 0, "{\"version\":\"1.0\",\"node_id\":\"guardian-1\",\"last_seq_received\":0,\"heartbeat_ms\":250}");
        CHECK(tpeer_expect(p, "ERROR", fb, sizeof fb, 3000) > 0);
        CHECK_STR(t_json_str(fb, "reason", v, sizeof v), "VERSION");
    } else if (peer_mode == 1) {  /* silence: no HELLO_ACK */
        t_sleep(600);
    } else if (peer_mode == 2) {  /* HELLO_ACK, then silence for many heartbeat intervals */
        tpeer_send(p, "HELLO_ACK", 0, HELLO_ACK(0, 50));
        t_sleep(800);
    } else {                      /* HELLO_ACK, then half a frame and a stall */
        tpeer_send(p, "HELLO_ACK", 0, HELLO_ACK(0, 60000));
        tpeer_write(p, "\x64\x00\x00\x00{\"head", 10);
        t_sleep(800);
    }
    tpeer_close(p);
}

static int run_refusal(int mode, int option, long long value, int connect_rc, int poll_rc)
{
    char dir[256];
    tpeer p;
    t_thread_start ts = { peer_refuse, &p };
    t_thread th;
    gb_client *c;
    long long deadline;
    int rc = 0;
    t_tmpdir(dir, sizeof dir, "refuse");
    c = gb_open("ea-r", dir, NULL);
    if (option >= 0) gb_set_option(c, option, value);
    peer_mode = mode;
    CHECK_EQ(tpeer_listen_tcp(&p), 0);
    th = t_spawn(&ts);
    CHECK_EQ(gb_connect_socket(c, "127.0.0.1", p.port, mode == 1 ? 300 : 3000), connect_rc);
    deadline = t_now_ms() + 3000;
    while (connect_rc == 0 && t_now_ms() < deadline && (rc = gb_poll(c, 20)) >= 0) {}
    if (connect_rc == 0) CHECK_EQ(rc, poll_rc);
    gb_close(c);
    t_join(th);
    return rc;
}

/* ---- 5. the pipe path (Unix socket here, named pipe on Windows) ----------------------------- */
static void peer_pipe(void *arg)
{
    tpeer *p = (tpeer *)arg;
    CHECK_EQ(tpeer_accept(p), 0);
    CHECK(tpeer_expect(p, "HELLO", fb, sizeof fb, 3000) > 0);
    tpeer_send(p, "HELLO_ACK", 0, HELLO_ACK(0, 60000));
    tpeer_send(p, "COMMAND", 1, "{\"command\":\"RESUME\"}");
    CHECK_EQ(peer_wait_ack(p, 1), 1);
    CHECK(tpeer_expect(p, "TRADE", fb, sizeof fb, 3000) > 0);
    tpeer_send(p, "ACK", 0, "{\"ack_seq\":1}");
    while (tpeer_read_frame(p, fb, sizeof fb, 3000) > 0) {}
    tpeer_close(p);
}

static void pipe_session(void)
{
    char dir[256];
    tpeer p;
    t_thread_start ts = { peer_pipe, &p };
    t_thread th;
    gb_client *c;
    long long deadline;
    t_tmpdir(dir, sizeof dir, "pipe");
    c = gb_open("ea-pipe", dir, NULL);
    CHECK_EQ(tpeer_listen_pipe(&p, "gbtest"), 0);
    th = t_spawn(&ts);
    CHECK_EQ(gb_connect_pipe(c, p.path, 3000), 0);
    poll_until_pending(c, 1);
    CHECK_EQ(gb_pending_count(c), 1);
    CHECK_EQ(gb_send(c, "TRADE", "{\"event\":\"CLOSED\",\"ticket\":9,\"symbol\":\"EURUSD\",\"side\":\"SELL\",\"lots\":0.2}"), 1);
    deadline = t_now_ms() + 3000;
    while (gb_unacked_count(c) > 0 && t_now_ms() < deadline && gb_poll(c, 20) >= 0) {}
    CHECK_EQ(gb_unacked_count(c), 0);
    gb_close(c);
    t_join(th);
    CHECK(gb_connect_pipe(NULL, p.path, 100) == GB_E_ARG);
}

/* ---- 6. a new Guardian stream, and a peer that has more of ours than we remember ------------ */
static void peer_new_stream(void *arg)
{
    tpeer *p = (tpeer *)arg;
    char v[64];
    CHECK_EQ(tpeer_accept(p), 0);
    CHECK(tpeer_expect(p, "HELLO", fb, sizeof fb, 3000) > 0);
    CHECK_EQ(t_json_int(fb, "last_seq_received"), 7);
    p->stream = "guardian-2";
    tpeer_send(p, "HELLO_ACK", 0, "{\"version\":\"1.2\",\"node_id\":\"guardian-2\",\"last_seq_received\":100,\"heartbeat_ms\":60000}");
    tpeer_send(p, "SIGNAL", 1, SIGNAL_P);                          /* counted from 1 again */
    CHECK_EQ(peer_wait_ack(p, 1), 1);
    p->stream = "guardian-1";
    tpeer_send(p, "SIGNAL", 8, SIGNAL_P);                          /* the old stream: refused */
    CHECK(tpeer_expect(p, "ERROR", fb, sizeof fb, 3000) > 0);
    CHECK_STR(t_json_str(fb, "reason", v, sizeof v), "BAD_MESSAGE");
    CHECK(tpeer_expect(p, "TRADE", fb, sizeof fb, 3000) > 0);
    CHECK_EQ(t_json_int(fb, "seq"), 101);                           /* never a seq the peer has */
    while (tpeer_read_frame(p, fb, sizeof fb, 3000) > 0) {}
    tpeer_close(p);
}

static void new_stream_session(void)
{
    tpeer p;
    t_thread_start ts = { peer_new_stream, &p };
    t_thread th;
    long long deadline;
    gb_client *c = gb_open("ea-test", state_dir, NULL);
    CHECK(c != NULL);
    if (!c) return;
    CHECK_EQ(tpeer_listen_tcp(&p), 0);
    th = t_spawn(&ts);
    CHECK_EQ(gb_connect_socket(c, "127.0.0.1", p.port, 5000), 0);
    CHECK_EQ(gb_next_seq(c), 101);
    poll_until_pending(c, 2);                                        /* PARAM 7 left from before */
    deadline = t_now_ms() + 1000;
    while (gb_stat(c, GB_STAT_BAD_MESSAGE) < 1 && t_now_ms() < deadline && gb_poll(c, 20) >= 0) {}
    CHECK_EQ(gb_last_seq_received(c), 1);
    CHECK_EQ(gb_pending_count(c), 2);
    CHECK_EQ(gb_send(c, "TRADE", "{\"event\":\"OPENED\",\"ticket\":2,\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"lots\":0.1}"), 101);
    t_sleep(100);
    gb_close(c);
    t_join(th);
}

/* ---- resend after silence: a frame Guardian refused and nothing after it -------------------- */
static void peer_silence(void *arg)
{
    tpeer *p = (tpeer *)arg;
    long long t0, t1, t2;
    CHECK_EQ(tpeer_accept(p), 0);
    CHECK(tpeer_expect(p, "HELLO", fb, sizeof fb, 3000) > 0);
    tpeer_send(p, "HELLO_ACK", 0, HELLO_ACK(0, 60000));
    CHECK(tpeer_expect(p, "TRADE", fb, sizeof fb, 3000) > 0);   /* taken as corrupt: no ACK */
    t0 = t_now_ms();
    CHECK_EQ(t_json_int(fb, "seq"), 1);
    CHECK(tpeer_expect(p, "TRADE", fb, sizeof fb, 3000) > 0);   /* sent again after the silence */
    t1 = t_now_ms();
    CHECK_EQ(t_json_int(fb, "seq"), 1);
    CHECK(tpeer_expect(p, "TRADE", fb, sizeof fb, 3000) > 0);   /* and again, after twice the wait */
    t2 = t_now_ms();
    CHECK_EQ(t_json_int(fb, "seq"), 1);
    /* Lower bounds only: the waits may run long on a busy machine, never short. */
    CHECK(t1 - t0 >= 150);
    CHECK(t2 - t1 >= 350);
    tpeer_send(p, "ACK", 0, "{\"ack_seq\":1}");
    CHECK(tpeer_expect(p, "TRADE", fb, sizeof fb, 800) < 0);    /* acknowledged: no more copies */
    tpeer_close(p);
}

static void silence_session(void)
{
    tpeer p;
    t_thread_start ts = { peer_silence, &p };
    t_thread th;
    char dir[256];
    gb_client *c;
    long long deadline;
    t_tmpdir(dir, sizeof dir, "silence");
    c = gb_open("ea-silent", dir, NULL);
    CHECK(c != NULL);
    if (!c) return;
    CHECK_EQ(gb_set_option(c, GB_OPT_RESEND_TIMEOUT_MS, 200), 0);
    CHECK_EQ(gb_set_option(c, GB_OPT_RESEND_TIMEOUT_MS, -1), GB_E_ARG);
    CHECK_EQ(tpeer_listen_tcp(&p), 0);
    th = t_spawn(&ts);
    CHECK_EQ(gb_connect_socket(c, "127.0.0.1", p.port, 5000), 0);
    CHECK_EQ(gb_send(c, "TRADE", "{\"event\":\"OPENED\",\"ticket\":7,\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"lots\":0.1}"), 1);
    deadline = t_now_ms() + 5000;
    while (gb_unacked_count(c) > 0 && t_now_ms() < deadline && gb_poll(c, 20) >= 0) {}
    CHECK_EQ(gb_unacked_count(c), 0);
    CHECK_EQ(gb_stat(c, GB_STAT_RESENT), 2);
    deadline = t_now_ms() + 900;                                 /* the peer listens for stray copies */
    while (t_now_ms() < deadline && gb_poll(c, 20) >= 0) {}
    CHECK_EQ(gb_stat(c, GB_STAT_RESENT), 2);
    gb_close(c);
    t_join(th);
}

int main(void)
{
    gb_client *c;
    t_tmpdir(state_dir, sizeof state_dir, "loop");
    first_session();
    second_session();
    auth_session();
    run_refusal(0, -1, 0, GB_E_VERSION, 0);
    run_refusal(1, -1, 0, GB_E_TIMEOUT, 0);
    run_refusal(2, -1, 0, 0, GB_E_TIMEOUT);
    run_refusal(3, GB_OPT_FRAME_TIMEOUT_MS, 200, 0, GB_E_FRAME_TIMEOUT);
    pipe_session();
    new_stream_session();
    silence_session();
    /* Nothing listening. */
    c = gb_open("ea-x", state_dir, NULL);          /* state dir owned by ea-test */
    CHECK(c == NULL);
    CHECK_EQ(gb_open_error(), GB_E_STATE);
    {
        char dir[256];
        t_tmpdir(dir, sizeof dir, "refused");
        c = gb_open("ea-x", dir, NULL);
        CHECK_EQ(gb_connect_socket(c, "127.0.0.1", 1, 500), GB_E_CONNECT);
        CHECK(gb_connect_pipe(c, "no-such-pipe-gbtest", 200) < 0);
        CHECK(gb_last_error(c, fb, sizeof fb) > 0);
        gb_close(c);
    }
    TEST_DONE();
}
