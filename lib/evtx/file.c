/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file.c - EVTX file and chunk layer: open (a read-only fd, read one chunk
 * at a time with pread into the reader's buffer, or memory), file header, chunk
 * headers and checksums, the record loop and slack-space carving.
 *
 * Chunks are found by position (4096 + i * 65536), not by the header's
 * chunk count, which is often stale. A chunk with a bad signature is skipped
 * (and carved when asked); checksum mismatches are counted and logged but
 * the records are still read; a malformed record is logged with its file
 * offset and the loop resumes at the next record signature.
 *
 * Not done here: BinXML (binxml.c), output formats (render.c), threads
 * (callers hand chunks to their own workers).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/rd.h"
#include "evtx/evtx_int.h"
#include "vigil/err.h"
#include "vigil/finding.h"
#include "vigil/time.h"

#include "core/banned.h"

#define REC_MAGIC 0x00002a2au
#define REC_HDR 24u
#define REC_MIN 32u /* header + at least a fragment header + size copy */

static const char err_zero_size[] = "record size is zero";
static const uint8_t file_magic[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
static const uint8_t chunk_magic[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};

static uint32_t
crc(const uint8_t *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);

    while (n > 0) { /* zlib takes uInt lengths */
        uInt k = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = crc32(c, p, k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}

static void
read_header(struct vg_evtx *f, const uint8_t *p)
{
    struct vg_evtx_header *h = &f->hdr;

    memset(h, 0, sizeof(*h));
    f->hdr_valid = memcmp(p, file_magic, 8) == 0;
    h->first_chunk = vg_le64(p + 8);
    h->last_chunk = vg_le64(p + 16);
    h->next_record_id = vg_le64(p + 24);
    h->header_size = vg_le32(p + 32);
    h->minor_version = vg_le16(p + 36);
    h->major_version = vg_le16(p + 38);
    h->block_size = vg_le16(p + 40);
    h->n_chunks = vg_le16(p + 42);
    h->flags = vg_le32(p + 120);
    h->checksum = vg_le32(p + 124);
    h->checksum_ok = crc(p, 120) == h->checksum;
}

/* p: the whole file in memory, or NULL when chunks are read from fd;
 * hdr: its first 4096 bytes. */
static int
open_common(const struct vg_ctx *ctx, const void *p, const uint8_t *hdr,
            size_t len, int fd, const char *name, struct vg_evtx **out)
{
    struct vg_evtx *f;

    f = vg_calloc(1, sizeof(*f));
    if (f == NULL) {
        return VG_ENOMEM;
    }
    f->name = vg_strdup(name != NULL ? name : "(memory)");
    if (f->name == NULL) {
        vg_free(f);
        return VG_ENOMEM;
    }
    f->ctx = ctx;
    f->p = p;
    f->len = len;
    f->fd = fd;
    if (len < VG_EVTX_FILE_HEADER_SIZE) {
        vg_log(ctx, VG_LOG_ERROR, "evtx",
               "%s: offset 0: file shorter than "
               "the 4096-byte header (%zu bytes)",
               f->name, len);
        vg_free(f->name);
        vg_free(f);
        return VG_EFORMAT;
    }
    read_header(f, hdr);
    if (!f->hdr_valid) {
        vg_log(ctx, VG_LOG_WARN, "evtx",
               "%s: offset 0: no ElfFile signature;"
               " reading chunks anyway",
               f->name);
    } else if (!f->hdr.checksum_ok) {
        vg_log(ctx, VG_LOG_WARN, "evtx",
               "%s: offset 124: file header "
               "checksum mismatch",
               f->name);
    }
    f->n_chunks = (len - VG_EVTX_FILE_HEADER_SIZE) / VG_EVTX_CHUNK_SIZE;
    *out = f;
    return VG_OK;
}

int
vg_evtx_open_mem(const struct vg_ctx *ctx, const void *p, size_t len,
                 const char *name, struct vg_evtx **out)
{
    *out = NULL;
    if (p == NULL && len > 0) {
        return VG_EINVAL;
    }
    return open_common(ctx, p, p, len, -1, name, out);
}

/* pread until n bytes or end of file; VG_EIO on error or short file. */
static int
read_at(int fd, uint8_t *buf, size_t n, uint64_t off)
{
    size_t got = 0;

    while (got < n) {
        ssize_t k = pread(fd, buf + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return VG_EIO;
        }
        got += (size_t)k;
    }
    return VG_OK;
}

int
vg_evtx_open_fd(const struct vg_ctx *ctx, int fd, const char *name,
                struct vg_evtx **out)
{
    uint8_t hdr[VG_EVTX_FILE_HEADER_SIZE];
    struct stat st;
    int dup_fd, rc;

    *out = NULL;
    if (fstat(fd, &st) != 0) {
        return VG_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        vg_log(ctx, VG_LOG_ERROR, "evtx", "%s: not a regular file",
               name ? name : "(fd)");
        return VG_EFORMAT;
    }
    if ((uint64_t)st.st_size < VG_EVTX_FILE_HEADER_SIZE) {
        vg_log(ctx, VG_LOG_ERROR, "evtx",
               "%s: offset 0: file shorter than "
               "the 4096-byte header (%lld bytes)",
               name ? name : "(fd)", (long long)st.st_size);
        return VG_EFORMAT;
    }
    if (read_at(fd, hdr, sizeof(hdr), 0) != VG_OK) {
        return VG_EIO;
    }
    dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dup_fd < 0) {
        return VG_EIO;
    }
    (void)posix_fadvise(dup_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    rc = open_common(ctx, NULL, hdr, (size_t)st.st_size, dup_fd, name, out);
    if (rc != VG_OK) {
        close(dup_fd);
    }
    return rc;
}

void
vg_evtx_close(struct vg_evtx *f)
{
    if (f == NULL) {
        return;
    }
    if (f->fd >= 0) {
        close(f->fd);
    }
    vg_free(f->name);
    vg_free(f);
}

const struct vg_evtx_header *
vg_evtx_get_header(const struct vg_evtx *f)
{
    return &f->hdr;
}

int
vg_evtx_header_valid(const struct vg_evtx *f)
{
    return f->hdr_valid;
}

size_t
vg_evtx_chunk_count(const struct vg_evtx *f)
{
    return f->n_chunks;
}

const char *
vg_evtx_name(const struct vg_evtx *f)
{
    return f->name;
}

int
vg_evtx_reader_new(struct vg_evtx_reader **out)
{
    struct vg_evtx_reader *r;

    *out = NULL;
    r = vg_calloc(1, sizeof(*r));
    if (r == NULL) {
        return VG_ENOMEM;
    }
    r->names = vg_calloc(EV_NAME_SLOTS, sizeof(*r->names));
    r->tpls = vg_calloc(EV_TPL_SLOTS, sizeof(*r->tpls));
    if (r->names == NULL || r->tpls == NULL) {
        vg_evtx_reader_free(r);
        return VG_ENOMEM;
    }
    vg_arena_init(&r->chunk_arena, 32768, EV_CHUNK_ARENA_MAX);
    vg_arena_init(&r->tpl_arena, 65536, EV_TPL_ARENA_MAX);
    vg_arena_init(&r->rec_arena, 16384, EV_REC_ARENA_MAX);
    vg_buf_init(&r->scratch, EV_REC_ARENA_MAX);
    *out = r;
    return VG_OK;
}

void
vg_evtx_reader_free(struct vg_evtx_reader *r)
{
    if (r == NULL) {
        return;
    }
    vg_arena_fini(&r->chunk_arena);
    vg_arena_fini(&r->tpl_arena);
    vg_arena_fini(&r->rec_arena);
    vg_buf_fini(&r->scratch);
    vg_free(r->names);
    vg_free(r->tpls);
    vg_free(r->nodes);
    vg_free(r->vals);
    vg_free(r->rnodes);
    vg_free(r->rtok);
    vg_free(r->rvals);
    vg_free(r->map);
    vg_free(r->fields);
    vg_free(r->iobuf);
    vg_free(r);
}

void
vg_evtx_stats_init(struct vg_evtx_stats *s)
{
    memset(s, 0, sizeof(*s));
    s->first_time_us = VG_TIME_NONE;
    s->last_time_us = VG_TIME_NONE;
}

static void
note_time(struct vg_evtx_stats *s, int64_t t)
{
    if (t == VG_TIME_NONE) {
        return;
    }
    if (s->first_time_us == VG_TIME_NONE || t < s->first_time_us) {
        s->first_time_us = t;
    }
    if (s->last_time_us == VG_TIME_NONE || t > s->last_time_us) {
        s->last_time_us = t;
    }
}

void
vg_evtx_stats_add(struct vg_evtx_stats *a, const struct vg_evtx_stats *b)
{
    a->n_chunks += b->n_chunks;
    a->n_bad_magic += b->n_bad_magic;
    a->n_empty += b->n_empty;
    a->n_bad_header_crc += b->n_bad_header_crc;
    a->n_bad_data_crc += b->n_bad_data_crc;
    a->n_records += b->n_records;
    a->n_errors += b->n_errors;
    a->n_recovered += b->n_recovered;
    note_time(a, b->first_time_us);
    note_time(a, b->last_time_us);
}

struct loop {
    struct vg_evtx_reader *r;
    const struct vg_evtx *f;
    vg_evtx_record_fn *fn;
    void *arg;
    struct vg_evtx_stats *st;
};

/* Record at chunk offset pos: header checks, then BinXML. VG_OK with
 * *size set when the record was delivered (or fn's error); VG_EFORMAT when
 * it is malformed (r->err says why). */
static int
one_record(struct loop *L, uint32_t pos, uint32_t end, int recovered,
           uint32_t *size)
{
    struct vg_evtx_reader *r = L->r;
    const uint8_t *c = r->chunk;
    uint32_t sz;
    int rc;

    *size = 0;
    r->err_off = pos;
    if (vg_le32(c + pos) != REC_MAGIC) {
        r->err = "bad record signature";
        return VG_EFORMAT;
    }
    sz = vg_le32(c + pos + 4);
    if (sz == 0) {
        r->err = err_zero_size;
        return VG_EFORMAT;
    }
    if (sz < REC_MIN || sz > end - pos) {
        r->err = "bad record size";
        return VG_EFORMAT;
    }
    *size = sz;
    /* A wrong trailing size copy alone does not make the record unreadable
     * (writers interrupted mid-update): parse it; the carver, which has
     * less to go on, insists on it. */
    if (recovered && vg_le32(c + pos + sz - 4) != sz) {
        r->err = "record size copy does not match";
        return VG_EFORMAT;
    }
    rc = ev_parse_record(r, pos + REC_HDR, pos + sz - 4);
    if (rc != VG_OK) {
        return rc;
    }
    memset(&r->rec, 0, sizeof(r->rec));
    r->rec.record_id = vg_le64(c + pos + 8);
    r->rec.written_us = vg_filetime_to_us(vg_le64(c + pos + 16));
    r->rec.offset = r->chunk_file_off + pos;
    r->rec.size = sz;
    r->rec.chunk = r->chunk_index;
    r->rec.is_recovered = recovered;
    r->rec.reader = r;
    ev_event_setup(r);
    return VG_OK;
}

static void
log_bad(struct loop *L, int rc, uint64_t file_off)
{
    struct vg_evtx_reader *r = L->r;

    vg_log(L->f->ctx, VG_LOG_WARN, "evtx",
           "%s: offset %llu: record at "
           "offset %llu skipped: %s (%s)",
           L->f->name, (unsigned long long)(r->chunk_file_off + r->err_off),
           (unsigned long long)file_off,
           r->err != NULL ? r->err : "malformed record", vg_strerror(rc));
}

/* Next record signature at or after pos (8-byte aligned), or end. */
static uint32_t
resync(const uint8_t *c, uint32_t pos, uint32_t end)
{
    pos = (pos + 7) & ~7u;
    while (pos + REC_HDR <= end && vg_le32(c + pos) != REC_MAGIC) {
        pos += 8;
    }
    return pos;
}

static int
deliver(struct loop *L, int recovered)
{
    struct vg_evtx_reader *r = L->r;

    if (recovered) {
        L->st->n_recovered++;
    } else {
        L->st->n_records++;
        note_time(L->st, r->rec.written_us);
    }
    return L->fn(L->arg, &r->rec);
}

/* Live records from 512 to end; returns the offset after the last one. */
static int
live_records(struct loop *L, uint32_t end, uint32_t last, uint32_t *stop)
{
    struct vg_evtx_reader *r = L->r;
    uint32_t pos = 512, size;
    int rc;

    while (pos + REC_HDR <= end && pos <= last) {
        if (vg_ctx_cancelled(L->f->ctx)) {
            return VG_ECANCELED;
        }
        if (vg_le32(r->chunk + pos) == 0) {
            break; /* zero fill: end of the records */
        }
        rc = one_record(L, pos, end, 0, &size);
        if (rc == VG_OK) {
            if ((rc = deliver(L, 0)) != VG_OK) {
                return rc;
            }
            pos += size;
            continue;
        }
        if (rc == VG_ENOMEM) {
            return rc;
        }
        L->st->n_errors++;
        log_bad(L, rc, r->chunk_file_off + pos);
        if (size != 0) {
            pos += size;
        } else if (r->err == err_zero_size) {
            /* A zeroed size field (seen in real logs): the next record
             * signature continues the chain. */
            pos = resync(r->chunk, pos + 8, end);
        } else {
            /* The chain of records is broken here: what follows is not
             * known to be live. --carve recovers it, marked as such. */
            break;
        }
    }
    *stop = pos;
    return VG_OK;
}

/* Carve [from, end) of the current chunk window for records. */
static int
carve(struct loop *L, uint32_t from, uint32_t end)
{
    struct vg_evtx_reader *r = L->r;
    uint32_t pos = (from + 7) & ~7u, size;
    int rc;

    while (pos + REC_MIN <= end) {
        if (vg_le32(r->chunk + pos) != REC_MAGIC) {
            pos += 8;
            continue;
        }
        rc = one_record(L, pos, end, 1, &size);
        if (rc == VG_OK) {
            if ((rc = deliver(L, 1)) != VG_OK) {
                return rc;
            }
            pos += size;
            continue;
        }
        if (rc == VG_ENOMEM || rc == VG_ECANCELED) {
            return rc;
        }
        pos += 8; /* not a record after all: keep looking */
    }
    return VG_OK;
}

static int
is_zero(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] != 0) {
            return 0;
        }
    }
    return 1;
}

