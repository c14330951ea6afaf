/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_evtx_chunk.c - libFuzzer harness: the input is one chunk (padded or
 * cut to 64 KiB) behind a fixed, valid file header, so mutations go to the
 * chunk header, string/template tables, records and BinXML rather than to
 * file framing. The first input byte (when present) chooses whether the
 * chunk signature is forced valid, so the record parser is reached even
 * when the fuzzer has not found "ElfChnk". Checks only for crashes, hangs
 * and leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_evtx_file.h"
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
    size_t n = 0;

    int rc;

    vg_buf_reset(b);
    rc = vg_evtx_record_json(rec, b);
    vg_buf_reset(b);
    rc |= vg_evtx_record_xml(rec, b);
    (void)rc;
    (void)rec->event.ops->each(rec->event.impl, on_field, &n);
    return VG_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t total;
    uint8_t *file = fuzz_evtx_one_chunk(data, size, &total);
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    struct vg_buf b;

    if (file == NULL) {
        return 0;
    }
    vg_buf_init(&b, 1u << 24);
    if (vg_evtx_open_mem(NULL, file, total, "fuzz", &f) == VG_OK &&
        vg_evtx_reader_new(&r) == VG_OK) {
        int rc = vg_evtx_chunk_each(r, f, 0, VG_EVTX_CARVE, on_rec, &b, NULL);
        (void)rc;
    }
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    vg_buf_fini(&b);
    free(file);
    return 0;
}
