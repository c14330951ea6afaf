/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan.c - one file in, findings out (contract in vigil/files.h).
 *
 * A worker owns everything that must not be shared between threads: the
 * YARA scanner, the hasher, the read buffer (grown to the largest file it
 * has kept, at most max_size) and scratch space for finding fields. Each
 * file is read once: chunks go to the hasher as they arrive, and the whole
 * content stays in the buffer for YARA when it fits under max_size.
 *
 * Not done here: opening files or walking (vigil/fs.h), choosing which
 * files to scan, writing findings anywhere (the job's emit callback does).
 */
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vigil/err.h"
#include "vigil/files.h"
#include "vigil/fs.h"
#include "vigil/time.h"
#include "vigil/yara.h"

#include "core/alloc.h"
#include "core/banned.h"
#include "core/str.h"
#include "scan/scan_int.h"

#define CHUNK ((size_t)1 << 20)
/* Escaped matched data: "0x" + 16 hex digits + ": " + 4 bytes per input
 * byte (\xNN) + "..." + NUL. */
#define STRVAL_MAX (2 + 16 + 2 + 4 * VG_YARA_MAX_DATA + 4)

struct vg_files {
    const struct vg_ctx *ctx;
    struct vg_files_opts o;
    unsigned digests;
    int has_path_iocs;
};

struct vg_files_worker {
    const struct vg_files *f;
    struct vg_yara_scanner *ys;
    struct vg_hasher *h;
    uint8_t *buf;
    size_t cap;
    size_t len;   /* bytes of the file in buf */
    int is_whole; /* buf holds the whole file */
    uint64_t bytes_read;
    unsigned n_findings;
    int has_uid;
    uid_t uid;
    char owner[64];
    struct scan_file sf;
    /* scratch for one YARA finding */
    struct vg_kv values[VG_YARA_MAX_STRINGS];
    char strval[VG_YARA_MAX_STRINGS][STRVAL_MAX];
    struct vg_kv extra[SCAN_MAX_EXTRA];
    char metakey[SCAN_MAX_EXTRA][72];
    char tags[1024];
    char title[300];
    char winpath[VG_WALK_PATH_MAX + 4];
};

static void set_hex(struct scan_file *sf);

enum vg_severity
vg_files_severity(int score)
{
    if (score >= 90) {
        return VG_SEV_CRITICAL;
    }
    if (score >= 70) {
        return VG_SEV_HIGH;
    }
    if (score >= 40) {
        return VG_SEV_MEDIUM;
    }
    return score >= 20 ? VG_SEV_LOW : VG_SEV_INFO;
}

int
scan_clamp_score(long long v)
{
    return v < 0 ? 0 : v > 100 ? 100 : (int)v;
}

int
vg_files_new(const struct vg_ctx *ctx, const struct vg_files_opts *opts,
             struct vg_files **out)
{
    struct vg_files *f;

    *out = NULL;
    if (opts == NULL || opts->yara_timeout_s < 0) {
        return VG_EINVAL;
    }
    f = vg_calloc(1, sizeof(*f));
    if (f == NULL) {
        return VG_ENOMEM;
    }
    f->ctx = ctx;
    f->o = *opts;
    if (f->o.max_size == 0) {
        f->o.max_size = VG_FILES_DEFAULT_MAX_SIZE;
    }
    if (f->o.yara_timeout_s == 0) {
        f->o.yara_timeout_s = VG_FILES_DEFAULT_TIMEOUT_S;
    }
    f->digests = (opts->always_digests & VG_DIGEST_ALL) |
                 scan_ioc_digests(opts->iocs) | scan_ioc_digests(opts->fp_iocs);
    f->has_path_iocs = scan_ioc_has_paths(opts->iocs);
    *out = f;
    return VG_OK;
}

void
vg_files_free(struct vg_files *f)
{
    vg_free(f);
}

unsigned
vg_files_digests(const struct vg_files *f)
{
    return f->digests;
}

int
vg_files_worker_new(const struct vg_files *f, struct vg_files_worker **out)
{
    struct vg_files_worker *w;
    int rc;

    *out = NULL;
    w = vg_calloc(1, sizeof(*w));
    if (w == NULL) {
        return VG_ENOMEM;
    }
    w->f = f;
    rc = vg_hasher_new(0, &w->h);
    if (rc == VG_OK && f->o.rules != NULL) {
        rc = vg_yara_scanner_new(f->o.rules, f->o.yara_timeout_s, &w->ys);
    }
    if (rc != VG_OK) {
        vg_files_worker_free(w);
        return rc;
    }
    *out = w;
    return VG_OK;
}

void
vg_files_worker_free(struct vg_files_worker *w)
{
    if (w == NULL) {
        return;
    }
    vg_yara_scanner_free(w->ys);
    vg_hasher_free(w->h);
    vg_free(w->buf);
    vg_free(w);
}

/* --- reading ---------------------------------------------------------- */

static int
grow(struct vg_files_worker *w, size_t need)
{
    size_t ncap;
    uint8_t *nb;

    if (need <= w->cap) {
        return VG_OK;
    }
    ncap = w->cap != 0 ? w->cap : CHUNK;
    while (ncap < need) {
        ncap *= 2;
    }
    nb = vg_realloc(w->buf, ncap);
    if (nb == NULL) {
        return VG_ENOMEM;
    }
    w->buf = nb;
    w->cap = ncap;
    return VG_OK;
}

static ssize_t
read_some(int fd, void *p, size_t n)
{
    for (;;) {
        ssize_t r = read(fd, p, n);
        if (r >= 0 || errno != EINTR) {
            return r;
        }
    }
}

/*
 * Read the whole file once. keep: hold the bytes in w->buf while they fit
 * in max_size (a file that grows past it is still hashed to the end, but
 * no longer kept). Every chunk is hashed with `which` as it arrives.
 */
static int
read_file(struct vg_files_worker *w, int fd, uint64_t size_hint, int keep,
          unsigned which)
{
    uint64_t max = w->f->o.max_size;
    int rc = vg_hasher_reset(w->h, which);

    w->len = 0;
    w->is_whole = 0;
    if (rc == VG_OK && keep) {
        /* Exact size + 1, so a file read at once needs one more read() to
         * see EOF and no reallocation. */
        rc = grow(w, (size_t)(size_hint < max ? size_hint : max) + 1);
    } else if (rc == VG_OK) {
        rc = grow(w, CHUNK);
    }
    while (rc == VG_OK) {
        uint8_t *dst = keep ? w->buf + w->len : w->buf;
        size_t room = keep ? w->cap - w->len : w->cap;
        ssize_t r;
        if (room == 0) {
            if (w->len >= max) {
                keep = 0; /* grew past max_size while we read */
                w->len = 0;
                continue;
            }
            rc = grow(w, w->cap + CHUNK);
            continue;
        }
        r = read_some(fd, dst, room);
        if (r < 0) {
            return VG_EIO;
        }
        if (r == 0) {
            w->is_whole = keep;
            break;
        }
        w->bytes_read += (uint64_t)r;
        rc = vg_hasher_update(w->h, dst, (size_t)r);
        if (keep) {
            w->len += (size_t)r;
        }
    }
    if (rc == VG_OK) {
        rc = vg_hasher_final(w->h, &w->sf.dg);
    }
    return rc;
}

/* Digests missing from sf.dg: from the buffer when it holds the file,
 * else by reading the file again (only for findings on big files). */
static int
complete_digests(struct vg_files_worker *w)
{
    unsigned missing = VG_DIGEST_ALL & ~w->sf.dg.have;
    struct vg_digests d;
    int rc;

    if (missing == 0) {
        return VG_OK;
    }
    if (w->is_whole) {
        rc = vg_digest_mem(missing, w->buf, w->len, &d);
    } else {
        struct vg_digests saved = w->sf.dg;
        if (lseek(w->sf.job->fd, 0, SEEK_SET) != 0) {
            return VG_EIO;
        }
        rc = read_file(w, w->sf.job->fd, 0, 0, missing);
        d = w->sf.dg;
        w->sf.dg = saved;
    }
    if (rc != VG_OK) {
        return rc;
    }
    if (missing & VG_DIGEST_MD5) {
        memcpy(w->sf.dg.md5, d.md5, sizeof(d.md5));
    }
    if (missing & VG_DIGEST_SHA1) {
        memcpy(w->sf.dg.sha1, d.sha1, sizeof(d.sha1));
    }
    if (missing & VG_DIGEST_SHA256) {
        memcpy(w->sf.dg.sha256, d.sha256, sizeof(d.sha256));
    }
    w->sf.dg.have = VG_DIGEST_ALL;
    set_hex(&w->sf);
    return VG_OK;
}

/* --- per-file facts --------------------------------------------------- */

static const char *
owner_name(struct vg_files_worker *w, uid_t uid)
{
    struct passwd pw, *res = NULL;
    char buf[1024];

    if (w->has_uid && w->uid == uid) {
        return w->owner;
    }
    w->has_uid = 1;
    w->uid = uid;
    if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res != NULL) {
        vg_strlcpy(w->owner, res->pw_name, sizeof(w->owner));
    } else {
        (void)snprintf(w->owner, sizeof(w->owner), "%lu", (unsigned long)uid);
    }
    return w->owner;
}

