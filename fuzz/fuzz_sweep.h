/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sweep.h - what the sweep harnesses (fuzz_sweep_log.c,
 * fuzz_sweep_live.c) share: a compiled sweep over a fixed text feed, built
 * once per process (the store and the sweep live until exit).
 */
#ifndef VG_FUZZ_SWEEP_H
#define VG_FUZZ_SWEEP_H

#include <stddef.h>
#include <stdlib.h>

#include "iocstore.h"
#include "vigil/ioc.h"
#include "vigil/sweep.h"

/* The sweep over feed (text, one indicator per line); aborts on failure,
 * which would be a bug in the harness, not in the input. */
static const struct vg_sweep *
fuzz_sweeper(const char *feed)
{
    static struct vg_ioc_store *st;
    static struct vg_sweep *sw;
    if (sw == NULL) {
        st = vg_iocstore_text("fuzz-feed", "feed", feed);
        if (st == NULL || vg_sweep_new(st, &sw) != VG_OK) {
            abort();
        }
    }
    return sw;
}

#endif
