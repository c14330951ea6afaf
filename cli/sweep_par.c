/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sweep_par.c - `vigil sweep --threads N`: one file per job on a worker
 * pool (vigil/pool.h), so a folder of rotated, often gzip, logs is swept on
 * every core. The walk stays on the calling thread (vg_sweep_path with an
 * on_file hook hands it each open file); a job sweeps its file with
 * vg_sweep_fd and records matches and errors as compact records in its
 * output buffer; the pool hands outputs back in walk order on the calling
 * thread, which replays them through the caller's callbacks - the same
 * calls, in the same order, as a one-thread sweep.
 *
 * A large plain file (64 MiB and up) is cut at line ends into ranges of
 * about 16 MiB (vg_sweep_fd_range), so one big log also uses every core;
 * ranges report line numbers from their own start and how many lines they
 * hold, and delivery adds the lines of the ranges before.
 *
 * Memory stays bounded: a job records at most JOB_BUDGET bytes. A file
 * with more matches than that stops early and says how far it got; when its
 * turn comes, the calling thread replays what was recorded and sweeps the
 * file again itself (from a duplicate of its descriptor), skipping the
 * matches and errors already delivered (a range is swept again from its
 * own descriptor). Sweeps are deterministic, so the result is the same;
 * only that file or range loses the parallelism.
 * Not done here: live mode (one machine, nothing to split).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sweep_par.h"
#include "vigil/buf.h"
#include "vigil/err.h"
#include "vigil/pool.h"

#include "core/banned.h"

#define JOB_BUDGET ((size_t)4 << 20) /* recorded bytes per file */
#define SPLIT_MIN  ((uint64_t)64 << 20) /* plain files from this size ... */
#define SPLIT_PART ((uint64_t)16 << 20) /* ... are cut in parts of this */
#define SPLIT_MAX  63                   /* cuts at most (parts: 64) */
#define SPLIT_SEEK ((uint64_t)1 << 20)  /* a line end is searched this far */

enum { REC_MATCH = 'M', REC_ERROR = 'E', REC_STATS = 'S', REC_OVER = 'O' };

struct par;

struct job {
    struct par *p;
    int   fd;    /* whole file: swept (and closed) by the worker, then -1;
                    range: read with pread, closed at delivery */
    int   dupfd; /* whole file: for a sweep again on overflow */
    char *path;
    int   is_range;       /* a line-aligned part of one large plain file */
    uint64_t start, end;  /* its bytes */
};

struct par {
    const struct vg_sweep      *sw;
    const struct vg_sweep_opts *o; /* the caller's callbacks */
    struct vg_sweep_stats      *stats;
    struct vg_pool             *pool;
    struct job                **ring; /* in-flight jobs by sequence */
    size_t                      ring_n, submitted;
    unsigned                    threads;
    uint64_t                    line_base; /* lines before the range being
                                              delivered */
    int                         rc; /* first stop: callback or fatal */
};

/* --- records (worker side) ---------------------------------------------- */

struct rec {
    struct vg_buf *out;
    uint64_t       n_match, n_err; /* recorded */
    int            over;           /* budget reached: stop recording */
};

static int
put(struct vg_buf *b, const void *p, size_t n)
{
    return vg_buf_add(b, p, n);
}

static int
put_str(struct vg_buf *b, const char *s, size_t n)
{
    uint32_t len = (uint32_t)n;
    int rc = put(b, &len, sizeof(len));
    return rc == VG_OK ? put(b, s, n) : rc;
}

/* Room for need more bytes, else the budget is spent from here on. */
static int
room(struct rec *r, size_t need)
{
    if (r->over || r->out->len + need > JOB_BUDGET) {
        r->over = 1;
        return 0;
    }
    return 1;
}

