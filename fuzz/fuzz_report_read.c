/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_report_read.c - hostile JSON Lines through the reader, the
 * correlator and the HTML writer: what `vigil report` does with results
 * collected from endpoints an attacker may control. Checks: no crash, no
 * leak, and the HTML page never holds a third "<script" (evidence cannot
 * open a script element).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/correlate.h"
#include "vigil/vigil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sink(void *arg, const void *p, size_t n)
{
    return vg_buf_add(arg, p, n) == VG_OK ? VG_OK : VG_EIO;
}

static int
to_writer(const struct vg_finding *f, void *arg)
{
    return vg_writer_add(arg, f);
}

static size_t
count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s ? strstr(s, needle) : NULL; p;
         p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_correlate *c = NULL;
    struct vg_writer_opts o = {.format = VG_FORMAT_HTML};
    struct vg_writer *w = NULL;
    struct vg_run_summary sum = {0};
    struct vg_buf out;

    if (vg_correlate_new(&c) != VG_OK) {
        return 0;
    }
    vg_buf_init(&out, 64u << 20);
    if (vg_jsonl_read_buf((const char *)data, size, "fuzz", vg_correlate_add,
                          c, NULL, NULL, NULL) == VG_OK &&
        vg_correlate_finish(c) == VG_OK &&
        vg_writer_new(&o, sink, &out, &w) == VG_OK &&
        vg_correlate_emit(c, to_writer, w) == VG_OK) {
        sum.verdict_reason = vg_correlate_reason(c);
        if (vg_writer_end(w, &sum) == VG_OK && count(out.data, "<script") != 2) {
            abort();
        }
    }
    vg_writer_free(w);
    vg_buf_fini(&out);
    vg_correlate_free(c);
    return 0;
}
