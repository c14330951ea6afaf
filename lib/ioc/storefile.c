/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storefile.c - the saved IOC store (.vgs), version 1. Little-endian:
 *
 *   header (64 bytes)
 *     0  "VIGILIOC"        8  u32 version (1)     12 u32 header size (64)
 *     16 u64 blob bytes    24 u64 indicators      32 u64 sources
 *     40 u32 CRC-32 (zlib) of every byte after the header
 *     44 u32 flags (0)     48 u64 file size       56 8 bytes zero
 *   blob: NUL-terminated strings; offset 0 is "" (every offset < blob size,
 *     the blob ends with a NUL, so any offset names a terminated string)
 *   indicators, 32 bytes each: u32 value, u32 aux, u32 n_sources,
 *     u8 type, u8 flags, u8 tlp, i8 score, i64 first_seen, i64 last_seen
 *   sources, 44 bytes each, per indicator in order, oldest first:
 *     u32 feed, file, object_id, description, tags, line;
 *     i8 score, u8 tlp, u16 zero, i64 first_seen, i64 last_seen
 *
 * The loader trusts nothing: sizes must add up to the file size exactly,
 * the CRC must match, every offset, type, flag, TLP and score is range
 * checked, every value must already be in its normal form (so the compiled
 * tables are built from valid data) and no indicator may appear twice.
 * Matchers are rebuilt on load (sealing), never read from the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/rd.h"
#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"

#include "core/banned.h"

#define MAGIC "VIGILIOC"
#define VERSION 1u
#define HDR 64u
#define IOC_REC 32u
#define SRC_REC 44u