static int
rec_match(void *arg, const struct vg_sweep_match *m)
{
    struct rec *r = arg;
    uint8_t head[2] = {(uint8_t)m->tfmt, (uint8_t)((m->cut_head ? 1 : 0) |
                                                   (m->cut_tail ? 2 : 0) |
                                                   (m->gzip ? 4 : 0))};
    char t = REC_MATCH;
    size_t at = r->out->len;
    if (!room(r, 64 + m->text_len + m->line_len)) {
        return 1; /* stop: replayed by the calling thread */
    }
    int rc = put(r->out, &t, 1);
    rc = rc == VG_OK ? put(r->out, &m->ioc, sizeof(m->ioc)) : rc;
    rc = rc == VG_OK ? put(r->out, &m->line, sizeof(m->line)) : rc;
    rc = rc == VG_OK ? put(r->out, &m->offset, sizeof(m->offset)) : rc;
    rc = rc == VG_OK ? put(r->out, &m->time_us, sizeof(m->time_us)) : rc;
    rc = rc == VG_OK ? put(r->out, head, sizeof(head)) : rc;
    rc = rc == VG_OK ? put_str(r->out, m->text, m->text_len) : rc;
    rc = rc == VG_OK ? put_str(r->out, m->line_text, m->line_len) : rc;
    if (rc != VG_OK) {
        vg_buf_truncate(r->out, at); /* no half record: replay from here */
        r->over = 1;
        return 1;
    }
    r->n_match++;
    return 0;
}

static void
rec_error(void *arg, const struct vg_diag *d)
{
    struct rec *r = arg;
    size_t np = strlen(d->path), nm = strlen(d->msg);
    char t = REC_ERROR;
    int32_t code = d->rc;
    size_t at = r->out->len;
    if (!room(r, 64 + np + nm)) {
        return; /* the next match stops the sweep; replay finds it */
    }
    int rc = put(r->out, &t, 1);
    rc = rc == VG_OK ? put(r->out, &code, sizeof(code)) : rc;
    rc = rc == VG_OK ? put(r->out, &d->line, sizeof(d->line)) : rc;
    rc = rc == VG_OK ? put(r->out, &d->offset, sizeof(d->offset)) : rc;
    rc = rc == VG_OK ? put_str(r->out, d->path, np) : rc;
    rc = rc == VG_OK ? put_str(r->out, d->msg, nm) : rc;
    if (rc != VG_OK) {
        vg_buf_truncate(r->out, at);
        r->over = 1;
        return;
    }
    r->n_err++;
}

/* Worker: sweep one file into records; a last record says how it ended. */
static int
job_fn(void *arg, struct vg_buf *out)
{
    struct job *j = arg;
    const struct par *p = j->p;
    struct rec r = {.out = out};
    struct vg_sweep_stats st;
    struct vg_sweep_opts o = {.on_match = rec_match, .on_error = rec_error,
                              .arg = &r, .default_year = p->o->default_year,
                              .cancel = p->o->cancel};
    uint64_t nl = 0;
    int rc;
    memset(&st, 0, sizeof(st));
    if (j->is_range) {
        rc = vg_sweep_fd_range(p->sw, j->fd, j->path, j->start, j->end, &o,
                               &st, &nl);
    } else {
        rc = vg_sweep_fd(p->sw, j->fd, j->path, &o, &st);
        j->fd = -1;
    }
    char t = r.over ? REC_OVER : REC_STATS;
    int prc = put(out, &t, 1);
    if (r.over) {
        prc = prc == VG_OK ? put(out, &r.n_match, sizeof(r.n_match)) : prc;
        prc = prc == VG_OK ? put(out, &r.n_err, sizeof(r.n_err)) : prc;
        return prc; /* rc is our own stop */
    }
    prc = prc == VG_OK ? put(out, &st, sizeof(st)) : prc;
    prc = prc == VG_OK ? put(out, &nl, sizeof(nl)) : prc;
    return rc != VG_OK ? rc : prc;
}

/* --- delivery (calling thread) ------------------------------------------ */

struct cur {
    const char *p;
    size_t      n, i;
    int         bad;
};

static void
get(struct cur *c, void *dst, size_t n)
{
    if (c->n - c->i < n) {
        c->bad = 1;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, c->p + c->i, n);
    c->i += n;
}

