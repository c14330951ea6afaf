/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtx_count.c - test tool: prints "<live> <errors> <recovered>" per file
 * (and with -j/-x each record as JSON Lines/XML) using libvigil's EVTX
 * reader directly. Used by tests and benchmarks; not part of the CLI.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vigil/evtx.h"
#include "vigil/vigil.h"

struct st {
    struct vg_buf b;
    int mode; /* 0 count, 1 json, 2 xml */
};

static int
on_rec(void *arg, struct vg_evtx_record *rec)
{
    struct st *s = arg;
    int rc = VG_OK;

    if (s->mode == 0) {
        return VG_OK;
    }
    vg_buf_reset(&s->b);
    rc = s->mode == 1 ? vg_evtx_record_json(rec, &s->b)
                      : vg_evtx_record_xml(rec, &s->b);
    if (rc == VG_OK && s->mode == 1) {
        rc = vg_buf_addc(&s->b, '\n');
    }
    if (rc == VG_OK) {
        fwrite(s->b.data, 1, s->b.len, stdout);
    }
    return rc;
}

static void
log_fn(void *arg, enum vg_log_level level, const char *module, const char *msg)
{
    (void)arg;
    (void)level;
    fprintf(stderr, "%s: %s\n", module, msg);
}

int
main(int argc, char **argv)
{
    struct vg_ctx *ctx = NULL;
    struct vg_evtx_reader *r = NULL;
    struct st s;
    unsigned flags = 0;
    int i, bad = 0;

    memset(&s, 0, sizeof(s));
    vg_buf_init(&s.b, 1u << 26);
    if (vg_ctx_new(&ctx) != VG_OK || vg_evtx_reader_new(&r) != VG_OK) {
        return 2;
    }
    vg_ctx_set_log(ctx, log_fn, NULL, VG_LOG_WARN);
    for (i = 1; i < argc; i++) {
        struct vg_evtx *f;
        struct vg_evtx_stats st;
        int fd, rc;
        if (strcmp(argv[i], "-j") == 0) {
            s.mode = 1;
            continue;
        }
        if (strcmp(argv[i], "-x") == 0) {
            s.mode = 2;
            continue;
        }
        if (strcmp(argv[i], "-c") == 0) {
            flags |= VG_EVTX_CARVE;
            continue;
        }
        fd = open(argv[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0 || vg_evtx_open_fd(ctx, fd, argv[i], &f) != VG_OK) {
            fprintf(stderr, "%s: cannot open\n", argv[i]);
            bad = 1;
            if (fd >= 0)
                close(fd);
            continue;
        }
        close(fd);
        vg_evtx_stats_init(&st);
        rc = vg_evtx_each(r, f, flags, on_rec, &s, &st);
        if (s.mode == 0) {
            printf("%llu %llu %llu %s\n", (unsigned long long)st.n_records,
                   (unsigned long long)st.n_errors,
                   (unsigned long long)st.n_recovered, argv[i]);
        }
        if (rc != VG_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], vg_strerror(rc));
            bad = 1;
        }
        vg_evtx_close(f);
    }
    vg_evtx_reader_free(r);
    vg_ctx_free(ctx);
    vg_buf_fini(&s.b);
    return bad;
}
