/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iocstore.c - see iocstore.h: a sealed store from plain-text indicators
 * for tests. Does not report why an import failed; the tests that use it
 * only need a store or NULL.
 */
#include "iocstore.h"

#include <string.h>

struct vg_ioc_store *
vg_iocstore_text(const char *path, const char *feed, const char *text)
{
    struct vg_ioc_store *st = NULL;
    struct vg_ioc_import_opts o;
    struct vg_ioc_import_stats s;
    struct vg_diag d;

    memset(&s, 0, sizeof(s));
    vg_ioc_import_opts_init(&o);
    o.format = VG_IOC_FMT_TEXT;
    if (feed != NULL) {
        o.feed = feed;
    }
    if (vg_ioc_store_new(&st) != VG_OK ||
        vg_ioc_import_mem(st, path, text, strlen(text), &o, &s, &d) != VG_OK ||
        vg_ioc_store_seal(st) < 0) {
        vg_ioc_store_free(st);
        return NULL;
    }
    return st;
}
