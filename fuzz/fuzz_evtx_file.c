/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_evtx_file.c - libFuzzer harness: the input is a whole .evtx file.
 * Reads every chunk with carving on, renders each record as JSON and XML
 * and walks its fields, so every parser and renderer path sees hostile
 * bytes. Checks only that nothing crashes, hangs or leaks.
 */
#include <stddef.h>
#include <stdint.h>

#include "vigil/evtx.h"
#include "vigil/vigil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
on_field(void *arg, struct vg_str name, struct vg_str value)
{
    size_t *n = arg;

    *n += name.len + value.len;
    return 0;
}

static int
on_rec(void *arg, struct vg_evtx_record *rec)
{
    struct vg_buf *b = arg;
    struct vg_str v;
    size_t n = 0;

    int rc;

    vg_buf_reset(b);
    rc = vg_evtx_record_json(rec, b);
    vg_buf_reset(b);
    rc |= vg_evtx_record_xml(rec, b);
    (void)rc;
    (void)rec->event.ops->each(rec->event.impl, on_field, &n);
    (void)rec->event.ops->get(rec->event.impl, "EventID", 7, &v);
    return VG_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    struct vg_evtx_stats st;
    struct vg_buf b;

    vg_buf_init(&b, 1u << 24);
    if (vg_evtx_open_mem(NULL, data, size, "fuzz", &f) == VG_OK &&
        vg_evtx_reader_new(&r) == VG_OK) {
        vg_evtx_stats_init(&st);
        int rc = vg_evtx_each(r, f, VG_EVTX_CARVE, on_rec, &b, &st);
        (void)rc;
    }
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    vg_buf_fini(&b);
    return 0;
}