static void
check_crcs(struct loop *L, const uint8_t *c, uint32_t free_off)
{
    uint32_t h = crc(c, 120);
    uint64_t off = L->r->chunk_file_off;

    h = (uint32_t)crc32(h, c + 128, 384);
    if (h != vg_le32(c + 124)) {
        L->st->n_bad_header_crc++;
        vg_log(L->f->ctx, VG_LOG_WARN, "evtx",
               "%s: offset %llu: chunk "
               "header checksum mismatch (records still read)",
               L->f->name, (unsigned long long)off);
    }
    if (free_off >= 512 && free_off <= VG_EVTX_CHUNK_SIZE &&
        crc(c + 512, free_off - 512) != vg_le32(c + 52)) {
        L->st->n_bad_data_crc++;
        vg_log(L->f->ctx, VG_LOG_WARN, "evtx",
               "%s: offset %llu: chunk "
               "records checksum mismatch (records still read)",
               L->f->name, (unsigned long long)off);
    }
}

/* The n bytes at off: in place for memory, else read into the reader's
 * buffer (one chunk: memory stays bounded whatever the file size). */
static int
chunk_bytes(struct loop *L, uint64_t off, size_t n, const uint8_t **out)
{
    struct vg_evtx_reader *r = L->r;
    int rc;

    if (L->f->p != NULL) {
        *out = L->f->p + off;
        return VG_OK;
    }
    if (r->iobuf == NULL &&
        (r->iobuf = vg_malloc(VG_EVTX_CHUNK_SIZE)) == NULL) {
        return VG_ENOMEM;
    }
    rc = read_at(L->f->fd, r->iobuf, n, off);
    if (rc != VG_OK) {
        vg_log(L->f->ctx, VG_LOG_ERROR, "evtx",
               "%s: offset %llu: read "
               "error",
               L->f->name, (unsigned long long)off);
        return rc;
    }
    *out = r->iobuf;
    return VG_OK;
}

