/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import.c - importer plumbing: options, format names and detection, file
 * reading with a size cap, issue reporting, and the one path every importer
 * adds through (exclusion list, statistics, per-entry errors).
 * The formats themselves are text.c, csv.c and feed_json.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/ioc.h"

#include "core/banned.h"

void
vg_ioc_import_opts_init(struct vg_ioc_import_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->format = VG_IOC_FMT_AUTO;
    o->csv_value_col = -1;
    o->csv_type_col = -1;
    o->csv_desc_col = -1;
    o->csv_header = -1;
}

static const char *const fmt_names[VG_IOC_FMT_COUNT] = {
    "auto", "text",      "csv",           "stix",
    "misp", "loki-hash", "loki-filename", "loki-c2",
};

const char *
vg_ioc_format_name(enum vg_ioc_format f)
{
    return (unsigned)f < VG_IOC_FMT_COUNT ? fmt_names[f] : "?";
}

int
vg_ioc_format_parse(const char *s, enum vg_ioc_format *out)
{
    for (unsigned i = 0; i < VG_IOC_FMT_COUNT; i++) {
        if (strcmp(s, fmt_names[i]) == 0) {
            *out = (enum vg_ioc_format)i;
            return VG_OK;
        }
    }
    if (strcmp(s, "loki") == 0 || strcmp(s, "thor") == 0) {
        *out = VG_IOC_FMT_AUTO; /* the list kind comes from the file name */
        return VG_OK;
    }
    return VG_EINVAL;
}

static int
name_has(const char *path, const char *word)
{
    size_t bl;
    const char *b = ioc_basename(path, strlen(path), &bl);
    size_t wl = strlen(word);
    for (size_t i = 0; i + wl <= bl; i++) {
        if (vg_ascii_ieq(b + i, word, wl)) {
            return 1;
        }
    }
    return 0;
}

/* Loki list: first non-comment line looks like "hex;text", "regex;digits",
 * or the name says which list it is. */
static enum vg_ioc_format
detect_loki(const char *path, const char *data, size_t n)
{
    if (path != NULL && (name_has(path, ".txt") || name_has(path, ".ioc"))) {
        if (name_has(path, "hash")) {
            return VG_IOC_FMT_LOKI_HASH;
        }
        if (name_has(path, "filename")) {
            return VG_IOC_FMT_LOKI_FILENAME;
        }
        if (name_has(path, "c2")) {
            return VG_IOC_FMT_LOKI_C2;
        }
    }
    size_t i = 0;
    while (i < n) {
        const char *l = data + i;
        const char *e = memchr(l, '\n', n - i);
        size_t ll = e != NULL ? (size_t)(e - l) : n - i;
        i += ll + 1;
        if (!ioc_trim(&l, &ll) || l[0] == '#') {
            continue;
        }
        const char *sc = memchr(l, ';', ll);
        if (sc != NULL && ioc_is_hex(l, (size_t)(sc - l)) &&
            ((sc - l) == 32 || (sc - l) == 40 || (sc - l) == 64)) {
            return VG_IOC_FMT_LOKI_HASH;
        }
        break;
    }
    return VG_IOC_FMT_AUTO;
}

enum vg_ioc_format
vg_ioc_detect(const char *path, const char *data, size_t n)
{
    size_t i = 0;
    if (n >= 3 && (uint8_t)data[0] == 0xef && (uint8_t)data[1] == 0xbb &&
        (uint8_t)data[2] == 0xbf) {
        i = 3;
    }
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                     data[i] == '\n')) {
        i++;
    }
    if (i < n && (data[i] == '{' || data[i] == '[')) {
        /* JSON: STIX has "type": "bundle"/"indicator"..., MISP "Event",
         * "Attribute" or "response". */
        size_t lim = n - i < 65536 ? n - i : 65536;
        const char *p = data + i;
        int misp = 0;
        for (size_t k = 0; k + 7 < lim; k++) {
            if (memcmp(p + k, "\"Event\"", 7) == 0 ||
                (k + 11 < lim && memcmp(p + k, "\"Attribute\"", 11) == 0) ||
                (k + 10 < lim && memcmp(p + k, "\"response\"", 10) == 0)) {
                misp = 1;
                break;
            }
        }
        return misp ? VG_IOC_FMT_MISP : VG_IOC_FMT_STIX;
    }
    enum vg_ioc_format f = detect_loki(path, data + i, n - i);
    if (f != VG_IOC_FMT_AUTO) {
        return f;
    }
    if (path != NULL && (name_has(path, ".csv") || name_has(path, ".tsv"))) {
        return VG_IOC_FMT_CSV;
    }
    return VG_IOC_FMT_TEXT;
}

