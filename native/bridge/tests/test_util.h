/* Test helpers: CHECK macros, temp dirs, and a tiny scripted Guardian peer (TCP, Unix socket or
 * Windows named pipe) that runs in a thread, so the loopback tests exercise the real transports.
 * Header-only on purpose: every test is one .c file. */
#ifndef GB_TEST_UTIL_H
#define GB_TEST_UTIL_H

#ifdef _WIN32
#define _WIN32_WINNT 0x0600
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
typedef SOCKET tsock;
#define TSOCK_BAD INVALID_SOCKET
#define tsock_close closesocket
#else
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
typedef int tsock;
#define TSOCK_BAD (-1)
#define tsock_close close
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "guardian_bridge.h"

/* A STATUS payload with every required field (the schema mirrors the TypeScript codec's). */
#define T_STATUS(state) "{\"ea_state\":\"" state "\",\"balance\":1000,\"equity\":1000.5,\"margin_level\":0," \
    "\"spread_pips\":0.8,\"open_positions\":0,\"server_time\":\"2026.11.21 10:30:00\"}"

static int t_failures;
#define CHECK(c) do { if (!(c)) { t_failures++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); if (a_ != b_) { t_failures++; \
    fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, a_, #b, b_); } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); if (!a_ || strcmp(a_, b_) != 0) { t_failures++; \
    fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_); } } while (0)
#define TEST_DONE() do { if (t_failures) { fprintf(stderr, "%d check(s) failed\n", t_failures); } \
    else { printf("all checks passed\n"); } return t_failures ? 1 : 0; } while (0)

static inline long long t_now_ms(void)
{
#ifdef _WIN32
    return (long long)GetTickCount64();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
}

static inline void t_sleep(int ms)
{
#ifdef _WIN32
    Sleep((DWORD)ms);
#else
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
#endif
}

/* A fresh directory under the current (build) directory. */
static inline void t_tmpdir(char *out, size_t cap, const char *name)
{
    static int n;
#ifdef _WIN32
    CreateDirectoryA("tmp", NULL);
    snprintf(out, cap, "tmp\\%s-%lu-%lld-%d", name, (unsigned long)GetCurrentProcessId(), t_now_ms(), ++n);
    CreateDirectoryA(out, NULL);
#else
    mkdir("tmp", 0755);
    snprintf(out, cap, "tmp/%s-%ld-%lld-%d", name, (long)getpid(), t_now_ms(), ++n);
    mkdir(out, 0755);
#endif
}

static inline void t_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) { t_failures++; fprintf(stderr, "cannot write %s\n", path); return; }
    fwrite(text, 1, strlen(text), f);
    fclose(f);
}