static int
put32(struct vg_buf *b, uint32_t v)
{
    uint8_t p[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    return vg_buf_add(b, p, 4);
}

static int
put64(struct vg_buf *b, uint64_t v)
{
    int rc = put32(b, (uint32_t)v);
    return rc != VG_OK ? rc : put32(b, (uint32_t)(v >> 32));
}

static int
put8(struct vg_buf *b, unsigned v)
{
    return vg_buf_addc(b, (char)(uint8_t)v);
}

static int
put_src(struct vg_buf *b, const struct ioc_src *s)
{
    int rc = VG_OK;
    const uint32_t f[6] = {s->feed, s->file, s->objid,
                           s->desc, s->tags, s->line};
    for (int i = 0; rc == VG_OK && i < 6; i++) {
        rc = put32(b, f[i]);
    }
    if (rc == VG_OK) {
        rc = put8(b, (uint8_t)s->score);
    }
    if (rc == VG_OK) {
        rc = put8(b, s->tlp);
    }
    if (rc == VG_OK) {
        rc = vg_buf_add(b, "\0\0", 2);
    }
    if (rc == VG_OK) {
        rc = put64(b, (uint64_t)s->first_seen);
    }
    return rc != VG_OK ? rc : put64(b, (uint64_t)s->last_seen);
}

static int
put_ioc(struct vg_buf *b, const struct ioc_rec *r)
{
    int rc = put32(b, r->value);
    if (rc == VG_OK) {
        rc = put32(b, r->aux);
    }
    if (rc == VG_OK) {
        rc = put32(b, r->n_src);
    }
    if (rc == VG_OK) {
        uint8_t p[4] = {r->type, r->flags, r->tlp, (uint8_t)r->score};
        rc = vg_buf_add(b, p, 4);
    }
    if (rc == VG_OK) {
        rc = put64(b, (uint64_t)r->first_seen);
    }
    return rc != VG_OK ? rc : put64(b, (uint64_t)r->last_seen);
}

/* Sources of one indicator, oldest first (the chain runs newest first). */
static int
put_srcs(struct vg_buf *b, const struct vg_ioc_store *st,
         const struct ioc_rec *r, uint32_t *tmp)
{
    uint32_t k = 0;
    for (uint32_t i = r->src_head; i != IOC_NIL && k < r->n_src;
         i = st->srcs[i].next) {
        tmp[k++] = i;
    }
    int rc = VG_OK;
    while (rc == VG_OK && k > 0) {
        rc = put_src(b, &st->srcs[tmp[--k]]);
    }
    return rc;
}

int
vg_ioc_store_serialize(const struct vg_ioc_store *st, struct vg_buf *b)
{
    uint32_t max_src = 0;
    if (st == NULL || b == NULL) {
        return VG_EINVAL;
    }
    for (size_t i = 0; i < st->n_iocs; i++) {
        max_src = st->iocs[i].n_src > max_src ? st->iocs[i].n_src : max_src;
    }
    uint32_t *tmp = vg_calloc((size_t)max_src + 1, sizeof(uint32_t));
    if (tmp == NULL) {
        return VG_ENOMEM;
    }
    size_t base = b->len;
    int rc = vg_buf_add(b, MAGIC, 8);
    const uint64_t hdr[] = {VERSION | ((uint64_t)HDR << 32), st->blob_len,
                            st->n_iocs, st->n_srcs};
    for (size_t i = 0; rc == VG_OK && i < VG_ARRAY_LEN(hdr); i++) {
        rc = put64(b, hdr[i]);
    }
    for (int i = 0; rc == VG_OK && i < 3; i++) {
        rc = put64(b, 0); /* crc + flags, size, reserved: patched below */
    }
    if (rc == VG_OK) {
        rc = vg_buf_add(b, st->blob, st->blob_len);
    }
    for (size_t i = 0; rc == VG_OK && i < st->n_iocs; i++) {
        rc = put_ioc(b, &st->iocs[i]);
    }
    for (size_t i = 0; rc == VG_OK && i < st->n_iocs; i++) {
        rc = put_srcs(b, st, &st->iocs[i], tmp);
    }
    vg_free(tmp);
    if (rc != VG_OK) {
        vg_buf_truncate(b, base);
        return rc;
    }
    uint8_t *h = (uint8_t *)b->data + base;
    size_t total = b->len - base;
    uint32_t crc = (uint32_t)crc32_z(0, h + HDR, total - HDR);
    for (int i = 0; i < 4; i++) {
        h[40 + i] = (uint8_t)(crc >> (8 * i));
    }
    for (int i = 0; i < 8; i++) {
        h[48 + i] = (uint8_t)((uint64_t)total >> (8 * i));
    }
    return VG_OK;
}

int
vg_ioc_store_save(const struct vg_ioc_store *st, const char *path,
                  struct vg_diag *d)
{
    struct vg_buf b;
    char tmp[VG_DIAG_PATH_MAX];
    int rc, fd = -1;

    vg_diag_clear(d);
    vg_buf_init(&b, (size_t)VG_IOC_MAX_STORE);
    rc = vg_ioc_store_serialize(st, &b);
    if (rc != VG_OK) {
        vg_buf_fini(&b);
        return vg_diag_set(d, rc, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot serialise the store: %s", vg_strerror(rc));
    }
    int k = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    if (k < 0 || (size_t)k >= sizeof(tmp)) {
        vg_buf_fini(&b);
        return vg_diag_set(d, VG_EINVAL, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "path too long");
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        rc = vg_diag_set(d, VG_EIO, tmp, VG_DIAG_NONE, VG_DIAG_NONE,
                         "cannot create: %s", strerror(errno));
        goto out;
    }
    for (size_t off = 0; off < b.len;) {
        ssize_t w = write(fd, b.data + off, b.len - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            rc = vg_diag_set(d, VG_EIO, tmp, VG_DIAG_NONE, off,
                             "write failed: %s", strerror(errno));
            goto out;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        rc = vg_diag_set(d, VG_EIO, tmp, VG_DIAG_NONE, VG_DIAG_NONE,
                         "cannot flush: %s", strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                         "cannot rename %s: %s", tmp, strerror(errno));
        goto out;
    }
    rc = VG_OK;
out:
    if (fd >= 0) {
        close(fd);
    }
    if (rc != VG_OK) {
        unlink(tmp);
    }
    vg_buf_fini(&b);
    return rc;
}

/* --- loading ------------------------------------------------------------- */

struct ld {
    struct vg_rd rd;
    size_t blob_len;
    struct vg_diag *d;
};

static int
bad(struct ld *l, size_t off, const char *what)
{
    return vg_diag_set(l->d, VG_EFORMAT, NULL, VG_DIAG_NONE, off,
                       "damaged IOC store: %s", what);
}

static int
rd_off(struct ld *l, uint32_t *v, int allow_zero)
{
    size_t at = l->rd.pos;
    if (vg_rd_u32le(&l->rd, v) != VG_OK) {
        return bad(l, at, "truncated record");
    }
    if (*v >= l->blob_len || (!allow_zero && *v == 0)) {
        return bad(l, at, "string offset out of range");
    }
    return VG_OK;
}

static int
rd_time(struct ld *l, int64_t *t)
{
    uint64_t v;
    if (vg_rd_u64le(&l->rd, &v) != VG_OK) {
        return bad(l, l->rd.pos, "truncated record");
    }
    *t = (int64_t)v;
    return VG_OK;
}

static int
check_value(const struct vg_ioc_store *st, const struct ioc_rec *r)
{
    const char *v = st->blob + r->value;
    size_t n = strlen(v);
    char canon[VG_IOC_MAX_VALUE + 1];
    if (n == 0 || n > VG_IOC_MAX_VALUE) {
        return 0;
    }
    if (r->flags & VG_IOC_F_REGEX) {
        for (size_t i = 0; i < n; i++) {
            if ((unsigned char)v[i] < ' ') {
                return 0;
            }
        }
        return r->type == VG_IOC_FILEPATH || r->type == VG_IOC_FILENAME;
    }
    int fl =
        vg_ioc_normalize((enum vg_ioc_type)r->type, v, n, canon, sizeof(canon));
    return fl >= 0 && strcmp(canon, v) == 0 &&
           (r->flags & (VG_IOC_F_PRIVATE | VG_IOC_F_RESERVED)) == (unsigned)fl;
}

static int
load_ioc(struct ld *l, struct vg_ioc_store *st, struct ioc_rec *r,
         uint64_t *src_total)
{
    size_t at = l->rd.pos;
    uint8_t b[4];
    int rc = rd_off(l, &r->value, 0);
    if (rc == VG_OK) {
        rc = rd_off(l, &r->aux, 1);
    }
    if (rc == VG_OK && vg_rd_u32le(&l->rd, &r->n_src) != VG_OK) {
        rc = bad(l, l->rd.pos, "truncated record");
    }
    for (int i = 0; rc == VG_OK && i < 4; i++) {
        rc = vg_rd_u8(&l->rd, &b[i]) == VG_OK ? VG_OK : bad(l, at, "truncated");
    }
    if (rc == VG_OK) {
        rc = rd_time(l, &r->first_seen);
    }
    if (rc == VG_OK) {
        rc = rd_time(l, &r->last_seen);
    }
    if (rc != VG_OK) {
        return rc;
    }
    r->type = b[0];
    r->flags = b[1];
    r->tlp = b[2];
    r->score = (int8_t)b[3];
    *src_total += r->n_src;
    if (r->type == VG_IOC_NONE || r->type >= VG_IOC_TYPE_COUNT ||
        (r->flags & ~0x1fu) != 0 || r->tlp >= VG_TLP_COUNT || r->score < -1 ||
        r->score > 100) {
        return bad(l, at, "indicator field out of range");
    }
    if (!check_value(st, r)) {
        return bad(l, at, "indicator value not in normal form");
    }
    return VG_OK;
}

static int
load_src(struct ld *l, struct ioc_src *s)
{
    size_t at = l->rd.pos;
    uint32_t *f[5] = {&s->feed, &s->file, &s->objid, &s->desc, &s->tags};
    uint8_t sc, tlp;
    uint16_t zero;
    int rc = VG_OK;
    for (int i = 0; rc == VG_OK && i < 5; i++) {
        rc = rd_off(l, f[i], 1);
    }
    if (rc != VG_OK) {
        return rc;
    }
    if (vg_rd_u32le(&l->rd, &s->line) != VG_OK ||
        vg_rd_u8(&l->rd, &sc) != VG_OK || vg_rd_u8(&l->rd, &tlp) != VG_OK ||
        vg_rd_u16le(&l->rd, &zero) != VG_OK) {
        return bad(l, at, "truncated source record");
    }
    s->score = (int8_t)sc;
    s->tlp = tlp;
    if (s->score < -1 || s->score > 100 || tlp >= VG_TLP_COUNT || zero != 0) {
        return bad(l, at, "source field out of range");
    }
    rc = rd_time(l, &s->first_seen);
    return rc != VG_OK ? rc : rd_time(l, &s->last_seen);
}

static int
load_header(struct ld *l, const uint8_t *p, size_t n, uint64_t *n_iocs,
            uint64_t *n_srcs)
{
    uint32_t ver, hsz, crc, flags;
    uint64_t blob, size, resv;
    if (n < HDR || vg_rd_match(&l->rd, MAGIC, 8) != VG_OK) {
        return bad(l, 0, "not a Vigil IOC store (bad magic)");
    }
    if (vg_rd_u32le(&l->rd, &ver) != VG_OK ||
        vg_rd_u32le(&l->rd, &hsz) != VG_OK ||
        vg_rd_u64le(&l->rd, &blob) != VG_OK ||
        vg_rd_u64le(&l->rd, n_iocs) != VG_OK ||
        vg_rd_u64le(&l->rd, n_srcs) != VG_OK ||
        vg_rd_u32le(&l->rd, &crc) != VG_OK ||
        vg_rd_u32le(&l->rd, &flags) != VG_OK ||
        vg_rd_u64le(&l->rd, &size) != VG_OK ||
        vg_rd_u64le(&l->rd, &resv) != VG_OK) {
        return bad(l, 8, "truncated header");
    }
    if (ver > VERSION) {
        return vg_diag_set(l->d, VG_EUNSUPPORTED, NULL, VG_DIAG_NONE, 8,
                           "IOC store version %u is newer than this Vigil "
                           "reads (%u)",
                           ver, VERSION);
    }
    if (ver != VERSION || hsz != HDR || flags != 0 || resv != 0) {
        return bad(l, 8, "bad version, header size or flags");
    }
    if (size != n) {
        return bad(l, 48, "file size does not match the header (truncated?)");
    }
    if (blob == 0 || blob > UINT32_MAX - 1 || *n_iocs > VG_IOC_MAX_IOCS ||
        *n_srcs > UINT32_MAX - 1 ||
        blob + *n_iocs * IOC_REC + *n_srcs * SRC_REC != n - HDR) {
        return bad(l, 16, "section sizes do not add up to the file size");
    }
    if ((uint32_t)crc32_z(0, p + HDR, n - HDR) != crc) {
        return bad(l, 40, "checksum mismatch (file modified or damaged)");
    }
    l->blob_len = (size_t)blob;
    if (p[HDR] != 0 || p[HDR + blob - 1] != 0) {
        return bad(l, HDR, "string blob not NUL-delimited");
    }
    return VG_OK;
}

static int
load_body(struct ld *l, struct vg_ioc_store *st, const uint8_t *p,
          uint64_t n_iocs, uint64_t n_srcs)
{
    uint64_t total = 0;
    int rc = VG_OK;
    st->blob = vg_malloc(l->blob_len);
    st->iocs = vg_calloc((size_t)n_iocs + 1, sizeof(*st->iocs));
    st->srcs = vg_calloc((size_t)n_srcs + 1, sizeof(*st->srcs));
    if (st->blob == NULL || st->iocs == NULL || st->srcs == NULL) {
        return VG_ENOMEM;
    }
    memcpy(st->blob, p + HDR, l->blob_len);
    st->blob_len = st->blob_cap = l->blob_len;
    st->cap_iocs = (size_t)n_iocs + 1;
    st->cap_srcs = (size_t)n_srcs + 1;
    if (vg_rd_skip(&l->rd, l->blob_len) != VG_OK) {
        return bad(l, HDR, "truncated blob");
    }
    rc = ioc_key_reserve(st, (size_t)n_iocs);
    if (rc != VG_OK) {
        return rc;
    }
    for (uint64_t i = 0; rc == VG_OK && i < n_iocs; i++) {
        size_t at = l->rd.pos;
        rc = load_ioc(l, st, &st->iocs[i], &total);
        if (rc == VG_OK) {
            st->n_iocs = (size_t)i + 1;
            rc = ioc_key_insert(st, (uint32_t)i);
            if (rc == VG_EFORMAT) {
                rc = bad(l, at, "duplicate indicator");
            }
            st->count_type[st->iocs[i].type]++;
        }
    }
    if (rc == VG_OK && total != n_srcs) {
        rc = bad(l, 32, "source count does not match the indicators");
    }
    uint64_t s = 0;
    for (uint64_t i = 0; rc == VG_OK && i < n_iocs; i++) {
        struct ioc_rec *r = &st->iocs[i];
        r->src_head = IOC_NIL;
        for (uint32_t k = 0; rc == VG_OK && k < r->n_src; k++, s++) {
            rc = load_src(l, &st->srcs[s]);
            st->srcs[s].next = r->src_head;
            r->src_head = (uint32_t)s;
        }
    }
    st->n_srcs = (size_t)s;
    return rc;
}

int
vg_ioc_store_load_mem(const void *data, size_t n, struct vg_ioc_store **out,
                      struct vg_diag *d)
{
    struct ld l;
    struct vg_ioc_store *st = NULL;
    uint64_t n_iocs = 0, n_srcs = 0;
    int rc;

    *out = NULL;
    vg_diag_clear(d);
    if (data == NULL && n > 0) {
        return VG_EINVAL;
    }
    vg_rd_init(&l.rd, data, n);
    l.d = d;
    l.blob_len = 0;
    rc = load_header(&l, data, n, &n_iocs, &n_srcs);
    if (rc != VG_OK) {
        return rc;
    }
    st = vg_calloc(1, sizeof(*st));
    if (st == NULL) {
        return VG_ENOMEM;
    }
    rc = load_body(&l, st, data, n_iocs, n_srcs);
    if (rc == VG_OK) {
        rc = vg_ioc_store_seal(st);
        rc = rc > 0 ? VG_OK : rc; /* regexes that do not compile: kept */
    }
    if (rc != VG_OK) {
        if (d != NULL && d->msg[0] == '\0') {
            vg_diag_set(d, rc, NULL, VG_DIAG_NONE, VG_DIAG_NONE,
                        "cannot load the IOC store: %s", vg_strerror(rc));
        }
        vg_ioc_store_free(st);
        return rc;
    }
    *out = st;
    return VG_OK;
}

int
vg_ioc_store_load(const char *path, struct vg_ioc_store **out,
                  struct vg_diag *d)
{
    struct stat sb;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    *out = NULL;
    vg_diag_clear(d);
    if (fd < 0) {
        return vg_diag_set(d, errno == ENOENT ? VG_ENOTFOUND : VG_EIO, path,
                           VG_DIAG_NONE, VG_DIAG_NONE, "cannot open: %s",
                           strerror(errno));
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (uint64_t)sb.st_size > VG_IOC_MAX_STORE) {
        close(fd);
        return vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "not a regular file or larger than the store "
                           "limit");
    }
    buf = vg_malloc((size_t)sb.st_size + 1);
    if (buf == NULL) {
        close(fd);
        return VG_ENOMEM;
    }
    while (len < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + len, (size_t)sb.st_size - len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        len += (size_t)r;
    }
    close(fd);
    /* read(), not mmap(): a file truncated while mapped would SIGBUS */
    rc = vg_ioc_store_load_mem(buf, len, out, d);
    vg_free(buf);
    if (rc != VG_OK && d != NULL) {
        vg_strlcpy(d->path, path, sizeof(d->path));
    }
    return rc;
}

int
vg_ioc_store_open(const char *path, vg_ioc_issue_fn *on_issue, void *issue_arg,
                  struct vg_ioc_store **out, struct vg_diag *d)
{
    char magic[8];
    struct vg_ioc_store *st = NULL;
    struct vg_ioc_import_opts o;
    struct vg_ioc_import_stats s;
    int rc;

    *out = NULL;
    vg_diag_clear(d);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        return vg_diag_set(d, errno == ENOENT ? VG_ENOTFOUND : VG_EIO, path,
                           VG_DIAG_NONE, VG_DIAG_NONE, "cannot open: %s",
                           strerror(errno));
    }
    ssize_t k = read(fd, magic, sizeof(magic));
    close(fd);
    if (k == (ssize_t)sizeof(magic) && memcmp(magic, MAGIC, 8) == 0) {
        return vg_ioc_store_load(path, out, d);
    }
    rc = vg_ioc_store_new(&st);
    if (rc != VG_OK) {
        return rc;
    }
    vg_ioc_import_opts_init(&o);
    o.on_issue = on_issue;
    o.issue_arg = issue_arg;
    memset(&s, 0, sizeof(s));
    rc = vg_ioc_import_file(st, path, &o, &s, d);
    if (rc == VG_OK) {
        rc = vg_ioc_store_seal(st);
        rc = rc > 0 ? VG_OK : rc;
    }
    if (rc != VG_OK) {
        vg_ioc_store_free(st);
        return rc;
    }
    *out = st;
    return VG_OK;
}
