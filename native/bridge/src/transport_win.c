/* Windows transports for the MT4 host: TCP (Winsock, non-blocking with select deadlines) and
 * named pipes "\\.\pipe\NAME" opened with CreateFile. Pipe reads poll PeekNamedPipe so a read
 * never blocks past its timeout without overlapped I/O. */
#ifdef _WIN32
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_internal.h"

#define PIPE_PREFIX "\\\\.\\pipe\\"

static int wait_socket(SOCKET s, int write, int timeout_ms)
{
    fd_set fs, ex;
    struct timeval tv;
    FD_ZERO(&fs);
    FD_ZERO(&ex);
    FD_SET(s, &fs);
    FD_SET(s, &ex);
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    return select(0, write ? NULL : &fs, write ? &fs : NULL, &ex, &tv) > 0 && !FD_ISSET(s, &ex);
}

int gbt_connect_tcp(gb_transport *t, const char *host, int port, int timeout_ms, char *err, size_t ecap)
{
    WSADATA wsa;
    struct addrinfo hints, *res = NULL, *ai;
    char ps[16];
    int rc = GB_E_CONNECT;
    BOOL one = TRUE;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return GB_E_CONNECT; /* refcounted: undone in close */
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(ps, sizeof ps, "%d", port);
    if (getaddrinfo(host, ps, &hints, &res) != 0) {
        snprintf(err, ecap, "resolve %s failed", host);
        WSACleanup();
        return GB_E_CONNECT;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        u_long nb = 1;
        SOCKET s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (s == INVALID_SOCKET) continue;
        ioctlsocket(s, FIONBIO, &nb);
        if (connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0 ||
            (WSAGetLastError() == WSAEWOULDBLOCK && wait_socket(s, 1, timeout_ms < 0 ? 0 : timeout_ms))) {
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
            t->kind = 1;
            t->fd = (intptr_t)s;
            rc = GB_OK;
            break;
        }
        closesocket(s);
    }
    freeaddrinfo(res);
    if (rc != GB_OK) {
        snprintf(err, ecap, "connect %s:%d failed", host, port);
        WSACleanup();
    }
    return rc;
}

int gbt_connect_pipe(gb_transport *t, const char *path, int timeout_ms, char *err, size_t ecap)
{
    size_t n = strlen(path), pl = strlen(PIPE_PREFIX);
    char *full = (char *)malloc(n + pl + 1);
    wchar_t *w;
    HANDLE h = INVALID_HANDLE_VALUE;
    long long deadline = gbp_mono_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
    DWORD mode = PIPE_READMODE_BYTE;
    if (!full) return GB_E_NOMEM;
    /* A bare name gets the \\.\pipe\ prefix, so config can say "guardian-bridge". */
    if (_strnicmp(path, PIPE_PREFIX, pl) == 0) memcpy(full, path, n + 1);
    else { memcpy(full, PIPE_PREFIX, pl); memcpy(full + pl, path, n + 1); }
    w = gbp_wide(full);
    free(full);
    if (!w) return GB_E_ARG;
    for (;;) {
        long long left;
        h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (h != INVALID_HANDLE_VALUE) break;
        left = deadline - gbp_mono_ms();
        if (GetLastError() != ERROR_PIPE_BUSY || left <= 0) break;
        WaitNamedPipeW(w, (DWORD)left); /* every instance busy: wait for one to free up */
    }
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        snprintf(err, ecap, "open pipe %s failed (error %lu)", path, (unsigned long)GetLastError());
        return GB_E_CONNECT;
    }
    SetNamedPipeHandleState(h, &mode, NULL, NULL);
    t->kind = 3;
    t->fd = (intptr_t)h;
    return GB_OK;
}

int gbt_write_all(gb_transport *t, const void *data, size_t len, int timeout_ms)
{
    const char *p = (const char *)data;
    long long deadline = gbp_mono_ms() + timeout_ms;
    if (t->kind == 0) return GB_E_NOT_CONNECTED;
    while (len > 0) {
        if (t->kind == 3) {
            DWORD w = 0;
            if (!WriteFile((HANDLE)t->fd, p, (DWORD)len, &w, NULL)) return GB_E_CLOSED;
            p += w;
            len -= w;
        } else {
            int w = send((SOCKET)t->fd, p, (int)len, 0);
            if (w > 0) { p += w; len -= (size_t)w; continue; }
            if (w < 0 && WSAGetLastError() == WSAEWOULDBLOCK) {
                long long left = deadline - gbp_mono_ms();
                if (left <= 0) return GB_E_TIMEOUT;
                wait_socket((SOCKET)t->fd, 1, (int)left);
                continue;
            }
            return GB_E_CLOSED;
        }
    }
    return GB_OK;
}

int gbt_read(gb_transport *t, void *buf, size_t cap, int timeout_ms)
{
    if (t->kind == 0) return GB_E_NOT_CONNECTED;
    if (cap == 0) return 0;
    if (t->kind == 3) {
        long long deadline = gbp_mono_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
        for (;;) {
            DWORD avail = 0, r = 0;
            if (!PeekNamedPipe((HANDLE)t->fd, NULL, 0, NULL, &avail, NULL)) return GB_E_CLOSED;
            if (avail > 0) {
                if (avail > cap) avail = (DWORD)cap;
                if (!ReadFile((HANDLE)t->fd, buf, avail, &r, NULL)) return GB_E_CLOSED;
                return (int)r;
            }
            if (gbp_mono_ms() >= deadline) return 0;
            Sleep(1);
        }
    } else {
        int r;
        if (!wait_socket((SOCKET)t->fd, 0, timeout_ms < 0 ? 0 : timeout_ms)) return 0;
        r = recv((SOCKET)t->fd, (char *)buf, (int)cap, 0);
        if (r > 0) return r;
        if (r < 0 && WSAGetLastError() == WSAEWOULDBLOCK) return 0;
        return GB_E_CLOSED;
    }
}

void gbt_close(gb_transport *t)
{
    if (t->kind == 3) CloseHandle((HANDLE)t->fd);
    else if (t->kind == 1) { closesocket((SOCKET)t->fd); WSACleanup(); }
    t->kind = 0;
    t->fd = -1;
}

#else
typedef int gb_transport_win_unused; /* ISO C forbids an empty translation unit */
#endif
