/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kept.c - the findings list kept by the writers that cannot stream (text
 * and HTML). Bounded: past VG_MAX_TEXT_FINDINGS findings are counted, not
 * kept, so a run with millions of hits cannot exhaust memory.
 */
#include <stdlib.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "report/report_int.h"
#include "vigil/err.h"

#include "core/banned.h"

int
vg_kept_new(struct vg_kept **out)
{
    *out = vg_calloc(1, sizeof(**out));
    return *out ? VG_OK : VG_ENOMEM;
}

void
vg_kept_free(struct vg_kept *st)
{
    if (st == NULL) {
        return;
    }
    for (size_t i = 0; i < st->n; i++) {
        free(st->kept[i]);
    }
    vg_free(st->kept);
    vg_free(st);
}

int
vg_kept_add(struct vg_kept *st, const struct vg_finding *f)
{
    if (st->n >= VG_MAX_TEXT_FINDINGS) {
        st->n_dropped++;
        return VG_OK;
    }
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        void *p = vg_reallocarray(st->kept, cap, sizeof(*st->kept));
        if (p == NULL) {
            return VG_ENOMEM;
        }
        st->kept = p;
        st->cap = cap;
    }
    st->kept[st->n] = vg_finding_dup(f);
    if (st->kept[st->n] == NULL) {
        return VG_ENOMEM;
    }
    st->n++;
    return VG_OK;
}
