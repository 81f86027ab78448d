/* Guardian's named pipe server (src/pipe_server_win.c). On Windows (or wine): the instance's DACL
 * admits only LocalSystem and the current user, a second listener on the same name is refused,
 * bytes go both ways, a blocked read wakes on close, bad handles are refused. On POSIX: every
 * call says GB_E_UNSUPPORTED. */
#include "test_util.h"

#ifdef _WIN32
static DWORD WINAPI client_thread(LPVOID arg)
{
    const wchar_t *name = (const wchar_t *)arg;
    HANDLE h = INVALID_HANDLE_VALUE;
    char buf[16];
    DWORD n = 0;
    int i;
    for (i = 0; i < 200 && h == INVALID_HANDLE_VALUE; i++) {
        h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (h == INVALID_HANDLE_VALUE) Sleep(10);
    }
    if (h == INVALID_HANDLE_VALUE) return 1;
    WriteFile(h, "ping", 4, &n, NULL);
    ReadFile(h, buf, sizeof buf, &n, NULL); /* "pong" */
    CloseHandle(h);
    return n == 4 && memcmp(buf, "pong", 4) == 0 ? 0 : 2;
}
#endif

int main(void)
{
#ifdef _WIN32
    char sddl[512], buf[16];
    long long server, second, conn;
    HANDLE t;
    DWORD code = 99;
    wchar_t name[64];
    swprintf(name, 64, L"\\\\.\\pipe\\gb-test-%lu", (unsigned long)GetCurrentProcessId());
    {
        char narrow[64];
        snprintf(narrow, sizeof narrow, "gb-test-%lu", (unsigned long)GetCurrentProcessId());
        server = gb_pipe_listen(narrow);
        CHECK(server > 0);
        second = gb_pipe_listen(narrow);
        /* FIRST_PIPE_INSTANCE: no sharing a name. Wine does not enforce the flag, so there the
         * check is reported, not made. */
        if (GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version")) {
            printf("under wine: FILE_FLAG_FIRST_PIPE_INSTANCE is not enforced, the taken-name check is skipped\n");
            if (second > 0) gb_pipe_close(second);
        } else {
            CHECK_EQ(second, GB_E_BUSY);
        }
    }
    CHECK(gb_pipe_security(server, sddl, sizeof sddl) > 0);
    CHECK(strstr(sddl, "D:P") == sddl);       /* protected: nothing inherited */
    CHECK(strstr(sddl, "(A;;GA;;;SY)") != NULL || strstr(sddl, "(A;;FA;;;SY)") != NULL);
    CHECK(strstr(sddl, ";;;WD)") == NULL);    /* not Everyone */
    CHECK(strstr(sddl, ";;;AN)") == NULL);    /* not Anonymous */

    CHECK_EQ(gb_pipe_accept(server, 50), 0);  /* nobody yet: a timeout, not an error */
    t = CreateThread(NULL, 0, client_thread, name, 0, NULL);
    conn = gb_pipe_accept(server, 5000);
    CHECK(conn > 0);
    CHECK_EQ(gb_pipe_read(conn, (unsigned char *)buf, sizeof buf, 5000), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK_EQ(gb_pipe_write(conn, (const unsigned char *)"pong", 4, 5000), 4);
    WaitForSingleObject(t, 5000);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    CHECK_EQ(code, 0);
    CHECK_EQ(gb_pipe_read(conn, (unsigned char *)buf, sizeof buf, 2000), GB_E_CLOSED); /* the client left */
    gb_pipe_close(conn);
    CHECK_EQ(gb_pipe_read(conn, (unsigned char *)buf, sizeof buf, 10), GB_E_ARG); /* a closed handle */
    CHECK_EQ(gb_pipe_accept(12345678, 10), GB_E_ARG);
    CHECK_EQ(gb_pipe_listen("bad\\name"), GB_E_ARG);
    CHECK_EQ(gb_pipe_listen(NULL), GB_E_ARG);
    gb_pipe_close(server);
    gb_pipe_close(server); /* twice: harmless */
#else
    char out[8];
    CHECK_EQ(gb_pipe_listen("x"), GB_E_UNSUPPORTED);
    CHECK_EQ(gb_pipe_accept(1, 0), GB_E_UNSUPPORTED);
    CHECK_EQ(gb_pipe_read(1, (unsigned char *)out, sizeof out, 0), GB_E_UNSUPPORTED);
    CHECK_EQ(gb_pipe_write(1, (const unsigned char *)"x", 1, 0), GB_E_UNSUPPORTED);
    CHECK_EQ(gb_pipe_security(1, out, sizeof out), GB_E_UNSUPPORTED);
    gb_pipe_close(1);
#endif
    TEST_DONE();
}