static int
do_chunk(struct loop *L, size_t i, unsigned flags)
{
    const struct vg_evtx *f = L->f;
    uint64_t off = VG_EVTX_FILE_HEADER_SIZE + (uint64_t)i * VG_EVTX_CHUNK_SIZE;
    const uint8_t *c;
    uint32_t free_off, end, stop, last;
    int rc;

    if ((rc = chunk_bytes(L, off, VG_EVTX_CHUNK_SIZE, &c)) != VG_OK) {
        return rc;
    }
    ev_chunk_begin(L->r, c, VG_EVTX_CHUNK_SIZE, off, (uint32_t)i);
    L->st->n_chunks++;
    if (memcmp(c, chunk_magic, 8) != 0) {
        if (is_zero(c, 8)) {
            L->st->n_empty++;
        } else {
            L->st->n_bad_magic++;
            vg_log(f->ctx, VG_LOG_WARN, "evtx",
                   "%s: offset %llu: bad chunk "
                   "signature, chunk skipped",
                   f->name, (unsigned long long)off);
        }
        return (flags & VG_EVTX_CARVE) ? carve(L, 0, VG_EVTX_CHUNK_SIZE)
                                       : VG_OK;
    }
    free_off = vg_le32(c + 48);
    check_crcs(L, c, free_off);
    end = free_off >= 512 && free_off <= VG_EVTX_CHUNK_SIZE
              ? free_off
              : VG_EVTX_CHUNK_SIZE;
    /* The header's last-record offset ends the live records: anything
     * after it (up to the free-space offset) was never committed. */
    last = vg_le32(c + 44);
    if (last < 512 || last >= end) {
        last = end;
    }
    rc = live_records(L, end, last, &stop);
    if (rc == VG_OK && (flags & VG_EVTX_CARVE)) {
        rc = carve(L, stop, VG_EVTX_CHUNK_SIZE);
    }
    return rc;
}

