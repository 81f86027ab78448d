/* Windows side of the platform layer (the MT4 host): UTF-8 paths converted to UTF-16 for the
 * W APIs, FlushFileBuffers + MoveFileEx(WRITE_THROUGH) for durability, a share-mode-0 lock file
 * (released by the OS if the terminal dies), an SRWLOCK for the registry. */
#ifdef _WIN32
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gb_internal.h"

wchar_t *gbp_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    wchar_t *w;
    if (n <= 0) return NULL;
    w = (wchar_t *)malloc((size_t)n * sizeof *w);
    if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) { free(w); w = NULL; }
    return w;
}

long long gbp_mono_ms(void) { return (long long)GetTickCount64(); }

long long gbp_wall_ms(void)
{
    FILETIME ft;
    ULARGE_INTEGER u;
    GetSystemTimeAsFileTime(&ft);
    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    return (long long)((u.QuadPart - 116444736000000000ULL) / 10000ULL); /* 1601 -> 1970 epoch */
}

void gbp_timestamp(char out[32])
{
    SYSTEMTIME st;
    GetSystemTime(&st);
    snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", st.wYear, st.wMonth, st.wDay,
             st.wHour, st.wMinute, st.wSecond, st.wMilliseconds);
}

char *gbp_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *p = (char *)malloc(na + nb + 2);
    if (!p) return NULL;
    memcpy(p, a, na);
    p[na] = '\\';
    memcpy(p + na + 1, b, nb + 1);
    return p;
}

static int is_dir(const wchar_t *w)
{
    DWORD a = GetFileAttributesW(w);
    return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
}

int gbp_mkdirs(const char *path)
{
    wchar_t *w, *s;
    int rc;
    if (!path || !path[0]) return GB_E_ARG;
    w = gbp_wide(path);
    if (!w) return GB_E_ARG;
    /* Create each prefix; failures on roots ("C:", "\\server\share") are expected and ignored,
     * only the final directory's existence counts. */
    for (s = w + 1; ; s++) {
        if (*s == L'\\' || *s == L'/' || *s == 0) {
            wchar_t was = *s;
            *s = 0;
            CreateDirectoryW(w, NULL);
            *s = was;
            if (!was) break;
        }
    }
    rc = is_dir(w) ? GB_OK : GB_E_IO;
    free(w);
    return rc;
}

