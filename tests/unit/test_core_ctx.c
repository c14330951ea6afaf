/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_ctx.c - log callback, level filter, truncation, newline
 * folding, cancel flag. */
#include <stdio.h>
#include <string.h>

#include "vg_test.h"
#include "vigil/ctx.h"
#include "vigil/err.h"

struct log_rec {
    int  n;
    int  level;
    char module[32];
    char msg[2048];
};

static void
capture(void *arg, enum vg_log_level level, const char *module, const char *msg)
{
    struct log_rec *r = arg;

    r->n++;
    r->level = (int)level;
    snprintf(r->module, sizeof(r->module), "%s", module);
    snprintf(r->msg, sizeof(r->msg), "%s", msg);
}

static void
t_log(void)
{
    static struct log_rec r;
    struct vg_ctx *ctx = NULL;

    REQUIRE_RC(vg_ctx_new(&ctx), VG_OK);
    vg_log(ctx, VG_LOG_ERROR, "evtx", "dropped: no callback");
    vg_ctx_set_log(ctx, capture, &r, VG_LOG_INFO);
    vg_log(ctx, VG_LOG_WARN, "evtx", "chunk %d bad", 3);
    CHECK_EQ_INT(r.n, 1);
    CHECK_EQ_INT(r.level, VG_LOG_WARN);
    CHECK_EQ_STR(r.module, "evtx");
    CHECK_EQ_STR(r.msg, "chunk 3 bad");
    vg_log(ctx, VG_LOG_DEBUG, "evtx", "too verbose");
    CHECK_EQ_INT(r.n, 1);
    vg_log(ctx, VG_LOG_INFO, NULL, "two\nlines\r");
    CHECK_EQ_INT(r.n, 2);
    CHECK_EQ_STR(r.module, "vigil");
    CHECK_EQ_STR(r.msg, "two lines ");
    static char big[3000];
    memset(big, 'x', sizeof(big) - 1);
    vg_log(ctx, VG_LOG_ERROR, "m", "%s", big);
    CHECK_EQ_INT(r.n, 3);
    CHECK_EQ_UINT(strlen(r.msg), 1023);
    vg_log(NULL, VG_LOG_ERROR, "m", "x");
    CHECK_EQ_INT(r.n, 3);
    vg_ctx_free(ctx);
}

static void
t_default_level(void)
{
    static struct log_rec r;
    struct vg_ctx *ctx = NULL;

    REQUIRE_RC(vg_ctx_new(&ctx), VG_OK);
    vg_ctx_set_log(ctx, capture, &r, VG_LOG_WARN);
    vg_log(ctx, VG_LOG_INFO, "a", "no");
    vg_log(ctx, VG_LOG_ERROR, "a", "yes");
    CHECK_EQ_INT(r.n, 1);
    CHECK_EQ_STR(r.msg, "yes");
    vg_ctx_free(ctx);
}

static void
t_cancel(void)
{
    struct vg_ctx *ctx = NULL;

    REQUIRE_RC(vg_ctx_new(&ctx), VG_OK);
    CHECK_EQ_INT(vg_ctx_cancelled(ctx), 0);
    vg_ctx_cancel(ctx);
    CHECK_EQ_INT(vg_ctx_cancelled(ctx), 1);
    CHECK_EQ_INT(vg_ctx_cancelled(NULL), 0);
    vg_ctx_free(ctx);
    vg_ctx_free(NULL);
}

static const struct vg_test tests[] = {
    T(t_log), T(t_default_level), T(t_cancel),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
