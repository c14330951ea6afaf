/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_int.h - internals shared by the lib/scan files: the per-file state a
 * worker builds findings from, and the IOC glue (scan_ioc.c), which is the
 * only part of the scanner that knows the IOC store's API.
 */
#ifndef VG_SCAN_INT_H
#define VG_SCAN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/buf.h"
#include "vigil/files.h"
#include "vigil/finding.h"
#include "vigil/fs.h"

/* Most extra key/values one finding carries (fixed ones + tags + meta). */
#define SCAN_MAX_EXTRA 48u

/* What is known about the file being scanned. */
struct scan_file {
    const struct vg_files_job *job;
    struct vg_digests dg;
    char md5[33], sha1[41], sha256[65];
    char size[24];
    char mtime[32], ctime[32], atime[32];
    const char *owner;
    const char *filetype;
    int64_t mtime_us;
};

/* Fill the common extra fields (size, times, hashes, owner, type) into kv;
 * returns how many were written (at most cap). */
size_t scan_common_extra(const struct scan_file *sf, struct vg_kv *kv,
                         size_t cap);

/* Digest bits the store needs (hash types it holds). */
unsigned scan_ioc_digests(const struct vg_ioc_store *st);
/* 1 if the store has file-name/path indicators. */
int scan_ioc_has_paths(const struct vg_ioc_store *st);
/* Indicator ids matching the file's path (and its '\\' form), or its
 * digests in sf->dg; at most cap ids are written, the count written is
 * returned. */
size_t scan_ioc_path_hits(const struct vg_ioc_store *st, const char *path,
                          size_t root_len, uint32_t *ids, size_t cap);
size_t scan_ioc_hash_hits(const struct vg_ioc_store *st,
                          const struct scan_file *sf, uint32_t *ids,
                          size_t cap);
/* One finding per id through sf->job->emit (sf digests complete). Returns
 * the number emitted (>= 0) or the callback's error. */
int scan_ioc_emit(const struct vg_ioc_store *st, const uint32_t *ids, size_t n,
                  const struct scan_file *sf, const char *host, int is_hash);

/* Score to severity (vg_files_severity) and clamp to 0..100. */
int scan_clamp_score(long long v);

#endif
