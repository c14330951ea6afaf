/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files.h - the file scanner behind `vigil files`: one open file in,
 * findings out (hash IOCs, file-name/path IOCs, YARA rules), each file read
 * exactly once.
 *
 * For every file the scanner
 *   1. looks its path up in the IOC store's file-name/path indicators,
 *      also with '\' separators and, when the job names the scanned root,
 *      as "C:\<path below the root>" - Loki/THOR name IOCs are written for
 *      Windows paths and Windows evidence is scanned mounted on Unix;
 *   2. reads the file once, in 1 MiB chunks, feeding every chunk to the
 *      digests that are needed - the hash types present in the IOC store
 *      plus those asked for with always_digests - and, for files up to
 *      max_size, keeping the bytes for YARA;
 *   3. looks the digests up in the IOC store;
 *   4. runs the YARA rules over the bytes with the Loki/THOR externals set.
 * A file with a finding always carries MD5, SHA-1 and SHA-256 (computed
 * from the bytes already in memory, or by reading again when the file was
 * larger than max_size). Nothing is written to the file and its times are
 * not changed (the caller opens it with O_NOATIME, see vigil/fs.h).
 *
 * Findings (module "files"): title, severity and score (YARA meta "score",
 * else 70 as in Loki; IOC score, else 100 for hashes and 60 for names),
 * reason (meta description / IOC description), rule id/name/source/
 * reference, evidence.path and the first match offset, matched strings as
 * evidence values ("$id" -> "0xOFFSET: escaped bytes", at most 16 per
 * rule, 64 bytes each, non-printable bytes as \xNN), and extra: size,
 * mtime, ctime, atime, md5, sha1, sha256, owner, filetype, tags and meta.*.
 *
 * Thread-safety: struct vg_files is immutable after vg_files_new and is
 * shared by all threads; struct vg_files_worker is single-owner (one per
 * thread: it holds the YARA scanner, the hasher and the read buffer).
 * The rules and the IOC store must outlive the vg_files object, and it
 * must outlive its workers.
 */
#ifndef VIGIL_FILES_H
#define VIGIL_FILES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "vigil/compiler.h"
#include "vigil/ctx.h"
#include "vigil/finding.h"

struct vg_yara_rules;
struct vg_ioc_store;

#define VG_FILES_DEFAULT_MAX_SIZE (64ull << 20)
#define VG_FILES_DEFAULT_TIMEOUT_S 60

struct vg_files_opts {
    const struct vg_yara_rules *rules;  /* NULL: no YARA */
    const struct vg_ioc_store *iocs;    /* sealed; NULL: no IOCs */
    const struct vg_ioc_store *fp_iocs; /* known-good hashes (Loki's
                                           false-positive lists): a file
                                           whose digest is here is not
                                           reported at all; NULL: none */
    unsigned always_digests; /* VG_DIGEST_* computed for every file */
    uint64_t max_size;       /* YARA only on files up to this; 0 = default */
    int yara_timeout_s;      /* per file; 0 = default */
    const char *host;        /* finding.host, may be NULL */
};

struct vg_files;
struct vg_files_worker;

VG_API VG_NODISCARD int vg_files_new(const struct vg_ctx *ctx,
                                     const struct vg_files_opts *opts,
                                     struct vg_files **out);
VG_API void vg_files_free(struct vg_files *f);
/* VG_DIGEST_* bits every file is hashed with. */
VG_API unsigned vg_files_digests(const struct vg_files *f);

VG_API VG_NODISCARD int vg_files_worker_new(const struct vg_files *f,
                                            struct vg_files_worker **out);
VG_API void vg_files_worker_free(struct vg_files_worker *w);

/* One file to scan; the caller opened fd and closes it. */
struct vg_files_job {
    int fd;
    const char *path;
    const struct stat *st;
    vg_finding_fn *emit; /* called for each finding (borrowed data) */
    void *arg;
    size_t root_len;     /* bytes of path that are the scanned root
                            (a mounted Windows volume), 0 = none */
    int is_windows_root; /* the root is a mounted Windows volume: YARA's
                            filepath is "C:\\<path below the root>" with
                            '\\' separators, as on the live system */
};

struct vg_files_result {
    uint64_t bytes_read;
    unsigned n_findings;
    int is_yara_scanned; /* the rules ran over the whole file */
    int is_too_large;    /* larger than max_size: no YARA */
    int is_timeout;      /* YARA timed out (partial matches kept) */
    int is_known_good;   /* digest in fp_iocs: nothing reported */
};

/*
 * Scan one file. Returns VG_OK (also when the file had to be skipped for
 * size; see result), VG_EIO when it could not be read (findings already
 * emitted stay emitted), the emit callback's error, VG_ECANCELED, or
 * VG_ENOMEM. A YARA timeout is not an error: result->is_timeout is set.
 */
VG_API VG_NODISCARD int vg_files_scan(struct vg_files_worker *w,
                                      const struct vg_files_job *job,
                                      struct vg_files_result *result);

/* Loki-compatible score to severity: >= 90 critical, >= 70 high,
 * >= 40 medium, >= 20 low, else info. */
VG_API enum vg_severity vg_files_severity(int score);

#endif
