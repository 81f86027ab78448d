/* Guardian's side of the pipe path on Windows: a named pipe server whose every instance carries
 * a DACL granting only the current user and LocalSystem, and refuses remote clients.
 *
 * Why here and not in Node: libuv creates a pipe with the default security descriptor (read
 * access for Everyone, reachable from other machines over SMB) and Node offers no way to narrow
 * it. So on Windows Guardian asks this library to create and serve the pipe, and wraps the
 * connections as streams (src-main/guardian/native/secure-pipe.ts).
 *
 * Self-contained: it uses only the public header's error codes, so it stays out of the EA
 * client's way. Handles are small positive integers kept in a registry, so a stale or garbage
 * handle is refused rather than dereferenced. Every blocking call waits on its I/O and on the
 * handle's cancel event, so gb_pipe_close() from any thread wakes a blocked accept or read, and
 * the object is freed only when the last call using it has returned (a reference count).
 * Elsewhere (POSIX) every function returns GB_E_UNSUPPORTED: Guardian uses a Unix socket in its
 * data dir there, whose directory permissions do the same job. */
#include "guardian_bridge.h"

#ifdef _WIN32
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <sddl.h>
#include <aclapi.h>
#include <stdlib.h>
#include <string.h>

#define PIPE_PREFIX L"\\\\.\\pipe\\"
#define MAX_OBJECTS 256
#define PIPE_BUFFER_BYTES 65536

enum { KIND_SERVER = 1, KIND_CONN = 2 };

typedef struct pipe_obj {
    long long id;
    int kind;
    HANDLE pipe;     /* server: the instance waiting for the next client; conn: its instance */
    HANDLE cancel;   /* manual-reset: set by gb_pipe_close, wakes blocked calls */
    wchar_t *name;   /* server: full pipe name, for the next instance */
    PSECURITY_DESCRIPTOR sd; /* server: the narrowed descriptor every instance gets */
    LONG refs;       /* the registry's reference + one per call in progress */
    int closed;
} pipe_obj;

static SRWLOCK table_lock = SRWLOCK_INIT;
static pipe_obj *table[MAX_OBJECTS];
static long long next_id = 1;

static void obj_free(pipe_obj *o)
{
    /* Closed, not flushed: FlushFileBuffers would wait for a client that may never read again.
     * What the client has not read is resent after its next HELLO (PROTOCOL.md 5.3). */
    if (o->pipe != INVALID_HANDLE_VALUE) CloseHandle(o->pipe);
    if (o->cancel) CloseHandle(o->cancel);
    if (o->sd) LocalFree(o->sd);
    free(o->name);
    free(o);
}

static void obj_release(pipe_obj *o)
{
    if (InterlockedDecrement(&o->refs) == 0) obj_free(o);
}

/* The object behind a handle, with a reference the caller releases; NULL if unknown or closed. */
static pipe_obj *obj_acquire(long long id, int kind)
{
    pipe_obj *o = NULL;
    int i;
    if (id <= 0) return NULL;
    AcquireSRWLockShared(&table_lock);
    for (i = 0; i < MAX_OBJECTS; i++) {
        if (table[i] && table[i]->id == id && table[i]->kind == kind && !table[i]->closed) {
            o = table[i];
            InterlockedIncrement(&o->refs);
            break;
        }
    }
    ReleaseSRWLockShared(&table_lock);
    return o;
}

static long long obj_register(pipe_obj *o)
{
    long long id = GB_E_NOMEM;
    int i;
    AcquireSRWLockExclusive(&table_lock);
    for (i = 0; i < MAX_OBJECTS; i++) {
        if (!table[i]) {
            o->id = id = next_id++;
            o->refs = 1;
            table[i] = o;
            break;
        }
    }
    ReleaseSRWLockExclusive(&table_lock);
    return id;
}

static pipe_obj *obj_new(int kind)
{
    pipe_obj *o = (pipe_obj *)calloc(1, sizeof *o);
    if (!o) return NULL;
    o->kind = kind;
    o->pipe = INVALID_HANDLE_VALUE;
    o->cancel = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!o->cancel) { free(o); return NULL; }
    return o;
}

/* "D:P(A;;GA;;;SY)(A;;GA;;;<the user's SID>)": protected (no inherited entries), full access
 * for LocalSystem and the user running Guardian, nothing for anyone else. */
static PSECURITY_DESCRIPTOR user_only_descriptor(void)
{
    HANDLE token = NULL;
    DWORD len = 0;
    TOKEN_USER *user = NULL;
    wchar_t *sid = NULL;
    wchar_t sddl[256];
    PSECURITY_DESCRIPTOR sd = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return NULL;
    GetTokenInformation(token, TokenUser, NULL, 0, &len);
    user = (TOKEN_USER *)malloc(len ? len : 1);
    if (user && GetTokenInformation(token, TokenUser, user, len, &len) && ConvertSidToStringSidW(user->User.Sid, &sid)) {
        if (wcslen(sid) < 180) {
            wcscpy(sddl, L"D:P(A;;GA;;;SY)(A;;GA;;;");
            wcscat(sddl, sid);
            wcscat(sddl, L")");
            if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL)) sd = NULL;
        }
        LocalFree(sid);
    }
    free(user);
    CloseHandle(token);
    return sd;
}

