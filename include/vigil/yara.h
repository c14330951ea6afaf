/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yara.h - YARA rules for Vigil: compile, cache, scan (libyara underneath;
 * lib/yara/engine.c is the only file that includes <yara.h>).
 *
 * Rules come from rule files (.yar/.yara), directories of them (walked
 * recursively, in name order) or one precompiled file (yarac output). The
 * Loki/THOR external variables filename, filepath, extension, filetype and
 * owner are declared (as "") before compiling, so rule sets written for
 * those scanners (signature-base) compile unmodified; the scanner sets them
 * for every file. All source files share YARA's default namespace, as with
 * `yarac a.yar b.yar` and Loki. A file that does not compile is reported
 * (file and line through the log) and left out; the rest still load.
 * `include` directives are refused, because the cache key must cover every
 * byte the rules were built from.
 *
 * Cache: compiled rules are saved under cache_dir (default
 * $XDG_CACHE_HOME/vigil or ~/.cache/vigil) as yara-<sha256>.yarc, keyed by
 * the SHA-256 of the libyara version, the externals and every source file's
 * name and content, so a second run with the same rules loads in
 * milliseconds and any change to a rule recompiles. A damaged cache file is
 * ignored and rewritten.
 *
 * Thread-safety: struct vg_yara_rules is immutable once loaded and shared by
 * every thread; struct vg_yara_scanner is single-owner (one per thread).
 * Rules must outlive their scanners.
 */
#ifndef VIGIL_YARA_H
#define VIGIL_YARA_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"
#include "vigil/ctx.h"
#include "vigil/err.h"
#include "vigil/finding.h"

struct vg_yara_rules;
struct vg_yara_scanner;

struct vg_yara_load_opts {
    const char *const *paths; /* files, directories, or one .yarc */
    size_t n_paths;
    const char *cache_dir; /* NULL = default; "" = no cache */
};

struct vg_yara_load_info {
    unsigned n_files;  /* source files compiled */
    unsigned n_failed; /* source files left out (did not compile) */
    unsigned n_rules;  /* rules in the loaded set */
    int is_cached;     /* loaded from the cache */
    int is_compiled;   /* loaded from a precompiled file */
};

/*
 * Load rules. diag (may be NULL) describes the first fatal problem: no rule
 * file found (VG_ENOTFOUND), nothing compiled (VG_ESYNTAX with file and
 * line), a bad precompiled file (VG_EFORMAT). Per-file compile errors and
 * warnings are logged through ctx. info may be NULL.
 */
VG_API VG_NODISCARD int vg_yara_load(const struct vg_ctx *ctx,
                                     const struct vg_yara_load_opts *opts,
                                     struct vg_yara_rules **out,
                                     struct vg_yara_load_info *info,
                                     struct vg_diag *diag);
VG_API void vg_yara_rules_free(struct vg_yara_rules *r);
VG_API unsigned vg_yara_rule_count(const struct vg_yara_rules *r);

/* Per-file values of the Loki/THOR externals. NULL means "". */
struct vg_yara_file {
    const char *filename;  /* base name */
    const char *filepath;  /* full path */
    const char *extension; /* ".exe": lower case, with the dot, or "" */
    const char *filetype;  /* "EXE", "ELF", "ZIP"... (vg_yara_filetype) */
    const char *owner;     /* user name of the owner, or the uid */
};

/* Longest matched-string data kept per match (bytes), and matches kept
 * per rule; the rest is counted in n_strings_total. */
#define VG_YARA_MAX_DATA 64u
#define VG_YARA_MAX_STRINGS 16u

struct vg_yara_string {
    const char *id;      /* "$s1" */
    uint64_t offset;     /* in the file */
    const uint8_t *data; /* matched bytes (at most VG_YARA_MAX_DATA) */
    size_t len;          /* bytes in data */
    size_t match_len;    /* full length of the match */
};

struct vg_yara_match {
    const char *rule;
    const char *ns;
    const char *const *tags;
    size_t n_tags;
    const struct vg_kv *meta; /* integers and booleans as text */
    size_t n_meta;
    const struct vg_yara_string *strings;
    size_t n_strings;
    size_t n_strings_total;
};

/* One matching rule; borrowed for the call. Return VG_OK to go on. */
typedef int vg_yara_match_fn(void *arg, const struct vg_yara_match *m);

/* timeout_s: per-scan timeout in seconds (0 = none). */
VG_API VG_NODISCARD int vg_yara_scanner_new(const struct vg_yara_rules *r,
                                            int timeout_s,
                                            struct vg_yara_scanner **out);
VG_API void vg_yara_scanner_free(struct vg_yara_scanner *s);

/*
 * Scan n bytes at p as the file described by f. fn is called for each
 * matching (non-private) rule. Returns VG_OK, VG_ETIMEOUT (matches found
 * before the timeout were still reported), the callback's error, or
 * VG_EYARA / VG_ENOMEM.
 */
VG_API VG_NODISCARD int vg_yara_scan_mem(struct vg_yara_scanner *s,
                                         const struct vg_yara_file *f,
                                         const uint8_t *p, size_t n,
                                         vg_yara_match_fn *fn, void *arg);

/* Loki-style file type from the first bytes: "EXE", "ELF", "MACH-O",
 * "ZIP", "RAR", "7Z", "GZIP", "PDF", "RTF", "GIF", "JPG", "PNG", "MDMP",
 * "CAB", "OLE" or "" (unknown). Static string. */
VG_API const char *vg_yara_filetype(const uint8_t *p, size_t n);

/* Default cache directory into out (cap bytes); VG_ENOTFOUND when neither
 * XDG_CACHE_HOME nor HOME is set. */
VG_API VG_NODISCARD int vg_yara_cache_dir(char *out, size_t cap);

#endif