void
ioc_issue(struct ioc_imp *im, enum vg_ioc_issue_kind k, uint64_t line,
          const char *fmt, ...)
{
    struct vg_diag d;
    va_list ap;

    im->stats->issues[k]++;
    if (im->opts->on_issue == NULL) {
        return;
    }
    vg_diag_clear(&d);
    vg_strlcpy(d.path, im->path != NULL ? im->path : "", sizeof(d.path));
    d.line = line;
    d.rc = k == VG_IOC_ISSUE_ERROR         ? VG_EFORMAT
           : k == VG_IOC_ISSUE_UNSUPPORTED ? VG_EUNSUPPORTED
                                           : VG_OK;
    va_start(ap, fmt);
    vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
    va_end(ap);
    im->opts->on_issue(im->opts->issue_arg, k, &d);
}

/* A printable, short copy of a value for messages. */
static const char *
show(const char *v, size_t n, char *buf, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < cap; i++) {
        unsigned char c = (unsigned char)v[i];
        if (k > 60) {
            buf[k++] = '.';
            buf[k++] = '.';
            buf[k++] = '.';
            break;
        }
        buf[k++] = (c < ' ' || c >= 0x7f) ? '?' : (char)c;
    }
    buf[k] = '\0';
    return buf;
}

int
ioc_imp_add(struct ioc_imp *im, enum vg_ioc_type t, const char *v, size_t n,
            unsigned flags, const char *aux, const struct vg_ioc_src *src)
{
    char sh[80];
    uint64_t line = src != NULL && src->line != 0 ? src->line : VG_DIAG_NONE;
    const char *oid = src != NULL ? src->object_id : NULL;

    if (im->opts->exclude != NULL && !(flags & VG_IOC_F_REGEX)) {
        uint32_t id;
        if (vg_ioc_lookup_value(im->opts->exclude, t, v, n, &id, 1) > 0) {
            im->stats->excluded++;
            return VG_OK;
        }
    }
    uint32_t id;
    int rc = vg_ioc_add(im->st, t, v, n, flags, aux, src, &id);
    if (rc == 0) {
        struct vg_ioc_info in;
        if (vg_ioc_get(im->st, id, &in) == VG_OK) {
            t = in.type; /* a /32 block is stored as an address */
        }
        im->stats->added[t]++;
        return VG_OK;
    }
    if (rc == 1) {
        im->stats->merged++;
        return VG_OK;
    }
    if (rc == VG_ENOMEM ||
        (rc == VG_ELIMIT && vg_ioc_count(im->st) >= VG_IOC_MAX_IOCS)) {
        return rc;
    }
    ioc_issue(im, VG_IOC_ISSUE_ERROR, line, "%s%sinvalid %s value '%s'%s",
              oid != NULL ? oid : "", oid != NULL ? ": " : "",
              vg_ioc_type_name(t), show(v, n, sh, sizeof(sh)),
              rc == VG_ELIMIT ? " (too long)" : "");
    return VG_OK;
}

int
vg_ioc_import_mem(struct vg_ioc_store *st, const char *path, const char *data,
                  size_t n, const struct vg_ioc_import_opts *opts,
                  struct vg_ioc_import_stats *stats, struct vg_diag *d)
{
    struct vg_ioc_import_opts def;
    struct ioc_imp im;
    char feed[256];