static HANDLE new_instance(pipe_obj *server, int first)
{
    SECURITY_ATTRIBUTES sa;
    sa.nLength = sizeof sa;
    sa.lpSecurityDescriptor = server->sd;
    sa.bInheritHandle = FALSE;
    /* FIRST_PIPE_INSTANCE: if someone already created this name (a squatter waiting for the EA),
     * fail rather than share the name with them. */
    return CreateNamedPipeW(server->name,
                            PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
                            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                            PIPE_UNLIMITED_INSTANCES, PIPE_BUFFER_BYTES, PIPE_BUFFER_BYTES, 0, &sa);
}

/* Waits for an overlapped operation, the cancel event or the timeout. Returns 1 done (n set),
 * 0 timed out (the operation was cancelled and finished), GB_E_CLOSED if closed meanwhile, or
 * another negative error. A cancelled operation that completed anyway counts as done, so no
 * byte and no client is dropped by a timeout. */
static int wait_io(pipe_obj *o, OVERLAPPED *ov, int timeout_ms, DWORD *n)
{
    HANDLE both[2];
    DWORD w;
    both[0] = ov->hEvent;
    both[1] = o->cancel;
    w = WaitForMultipleObjects(2, both, FALSE, timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms);
    if (w != WAIT_OBJECT_0) CancelIoEx(o->pipe, ov);
    if (GetOverlappedResult(o->pipe, ov, n, TRUE)) return 1;
    switch (GetLastError()) {
    case ERROR_OPERATION_ABORTED: return w == WAIT_OBJECT_0 + 1 ? GB_E_CLOSED : 0;
    case ERROR_PIPE_CONNECTED: return 1;
    case ERROR_BROKEN_PIPE:
    case ERROR_NO_DATA:
    case ERROR_PIPE_NOT_CONNECTED: return GB_E_CLOSED;
    default: return GB_E_IO;
    }
}

GB_API long long GB_CALL gb_pipe_listen(const char *name)
{
    pipe_obj *o;
    int n;
    long long id;
    size_t plen = wcslen(PIPE_PREFIX);
    if (!name || !*name || strlen(name) > 200 || strchr(name, '\\') || strchr(name, '/')) return GB_E_ARG;
    o = obj_new(KIND_SERVER);
    if (!o) return GB_E_NOMEM;
    n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, NULL, 0);
    o->name = n > 0 ? (wchar_t *)malloc((plen + (size_t)n) * sizeof(wchar_t)) : NULL;
    if (!o->name) { obj_free(o); return n > 0 ? GB_E_NOMEM : GB_E_ARG; }
    wcscpy(o->name, PIPE_PREFIX);
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, o->name + plen, n);
    o->sd = user_only_descriptor();
    if (!o->sd) { obj_free(o); return GB_E_IO; }
    o->pipe = new_instance(o, 1);
    if (o->pipe == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        obj_free(o);
        return e == ERROR_ACCESS_DENIED || e == ERROR_PIPE_BUSY ? GB_E_BUSY : GB_E_IO;
    }
    id = obj_register(o);
    if (id < 0) obj_free(o);
    return id;
}

GB_API long long GB_CALL gb_pipe_accept(long long server, int timeout_ms)
{
    pipe_obj *s = obj_acquire(server, KIND_SERVER);
    pipe_obj *c;
    OVERLAPPED ov;
    DWORD n = 0;
    int rc = 1;
    long long id;
    if (!s) return GB_E_ARG;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ov.hEvent) { obj_release(s); return GB_E_NOMEM; }
    if (!ConnectNamedPipe(s->pipe, &ov)) {
        DWORD e = GetLastError();
        if (e == ERROR_IO_PENDING) rc = wait_io(s, &ov, timeout_ms, &n);
        else if (e != ERROR_PIPE_CONNECTED) rc = GB_E_IO;
    }
    CloseHandle(ov.hEvent);
    if (rc <= 0) { obj_release(s); return rc; }
    /* A client is connected to the waiting instance: it becomes the connection, and a fresh
     * instance (same descriptor) waits for the next client. */
    c = obj_new(KIND_CONN);
    if (!c) { obj_release(s); return GB_E_NOMEM; }
    c->pipe = s->pipe;
    s->pipe = new_instance(s, 0);
    id = obj_register(c);
    if (id < 0) obj_free(c);
    obj_release(s);
    return id;
}

