/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_ioc.c - the file scanner's use of the IOC store (vigil/ioc.h): which
 * digests the store needs, path and hash lookups, and the findings for
 * hits. Parsing IOC lists is the IOC module's job, not this file's.
 *
 * Paths are looked up as found, once more with '\' separators, and, when
 * the caller names the scanned root, as "C:\<path below the root>", because
 * Loki/THOR file-name IOCs are written for Windows paths (many start with
 * "C:\\") and Windows evidence is usually scanned mounted on Linux.
 */
#include <stdio.h>
#include <string.h>

#include "vigil/err.h"
#include "vigil/files.h"
#include "vigil/fs.h"

#if defined(__has_include)
#if __has_include("vigil/ioc.h")
#include "vigil/ioc.h"
#define HAVE_IOC 1
#endif
#endif

#include "core/banned.h"
#include "scan/scan_int.h"

#ifdef HAVE_IOC

unsigned
scan_ioc_digests(const struct vg_ioc_store *st)
{
    unsigned d = 0;

    if (st == NULL) {
        return 0;
    }
    d |= vg_ioc_count_type(st, VG_IOC_MD5) > 0 ? VG_DIGEST_MD5 : 0u;
    d |= vg_ioc_count_type(st, VG_IOC_SHA1) > 0 ? VG_DIGEST_SHA1 : 0u;
    d |= vg_ioc_count_type(st, VG_IOC_SHA256) > 0 ? VG_DIGEST_SHA256 : 0u;
    return d;
}

int
scan_ioc_has_paths(const struct vg_ioc_store *st)
{
    return st != NULL && (vg_ioc_count_type(st, VG_IOC_FILENAME) > 0 ||
                          vg_ioc_count_type(st, VG_IOC_FILEPATH) > 0);
}

/* Append ids not already in ids[0..n); returns the new n. */
static size_t
merge_ids(uint32_t *ids, size_t n, size_t cap, const uint32_t *add,
          size_t n_add)
{
    for (size_t i = 0; i < n_add && n < cap; i++) {
        size_t j = 0;
        while (j < n && ids[j] != add[i]) {
            j++;
        }
        if (j == n) {
            ids[n++] = add[i];
        }
    }
    return n;
}

static size_t
lookup_path(const struct vg_ioc_store *st, const char *p, size_t len,
            uint32_t *ids, size_t cap)
{
    int r = vg_ioc_lookup_path(st, p, len, ids, cap);

    if (r <= 0) {
        return 0;
    }
    return (size_t)r < cap ? (size_t)r : cap;
}

/* The path with '\' separators; with drive, "C:" + the part below the
 * scanned root. 0 when it does not fit. */
static size_t
windows_form(const char *path, size_t from, int drive, char *out, size_t cap)
{
    size_t o = 0, len = strlen(path + from);

    if (len + 3 > cap) {
        return 0;
    }
    if (drive) {
        out[o++] = 'C';
        out[o++] = ':';
    }
    for (size_t i = from; path[i] != '\0'; i++) {
        out[o++] = path[i] == '/' ? '\\' : path[i];
    }
    out[o] = '\0';
    return o;
}

size_t
scan_ioc_path_hits(const struct vg_ioc_store *st, const char *path,
                   size_t root_len, uint32_t *ids, size_t cap)
{
    char win[VG_WALK_PATH_MAX + 4];
    uint32_t more[16];
    size_t n = lookup_path(st, path, strlen(path), ids, cap);
    size_t wl;

    if (strchr(path, '/') == NULL) {
        return n;
    }
    wl = windows_form(path, 0, 0, win, sizeof(win));
    if (wl > 0) {
        size_t m = lookup_path(st, win, wl, more, VG_ARRAY_LEN(more));
        n = merge_ids(ids, n, cap, more, m);
    }
    if (root_len > 0 && root_len < strlen(path) && path[root_len] == '/') {
        wl = windows_form(path, root_len, 1, win, sizeof(win));
        if (wl > 0) {
            size_t m = lookup_path(st, win, wl, more, VG_ARRAY_LEN(more));
            n = merge_ids(ids, n, cap, more, m);
        }
    }
    return n;
}