    vg_diag_clear(d);
    if (st == NULL || stats == NULL || (data == NULL && n > 0)) {
        return VG_EINVAL;
    }
    if (opts == NULL) {
        vg_ioc_import_opts_init(&def);
        opts = &def;
    }
    if (n > VG_IOC_MAX_FILE) {
        return vg_diag_set(d, VG_ELIMIT, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "larger than the %u MiB limit for one feed",
                           VG_IOC_MAX_FILE >> 20);
    }
    if (opts->exclude != NULL && !opts->exclude->sealed) {
        return vg_diag_set(d, VG_EINVAL, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "exclusion store is not sealed");
    }
    im.st = st;
    im.path = path;
    im.opts = opts;
    im.stats = stats;
    im.feed = opts->feed;
    if (im.feed == NULL && path != NULL) {
        size_t bl;
        const char *b = ioc_basename(path, strlen(path), &bl);
        vg_strlcpy(feed, b, sizeof(feed));
        im.feed = feed;
    }
    enum vg_ioc_format f = opts->format;
    if (f == VG_IOC_FMT_AUTO) {
        f = vg_ioc_detect(path, data, n);
    }
    stats->format = f;
    int rc;
    switch (f) {
    case VG_IOC_FMT_CSV:
        rc = ioc_import_csv(&im, data, n);
        break;
    case VG_IOC_FMT_STIX:
    case VG_IOC_FMT_MISP:
        rc = ioc_import_json(&im, f, data, n, d);
        break;
    case VG_IOC_FMT_LOKI_HASH:
    case VG_IOC_FMT_LOKI_FILENAME:
    case VG_IOC_FMT_LOKI_C2:
        rc = ioc_import_loki(&im, f, data, n);
        break;
    default:
        rc = ioc_import_text(&im, data, n);
        break;
    }
    if (rc < 0 && d->rc == VG_OK && d->msg[0] == '\0') {
        vg_diag_set(d, rc, path, VG_DIAG_NONE, VG_DIAG_NONE, "%s",
                    rc == VG_ELIMIT ? "the store is full" : vg_strerror(rc));
    }
    return rc;
}

static int
read_all(const char *path, char **out, size_t *n, struct vg_diag *d)
{
    struct stat sb;
    char *buf = NULL;
    size_t len = 0;
    int rc = VG_EIO;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    if (fd < 0) {
        return vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot open: %s", strerror(errno));
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                         "not a regular file");
        goto out;
    }
    if ((uint64_t)sb.st_size > VG_IOC_MAX_FILE) {
        rc = vg_diag_set(d, VG_ELIMIT, path, VG_DIAG_NONE, VG_DIAG_NONE,
                         "%lld bytes: larger than the %u MiB limit for one "
                         "feed",
                         (long long)sb.st_size, VG_IOC_MAX_FILE >> 20);
        goto out;
    }
    buf = vg_malloc((size_t)sb.st_size + 1);
    if (buf == NULL) {
        rc = VG_ENOMEM;
        goto out;
    }
    while (len < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + len, (size_t)sb.st_size - len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break; /* shrank while reading: use what is there */
        }
        len += (size_t)r;
    }
    buf[len] = '\0';
    *out = buf;
    *n = len;
    buf = NULL;
    rc = VG_OK;
out:
    vg_free(buf);
    close(fd);
    return rc;
}

int
vg_ioc_import_file(struct vg_ioc_store *st, const char *path,
                   const struct vg_ioc_import_opts *opts,
                   struct vg_ioc_import_stats *stats, struct vg_diag *d)
{
    char *data = NULL;
    size_t n = 0;
    vg_diag_clear(d);
    if (st == NULL || path == NULL || stats == NULL) {
        return VG_EINVAL;
    }
    int rc = read_all(path, &data, &n, d);
    if (rc == VG_OK) {
        rc = vg_ioc_import_mem(st, path, data, n, opts, stats, d);
    }
    vg_free(data);
    return rc;
}