static const char *
get_str(struct cur *c, size_t *n)
{
    uint32_t len = 0;
    get(c, &len, sizeof(len));
    if (c->bad || c->n - c->i < len) {
        c->bad = 1;
        *n = 0;
        return "";
    }
    const char *s = c->p + c->i;
    c->i += len;
    *n = len;
    return s;
}

static int
replay_match(struct par *p, struct cur *c, const char *path)
{
    struct vg_sweep_match m = {.path = path, .pid = -1};
    uint8_t head[2];
    get(c, &m.ioc, sizeof(m.ioc));
    get(c, &m.line, sizeof(m.line));
    get(c, &m.offset, sizeof(m.offset));
    get(c, &m.time_us, sizeof(m.time_us));
    get(c, head, sizeof(head));
    m.text = get_str(c, &m.text_len);
    m.line_text = get_str(c, &m.line_len);
    if (c->bad) {
        return VG_EINTERNAL;
    }
    m.tfmt = (enum vg_sweep_tfmt)head[0];
    m.cut_head = head[1] & 1;
    m.cut_tail = (head[1] >> 1) & 1;
    m.gzip = (head[1] >> 2) & 1;
    m.line += m.line > 0 ? p->line_base : 0;
    p->stats->matches++;
    return p->o->on_match != NULL ? p->o->on_match(p->o->arg, &m) : 0;
}

static void
replay_error(struct par *p, struct cur *c)
{
    struct vg_diag d;
    int32_t code = 0;
    size_t np, nm;
    vg_diag_clear(&d);
    get(c, &code, sizeof(code));
    get(c, &d.line, sizeof(d.line));
    get(c, &d.offset, sizeof(d.offset));
    const char *path = get_str(c, &np);
    const char *msg = get_str(c, &nm);
    d.rc = code;
    (void)vg_diag_set(&d, code, NULL, d.line, d.offset, "%.*s", (int)nm, msg);
    np = np < sizeof(d.path) - 1 ? np : sizeof(d.path) - 1;
    memcpy(d.path, path, np);
    d.path[np] = '\0';
    if (!c->bad && p->o->on_error != NULL) {
        p->o->on_error(p->o->arg, &d);
    }
}

static void
add_stats(struct vg_sweep_stats *to, const struct vg_sweep_stats *s)
{
    to->files += s->files;
    to->gzip_files += s->gzip_files;
    to->bytes += s->bytes;
    to->errors += s->errors;
    to->skipped += s->skipped;
    to->sockets += s->sockets;
    /* matches are counted as they are delivered */
}

/* A file whose records overflowed: swept again here, skipping what was
 * already delivered. */
struct skip {
    struct par *p;
    uint64_t    matches, errors;
};

static int
skip_match(void *arg, const struct vg_sweep_match *m)
{
    struct skip *k = arg;
    struct vg_sweep_match mm = *m;
    if (k->matches > 0) {
        k->matches--;
        return 0;
    }
    mm.line += mm.line > 0 ? k->p->line_base : 0;
    return k->p->o->on_match != NULL ? k->p->o->on_match(k->p->o->arg, &mm)
                                     : 0;
}

static void
skip_error(void *arg, const struct vg_diag *d)
{
    struct skip *k = arg;
    if (k->errors > 0) {
        k->errors--;
    } else if (k->p->o->on_error != NULL) {
        k->p->o->on_error(k->p->o->arg, d);
    }
}

static int
again(struct par *p, struct job *j, struct cur *c)
{
    struct skip k = {.p = p};
    struct vg_sweep_stats st;
    uint64_t nl = 0;
    get(c, &k.matches, sizeof(k.matches));
    get(c, &k.errors, sizeof(k.errors));
    if (c->bad) {
        return VG_EINTERNAL;
    }
    struct vg_sweep_opts o = {.on_match = skip_match, .on_error = skip_error,
                              .arg = &k, .default_year = p->o->default_year,
                              .cancel = p->o->cancel};
    uint64_t delivered = k.matches;
    int rc;
    memset(&st, 0, sizeof(st));
    if (j->is_range) {
        rc = vg_sweep_fd_range(p->sw, j->fd, j->path, j->start, j->end, &o,
                               &st, &nl);
        p->line_base += nl;
    } else {
        if (j->dupfd < 0 || lseek(j->dupfd, 0, SEEK_SET) != 0) {
            return VG_EIO;
        }
        rc = vg_sweep_fd(p->sw, j->dupfd, j->path, &o, &st);
        j->dupfd = -1;
    }
    add_stats(p->stats, &st);
    /* st.matches counts the skipped ones, already counted when replayed */
    p->stats->matches += st.matches > delivered ? st.matches - delivered : 0;
    return rc;
}

