/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs.h - read-only file-system walk and file digests.
 *
 * The walker is file-descriptor based: every directory is opened with
 * openat(O_DIRECTORY|O_NOFOLLOW), every entry examined with
 * fstatat(AT_SYMLINK_NOFOLLOW), so a symbolic link is never followed (the
 * root named by the caller is the one exception) and a directory swapped
 * for a link during the walk is refused, not entered. Files and directories
 * are opened with O_NOATIME where the kernel permits it (owner or
 * CAP_FOWNER), so reading them does not move their access time; nothing is
 * ever written, renamed or re-timed. Devices, FIFOs and sockets are skipped
 * without being opened. Entries of one directory are visited in byte order
 * of their names, so a walk is reproducible.
 *
 * Regular files are handed to the caller already open (O_RDONLY, checked to
 * be the same inode fstatat saw); the callback owns and closes the fd. This
 * is how a worker pool reads files the walker found without re-resolving
 * their paths.
 *
 * Errors on single entries (permission denied, vanished, name too long,
 * too deep) go to the error callback and are counted; they never stop the
 * walk. Not done here: following links on request, hard-link
 * de-duplication, reading archives.
 *
 * Digests: MD5, SHA-1 and SHA-256 computed in one pass over the bytes, only
 * those asked for. A hasher is single-owner (one per thread); reuse it with
 * vg_hasher_reset.
 */
#ifndef VIGIL_FS_H
#define VIGIL_FS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "vigil/compiler.h"
#include "vigil/ctx.h"

/* Deepest directory nesting walked below a root (open directory fds are
 * held along the current path, so this also bounds fd use). */
#define VG_WALK_MAX_DEPTH 256u
/* Longest path reported (bytes incl. NUL); longer entries are errors. */
#define VG_WALK_PATH_MAX 4096u
/* Most entries read from one directory; the rest are an error. */
#define VG_WALK_MAX_DIRENTS (4u << 20)

struct vg_walk_entry {
    const char *path;      /* full path (root + names joined by '/') */
    const char *name;      /* base name, points into path */
    unsigned depth;        /* 0 = the root itself, 1 = its entries */
    const struct stat *st; /* from fstat of fd */
    int fd;                /* regular file, O_RDONLY; callback closes it */
    int is_noatime;        /* opened with O_NOATIME */
};

/* A regular file. Return VG_OK to go on; anything else stops the walk and
 * is returned by vg_walk. The callback owns e->fd (even when it fails). */
typedef int vg_walk_file_fn(void *arg, const struct vg_walk_entry *e);
/* A problem with one entry: err is an errno value (EACCES, ENAMETOOLONG,
 * ELOOP for "too deep", EMFILE...). path may be truncated. */
typedef void vg_walk_err_fn(void *arg, const char *path, int err);

struct vg_walk_opts {
    const char *const *excludes; /* fnmatch(3) globs: with a '/' matched
                                    against the full path, else against the
                                    base name; excluded directories are not
                                    entered */
    size_t n_excludes;
    unsigned max_depth; /* 0 = VG_WALK_MAX_DEPTH; files deeper
                           than this are not visited */
    int is_one_fs;      /* do not enter other file systems */
    vg_walk_file_fn *on_file;
    vg_walk_err_fn *on_error; /* may be NULL */
    void *arg;
};

struct vg_walk_stats {
    uint64_t n_files;    /* regular files handed to on_file */
    uint64_t n_dirs;     /* directories entered */
    uint64_t n_special;  /* devices, FIFOs, sockets skipped */
    uint64_t n_links;    /* symbolic links not followed */
    uint64_t n_excluded; /* entries matched by an exclude */
    uint64_t n_other_fs; /* directories on another file system */
    uint64_t n_too_deep; /* entries below max_depth */
    uint64_t n_errors;   /* entries reported to on_error */
};

/*
 * Walk root (a directory or a single file). stats (may be NULL) is added
 * to, not reset. Returns VG_OK when the walk finished (entry errors are
 * counted, not returned), VG_ECANCELED when ctx was cancelled, VG_EIO (or
 * the errno-derived code) when root itself cannot be opened, or whatever
 * on_file returned to stop it. VG_EINVAL for a NULL root or callback.
 */
VG_API VG_NODISCARD int vg_walk(const struct vg_ctx *ctx, const char *root,
                                const struct vg_walk_opts *opts,
                                struct vg_walk_stats *stats);

/* 1 if path (or its base name, for globs without '/') matches any glob. */
VG_API int vg_walk_excluded(const char *path, const char *const *globs,
                            size_t n_globs);

/* --- digests --------------------------------------------------------- */

#define VG_DIGEST_MD5 0x1u
#define VG_DIGEST_SHA1 0x2u
#define VG_DIGEST_SHA256 0x4u
#define VG_DIGEST_ALL 0x7u

struct vg_digests {
    unsigned have; /* VG_DIGEST_* bits that are valid below */
    uint8_t md5[16];
    uint8_t sha1[20];
    uint8_t sha256[32];
};

struct vg_hasher;

/* Hasher for the digests in which (VG_DIGEST_* bits, may be 0). */
VG_API VG_NODISCARD int vg_hasher_new(unsigned which, struct vg_hasher **out);
VG_API void vg_hasher_free(struct vg_hasher *h);
/* Start over, computing which (may differ from the last use). */
VG_API VG_NODISCARD int vg_hasher_reset(struct vg_hasher *h, unsigned which);
VG_API VG_NODISCARD int vg_hasher_update(struct vg_hasher *h, const void *p,
                                         size_t n);
/* Finish; out->have = the digests computed. The hasher must be reset
 * before it is used again. */
VG_API VG_NODISCARD int vg_hasher_final(struct vg_hasher *h,
                                        struct vg_digests *out);
/* One-shot over a buffer. */
VG_API VG_NODISCARD int vg_digest_mem(unsigned which, const void *p, size_t n,
                                      struct vg_digests *out);
/* Lower-case hex of n bytes into out (2n+1 bytes). Returns out. */
VG_API char *vg_hex(const uint8_t *p, size_t n, char *out);

#endif