static int64_t
ts_us(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000 + ts->tv_nsec / 1000;
}

static void
init_file(struct vg_files_worker *w, const struct vg_files_job *job)
{
    struct scan_file *sf = &w->sf;
    const struct stat *st = job->st;

    memset(sf, 0, sizeof(*sf));
    sf->job = job;
    (void)snprintf(sf->size, sizeof(sf->size), "%" PRIu64,
                   (uint64_t)(st->st_size > 0 ? st->st_size : 0));
    sf->mtime_us = ts_us(&st->st_mtim);
    (void)vg_time_format(sf->mtime_us, sf->mtime);
    (void)vg_time_format(ts_us(&st->st_ctim), sf->ctime);
    (void)vg_time_format(ts_us(&st->st_atim), sf->atime);
    sf->owner = owner_name(w, st->st_uid);
    sf->filetype = "";
}

size_t
scan_common_extra(const struct scan_file *sf, struct vg_kv *kv, size_t cap)
{
    const struct vg_kv all[] = {
        {"size", sf->size},         {"mtime", sf->mtime},
        {"ctime", sf->ctime},       {"atime", sf->atime},
        {"md5", sf->md5},           {"sha1", sf->sha1},
        {"sha256", sf->sha256},     {"owner", sf->owner},
        {"filetype", sf->filetype},
    };
    size_t n = 0;

    for (size_t i = 0; i < VG_ARRAY_LEN(all) && n < cap; i++) {
        if (all[i].value != NULL && all[i].value[0] != '\0') {
            kv[n++] = all[i];
        }
    }
    return n;
}

