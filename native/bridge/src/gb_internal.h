/* Internal declarations shared by the bridge's source files. Not installed. */
#ifndef GB_INTERNAL_H
#define GB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "guardian_bridge.h"

#define GB_NODE_MAX 64      /* node_id / stream length */
#define GB_ID_MAX 520       /* a token (message_id, stream): 128 UTF-16 units, up to 512 bytes */
#define GB_ERR_MAX 256

/* ---- crc32.c, sha256.c ---------------------------------------------------------------------- */
uint32_t gb__crc32(const void *data, size_t len);
void gb__sha256(const void *data, size_t len, unsigned char out[32]);
void gb__hmac_sha256(const unsigned char *key, size_t key_len, const void *data, size_t len,
                     unsigned char out[32]);
void gb__hex(const unsigned char *in, size_t n, char *out, int upper); /* writes 2n chars + NUL */

/* ---- json.c (reader), json_write.c (compaction, bounded builder) ---------------------------- */
typedef struct { const char *p; size_t n; } gbj_span;   /* the raw bytes of one JSON value */

int gbj_validate(const char *s, size_t n);               /* GB_OK or GB_E_BAD_JSON (UTF-8 checked) */
int gbj_get(gbj_span obj, const char *key, gbj_span *out); /* 1 found (last duplicate wins), 0 not */
char gbj_kind(gbj_span v);                               /* 's' 'n' 'o' 'a' 't' 'f' 'z'(null) */
int gbj_string(gbj_span v, char *out, size_t cap);       /* decoded length, or -1 */
int gbj_number(gbj_span v, int *is_int, long long *ival); /* 0 finite number, -1 not */
int gbj_int(gbj_span v, long long *out);                 /* 0: a safe integer (JS), -1 not */
/* A "token" (stream and message ids): a string of 1..128 UTF-16 units with no space or control
 * character. Decoded length, or -1. */
int gbj_token(gbj_span v, char *out, size_t cap);
int gbj_token_text(const char *s);                       /* the same test on a C string */
size_t gbj_compact(const char *s, size_t n, char *out);  /* drop whitespace outside strings */
int gbj_plain_id(const char *s, size_t max);             /* 1 if [A-Za-z0-9._:-]{1,max} */

typedef struct { char *p; size_t len, cap; int overflow; } gbb; /* bounded string builder */
void gbb_init(gbb *b, char *buf, size_t cap);
void gbb_raw(gbb *b, const char *s, size_t n);
void gbb_str(gbb *b, const char *s);                     /* appends s as-is */
void gbb_jstr(gbb *b, const char *s);                    /* appends s as a quoted JSON string */
void gbb_int(gbb *b, long long v);

/* ---- envelope.c ----------------------------------------------------------------------------- */
enum { GBE_UNKNOWN = 0, GBE_CONTROL = 1, GBE_DATA = 2 };
typedef struct {
    gbj_span header, payload;
    char version[8], message_type[24], source[16], destination[16], timestamp[40];
    char message_id[GB_ID_MAX], stream[GB_ID_MAX];
    long long seq;            /* -1 when missing or not an integer */
    int kind;                 /* GBE_* of message_type */
} gb_env;

int gbe_type_kind(const char *message_type);
/* Writes header + payload + trailers. payload must be a validated compact JSON object. */
int gbe_encode(char *out, size_t cap, const char *stream, long long seq, const char *type,
               const char *source, const char *destination, const char *message_id,
               const char *timestamp, const char *payload, size_t payload_len,
               const unsigned char *key, size_t key_len);
int gbe_decode(const char *body, size_t len, const unsigned char *key, size_t key_len, gb_env *e);
int gbe_schema(gb_env *e);                               /* schema.c: GB_OK or GB_E_BAD_MESSAGE */
int gbe_prepare_payload(const char *json, char **out, size_t *out_len); /* validate + compact */
int gbe_spool_line(const char *body, size_t len, char *out, size_t cap);
int gbe_from_spool_line(const char *line, size_t len, char *out, size_t cap, long long *seq);

/* ---- framing.c ------------------------------------------------------------------------------ */
typedef struct {
    unsigned char *buf;  /* 4 + GB_MAX_FRAME bytes */
    size_t have;         /* bytes buffered */
} gb_framer;
int gbf_init(gb_framer *f);
void gbf_free(gb_framer *f);
/* Next complete body, or 0 when more bytes are needed, or GB_E_FRAME_SIZE. *len gets its size;
 * call gbf_consume(f) after handling it. */
int gbf_next(gb_framer *f, const unsigned char **body, size_t *len);
void gbf_consume(gb_framer *f);
void gbf_reset(gb_framer *f);
unsigned char *gbf_space(gb_framer *f, size_t *cap);     /* where the next read goes */
void gbf_added(gb_framer *f, size_t n);
int gbf_write_header(unsigned char out[4], size_t len);

/* ---- platform_posix.c / platform_win.c: time, durable files, locks -------------------------- */
long long gbp_mono_ms(void);
long long gbp_wall_ms(void);
void gbp_timestamp(char out[32]);                        /* 2026-11-21T10:30:00.000Z (UTC) */
int gbp_mkdirs(const char *path);
/* Writes dir/tmp_name whole, flushes it to disk, renames it to dir/final_name (the commit) and
 * flushes the directory, so a crash leaves either the old file or the new one. */
int gbp_write_atomic(const char *dir, const char *tmp_name, const char *final_name,
                     const void *data, size_t len);
/* 0 read (*data malloc'd and NUL-terminated), 1 no such file, GB_E_IO otherwise. */
int gbp_read_file(const char *dir, const char *name, char **data, size_t *len, size_t max);
int gbp_remove(const char *dir, const char *name);       /* missing is fine */
int gbp_sync_dir(const char *dir);                       /* make renames/removals durable */
/* Sorted seqs of the files named <12 digits><suffix> in dir. Caller frees *out. */
int gbp_list_seq(const char *dir, const char *suffix, long long **out, size_t *n);
char *gbp_join(const char *a, const char *b);            /* a + separator + b, malloc'd */
int gbp_lock_dir(const char *dir, void **lock);          /* GB_E_BUSY if held elsewhere */
void gbp_unlock_dir(void *lock);
void gbp_sleep_ms(int ms);
void gbp_registry_lock(void);
void gbp_registry_unlock(void);
#ifdef _WIN32
#include <wchar.h>
wchar_t *gbp_wide(const char *utf8);                     /* malloc'd UTF-16, NULL if invalid */
#endif

/* ---- transport.c ---------------------------------------------------------------------------- */
typedef struct {
    int kind;                /* 0 none, 1 tcp, 2 unix, 3 win pipe */
    intptr_t fd;             /* socket or HANDLE */
} gb_transport;
int gbt_connect_tcp(gb_transport *t, const char *host, int port, int timeout_ms, char *err, size_t ecap);
int gbt_connect_pipe(gb_transport *t, const char *path, int timeout_ms, char *err, size_t ecap);
int gbt_write_all(gb_transport *t, const void *data, size_t len, int timeout_ms);
int gbt_read(gb_transport *t, void *buf, size_t cap, int timeout_ms); /* >0 bytes, 0 none, <0 */
void gbt_close(gb_transport *t);

/* ---- utf16.c -------------------------------------------------------------------------------- */
char *gbu_to_utf8(const gb_char16 *s);                   /* malloc'd, NULL on bad input */
int gbu_to_utf16(const char *s, size_t n, gb_char16 *out, int cap); /* units written, or <0 */
#endif
