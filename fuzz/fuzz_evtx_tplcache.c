/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_evtx_tplcache.c - libFuzzer harness, differential: the input is one
 * chunk (as in fuzz_evtx_chunk: behind a fixed file header, first byte
 * choosing whether the chunk signature is forced valid), read twice with
 * slack carving - once with the per-chunk template cache, once expanding
 * every template instance token by token (the reader's no_tpl_cache).
 * Every record's XML, JSON and event fields and every log line (errors
 * with their offsets) must be identical, else abort(). Also catches
 * crashes, hangs and leaks like the other harnesses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evtx/evtx_int.h"
#include "fuzz_evtx_file.h"
#include "vigil/evtx.h"
#include "vigil/vigil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
on_field(void *arg, struct vg_str name, struct vg_str value)
{
    struct vg_buf *b = arg;

    if (vg_buf_add(b, name.p, name.len) != VG_OK ||
        vg_buf_add(b, "=", 1) != VG_OK ||
        (value.p != NULL && vg_buf_add(b, value.p, value.len) != VG_OK) ||
        vg_buf_add(b, "\n", 1) != VG_OK) {
        return VG_ENOMEM;
    }
    return 0;
}

static int
on_rec(void *arg, struct vg_evtx_record *rec)
{
    struct vg_buf *b = arg;
    int rc = vg_evtx_record_xml(rec, b);

    if (rc == VG_OK) {
        rc = vg_evtx_record_json(rec, b);
    }
    if (rc == VG_OK) {
        rc = rec->event.ops->each(rec->event.impl, on_field, b);
    }
    /* a failed render is part of the result too */
    return vg_buf_add(b, rc == VG_OK ? "ok\n" : "err\n", rc == VG_OK ? 3 : 4);
}

static void
on_log(void *arg, enum vg_log_level level, const char *module,
       const char *msg)
{
    struct vg_buf *b = arg;

    (void)level;
    (void)module;
    if (vg_buf_add(b, msg, strlen(msg)) != VG_OK ||
        vg_buf_add(b, "\n", 1) != VG_OK) {
        abort(); /* the buffer is sized far above any chunk's output */
    }
}

/* Everything one read gives, into b. */
static void
read_once(const uint8_t *file, size_t total, int no_cache, struct vg_buf *b)
{
    struct vg_ctx *ctx = NULL;
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    int rc = VG_ENOMEM;

    if (vg_ctx_new(&ctx) != VG_OK) {
        abort();
    }
    vg_ctx_set_log(ctx, on_log, b, VG_LOG_WARN);
    if (vg_evtx_open_mem(ctx, file, total, "fuzz", &f) == VG_OK &&
        vg_evtx_reader_new(&r) == VG_OK) {
        r->no_tpl_cache = no_cache;
        rc = vg_evtx_chunk_each(r, f, 0, VG_EVTX_CARVE, on_rec, b, NULL);
    }
    if (vg_buf_add(b, rc == VG_OK ? "end\n" : "fail\n", rc == VG_OK ? 4 : 5) !=
        VG_OK) {
        abort();
    }
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    vg_ctx_free(ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t total;
    uint8_t *file = fuzz_evtx_one_chunk(data, size, &total);
    struct vg_buf a, b;

    if (file == NULL) {
        return 0;
    }
    vg_buf_init(&a, 1u << 30);
    vg_buf_init(&b, 1u << 30);
    read_once(file, total, 0, &a);
    read_once(file, total, 1, &b);
    if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len) != 0)) {
        abort(); /* the template cache changed the output */
    }
    vg_buf_fini(&a);
    vg_buf_fini(&b);
    free(file);
    return 0;
}