/* --- YARA findings ----------------------------------------------------- */

/* "0x1f: MZ\x90\x00..." - printable ASCII kept, the rest as \xNN. */
static void
format_string(char *out, size_t cap, const struct vg_yara_string *s)
{
    static const char hex[] = "0123456789abcdef";
    int n = snprintf(out, cap, "0x%" PRIx64 ": ", s->offset);
    size_t o = n > 0 ? (size_t)n : 0;

    for (size_t i = 0; i < s->len && o + 5 < cap; i++) {
        uint8_t c = s->data[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 0xf];
        }
    }
    if (s->match_len > s->len && o + 4 < cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

static const char *
meta_get(const struct vg_yara_match *m, const char *key)
{
    for (size_t i = 0; i < m->n_meta; i++) {
        if (strcmp(m->meta[i].key, key) == 0) {
            return m->meta[i].value;
        }
    }
    return NULL;
}

static int
meta_score(const struct vg_yara_match *m)
{
    const char *s = meta_get(m, "score");
    uint64_t v;

    if (s != NULL && vg_parse_u64(s, strlen(s), 0, 1000, &v) == VG_OK) {
        return scan_clamp_score((long long)v);
    }
    return 70; /* Loki's default for a rule without a score */
}

static size_t
yara_extra(struct vg_files_worker *w, const struct vg_yara_match *m)
{
    size_t n = scan_common_extra(&w->sf, w->extra, SCAN_MAX_EXTRA);
    size_t o = 0;

    w->tags[0] = '\0';
    for (size_t i = 0; i < m->n_tags; i++) {
        int r = snprintf(w->tags + o, sizeof(w->tags) - o, "%s%s",
                         i > 0 ? "," : "", m->tags[i]);
        if (r < 0 || (size_t)r >= sizeof(w->tags) - o) {
            break;
        }
        o += (size_t)r;
    }
    if (m->n_tags > 0 && n < SCAN_MAX_EXTRA) {
        w->extra[n++] = (struct vg_kv){"tags", w->tags};
    }
    for (size_t i = 0; i < m->n_meta && n < SCAN_MAX_EXTRA; i++) {
        (void)snprintf(w->metakey[n], sizeof(w->metakey[n]), "meta.%s",
                       m->meta[i].key);
        w->extra[n] = (struct vg_kv){w->metakey[n], m->meta[i].value};
        n++;
    }
    return n;
}

static int
on_yara_match(void *arg, const struct vg_yara_match *m)
{
    struct vg_files_worker *w = arg;
    const struct vg_files_job *job = w->sf.job;
    struct vg_finding f = {0};
    const char *desc = meta_get(m, "description");
    int rc = complete_digests(w);

    if (rc != VG_OK) {
        return rc;
    }
    for (size_t i = 0; i < m->n_strings; i++) {
        format_string(w->strval[i], sizeof(w->strval[i]), &m->strings[i]);
        w->values[i] = (struct vg_kv){m->strings[i].id, w->strval[i]};
    }
    (void)snprintf(w->title, sizeof(w->title), "YARA rule %s matched", m->rule);
    f.time_us = w->sf.mtime_us;
    f.host = w->f->o.host;
    f.module = "files";
    f.score = meta_score(m);
    f.severity = vg_files_severity(f.score);
    f.title = w->title;
    f.reason = desc != NULL ? desc : "file content matches a YARA rule";
    f.remediation = "Examine the file; quarantine it if the match is "
                    "confirmed.";
    f.rule.id = m->rule;
    f.rule.name = m->rule;
    f.rule.source = "yara";
    f.rule.reference = meta_get(m, "reference");
    f.evidence.path = job->path;
    f.evidence.offset =
        m->n_strings > 0 ? m->strings[0].offset : VG_OFFSET_NONE;
    f.evidence.values = w->values;
    f.evidence.n_values = m->n_strings;
    f.extra = w->extra;
    f.n_extra = yara_extra(w, m);
    w->n_findings++;
    return job->emit(&f, job->arg);
}

/* --- the scan ---------------------------------------------------------- */

static void
file_ext(const char *name, char *out, size_t cap)
{
    const char *dot = strrchr(name, '.');
    size_t i = 0;

    if (dot != NULL && dot != name) {
        for (; dot[i] != '\0' && i + 1 < cap; i++) {
            out[i] = vg_ascii_lower(dot[i]);
        }
    }
    out[i] = '\0';
}

/* The filepath external: the path as found, or on a mounted Windows
 * volume the path the live system would have ("C:\\Users\\..."), so
 * rules written for Windows paths (signature-base) work on evidence. */
static const char *
yara_filepath(struct vg_files_worker *w, const struct vg_files_job *job)
{
    size_t rl = job->root_len, n = strlen(job->path), o = 2;

    if (!job->is_windows_root || rl == 0 || rl >= n || job->path[rl] != '/' ||
        n - rl + 3 > sizeof(w->winpath)) {
        return job->path;
    }
    w->winpath[0] = 'C';
    w->winpath[1] = ':';
    for (size_t i = rl; i <= n; i++) {
        w->winpath[o++] = job->path[i] == '/' ? '\\' : job->path[i];
    }
    return w->winpath;
}

static int
run_yara(struct vg_files_worker *w, struct vg_files_result *res)
{
    const struct vg_files_job *job = w->sf.job;
    const char *base = strrchr(job->path, '/');
    char ext[64];
    struct vg_yara_file yf;
    int rc;

    base = base != NULL ? base + 1 : job->path;
    file_ext(base, ext, sizeof(ext));
    yf = (struct vg_yara_file){
        .filename = base,
        .filepath = yara_filepath(w, job),
        .extension = ext,
        .filetype = w->sf.filetype,
        .owner = w->sf.owner,
    };
    rc = vg_yara_scan_mem(w->ys, &yf, w->buf, w->len, on_yara_match, w);
    if (rc == VG_ETIMEOUT) {
        res->is_timeout = 1;
        return VG_OK;
    }
    res->is_yara_scanned = rc == VG_OK;
    return rc;
}

static void
set_hex(struct scan_file *sf)
{
    sf->md5[0] = sf->sha1[0] = sf->sha256[0] = '\0';
    if (sf->dg.have & VG_DIGEST_MD5) {
        vg_hex(sf->dg.md5, 16, sf->md5);
    }
    if (sf->dg.have & VG_DIGEST_SHA1) {
        vg_hex(sf->dg.sha1, 20, sf->sha1);
    }
    if (sf->dg.have & VG_DIGEST_SHA256) {
        vg_hex(sf->dg.sha256, 32, sf->sha256);
    }
}

/* Loki's false-positive hash lists: a known-good file is not reported.
 * Only the digests actually computed are compared. */
static int
is_known_good(struct vg_files_worker *w)
{
    uint32_t id;

    return w->f->o.fp_iocs != NULL && w->sf.dg.have != 0 &&
           scan_ioc_hash_hits(w->f->o.fp_iocs, &w->sf, &id, 1) > 0;
}

/* IOC findings: path hits were found before reading, hash hits now. */
static int
run_iocs(struct vg_files_worker *w, const uint32_t *path_ids, size_t n_path)
{
    const struct vg_files *f = w->f;
    uint32_t ids[16];
    size_t n_hash = 0;
    int rc = VG_OK, n;

    if (w->sf.dg.have != 0) {
        n_hash = scan_ioc_hash_hits(f->o.iocs, &w->sf, ids, VG_ARRAY_LEN(ids));
    }
    if (n_path + n_hash == 0) {
        return VG_OK;
    }
    rc = complete_digests(w);
    if (rc != VG_OK) {
        return rc;
    }
    n = scan_ioc_emit(f->o.iocs, path_ids, n_path, &w->sf, f->o.host, 0);
    if (n >= 0) {
        w->n_findings += (unsigned)n;
        n = scan_ioc_emit(f->o.iocs, ids, n_hash, &w->sf, f->o.host, 1);
    }
    if (n < 0) {
        return n;
    }
    w->n_findings += (unsigned)n;
    return VG_OK;
}

/* --hash: a file with no finding still gets an informational record with
 * the digests asked for, so the run doubles as a hash inventory ("know
 * what software runs where"). A file with a finding already carries all
 * three digests in that finding. */
static int
emit_inventory(struct vg_files_worker *w)
{
    const struct vg_files_job *job = w->sf.job;
    struct vg_finding f = {0};

    f.time_us = w->sf.mtime_us;
    f.host = w->f->o.host;
    f.module = "files";
    f.severity = VG_SEV_INFO;
    f.title = "File hashed";
    (void)snprintf(w->tags, sizeof(w->tags), "%s%s%s%s%s%s",
                   w->sf.md5[0] ? " md5 " : "", w->sf.md5,
                   w->sf.sha1[0] ? " sha1 " : "", w->sf.sha1,
                   w->sf.sha256[0] ? " sha256 " : "", w->sf.sha256);
    f.reason = w->tags + 1; /* the digests asked for, e.g. "sha256 ab12..." */
    f.rule.id = "vigil-files-inventory";
    f.rule.name = "file inventory";
    f.rule.source = "vigil";
    f.evidence.path = job->path;
    f.evidence.offset = VG_OFFSET_NONE;
    f.extra = w->extra;
    f.n_extra = scan_common_extra(&w->sf, w->extra, SCAN_MAX_EXTRA);
    return job->emit(&f, job->arg);
}

int
vg_files_scan(struct vg_files_worker *w, const struct vg_files_job *job,
              struct vg_files_result *res)
{
    const struct vg_files *f = w->f;
    uint64_t size = job->st->st_size > 0 ? (uint64_t)job->st->st_size : 0;
    uint32_t ids[16];
    size_t n_path = 0;
    int rc = VG_OK, keep;

    memset(res, 0, sizeof(*res));
    w->bytes_read = 0;
    w->n_findings = 0;
    init_file(w, job);
    if (f->has_path_iocs) {
        n_path = scan_ioc_path_hits(f->o.iocs, job->path, job->root_len, ids,
                                    VG_ARRAY_LEN(ids));
    }
    keep = f->o.rules != NULL && size <= f->o.max_size;
    res->is_too_large = f->o.rules != NULL && !keep;
    if (keep || f->digests != 0 || n_path > 0) {
        rc = read_file(w, job->fd, size, keep,
                       f->digests | (n_path > 0 ? VG_DIGEST_ALL : 0u));
    }
    if (rc == VG_OK) {
        set_hex(&w->sf);
        w->sf.filetype = vg_yara_filetype(w->buf, w->is_whole ? w->len : 0);
        res->is_known_good = is_known_good(w);
    }
    if (rc == VG_OK && !res->is_known_good) {
        rc = run_iocs(w, ids, n_path);
    }
    if (rc == VG_OK && keep && w->is_whole && !res->is_known_good) {
        rc = run_yara(w, res);
    }
    if (rc == VG_OK && f->o.always_digests != 0 && w->n_findings == 0 &&
        !res->is_known_good) {
        rc = emit_inventory(w);
    }
    res->n_findings = w->n_findings;
    res->bytes_read = w->bytes_read;
    return rc;
}
