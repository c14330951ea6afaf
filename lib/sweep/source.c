/* SPDX-License-Identifier: Apache-2.0 */
/*
 * source.c - sweeping a byte stream (file, gzip file, memory): reads in
 * chunks, scans each chunk as one buffer (vg_sweep_scan), and only around a
 * hit finds the line (number, start, end) and its time. Line numbers are
 * kept by counting newlines lazily up to each hit and at chunk ends.
 * Chunks overlap by KEEP bytes so a token on a chunk edge is seen whole;
 * a token longer than the overlap (8 KiB: longer than any IOC value) may be
 * cut. It does not write anywhere and never maps files (truncation-safe).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/alloc.h"
#include "sweep/sweep_int.h"
#include "vigil/finding.h"

#include "core/banned.h"

#define KEEP     8192u            /* overlap: rescanned tail */
#define CTX      8192u            /* context kept before a chunk */
#define LINE_WIN 65536u           /* how far a line start/end is searched */
#define HEAD     4096u            /* bytes read to recognise the format */

struct run {
    const struct vg_sweep      *sw;
    const struct vg_sweep_opts *o;
    struct vg_sweep_stats      *st;
    const char *path;
    int         gzip;
    int         year;
    int64_t     mtime_us;
    char       *buf;
    size_t      n, cap;
    uint64_t    base;  /* stream offset of buf[0] */
    uint64_t    origin; /* file offset of the stream's start (a range) */
    size_t      lpos;  /* position the line count refers to */
    uint64_t    line;  /* 1-based line number at lpos */
    uint64_t    tline; /* line whose time is cached */
    int64_t     t_us;
    enum vg_sweep_tfmt tfmt;
    uint64_t    ls_line;  /* line whose start is cached (0: none) */
    size_t      ls_pos;
    int         ls_known;
    int         stop;
};

/* Newlines in p[0..n): 16 bytes per step where SSE2 exists (this runs
 * over every byte of a file that has matches). */
static uint64_t
count_nl(const char *p, size_t n)
{
    uint64_t c = 0;
    size_t i = 0;
#if defined(__SSE2__)
    /* per-byte counters (0 - cmpeq adds 1), summed every 255 steps */
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        __m128i acc = zero;
        for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
        }
        __m128i sad = _mm_sad_epu8(acc, zero);
        c += (uint64_t)_mm_cvtsi128_si32(sad) +
             (uint64_t)_mm_cvtsi128_si32(_mm_srli_si128(sad, 8));
    }
#endif
    for (; i < n; i++) {
        c += p[i] == '\n';
    }
    return c;
}

static void
move_line(struct run *r, size_t pos)
{
    if (pos >= r->lpos) {
        r->line += count_nl(r->buf + r->lpos, pos - r->lpos);
    } else {
        r->line -= count_nl(r->buf + pos, r->lpos - pos);
    }
    r->lpos = pos;
}

static void
line_time(struct run *r, const char *ls, size_t ln)
{
    if (r->tline == r->line) {
        return;
    }
    r->tline = r->line;
    r->t_us = vg_sweep_line_time(ls, ln, r->year, &r->tfmt);
    if (r->tfmt == VG_SWEEP_T_SYSLOG && r->mtime_us != VG_TIME_NONE &&
        r->t_us > r->mtime_us + INT64_C(86400000000)) {
        /* written before the new year the file was last touched in */
        r->t_us = vg_sweep_line_time(ls, ln, r->year - 1, &r->tfmt);
    }
}

/* Start of the line holding off, searched back at most LINE_WIN and
 * cached per line, so many hits on one long line do not each search. */
static size_t
line_start(struct run *r, size_t off, int *known)
{
    const char *b = r->buf;
    if (r->ls_line == r->line && r->ls_pos <= off) {
        *known = r->ls_known;
        return r->ls_pos;
    }
    size_t lo = off > LINE_WIN ? off - LINE_WIN : 0, ls = off;
    while (ls > lo && b[ls - 1] != '\n') {
        ls--;
    }
    *known = (ls > 0 && b[ls - 1] == '\n') || (ls == 0 && r->base == 0);
    r->ls_line = r->line;
    r->ls_pos = ls;
    r->ls_known = *known;
    return ls;
}

