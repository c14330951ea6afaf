/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_report_escape.c - hostile bytes through every finding writer. The
 * input is split at NUL bytes into up to 12 strings that fill a finding's
 * string fields (title, reason, path, matched values, techniques, ...); the
 * finding goes through the JSON Lines, CSV and text writers. Checks: no
 * crash or leak; every output is valid UTF-8; JSON Lines and text hold no
 * raw C0 control or DEL but the line-ending newline (CSV may keep them
 * inside quotes, as RFC 4180 allows). The first input byte picks the
 * severity, the second the timestamp's day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf.h"
#include "vigil/vigil.h"

#define N_STR 12

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sink(void *arg, const void *p, size_t n)
{
    return vg_buf_add(arg, p, n) == VG_OK ? VG_OK : VG_EIO;
}

static void
check_output(enum vg_format fmt, const struct vg_buf *b)
{
    const uint8_t *p = (const uint8_t *)b->data;
    if (b->len == 0) {
        return;
    }
    if (!vg_utf8_valid(p, b->len)) {
        abort();
    }
    for (size_t i = 0; i < b->len; i++) {
        if (p[i] == '\n' || (fmt == VG_FORMAT_CSV && p[i] == '\r')) {
            continue;
        }
        /* CSV keeps TAB/CR/controls inside quotes; JSON and text never. */
        if (fmt != VG_FORMAT_CSV && (p[i] < 0x20 || p[i] == 0x7f)) {
            abort();
        }
    }
}

static void
run(enum vg_format fmt, const struct vg_finding *f)
{
    struct vg_writer_opts o = {.format = fmt, .title = f->host};
    struct vg_run_summary sum = {0};
    struct vg_writer *w = NULL;
    struct vg_buf out;

    vg_buf_init(&out, 1u << 24);
    if (vg_writer_new(&o, sink, &out, &w) == VG_OK &&
        vg_writer_add(w, f) == VG_OK && vg_writer_end(w, &sum) == VG_OK) {
        check_output(fmt, &out);
    }
    vg_writer_free(w);
    vg_buf_fini(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    const char *s[N_STR] = {0};
    size_t n = 0;

    if (copy == NULL) {
        return 0;
    }
    if (size > 0) {
        memcpy(copy, data, size);
    }
    copy[size] = '\0';
    for (size_t i = 0, start = 0; i <= size && n < N_STR; i++) {
        if (copy[i] == '\0') {
            s[n++] = copy + start;
            start = i + 1;
        }
    }
    struct vg_kv kv[2] = {{s[6], s[7]}, {s[8], s[9]}};
    const char *tech[2] = {s[10], s[11]};
    struct vg_finding f = {
        .time_us =
            size > 1 ? (int64_t)data[1] * INT64_C(86400000000) : VG_TIME_NONE,
        .host = s[0],
        .module = "fuzz",
        .severity = (enum vg_severity)(size ? data[0] % VG_SEV_COUNT : 0),
        .title = s[1],
        .reason = s[2],
        .remediation = s[3],
        .rule = {.id = s[4], .name = s[5]},
        .evidence = {.path = s[1],
                     .offset = size,
                     .record_id = size,
                     .values = kv,
                     .n_values = 2},
        .techniques = tech,
        .n_techniques = 2,
        .extra = kv,
        .n_extra = 1,
    };
    run(VG_FORMAT_JSONL, &f);
    run(VG_FORMAT_CSV, &f);
    run(VG_FORMAT_TEXT, &f);
    free(copy);
    return 0;
}
