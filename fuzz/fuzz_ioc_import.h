/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ioc_import.h - the body shared by the per-format IOC importer
 * harnesses (fuzz_ioc_{csv,misp,stix,text,loki}.c). Imports the input into a
 * fresh store as the given format, seals it, runs the free-text matcher over
 * the same bytes and round-trips the store through its saved form. It checks
 * memory safety and that a saved store always loads; import results are the
 * unit tests' business. One harness per format keeps each corpus focused.
 */
#ifndef VG_FUZZ_IOC_IMPORT_H
#define VG_FUZZ_IOC_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/ioc.h"

static int
fuzz_ioc_import(const uint8_t *data, size_t size, enum vg_ioc_format format)
{
    struct vg_ioc_store *st = NULL, *back = NULL;
    struct vg_ioc_import_opts o;
    struct vg_ioc_import_stats s;
    struct vg_diag d;
    struct vg_buf b;

    if (vg_ioc_store_new(&st) != VG_OK) {
        return 0;
    }
    vg_ioc_import_opts_init(&o);
    o.format = format;
    memset(&s, 0, sizeof(s));
    (void)vg_ioc_import_mem(st, "fuzz", (const char *)data, size, &o, &s, &d);
    if (vg_ioc_store_seal(st) >= 0) {
        (void)vg_ioc_match_text(st, (const char *)data, size, NULL, NULL);
        vg_buf_init(&b, 1u << 28);
        if (vg_ioc_store_serialize(st, &b) == VG_OK) {
            if (vg_ioc_store_load_mem(b.data, b.len, &back, &d) != VG_OK ||
                vg_ioc_count(back) != vg_ioc_count(st)) {
                abort(); /* a store we wrote must load back whole */
            }
            vg_ioc_store_free(back);
        }
        vg_buf_fini(&b);
    }
    vg_ioc_store_free(st);
    return 0;
}

#endif