int
vg_evtx_chunk_each(struct vg_evtx_reader *r, const struct vg_evtx *f, size_t i,
                   unsigned flags, vg_evtx_record_fn *fn, void *arg,
                   struct vg_evtx_stats *stats)
{
    struct vg_evtx_stats local;
    struct loop L = {r, f, fn, arg, stats != NULL ? stats : &local};
    const uint8_t *c;
    uint64_t off;
    int rc;

    vg_evtx_stats_init(&local);
    r->f = f;
    if (vg_ctx_cancelled(f->ctx)) {
        return VG_ECANCELED;
    }
    if (i < f->n_chunks) {
        return do_chunk(&L, i, flags);
    }
    if (i != f->n_chunks) {
        return VG_EINVAL;
    }
    /* The partial chunk after the last whole one: only carving reads it. */
    off = VG_EVTX_FILE_HEADER_SIZE + (uint64_t)i * VG_EVTX_CHUNK_SIZE;
    if (!(flags & VG_EVTX_CARVE) || off >= f->len) {
        return VG_OK;
    }
    if ((rc = chunk_bytes(&L, off, (size_t)(f->len - off), &c)) != VG_OK) {
        return rc;
    }
    ev_chunk_begin(r, c, (uint32_t)(f->len - off), off, (uint32_t)i);
    return carve(&L, 0, (uint32_t)(f->len - off));
}

int
vg_evtx_each(struct vg_evtx_reader *r, const struct vg_evtx *f, unsigned flags,
             vg_evtx_record_fn *fn, void *arg, struct vg_evtx_stats *stats)
{
    size_t i, n = f->n_chunks + ((flags & VG_EVTX_CARVE) ? 1 : 0);
    int rc;

    for (i = 0; i < n; i++) {
        rc = vg_evtx_chunk_each(r, f, i, flags, fn, arg, stats);
        if (rc != VG_OK) {
            return rc;
        }
    }
    return VG_OK;
}