static int
on_hit(void *arg, uint32_t id, size_t off, size_t len)
{
    struct run *r = arg;
    const char *b = r->buf;
    int start_known;
    move_line(r, off);
    size_t ls = line_start(r, off, &start_known);
    /* the end only matters for what is shown: look 400 bytes ahead */
    size_t le = off + len;
    size_t hi = r->n - le > VG_SWEEP_LINE_SHOW ? le + VG_SWEEP_LINE_SHOW : r->n;
    const char *nl = memchr(b + le, '\n', hi - le);
    le = nl != NULL ? (size_t)(nl - b) : hi;
    int more = nl == NULL && hi < r->n;
    if (le > ls && b[le - 1] == '\r') {
        le--;
    }
    struct vg_sweep_match m = { .ioc = id, .path = r->path, .line = r->line,
                                .offset = r->origin + r->base + off, .text = b + off,
                                .text_len = len, .gzip = r->gzip,
                                .time_us = VG_TIME_NONE, .pid = -1 };
    if (start_known) {
        line_time(r, b + ls, le - ls);
        m.time_us = r->t_us;
        m.tfmt = r->tfmt;
    }
    size_t hs = ls, he = le;
    if (he - hs > VG_SWEEP_LINE_SHOW) {
        size_t before = VG_SWEEP_LINE_SHOW / 3;
        hs = off - ls > before ? off - before : ls;
        he = he - hs > VG_SWEEP_LINE_SHOW ? hs + VG_SWEEP_LINE_SHOW : he;
        if (he < off + len) {
            he = off + len;
        }
    }
    m.line_text = b + hs;
    m.line_len = he - hs;
    m.cut_head = hs > ls || !start_known;
    m.cut_tail = he < le || more;
    r->st->matches++;
    int rc = r->o->on_match != NULL ? r->o->on_match(r->o->arg, &m) : 0;
    if (rc != 0) {
        r->stop = rc;
    }
    return rc;
}

static int
fill(struct run *r, struct sweep_src *s, int *eof, struct vg_diag *d)
{
    while (r->n < r->cap) {
        int got = s->read(s, r->buf + r->n, r->cap - r->n, d);
        if (got < 0) {
            return got;
        }
        if (got == 0) {
            *eof = 1;
            break;
        }
        r->n += (size_t)got;
    }
    return VG_OK;
}

static int
cancelled(const struct vg_sweep_opts *o)
{
    return o->cancel != NULL && *o->cancel != 0;
}

/* Sweep everything s yields; buf already holds r->n bytes. */
static int
pump(struct run *r, struct sweep_src *s, struct vg_diag *d)
{
    size_t from = 0;
    int eof = 0;
    for (;;) {
        int rc = fill(r, s, &eof, d);
        size_t limit = eof || rc != VG_OK ? r->n : r->n - KEEP;
        int sr = vg_sweep_scan(r->sw, r->buf, r->n, from, limit, on_hit, r);
        r->st->bytes += limit - from;
        if (r->stop != 0) {
            return r->stop;
        }
        if (sr < 0 || rc != VG_OK) {
            return sr < 0 ? sr : rc;
        }
        if (eof) {
            return VG_OK;
        }
        if (cancelled(r->o)) {
            return VG_ECANCELED;
        }
        size_t keep = limit > CTX ? limit - CTX : 0;
        move_line(r, keep);
        memmove(r->buf, r->buf + keep, r->n - keep);
        r->n -= keep;
        r->base += keep;
        r->lpos = 0;
        r->tline = 0;
        r->ls_line = 0;
        from = limit - keep;
    }
}

/* A byte range of a file, with pread: ranges of one file are swept by
 * several threads at once through one descriptor. */
