/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtx.h - Vigil's reader for Windows XML Event Log (.evtx) files.
 *
 * A file is opened once (from a read-only fd, read a chunk at a time, or
 * from memory the caller keeps alive) into a struct vg_evtx: immutable after
 * open, share it freely between threads. Records are read through a struct
 * vg_evtx_reader: single owner, one per thread; it owns the per-chunk caches
 * (names and templates by chunk offset) and the per-record arena, so reading
 * does no malloc per record once warm.
 *
 * Chunks are independent (64 KiB each, own string and template tables), so a
 * caller can hand chunk i to any thread (vg_evtx_chunk_each) and put results
 * back in order: record order is file order within a chunk.
 *
 * Damage is never fatal past the file header: a chunk whose checksum does not
 * match is still read (and counted); a chunk with a bad magic is skipped; a
 * malformed record is logged (file + offset) through the vg_ctx and the next
 * record is tried. VG_EVTX_CARVE also scans slack space (after the last
 * record of a chunk, in unused or bad chunks and after the last chunk) for
 * record signatures; such records have is_recovered set and are never mixed
 * silently with live ones.
 *
 * What it deliberately does not do: render message strings (that needs the
 * provider's resource DLLs), follow symlinks, or write to the file.
 */
#ifndef VIGIL_EVTX_H
#define VIGIL_EVTX_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/buf.h"
#include "vigil/compiler.h"
#include "vigil/ctx.h"
#include "vigil/event.h"

#define VG_EVTX_CHUNK_SIZE 65536u
#define VG_EVTX_FILE_HEADER_SIZE 4096u

struct vg_evtx;
struct vg_evtx_reader;

/* File header fields as stored (not trusted for iteration: chunks are found
 * from the file size). */
struct vg_evtx_header {
    uint64_t first_chunk;    /* first chunk number */
    uint64_t last_chunk;     /* last chunk number */
    uint64_t next_record_id; /* next record identifier */
    uint32_t header_size;    /* 128 */
    uint16_t minor_version;  /* 1 or 2 */
    uint16_t major_version;  /* 3 */
    uint16_t block_size;     /* 4096 */
    uint16_t n_chunks;       /* chunk count as stored */
    uint32_t flags;          /* 1 = dirty, 2 = full */
    uint32_t checksum;       /* CRC32 of the first 120 bytes */
    int checksum_ok;         /* computed checksum matches */
};

/* Per-chunk or whole-file counters (added up by the iteration calls). */
struct vg_evtx_stats {
    uint64_t n_chunks;         /* chunks examined */
    uint64_t n_bad_magic;      /* chunks skipped: bad signature */
    uint64_t n_empty;          /* chunks all zero (never used) */
    uint64_t n_bad_header_crc; /* chunk header checksum mismatch (still read) */
    uint64_t n_bad_data_crc;   /* records checksum mismatch (still read) */
    uint64_t n_records;        /* live records read */
    uint64_t n_errors;         /* malformed records (logged, skipped) */
    uint64_t n_recovered;      /* records carved from slack (VG_EVTX_CARVE) */
    int64_t first_time_us;     /* smallest written time, or VG_TIME_NONE */
    int64_t last_time_us;      /* largest written time, or VG_TIME_NONE */
};

/* One record as handed to the callback; everything is borrowed until the
 * callback returns. event.ops answers field lookups (include/vigil/event.h). */
struct vg_evtx_record {
    uint64_t record_id; /* from the record header */
    int64_t written_us; /* record header time */
    uint64_t offset;    /* file offset of the record */
    uint32_t size;      /* record size in bytes */
    uint32_t chunk;     /* chunk index (0-based, by position) */
    int is_recovered;   /* carved from slack space */
    struct vg_event event;
    struct vg_evtx_reader *reader; /* for vg_evtx_record_json/xml */
};

/* Return VG_OK to go on, a negative code to stop (it is returned). */
typedef int vg_evtx_record_fn(void *arg, struct vg_evtx_record *rec);

enum {
    VG_EVTX_CARVE = 1u << 0, /* also recover records from slack space */
};

/* Open a file descriptor (read-only, never written). The file is read one
 * chunk at a time with pread, into each reader's own 64 KiB buffer, so
 * memory stays bounded whatever the file size; the descriptor is
 * duplicated (the caller may close fd after the call). name is used in
 * messages (copied). An invalid file
 * header is not fatal (chunks are found by size) but logged; a file shorter
 * than the header, or not a regular file, is VG_EFORMAT. */
VG_API VG_NODISCARD int vg_evtx_open_fd(const struct vg_ctx *ctx, int fd,
                                        const char *name, struct vg_evtx **out);
/* Same over memory the caller keeps alive until vg_evtx_close. */
VG_API VG_NODISCARD int vg_evtx_open_mem(const struct vg_ctx *ctx,
                                         const void *p, size_t len,
                                         const char *name,
                                         struct vg_evtx **out);
VG_API void vg_evtx_close(struct vg_evtx *f);

VG_API const struct vg_evtx_header *vg_evtx_get_header(const struct vg_evtx *f);
/* Whether the file header had the "ElfFile" signature. */
VG_API int vg_evtx_header_valid(const struct vg_evtx *f);
/* Chunks by file size: (size - 4096) / 65536 (a partial tail chunk is not
 * counted; VG_EVTX_CARVE scans it). */
VG_API size_t vg_evtx_chunk_count(const struct vg_evtx *f);
VG_API const char *vg_evtx_name(const struct vg_evtx *f);

VG_API VG_NODISCARD int vg_evtx_reader_new(struct vg_evtx_reader **out);
VG_API void vg_evtx_reader_free(struct vg_evtx_reader *r);

/* Read chunk i (0-based), calling fn for each record in file order; with
 * VG_EVTX_CARVE, recovered records follow the live ones of that chunk (and
 * i == chunk_count carves the partial tail after the last chunk). Counters
 * are added to *stats (may be NULL). Returns VG_OK (damage is counted, not
 * returned), VG_ECANCELED, or what fn returned. */
VG_API VG_NODISCARD int vg_evtx_chunk_each(struct vg_evtx_reader *r,
                                           const struct vg_evtx *f, size_t i,
                                           unsigned flags,
                                           vg_evtx_record_fn *fn, void *arg,
                                           struct vg_evtx_stats *stats);
/* Every chunk in order (then the tail when carving). */
VG_API VG_NODISCARD int vg_evtx_each(struct vg_evtx_reader *r,
                                     const struct vg_evtx *f, unsigned flags,
                                     vg_evtx_record_fn *fn, void *arg,
                                     struct vg_evtx_stats *stats);
/* Zero counters, times VG_TIME_NONE. */
VG_API void vg_evtx_stats_init(struct vg_evtx_stats *s);
/* Add b into a. */
VG_API void vg_evtx_stats_add(struct vg_evtx_stats *a,
                              const struct vg_evtx_stats *b);

/* Append one JSON object (no newline) for the record:
 *   {"file":"NAME","record_id":N,"offset":N,"recovered":false,"Event":{...}}
 * ("file" is the name given at open).
 * Element -> object; attributes under "#attributes"; text alone -> value
 * (numbers and booleans typed), text with attributes -> "#text";
 * <Data Name="X">v</Data> -> "X":"v"; repeated names get "_1", "_2"...
 * VG_OK, VG_ELIMIT (out's max) or VG_ENOMEM. */
VG_API VG_NODISCARD int vg_evtx_record_json(const struct vg_evtx_record *rec,
                                            struct vg_buf *out);
/* Append the record as indented XML (as Event Viewer shows it), ending in a
 * newline. */
VG_API VG_NODISCARD int vg_evtx_record_xml(const struct vg_evtx_record *rec,
                                           struct vg_buf *out);

#endif