/* Replay one job's records through the caller's callbacks. */
static int
deliver(struct par *p, struct job *j, int jrc, const struct vg_buf *out)
{
    struct cur c = {out->data, out->len, 0, 0};
    int rc = VG_OK;
    if (!j->is_range || j->start == 0) {
        p->line_base = 0; /* a new file */
    }
    while (rc == VG_OK && c.i < c.n && !c.bad) {
        char t = c.p[c.i++];
        if (t == REC_MATCH) {
            rc = replay_match(p, &c, j->path);
        } else if (t == REC_ERROR) {
            replay_error(p, &c);
        } else if (t == REC_STATS) {
            struct vg_sweep_stats st;
            uint64_t nl;
            get(&c, &st, sizeof(st));
            get(&c, &nl, sizeof(nl));
            add_stats(p->stats, &st);
            p->line_base += nl; /* the next range goes on from here */
        } else if (t == REC_OVER) {
            rc = again(p, j, &c);
        } else {
            c.bad = 1;
        }
    }
    if (rc == VG_OK && c.bad) {
        rc = VG_EINTERNAL;
    }
    return rc != VG_OK ? rc : jrc;
}

static void
job_free(struct job *j)
{
    if (j == NULL) {
        return;
    }
    if (j->fd >= 0) {
        close(j->fd);
    }
    if (j->dupfd >= 0) {
        close(j->dupfd);
    }
    free(j->path);
    free(j);
}

static int
sink(void *arg, size_t seq, int jrc, const struct vg_buf *out)
{
    struct par *p = arg;
    struct job *j = p->ring[seq % p->ring_n];
    p->ring[seq % p->ring_n] = NULL;
    int rc = p->rc == VG_OK ? deliver(p, j, jrc, out) : VG_OK;
    job_free(j);
    if (rc != VG_OK && p->rc == VG_OK) {
        p->rc = rc;
    }
    return p->rc == VG_OK ? VG_OK : VG_ECANCELED; /* < 0: no more output */
}

static int
submit(struct par *p, struct job *j)
{
    p->ring[p->submitted % p->ring_n] = j;
    p->submitted++;
    int rc = vg_pool_submit(p->pool, job_fn, j);
    return rc != VG_OK && p->rc != VG_OK ? p->rc : rc;
}

static struct job *
job_new(struct par *p, int fd, const char *path)
{
    struct job *j = calloc(1, sizeof(*j));
    if (j == NULL || (j->path = strdup(path)) == NULL) {
        free(j);
        return NULL;
    }
    j->p = p;
    j->fd = fd;
    j->dupfd = -1;
    return j;
}

/* Just after the first '\n' at or after pos (searched up to SPLIT_SEEK
 * bytes), or 0 when there is none: no cut there. */
static uint64_t
line_after(int fd, uint64_t pos, uint64_t size)
{
    char buf[65536];
    for (uint64_t at = pos; at < size && at - pos < SPLIT_SEEK;) {
        ssize_t got = pread(fd, buf, sizeof(buf), (off_t)at);
        if (got <= 0) {
            return 0;
        }
        const char *nl = memchr(buf, '\n', (size_t)got);
        if (nl != NULL) {
            uint64_t b = at + (uint64_t)(nl - buf) + 1;
            return b < size ? b : 0;
        }
        at += (uint64_t)got;
    }
    return 0;
}