size_t
scan_ioc_hash_hits(const struct vg_ioc_store *st, const struct scan_file *sf,
                   uint32_t *ids, size_t cap)
{
    static const struct {
        unsigned bit;
        enum vg_ioc_type type;
    } kinds[] = {
        {VG_DIGEST_MD5, VG_IOC_MD5},
        {VG_DIGEST_SHA1, VG_IOC_SHA1},
        {VG_DIGEST_SHA256, VG_IOC_SHA256},
    };
    const uint8_t *bytes[] = {sf->dg.md5, sf->dg.sha1, sf->dg.sha256};
    size_t n = 0;

    /* binary lookups: no hex formatting or parsing per file */
    for (size_t i = 0; i < VG_ARRAY_LEN(kinds); i++) {
        uint32_t id;
        if ((sf->dg.have & kinds[i].bit) != 0 &&
            vg_ioc_lookup_digest(st, kinds[i].type, bytes[i], &id) == 1) {
            n = merge_ids(ids, n, cap, &id, 1);
        }
    }
    return n;
}

static int
emit_one(const struct vg_ioc_store *st, uint32_t id, const struct scan_file *sf,
         const char *host, int is_hash)
{
    struct vg_ioc_info info;
    struct vg_ioc_src src;
    struct vg_kv extra[SCAN_MAX_EXTRA];
    struct vg_kv value;
    struct vg_finding f = {0};
    char title[128];
    size_t n;

    vg_ioc_src_init(&src);
    if (vg_ioc_get(st, id, &info) != VG_OK) {
        return VG_OK;
    }
    if (info.n_sources > 0) {
        (void)vg_ioc_get_src(st, id, 0, &src);
    }
    n = scan_common_extra(sf, extra, SCAN_MAX_EXTRA);
    if (src.file != NULL && n < SCAN_MAX_EXTRA) {
        extra[n++] = (struct vg_kv){"ioc_file", src.file};
    }
    value = (struct vg_kv){vg_ioc_type_name(info.type), info.value};
    (void)snprintf(title, sizeof(title), "%s IOC matched",
                   is_hash ? "File hash" : "File name");
    f.time_us = sf->mtime_us;
    f.host = host;
    f.module = "files";
    f.score =
        info.score >= 0 ? scan_clamp_score(info.score) : (is_hash ? 100 : 60);
    f.severity = vg_files_severity(f.score);
    f.title = title;
    f.reason = src.description != NULL ? src.description
                                       : "file matches a known indicator";
    f.remediation = "Examine the file; quarantine it if the indicator is "
                    "confirmed.";
    f.rule.id = info.value;
    f.rule.name = src.description;
    f.rule.source = src.feed != NULL ? src.feed : "ioc";
    f.evidence.path = sf->job->path;
    f.evidence.offset = VG_OFFSET_NONE;
    f.evidence.values = &value;
    f.evidence.n_values = 1;
    f.extra = extra;
    f.n_extra = n;
    return sf->job->emit(&f, sf->job->arg);
}

int
scan_ioc_emit(const struct vg_ioc_store *st, const uint32_t *ids, size_t n,
              const struct scan_file *sf, const char *host, int is_hash)
{
    for (size_t i = 0; i < n; i++) {
        int rc = emit_one(st, ids[i], sf, host, is_hash);
        if (rc != VG_OK) {
            return rc;
        }
    }
    return (int)n;
}

#else /* no IOC module in this build: no indicators can be loaded */

unsigned
scan_ioc_digests(const struct vg_ioc_store *st)
{
    (void)st;
    return 0;
}

int
scan_ioc_has_paths(const struct vg_ioc_store *st)
{
    (void)st;
    return 0;
}

size_t
scan_ioc_path_hits(const struct vg_ioc_store *st, const char *path,
                   size_t root_len, uint32_t *ids, size_t cap)
{
    (void)st;
    (void)path;
    (void)root_len;
    (void)ids;
    (void)cap;
    return 0;
}

size_t
scan_ioc_hash_hits(const struct vg_ioc_store *st, const struct scan_file *sf,
                   uint32_t *ids, size_t cap)
{
    (void)st;
    (void)sf;
    (void)ids;
    (void)cap;
    return 0;
}

int
scan_ioc_emit(const struct vg_ioc_store *st, const uint32_t *ids, size_t n,
              const struct scan_file *sf, const char *host, int is_hash)
{
    (void)st;
    (void)ids;
    (void)n;
    (void)sf;
    (void)host;
    (void)is_hash;
    return 0;
}

#endif
