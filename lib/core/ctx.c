/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctx.c - the library context: log callback, level, cancel flag. vg_log
 * formats into a fixed stack buffer (long messages are truncated, never
 * allocated) and folds newlines so the sink always gets one line.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "core/alloc.h"
#include "vigil/ctx.h"
#include "vigil/err.h"

#include "core/banned.h"

#define LOG_MSG_MAX 1024

struct vg_ctx {
    vg_log_fn        *log_fn;
    void             *log_arg;
    enum vg_log_level level;
    atomic_int        cancelled;
};

int
vg_ctx_new(struct vg_ctx **out)
{
    struct vg_ctx *ctx = vg_calloc(1, sizeof(*ctx));

    *out = NULL;
    if (ctx == NULL) {
        return VG_ENOMEM;
    }
    ctx->level = VG_LOG_WARN;
    atomic_init(&ctx->cancelled, 0);
    *out = ctx;
    return VG_OK;
}

void
vg_ctx_free(struct vg_ctx *ctx)
{
    vg_free(ctx);
}

void
vg_ctx_set_log(struct vg_ctx *ctx, vg_log_fn *fn, void *arg,
               enum vg_log_level level)
{
    ctx->log_fn = fn;
    ctx->log_arg = arg;
    ctx->level = level;
}

void
vg_log(const struct vg_ctx *ctx, enum vg_log_level level, const char *module,
       const char *fmt, ...)
{
    char msg[LOG_MSG_MAX];
    va_list ap;

    if (ctx == NULL || ctx->log_fn == NULL || level > ctx->level) {
        return;
    }
    va_start(ap, fmt);
    if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0) {
        msg[0] = '\0';
    }
    va_end(ap);
    for (char *c = msg; *c != '\0'; c++) {
        if (*c == '\n' || *c == '\r') {
            *c = ' ';
        }
    }
    ctx->log_fn(ctx->log_arg, level, module != NULL ? module : "vigil", msg);
}

void
vg_ctx_cancel(struct vg_ctx *ctx)
{
    atomic_store(&ctx->cancelled, 1);
}

int
vg_ctx_cancelled(const struct vg_ctx *ctx)
{
    /* atomic_load takes a non-const pointer in C11. */
    struct vg_ctx *c = (struct vg_ctx *)(uintptr_t)ctx;

    return c != NULL && atomic_load(&c->cancelled) != 0;
}