/* Whole file into buf (NUL-terminated); -1 if missing. */
static inline int t_read_file(const char *path, char *buf, int cap)
{
    FILE *f = fopen(path, "rb");
    int n;
    if (!f) return -1;
    n = (int)fread(buf, 1, (size_t)cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    return n;
}

/* The integer after "key": in a JSON text, or -1. Good enough for our own envelopes. */
static inline long long t_json_int(const char *json, const char *key)
{
    char pat[64];
    const char *p;
    snprintf(pat, sizeof pat, "\"%s\":", key);
    p = strstr(json, pat);
    return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* The string after "key":" copied into out, or "" */
static inline const char *t_json_str(const char *json, const char *key, char *out, size_t cap)
{
    char pat[64];
    const char *p, *e;
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    out[0] = '\0';
    p = strstr(json, pat);
    if (!p) return out;
    p += strlen(pat);
    e = strchr(p, '"');
    if (e && (size_t)(e - p) < cap) { memcpy(out, p, (size_t)(e - p)); out[e - p] = '\0'; }
    return out;
}

/* ---- the scripted peer ---------------------------------------------------------------------- */
typedef struct {
    int kind;               /* 1 tcp, 2 unix, 3 win pipe */
    tsock ls, s;            /* listening and accepted socket */
#ifdef _WIN32
    HANDLE pipe;
#endif
    int port;
    char path[200];
    const char *key;        /* HMAC key the peer signs with, or NULL */
    const char *stream;     /* Guardian's stream id; NULL: "guardian-1" */
} tpeer;

static inline void t_net_init(void)
{
#ifdef _WIN32
    WSADATA w;
    WSAStartup(MAKEWORD(2, 2), &w);
#endif
}

static inline int tpeer_listen_tcp(tpeer *p)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(p, 0, sizeof *p);
    t_net_init();
    p->kind = 1;
    p->s = TSOCK_BAD;
    p->ls = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(p->ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(p->ls, 4) != 0) return -1;
    getsockname(p->ls, (struct sockaddr *)&a, &len);
    p->port = ntohs(a.sin_port);
    return 0;
}

/* Unix socket on POSIX, named pipe on Windows: what gb_connect_pipe reaches. */
static inline int tpeer_listen_pipe(tpeer *p, const char *name)
{
    memset(p, 0, sizeof *p);
    p->s = TSOCK_BAD;
#ifdef _WIN32
    p->kind = 3;
    snprintf(p->path, sizeof p->path, "\\\\.\\pipe\\%s", name);
    p->pipe = CreateNamedPipeA(p->path, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT,
                               1, 65536, 65536, 0, NULL);
    return p->pipe == INVALID_HANDLE_VALUE ? -1 : 0;
#else
    struct sockaddr_un a;
    p->kind = 2;
    snprintf(p->path, sizeof p->path, "/tmp/gbt-%s-%ld.sock", name, (long)getpid());
    unlink(p->path);
    p->ls = socket(AF_UNIX, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(p->path) >= sizeof a.sun_path) return -1;
    memcpy(a.sun_path, p->path, strlen(p->path) + 1);
    if (bind(p->ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(p->ls, 4) != 0) return -1;
    return 0;
#endif
}

static inline int tpeer_accept(tpeer *p)
{
#ifdef _WIN32
    if (p->kind == 3) return ConnectNamedPipe(p->pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED ? 0 : -1;
#endif
    p->s = accept(p->ls, NULL, NULL);
    return p->s == TSOCK_BAD ? -1 : 0;
}

static inline void tpeer_close_conn(tpeer *p)
{
#ifdef _WIN32
    if (p->kind == 3) { FlushFileBuffers(p->pipe); DisconnectNamedPipe(p->pipe); return; }
#endif
    if (p->s != TSOCK_BAD) tsock_close(p->s);
    p->s = TSOCK_BAD;
}

static inline void tpeer_close(tpeer *p)
{
    tpeer_close_conn(p);
#ifdef _WIN32
    if (p->kind == 3) { CloseHandle(p->pipe); return; }
#else
    if (p->kind == 2) unlink(p->path);
#endif
    tsock_close(p->ls);
}

static inline int tpeer_write(tpeer *p, const void *data, int len)
{
#ifdef _WIN32
    DWORD w = 0;
    if (p->kind == 3) return WriteFile(p->pipe, data, (DWORD)len, &w, NULL) && (int)w == len ? 0 : -1;
    return send(p->s, (const char *)data, len, 0) == len ? 0 : -1;
#else
    return send(p->s, data, (size_t)len, MSG_NOSIGNAL) == len ? 0 : -1;
#endif
}

/* Exactly n bytes within timeout_ms; -1 on timeout or close. */
static inline int tpeer_read_n(tpeer *p, char *buf, int n, int timeout_ms)
{
    long long deadline = t_now_ms() + timeout_ms;
    int got = 0;
    while (got < n) {
        int r = 0;
        if (t_now_ms() > deadline) return -1;
#ifdef _WIN32
        if (p->kind == 3) {
            DWORD avail = 0, rd = 0;
            if (!PeekNamedPipe(p->pipe, NULL, 0, NULL, &avail, NULL)) return -1;
            if (avail == 0) { Sleep(1); continue; }
            if (!ReadFile(p->pipe, buf + got, (DWORD)(n - got) < avail ? (DWORD)(n - got) : avail, &rd, NULL)) return -1;
            got += (int)rd;
            continue;
        } else {
            fd_set fs;
            struct timeval tv = { 0, 20000 };
            FD_ZERO(&fs);
            FD_SET(p->s, &fs);
            if (select(0, &fs, NULL, NULL, &tv) <= 0) continue;
        }
#else
        {
            struct pollfd pf = { p->s, POLLIN, 0 };
            if (poll(&pf, 1, 20) <= 0) continue;
        }
#endif
        r = (int)recv(p->s, buf + got, (size_t)(n - got), 0);
        if (r <= 0) return -1;
        got += r;
    }
    return 0;
}

/* One frame's body into buf (NUL-terminated); its length, or -1. */
static inline int tpeer_read_frame(tpeer *p, char *buf, int cap, int timeout_ms)
{
    unsigned char h[4];
    int n;
    if (tpeer_read_n(p, (char *)h, 4, timeout_ms) != 0) return -1;
    n = gb_frame_length(h, 4);
    if (n < 0 || n >= cap) return -1;
    if (tpeer_read_n(p, buf, n, timeout_ms) != 0) return -1;
    buf[n] = '\0';
    return n;
}

/* Reads frames until one of message_type `type` arrives (others are dropped); its length or -1. */
static inline int tpeer_expect(tpeer *p, const char *type, char *buf, int cap, int timeout_ms)
{
    char pat[48], t[32];
    long long deadline = t_now_ms() + timeout_ms;
    snprintf(pat, sizeof pat, "%s", type);
    while (t_now_ms() < deadline) {
        int n = tpeer_read_frame(p, buf, cap, (int)(deadline - t_now_ms()));
        if (n < 0) return -1;
        if (strcmp(t_json_str(buf, "message_type", t, sizeof t), pat) == 0) return n;
    }
    return -1;
}

static inline int tpeer_send_raw(tpeer *p, const char *body, int len)
{
    unsigned char frame[4 + 65536];
    int n = gb_frame_encode((const unsigned char *)body, len, frame, (int)sizeof frame);
    return n < 0 ? -1 : tpeer_write(p, frame, n);
}

/* Sends a message of Guardian's stream (p->stream, by default "guardian-1"). */
static inline int tpeer_send(tpeer *p, const char *type, long long seq, const char *payload)
{
    char body[65537];
    int n = gb_encode_message(p->stream ? p->stream : "guardian-1", seq, type, "GUARDIAN", "EA", NULL, NULL, payload, p->key,
                              body, (int)sizeof body);
    return n < 0 ? -1 : tpeer_send_raw(p, body, n);
}

/* Runs fn(arg) in a thread. */
typedef struct { void (*fn)(void *); void *arg; } t_thread_start;
#ifdef _WIN32
typedef HANDLE t_thread;
static inline DWORD WINAPI t_trampoline(LPVOID a) { t_thread_start *s = (t_thread_start *)a; s->fn(s->arg); return 0; }
static inline t_thread t_spawn(t_thread_start *s) { return CreateThread(NULL, 0, t_trampoline, s, 0, NULL); }
static inline void t_join(t_thread t) { WaitForSingleObject(t, INFINITE); CloseHandle(t); }
#else
typedef pthread_t t_thread;
static inline void *t_trampoline(void *a) { t_thread_start *s = (t_thread_start *)a; s->fn(s->arg); return NULL; }
static inline t_thread t_spawn(t_thread_start *s) { pthread_t t; pthread_create(&t, NULL, t_trampoline, s); return t; }
static inline void t_join(t_thread t) { pthread_join(t, NULL); }
#endif

#endif
