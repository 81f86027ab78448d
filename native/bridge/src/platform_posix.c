/* POSIX side of the platform layer: clocks, durable files (fsync of file and directory), the
 * state-dir lock, the registry mutex. The Windows twin is platform_win.c. */
#ifndef _WIN32
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gb_internal.h"

long long gbp_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long gbp_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void gbp_timestamp(char out[32])
{
    long long ms = gbp_wall_ms();
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    char buf[96]; /* roomy enough for any int fields, so the format cannot truncate */
    gmtime_r(&secs, &tm);
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    memcpy(out, buf, 24); /* the format is exactly 24 characters for years 0..9999 */
    out[24] = '\0';
}

char *gbp_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *p = (char *)malloc(na + nb + 2);
    if (!p) return NULL;
    memcpy(p, a, na);
    p[na] = '/';
    memcpy(p + na + 1, b, nb + 1);
    return p;
}

int gbp_mkdirs(const char *path)
{
    char *p, *s;
    struct stat st;
    int rc = GB_OK;
    if (!path || !path[0]) return GB_E_ARG;
    p = strdup(path);
    if (!p) return GB_E_NOMEM;
    for (s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char was = *s;
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) rc = GB_E_IO;
            *s = was;
            if (rc != GB_OK || was == '\0') break;
        }
    }
    if (rc == GB_OK && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) rc = GB_E_IO;
    free(p);
    return rc;
}

int gbp_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY), rc;
    if (fd < 0) return GB_E_IO;
    rc = fsync(fd) == 0 ? GB_OK : GB_E_IO;
    close(fd);
    return rc;
}

int gbp_write_atomic(const char *dir, const char *tmp_name, const char *final_name,
                     const void *data, size_t len)
{
    char *tmp = gbp_join(dir, tmp_name), *fin = gbp_join(dir, final_name);
    const char *p = (const char *)data;
    int fd = -1, rc = GB_E_IO;
    if (!tmp || !fin) { rc = GB_E_NOMEM; goto out; }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) goto out;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) { if (errno == EINTR) continue; goto out; }
        p += w;
        len -= (size_t)w;
    }
    if (fsync(fd) != 0) goto out;
    close(fd);
    fd = -1;
    if (rename(tmp, fin) != 0) goto out;
    rc = gbp_sync_dir(dir);
out:
    if (fd >= 0) { close(fd); unlink(tmp); }
    free(tmp);
    free(fin);
    return rc;
}

int gbp_read_file(const char *dir, const char *name, char **data, size_t *len, size_t max)
{
    char *path = gbp_join(dir, name), *buf = NULL;
    struct stat st;
    size_t got = 0;
    int fd, rc = GB_E_IO;
    if (!path) return GB_E_NOMEM;
    fd = open(path, O_RDONLY);
    free(path);
    if (fd < 0) return errno == ENOENT ? 1 : GB_E_IO;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size > max) goto out;
    buf = (char *)malloc((size_t)st.st_size + 1);
    if (!buf) { rc = GB_E_NOMEM; goto out; }
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) goto out;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    buf = NULL;
    rc = GB_OK;
out:
    free(buf);
    close(fd);
    return rc;
}

int gbp_remove(const char *dir, const char *name)
{
    char *path = gbp_join(dir, name);
    int rc;
    if (!path) return GB_E_NOMEM;
    rc = (unlink(path) == 0 || errno == ENOENT) ? GB_OK : GB_E_IO;
    free(path);
    return rc;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

int gbp_list_seq(const char *dir, const char *suffix, long long **out, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t cap = 0, sl = strlen(suffix);
    *out = NULL;
    *n = 0;
    if (!d) return errno == ENOENT ? GB_OK : GB_E_IO;
    while ((de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        long long v = 0;
        int i;
        if (strlen(nm) != 12 + sl || strcmp(nm + 12, suffix) != 0) continue;
        for (i = 0; i < 12 && nm[i] >= '0' && nm[i] <= '9'; i++) v = v * 10 + (nm[i] - '0');
        if (i < 12) continue;
        if (*n == cap) {
            long long *g = (long long *)realloc(*out, (cap ? cap * 2 : 16) * sizeof **out);
            if (!g) { closedir(d); free(*out); *out = NULL; *n = 0; return GB_E_NOMEM; }
            *out = g;
            cap = cap ? cap * 2 : 16;
        }
        (*out)[(*n)++] = v;
    }
    closedir(d);
    if (*n > 1) qsort(*out, *n, sizeof **out, cmp_ll);
    return GB_OK;
}

int gbp_lock_dir(const char *dir, void **lock)
{
    char *path = gbp_join(dir, "lock");
    int fd, *h;
    if (!path) return GB_E_NOMEM;
    fd = open(path, O_RDWR | O_CREAT, 0644);
    free(path);
    if (fd < 0) return GB_E_IO;
    /* flock is per open file, so a second gb_open on the same dir in this process is refused too. */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) { close(fd); return GB_E_BUSY; }
    h = (int *)malloc(sizeof *h);
    if (!h) { close(fd); return GB_E_NOMEM; }
    *h = fd;
    *lock = h;
    return GB_OK;
}

void gbp_unlock_dir(void *lock)
{
    if (!lock) return;
    close(*(int *)lock); /* releases the flock */
    free(lock);
}

void gbp_sleep_ms(int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;
void gbp_registry_lock(void) { pthread_mutex_lock(&registry_mutex); }
void gbp_registry_unlock(void) { pthread_mutex_unlock(&registry_mutex); }

#else
typedef int gb_platform_posix_unused; /* ISO C forbids an empty translation unit */
#endif