int gbp_write_atomic(const char *dir, const char *tmp_name, const char *final_name,
                     const void *data, size_t len)
{
    char *tmp = gbp_join(dir, tmp_name), *fin = gbp_join(dir, final_name);
    wchar_t *wt = tmp ? gbp_wide(tmp) : NULL, *wf = fin ? gbp_wide(fin) : NULL;
    const char *p = (const char *)data;
    HANDLE h = INVALID_HANDLE_VALUE;
    int rc = GB_E_IO;
    if (!wt || !wf) goto out;
    h = CreateFileW(wt, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) goto out;
    while (len > 0) {
        DWORD chunk = len > 0x40000000u ? 0x40000000u : (DWORD)len, w = 0;
        if (!WriteFile(h, p, chunk, &w, NULL) || w == 0) goto out;
        p += w;
        len -= w;
    }
    if (!FlushFileBuffers(h)) goto out;
    CloseHandle(h);
    h = INVALID_HANDLE_VALUE;
    if (MoveFileExW(wt, wf, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) rc = GB_OK;
out:
    if (h != INVALID_HANDLE_VALUE) { CloseHandle(h); DeleteFileW(wt); }
    free(wt); free(wf); free(tmp); free(fin);
    return rc;
}

int gbp_read_file(const char *dir, const char *name, char **data, size_t *len, size_t max)
{
    char *path = gbp_join(dir, name), *buf = NULL;
    wchar_t *w = path ? gbp_wide(path) : NULL;
    HANDLE h;
    LARGE_INTEGER size;
    DWORD got = 0;
    int rc = GB_E_IO;
    free(path);
    if (!w) return GB_E_IO;
    h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        return (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) ? 1 : GB_E_IO;
    }
    if (!GetFileSizeEx(h, &size) || size.QuadPart < 0 || (unsigned long long)size.QuadPart > max) goto out;
    buf = (char *)malloc((size_t)size.QuadPart + 1);
    if (!buf) { rc = GB_E_NOMEM; goto out; }
    while (got < (DWORD)size.QuadPart) {
        DWORD r = 0;
        if (!ReadFile(h, buf + got, (DWORD)size.QuadPart - got, &r, NULL) || r == 0) goto out;
        got += r;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    buf = NULL;
    rc = GB_OK;
out:
    free(buf);
    CloseHandle(h);
    return rc;
}

int gbp_remove(const char *dir, const char *name)
{
    char *path = gbp_join(dir, name);
    wchar_t *w = path ? gbp_wide(path) : NULL;
    int rc = GB_E_IO;
    free(path);
    if (!w) return rc;
    if (DeleteFileW(w) || GetLastError() == ERROR_FILE_NOT_FOUND) rc = GB_OK;
    free(w);
    return rc;
}

/* NTFS journals metadata and MoveFileEx(WRITE_THROUGH) already flushed the rename. */
int gbp_sync_dir(const char *dir)
{
    (void)dir;
    return GB_OK;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

int gbp_list_seq(const char *dir, const char *suffix, long long **out, size_t *n)
{
    char *pat = gbp_join(dir, "*");
    wchar_t *w = pat ? gbp_wide(pat) : NULL;
    WIN32_FIND_DATAW fd;
    HANDLE h;
    size_t cap = 0, sl = strlen(suffix);
    *out = NULL;
    *n = 0;
    free(pat);
    if (!w) return GB_E_IO;
    h = FindFirstFileW(w, &fd);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        return (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) ? GB_OK : GB_E_IO;
    }
    do {
        const wchar_t *nm = fd.cFileName;
        long long v = 0;
        size_t i;
        if (wcslen(nm) != 12 + sl) continue;
        for (i = 0; i < 12 && nm[i] >= L'0' && nm[i] <= L'9'; i++) v = v * 10 + (nm[i] - L'0');
        if (i < 12) continue;
        for (i = 0; i < sl && nm[12 + i] == (wchar_t)(unsigned char)suffix[i]; i++) {}
        if (i < sl) continue;
        if (*n == cap) {
            long long *g = (long long *)realloc(*out, (cap ? cap * 2 : 16) * sizeof **out);
            if (!g) { FindClose(h); free(*out); *out = NULL; *n = 0; return GB_E_NOMEM; }
            *out = g;
            cap = cap ? cap * 2 : 16;
        }
        (*out)[(*n)++] = v;
    } while (FindNextFileW(h, &fd));
    FindClose(h);
    if (*n > 1) qsort(*out, *n, sizeof **out, cmp_ll);
    return GB_OK;
}

int gbp_lock_dir(const char *dir, void **lock)
{
    char *path = gbp_join(dir, "lock");
    wchar_t *w = path ? gbp_wide(path) : NULL;
    HANDLE h;
    free(path);
    if (!w) return GB_E_IO;
    h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return GetLastError() == ERROR_SHARING_VIOLATION ? GB_E_BUSY : GB_E_IO;
    *lock = (void *)h;
    return GB_OK;
}

void gbp_unlock_dir(void *lock)
{
    if (lock) CloseHandle((HANDLE)lock);
}

void gbp_sleep_ms(int ms) { Sleep((DWORD)(ms < 0 ? 0 : ms)); }

static SRWLOCK registry_lock = SRWLOCK_INIT;
void gbp_registry_lock(void) { AcquireSRWLockExclusive(&registry_lock); }
void gbp_registry_unlock(void) { ReleaseSRWLockExclusive(&registry_lock); }

#else
typedef int gb_platform_win_unused; /* ISO C forbids an empty translation unit */
#endif