GB_API int GB_CALL gb_pipe_read(long long conn, unsigned char *out, int cap, int timeout_ms)
{
    pipe_obj *c;
    OVERLAPPED ov;
    DWORD n = 0;
    int rc = 1;
    if (!out || cap <= 0) return GB_E_ARG;
    c = obj_acquire(conn, KIND_CONN);
    if (!c) return GB_E_ARG;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ov.hEvent) { obj_release(c); return GB_E_NOMEM; }
    if (!ReadFile(c->pipe, out, (DWORD)cap, NULL, &ov)) {
        DWORD e = GetLastError();
        if (e == ERROR_IO_PENDING) rc = wait_io(c, &ov, timeout_ms, &n);
        else rc = e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED ? GB_E_CLOSED : GB_E_IO;
    } else if (!GetOverlappedResult(c->pipe, &ov, &n, FALSE)) {
        rc = GB_E_IO;
    }
    CloseHandle(ov.hEvent);
    obj_release(c);
    if (rc == 1 && n == 0) return GB_E_CLOSED; /* a zero-byte read on a byte pipe: the client left */
    return rc == 1 ? (int)n : rc;
}

GB_API int GB_CALL gb_pipe_write(long long conn, const unsigned char *data, int len, int timeout_ms)
{
    pipe_obj *c;
    OVERLAPPED ov;
    int done = 0, rc = 1;
    if (!data || len < 0) return GB_E_ARG;
    c = obj_acquire(conn, KIND_CONN);
    if (!c) return GB_E_ARG;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ov.hEvent) { obj_release(c); return GB_E_NOMEM; }
    while (done < len && rc == 1) {
        DWORD n = 0;
        ResetEvent(ov.hEvent);
        if (!WriteFile(c->pipe, data + done, (DWORD)(len - done), NULL, &ov)) {
            DWORD e = GetLastError();
            if (e == ERROR_IO_PENDING) rc = wait_io(c, &ov, timeout_ms, &n);
            else rc = e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA ? GB_E_CLOSED : GB_E_IO;
        } else if (!GetOverlappedResult(c->pipe, &ov, &n, FALSE)) {
            rc = GB_E_IO;
        }
        if (rc == 0) rc = GB_E_TIMEOUT; /* a reader that stopped reading: the caller closes */
        done += (int)n;
    }
    CloseHandle(ov.hEvent);
    obj_release(c);
    return rc == 1 ? done : rc;
}

GB_API int GB_CALL gb_pipe_security(long long handle, char *out, int cap)
{
    pipe_obj *o = obj_acquire(handle, KIND_SERVER);
    PSECURITY_DESCRIPTOR sd = NULL;
    char *text = NULL;
    int rc = GB_E_IO;
    if (!o) o = obj_acquire(handle, KIND_CONN);
    if (!o || !out || cap <= 0) { if (o) obj_release(o); return GB_E_ARG; }
    if (GetSecurityInfo(o->pipe, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, NULL, NULL, &sd) == ERROR_SUCCESS &&
        ConvertSecurityDescriptorToStringSecurityDescriptorA(sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &text, NULL)) {
        size_t n = strlen(text);
        if (n + 1 > (size_t)cap) rc = GB_E_BUFFER;
        else { memcpy(out, text, n + 1); rc = (int)n; }
        LocalFree(text);
    }
    if (sd) LocalFree(sd);
    obj_release(o);
    return rc;
}

GB_API void GB_CALL gb_pipe_close(long long handle)
{
    pipe_obj *o = NULL;
    int i;
    if (handle <= 0) return;
    AcquireSRWLockExclusive(&table_lock);
    for (i = 0; i < MAX_OBJECTS; i++) {
        if (table[i] && table[i]->id == handle) {
            o = table[i];
            table[i] = NULL;
            o->closed = 1;
            break;
        }
    }
    ReleaseSRWLockExclusive(&table_lock);
    if (!o) return;
    SetEvent(o->cancel); /* blocked calls return GB_E_CLOSED and drop their references */
    obj_release(o);
}

#else /* POSIX: Guardian listens on a Unix socket in its data dir instead. */

GB_API long long GB_CALL gb_pipe_listen(const char *name) { (void)name; return GB_E_UNSUPPORTED; }
GB_API long long GB_CALL gb_pipe_accept(long long server, int timeout_ms) { (void)server; (void)timeout_ms; return GB_E_UNSUPPORTED; }
GB_API int GB_CALL gb_pipe_read(long long conn, unsigned char *out, int cap, int timeout_ms)
{
    (void)conn; (void)out; (void)cap; (void)timeout_ms;
    return GB_E_UNSUPPORTED;
}
GB_API int GB_CALL gb_pipe_write(long long conn, const unsigned char *data, int len, int timeout_ms)
{
    (void)conn; (void)data; (void)len; (void)timeout_ms;
    return GB_E_UNSUPPORTED;
}
GB_API int GB_CALL gb_pipe_security(long long handle, char *out, int cap) { (void)handle; (void)out; (void)cap; return GB_E_UNSUPPORTED; }
GB_API void GB_CALL gb_pipe_close(long long handle) { (void)handle; }

#endif