/* A large plain file is cut at line ends into ranges swept in parallel;
 * returns 0 when it is not worth it (small, compressed, no cut found). */
static size_t
cuts(int fd, uint64_t size, unsigned threads, uint64_t *at, size_t max)
{
    char head[8];
    size_t parts = (size_t)(size / SPLIT_PART), n = 0;
    if (size < SPLIT_MIN ||
        pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
        vg_sweep_compression(head, sizeof(head)) != NULL) {
        return 0; /* a gzip stream has no entry points; the others are
                     reported by the sweep of the whole file */
    }
    parts = parts < 4u * threads ? parts : 4u * threads;
    parts = parts < max + 1 ? parts : max + 1;
    for (size_t k = 1; k < parts; k++) {
        uint64_t b = line_after(fd, size / parts * k, size);
        if (b != 0 && (n == 0 || b > at[n - 1])) {
            at[n++] = b;
        }
    }
    return n;
}

/* Queue ranges [0, at[0]), [at[0], at[1]), ... [at[n-1], size); each
 * job gets its own descriptor (closed at its delivery). */
static int
submit_ranges(struct par *p, int fd, const char *path, const uint64_t *at,
              size_t n, uint64_t size)
{
    int rc = VG_OK;
    for (size_t k = 0; k <= n && rc == VG_OK; k++) {
        int jfd = k < n ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : fd;
        struct job *j = jfd >= 0 ? job_new(p, jfd, path) : NULL;
        if (j == NULL) {
            if (jfd >= 0) {
                close(jfd);
            }
            rc = jfd < 0 ? VG_EIO : VG_ENOMEM;
            break;
        }
        j->is_range = 1;
        j->start = k == 0 ? 0 : at[k - 1];
        j->end = k < n ? at[k] : size;
        rc = submit(p, j);
        if (k == n) {
            fd = -1; /* handed to the last job */
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    return rc;
}

/* Walker hook (calling thread): queue the open file, or its ranges. */
static int
on_file(void *arg, int fd, const char *path)
{
    struct par *p = arg;
    struct stat sb;
    uint64_t at[SPLIT_MAX];
    size_t n = 0;
    if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
        n = cuts(fd, (uint64_t)sb.st_size, p->threads, at, SPLIT_MAX);
    }
    if (n > 0) {
        return submit_ranges(p, fd, path, at, n, (uint64_t)sb.st_size);
    }
    struct job *j = job_new(p, fd, path);
    if (j == NULL) {
        close(fd);
        return VG_ENOMEM;
    }
    j->dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0); /* -1: no sweep again */
    return submit(p, j);
}

int
sweep_parallel(const struct vg_sweep *sw, char *const *paths, int n,
               unsigned threads, const struct vg_sweep_opts *o,
               struct vg_sweep_stats *stats)
{
    struct par p = {.sw = sw, .o = o, .stats = stats, .threads = threads};
    struct vg_pool_opts po = {.n_threads = threads,
                              .queue_max = 4u * threads,
                              .out_max = JOB_BUDGET + 4096};
    int rc = VG_OK;
    p.ring_n = 2 * po.queue_max;
    p.ring = calloc(p.ring_n, sizeof(*p.ring));
    if (p.ring == NULL || vg_pool_new(&po, sink, &p, &p.pool) != VG_OK) {
        free(p.ring);
        return VG_ENOMEM;
    }
    struct vg_sweep_opts wo = {.on_error = o->on_error, .on_file = on_file,
                               .arg = &p, .default_year = o->default_year,
                               .cancel = o->cancel};
    for (int i = 0; i < n && rc == VG_OK; i++) {
        rc = vg_sweep_path(sw, paths[i], &wo, stats);
    }
    int frc = vg_pool_finish(p.pool);
    vg_pool_free(p.pool); /* abandoned jobs (after a stop) are freed below */
    for (size_t i = 0; i < p.ring_n; i++) {
        job_free(p.ring[i]);
    }
    free(p.ring);
    if (p.rc != VG_OK) {
        return p.rc;
    }
    return rc != VG_OK ? rc : frc;
}
