/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctx.h - the library context: logging callback, limits and cancellation.
 *
 * The library never writes to stdout or stderr. Everything it has to say goes
 * through the log callback set here (the CLI prints "vigil: <module>: msg").
 * One vg_ctx is created by the program and shared read-only by all threads;
 * only the cancel flag changes after set-up (atomic).
 */
#ifndef VIGIL_CTX_H
#define VIGIL_CTX_H

#include <stdint.h>

#include "vigil/compiler.h"

enum vg_log_level {
    VG_LOG_ERROR = 0,
    VG_LOG_WARN = 1,
    VG_LOG_INFO = 2,
    VG_LOG_DEBUG = 3,
};

/* msg is one line without a newline; module is "evtx", "sigma", ... */
typedef void vg_log_fn(void *arg, enum vg_log_level level, const char *module,
                       const char *msg);

struct vg_ctx;

/* New context: no log callback (messages dropped), level WARN, not cancelled. */
VG_API VG_NODISCARD int vg_ctx_new(struct vg_ctx **out);
VG_API void vg_ctx_free(struct vg_ctx *ctx);
/* Set-up calls: before the context is shared with other threads. */
VG_API void vg_ctx_set_log(struct vg_ctx *ctx, vg_log_fn *fn, void *arg,
                           enum vg_log_level level);

/* Log through the callback. ctx may be NULL (message dropped). Thread-safe as
 * long as the callback is. */
VG_API void vg_log(const struct vg_ctx *ctx, enum vg_log_level level,
                   const char *module, const char *fmt, ...) VG_PRINTF(4, 5);

/* Ask every long operation using ctx to stop (async-signal-safe: one atomic
 * store). Work checks vg_ctx_cancelled() between files, chunks and records
 * and returns VG_ECANCELED. */
VG_API void vg_ctx_cancel(struct vg_ctx *ctx);
VG_API int vg_ctx_cancelled(const struct vg_ctx *ctx);

#endif