static int
raw_range_read(struct sweep_src *s, char *p, size_t cap, struct vg_diag *d)
{
    size_t want = s->end - s->pos < cap ? (size_t)(s->end - s->pos) : cap;
    for (;;) {
        ssize_t got = want > 0 ? pread(s->fd, p, want, (off_t)s->pos) : 0;
        if (got >= 0) {
            s->pos += (uint64_t)got;
            return (int)got;
        }
        if (errno != EINTR) {
            return vg_diag_set(d, VG_EIO, s->path, VG_DIAG_NONE, s->pos,
                               "read: %s", strerror(errno));
        }
    }
}

static int
raw_fd_read(struct sweep_src *s, char *p, size_t cap, struct vg_diag *d)
{
    for (;;) {
        ssize_t got = read(s->fd, p, cap);
        if (got >= 0) {
            return (int)got;
        }
        if (errno != EINTR) {
            return vg_diag_set(d, VG_EIO, s->path, VG_DIAG_NONE, VG_DIAG_NONE,
                               "read: %s", strerror(errno));
        }
    }
}

static int
raw_mem_read(struct sweep_src *s, char *p, size_t cap, struct vg_diag *d)
{
    (void)d;
    size_t k = s->mem_n - s->mem_pos;
    k = k < cap ? k : cap;
    k = k < (1u << 30) ? k : (1u << 30);
    memcpy(p, s->mem + s->mem_pos, k);
    s->mem_pos += k;
    return (int)k;
}

const char *
vg_sweep_compression(const void *head, size_t n)
{
    const unsigned char *h = head;
    if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) {
        return "gzip";
    }
    if (n >= 3 && memcmp(h, "BZh", 3) == 0) {
        return "bzip2";
    }
    if (n >= 6 && memcmp(h, "\xfd" "7zXZ\0", 6) == 0) {
        return "xz";
    }
    if (n >= 4 && memcmp(h, "\x28\xb5\x2f\xfd", 4) == 0) {
        return "zstd";
    }
    return NULL;
}

static int
sweep_src(struct run *r, struct sweep_src *raw, struct vg_diag *d)
{
    char head[HEAD];
    struct sweep_src gz;
    int rc = raw->read(raw, head, sizeof(head), d);
    if (rc < 0) {
        return rc;
    }
    size_t nh = (size_t)rc;
    const char *what = vg_sweep_compression(head, nh);
    int is_gz = what != NULL && strcmp(what, "gzip") == 0;
    if (what != NULL && !is_gz) {
        return vg_diag_set(d, VG_EUNSUPPORTED, r->path, VG_DIAG_NONE, 0,
                           "%s-compressed: not supported (decompress first)",
                           what);
    }
    r->cap = CTX + VG_SWEEP_CHUNK + KEEP;
    if (raw->mem != NULL && !is_gz && raw->mem_n < VG_SWEEP_CHUNK) {
        r->cap = raw->mem_n + HEAD + KEEP; /* small input: small buffer */
    }
    r->buf = vg_malloc(r->cap);
    if (r->buf == NULL) {
        return VG_ENOMEM;
    }
    r->line = 1;
    r->st->files++;
    if (is_gz) {
        if ((rc = sweep_gz_open(raw, head, nh, &gz)) != VG_OK) {
            goto out;
        }
        r->gzip = 1;
        r->st->gzip_files++;
        rc = pump(r, &gz, d);
        gz.close(&gz);
    } else {
        memcpy(r->buf, head, nh);
        r->n = nh;
        rc = pump(r, raw, d);
    }
out:
    vg_free(r->buf);
    r->buf = NULL;
    return rc;
}

static int
year_of(int64_t us)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL) {
        return 1970;
    }
    return tm.tm_year + 1900;
}

