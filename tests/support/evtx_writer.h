/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtx_writer.h - builds valid .evtx files for test fixtures (never part of
 * the CLI or the library).
 *
 * Each event is described by System values and EventData name/value pairs;
 * the writer lays it out the way Windows does: one template per event shape
 * (field names and types) per chunk, defined inline by its first record and
 * referenced by offset afterwards; names written once per chunk and linked
 * into the chunk's string hash table; values as a substitution array;
 * records, chunk and file headers with correct CRC32 checksums. Output reads
 * back with python-evtx and libevtx's evtxexport as well as with Vigil.
 *
 *     struct evw *w;
 *     struct evw_field data[] = { { "ServiceName", EVW_STR, "x" } };
 *     struct evw_event e = { .channel = "System",
 *         .provider = "Service Control Manager", .event_id = 7045,
 *         .time_us = 1700000000000000, .computer = "HOST",
 *         .data = data, .n_data = 1 };
 *     evw_new(&w); evw_add(w, &e); evw_write_file(w, "x.evtx"); evw_free(w);
 *
 * Strings are UTF-8 and converted to UTF-16LE. Single owner.
 * Not supported: UserData sections, several chunks per template.
 */
#ifndef VG_TEST_EVTX_WRITER_H
#define VG_TEST_EVTX_WRITER_H

#include <stddef.h>
#include <stdint.h>

enum evw_type {
    EVW_STR = 0, /* s: UTF-8 -> UTF-16 string */
    EVW_ANSI,    /* s: bytes as an ANSI string */
    EVW_I8,
    EVW_U8,
    EVW_I16,
    EVW_U16,
    EVW_I32,
    EVW_U32,
    EVW_I64,
    EVW_U64,
    EVW_R32,
    EVW_R64,      /* d */
    EVW_BOOL,     /* u: 0 / nonzero */
    EVW_BIN,      /* bin, bin_len */
    EVW_GUID,     /* bin: 16 bytes as stored */
    EVW_SIZE,     /* u: 8-byte size_t */
    EVW_FILETIME, /* u: FILETIME ticks */
    EVW_SYSTIME,  /* bin: 16 bytes SYSTEMTIME */
    EVW_SID,      /* s: "S-1-5-21-..." */
    EVW_HEX32,
    EVW_HEX64,     /* u */
    EVW_STR_ARRAY, /* bin, bin_len: UTF-16LE strings each NUL-terminated */
    EVW_U32_ARRAY, /* bin, bin_len: packed little-endian u32 values */
    EVW_NULL,      /* no value (optional substitution left out) */
};

struct evw_field {
    const char *name; /* <Data Name="name">; NULL: unnamed <Data> */
    enum evw_type type;
    const char *s;
    uint64_t u;
    int64_t i;
    double d;
    const void *bin;
    size_t bin_len;
};

struct evw_event {
    const char *channel;       /* required */
    const char *provider;      /* required */
    const char *provider_guid; /* "{xxxxxxxx-...}" or NULL (left out) */
    uint16_t event_id;
    uint16_t qualifiers; /* EventID Qualifiers= (classic sources) */
    int has_qualifiers;
    uint8_t version, level, opcode;
    uint16_t task;
    uint64_t keywords;  /* default 0 */
    int64_t time_us;    /* TimeCreated: us since 1970 UTC */
    uint64_t record_id; /* 0: previous + 1 (starting at 1) */
    uint32_t pid, tid;
    const char *computer;         /* required */
    const char *user_sid;         /* Security UserID or NULL */
    const struct evw_field *data; /* EventData (NULL/0: empty EventData) */
    size_t n_data;
};

struct evw;

/* 0 or -1 (out of memory). */
int evw_new(struct evw **out);
void evw_free(struct evw *w);
/* Append an event. 0, or -1 (too big for a chunk, bad SID/GUID text). */
int evw_add(struct evw *w, const struct evw_event *e);

/* Hand-built records for token tests: the chunk offset the BinXML of the
 * next raw record will start at (names written inline must point there),
 * and the call that appends it (binxml bytes copied as they are). The
 * record goes into the current chunk; -1 when it does not fit. */
uint32_t evw_raw_offset(const struct evw *w);
int evw_add_raw(struct evw *w, uint64_t record_id, uint64_t filetime,
                const uint8_t *binxml, size_t n);

/* The whole file (malloc'd; free it). 0 or -1. */
int evw_finish(struct evw *w, uint8_t **data, size_t *len);
/* evw_finish, then free the writer (*w becomes NULL) whatever the result. */
int evw_finish_free(struct evw **w, uint8_t **data, size_t *len);
/* evw_finish + write to path (created/truncated, 0644). 0 or -1. */
int evw_write_file(struct evw *w, const char *path);

/* Helpers shared with tests: UTF-8 -> UTF-16LE inline name as stored in a
 * chunk (u32 next, u16 hash, u16 count, chars, NUL) into out; returns its
 * size (out must have 8 + 2 * (strlen * 2) + 2 bytes). */
size_t evw_put_name(uint8_t *out, const char *name);
uint16_t evw_name_hash(const char *name);

#endif
