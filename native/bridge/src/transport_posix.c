/* POSIX transports: TCP and Unix domain sockets, non-blocking with poll() so every wait has a
 * deadline (an EA timer must never hang on a dead Guardian). The Windows twin (TCP and named
 * pipes) is transport_win.c. */
#ifndef _WIN32
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "gb_internal.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: SO_NOSIGPIPE is set on the socket instead */
#endif

static void prepare(int fd)
{
    int one = 1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
#ifdef SO_NOSIGPIPE
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    (void)one;
}

/* Waits for a non-blocking connect; 0 connected, else a gb_error. */
static int finish_connect(int fd, int rc, int timeout_ms)
{
    struct pollfd p;
    int err = 0;
    socklen_t len = sizeof err;
    if (rc == 0) return GB_OK;
    if (errno != EINPROGRESS && errno != EAGAIN) return GB_E_CONNECT;
    p.fd = fd;
    p.events = POLLOUT;
    p.revents = 0;
    rc = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
    if (rc == 0) return GB_E_TIMEOUT;
    if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) return GB_E_CONNECT;
    return GB_OK;
}

int gbt_connect_tcp(gb_transport *t, const char *host, int port, int timeout_ms, char *err, size_t ecap)
{
    struct addrinfo hints, *res = NULL, *ai;
    char ps[16];
    int rc = GB_E_CONNECT, one = 1, g;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(ps, sizeof ps, "%d", port);
    g = getaddrinfo(host, ps, &hints, &res);
    if (g != 0) {
        snprintf(err, ecap, "resolve %s: %s", host, gai_strerror(g));
        return GB_E_CONNECT;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        prepare(fd);
        rc = finish_connect(fd, connect(fd, ai->ai_addr, ai->ai_addrlen), timeout_ms);
        if (rc == GB_OK) {
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* frames are small */
            t->kind = 1;
            t->fd = fd;
            break;
        }
        close(fd);
    }
    freeaddrinfo(res);
    if (rc != GB_OK) snprintf(err, ecap, "connect %s:%d: %s", host, port, rc == GB_E_TIMEOUT ? "timeout" : "refused or unreachable");
    return rc;
}

int gbt_connect_pipe(gb_transport *t, const char *path, int timeout_ms, char *err, size_t ecap)
{
    struct sockaddr_un sa;
    int fd, rc;
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, ecap, "unix socket path too long");
        return GB_E_ARG;
    }
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return GB_E_CONNECT;
    prepare(fd);
    rc = finish_connect(fd, connect(fd, (struct sockaddr *)&sa, sizeof sa), timeout_ms);
    if (rc != GB_OK) {
        close(fd);
        snprintf(err, ecap, "connect %s: %s", path, strerror(errno));
        return rc;
    }
    t->kind = 2;
    t->fd = fd;
    return GB_OK;
}

int gbt_write_all(gb_transport *t, const void *data, size_t len, int timeout_ms)
{
    const char *p = (const char *)data;
    long long deadline = gbp_mono_ms() + timeout_ms;
    if (t->kind == 0) return GB_E_NOT_CONNECTED;
    while (len > 0) {
        ssize_t w = send((int)t->fd, p, len, MSG_NOSIGNAL);
        if (w > 0) { p += w; len -= (size_t)w; continue; }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pf;
            long long left = deadline - gbp_mono_ms();
            if (left <= 0) return GB_E_TIMEOUT;
            pf.fd = (int)t->fd;
            pf.events = POLLOUT;
            pf.revents = 0;
            poll(&pf, 1, (int)left);
            continue;
        }
        return GB_E_CLOSED;
    }
    return GB_OK;
}

int gbt_read(gb_transport *t, void *buf, size_t cap, int timeout_ms)
{
    struct pollfd pf;
    ssize_t r;
    if (t->kind == 0) return GB_E_NOT_CONNECTED;
    if (cap == 0) return 0;
    pf.fd = (int)t->fd;
    pf.events = POLLIN;
    pf.revents = 0;
    if (poll(&pf, 1, timeout_ms < 0 ? 0 : timeout_ms) <= 0) return 0;
    r = recv((int)t->fd, buf, cap, 0);
    if (r > 0) return (int)r;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
    return GB_E_CLOSED;
}

void gbt_close(gb_transport *t)
{
    if (t->kind != 0) close((int)t->fd);
    t->kind = 0;
    t->fd = -1;
}

#else
typedef int gb_transport_posix_unused; /* ISO C forbids an empty translation unit */
#endif