/* Report d through on_error unless it is a stop code. */
static int
finish(const struct vg_sweep_opts *o, struct vg_sweep_stats *st, int rc,
       const char *path, struct vg_diag *d)
{
    if (rc == VG_OK || rc > 0 || rc == VG_ECANCELED) {
        return rc;
    }
    if (d->msg[0] == '\0') {
        vg_diag_set(d, rc, path, VG_DIAG_NONE, VG_DIAG_NONE, "%s",
                    vg_strerror(rc));
    }
    st->errors++;
    if (o->on_error != NULL) {
        o->on_error(o->arg, d);
    }
    return rc == VG_ENOMEM ? rc : VG_OK;
}

int
vg_sweep_mem(const struct vg_sweep *sw, const char *path, const void *data,
             size_t n, const struct vg_sweep_opts *o,
             struct vg_sweep_stats *stats)
{
    struct vg_diag d;
    if (sw == NULL || o == NULL || stats == NULL || (data == NULL && n > 0)) {
        return VG_EINVAL;
    }
    vg_diag_clear(&d);
    struct sweep_src raw = { .read = raw_mem_read, .path = path, .fd = -1,
                             .mem = data, .mem_n = n };
    struct run r = { .sw = sw, .o = o, .st = stats, .path = path,
                     .year = o->default_year > 0 ? o->default_year : 1970,
                     .mtime_us = VG_TIME_NONE };
    int rc = sweep_src(&r, &raw, &d);
    return finish(o, stats, rc, path, &d);
}

/* Prepare r for fd: syslog year from the file's modification time. */
static void
run_init(struct run *r, int fd)
{
    struct stat sb;
    r->mtime_us = VG_TIME_NONE;
    if (fstat(fd, &sb) == 0) {
        r->mtime_us = (int64_t)sb.st_mtime * 1000000;
    }
    r->year = r->o->default_year > 0 ? r->o->default_year
              : r->mtime_us != VG_TIME_NONE ? year_of(r->mtime_us) : 1970;
}

int
sweep_fd(const struct vg_sweep *sw, int fd, const char *path,
         const struct vg_sweep_opts *o, struct vg_sweep_stats *stats)
{
    struct vg_diag d;
    vg_diag_clear(&d);
    struct run r = { .sw = sw, .o = o, .st = stats, .path = path };
    run_init(&r, fd);
    struct sweep_src raw = { .read = raw_fd_read, .path = path, .fd = fd };
    int rc = sweep_src(&r, &raw, &d);
    close(fd);
    return finish(o, stats, rc, path, &d);
}

int
vg_sweep_fd(const struct vg_sweep *sw, int fd, const char *path,
            const struct vg_sweep_opts *o, struct vg_sweep_stats *stats)
{
    if (sw == NULL || o == NULL || stats == NULL || path == NULL || fd < 0) {
        if (fd >= 0) {
            close(fd);
        }
        return VG_EINVAL;
    }
    return sweep_fd(sw, fd, path, o, stats);
}


int
vg_sweep_fd_range(const struct vg_sweep *sw, int fd, const char *path,
                  uint64_t start, uint64_t end, const struct vg_sweep_opts *o,
                  struct vg_sweep_stats *stats, uint64_t *newlines)
{
    struct vg_diag d;
    if (newlines != NULL) {
        *newlines = 0;
    }
    if (sw == NULL || o == NULL || stats == NULL || path == NULL || fd < 0 ||
        end < start) {
        return VG_EINVAL;
    }
    vg_diag_clear(&d);
    struct run r = { .sw = sw, .o = o, .st = stats, .path = path,
                     .origin = start, .line = 1 };
    struct sweep_src raw = { .read = raw_range_read, .path = path, .fd = fd,
                             .pos = start, .end = end };
    run_init(&r, fd);
    r.cap = CTX + VG_SWEEP_CHUNK + KEEP;
    if ((r.buf = vg_malloc(r.cap)) == NULL) {
        return VG_ENOMEM;
    }
    stats->files += start == 0; /* one file, however many ranges */
    int rc = pump(&r, &raw, &d);
    if (rc == VG_OK && newlines != NULL) {
        *newlines = r.line - 1 + count_nl(r.buf + r.lpos, r.n - r.lpos);
    }
    vg_free(r.buf);
    return finish(o, stats, rc, path, &d);
}
