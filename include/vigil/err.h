/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.h - error codes and diagnostics shared by every libvigil module.
 *
 * Every fallible function returns int: VG_OK (0) on success, a negative
 * VG_E* code on failure. Functions that also return a count use >= 0 for
 * success. Codes are never renumbered; new ones are appended.
 *
 * VG_EINVAL means the caller got something wrong; VG_EFORMAT means the data
 * is malformed; VG_ELIMIT means valid data exceeded a cap; VG_EUNSUPPORTED
 * means valid data uses a feature Vigil does not implement.
 *
 * struct vg_diag is filled once, by the layer that knows the context (file,
 * line or byte offset); nobody logs the same failure twice. It is a plain
 * value: copy it freely. Thread-safety: none needed (no shared state).
 */
#ifndef VIGIL_ERR_H
#define VIGIL_ERR_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"

enum vg_err {
    VG_OK = 0,
    VG_ENOMEM = -1,
    VG_EINVAL = -2,
    VG_EIO = -3,
    VG_EFORMAT = -4,
    VG_ELIMIT = -5,
    VG_EUNSUPPORTED = -6,
    VG_ENOTFOUND = -7,
    VG_ESYNTAX = -8,
    VG_ETIMEOUT = -9,
    VG_ECANCELED = -10,
    VG_EYARA = -11,
    VG_EPERM = -12,
    VG_EINTERNAL = -13,
};

/* Static, never NULL: "success", "out of memory", ... ("unknown error" else). */
VG_API const char *vg_strerror(int rc);

#define VG_DIAG_PATH_MAX 1024
#define VG_DIAG_MSG_MAX  256
#define VG_DIAG_NONE     UINT64_MAX /* line or offset not known */

struct vg_diag {
    char     path[VG_DIAG_PATH_MAX]; /* file the problem is in, "" if none */
    uint64_t line;                   /* 1-based line, or VG_DIAG_NONE */
    uint64_t offset;                 /* byte offset, or VG_DIAG_NONE */
    int      rc;                     /* the VG_E* code it goes with */
    char     msg[VG_DIAG_MSG_MAX];   /* one line, no trailing newline */
};

/* Reset to "no diagnostic": empty path and message, line/offset NONE. */
VG_API void vg_diag_clear(struct vg_diag *d);

/*
 * Record a diagnostic. d may be NULL (then nothing happens); path may be NULL.
 * Long paths and messages are truncated, never overflowed. Returns rc, so a
 * parser can write `return vg_diag_set(d, VG_EFORMAT, ...);`.
 */
VG_API int vg_diag_set(struct vg_diag *d, int rc, const char *path,
                       uint64_t line, uint64_t offset, const char *fmt, ...)
    VG_PRINTF(6, 7);

/*
 * Format as "path:line: msg", "path: offset N: msg" or "path: msg" into out
 * (always NUL-terminated, truncated to out_cap). Without a path: "line N: msg",
 * "offset N: msg" or "msg". Returns out.
 */
VG_API const char *vg_diag_format(const struct vg_diag *d, char *out,
                                  size_t out_cap);

#endif
