/* SPDX-License-Identifier: Apache-2.0 */
/*
 * text.c - the report for people: a verdict line first, then the findings
 * grouped by severity (critical first, in arrival order within a group),
 * each with its reason and "-> " what to do next, then one summary line.
 *
 * Findings are kept (vg_finding_dup) until the end, at most
 * VG_MAX_TEXT_FINDINGS; past that they are only counted and the report says
 * how many were not listed, so memory stays bounded. Every evidence string
 * goes through vg_text_escape and is cut at VG_MAX_TEXT_FIELD bytes, so
 * evidence cannot drive the terminal. Colour codes appear only when the
 * caller asked for them (opts.use_color). It does not wrap lines.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "report/report_int.h"
#include "vigil/err.h"
#include "vigil/time.h"

#include "core/banned.h"

#define C_RESET "\033[0m"
static const char *const sev_color[VG_SEV_COUNT] = {
    "\033[2m", "\033[36m", "\033[33m", "\033[31m", "\033[1;31m",
};




/* Escaped, length-capped evidence string; cut on a UTF-8 boundary. */
static int
put_esc(struct vg_buf *b, const char *s)
{
    size_t n = strlen(s), cut = n;
    int rc;

    if (n > VG_MAX_TEXT_FIELD) {
        cut = VG_MAX_TEXT_FIELD;
        while (cut > VG_MAX_TEXT_FIELD - 3 &&
               ((unsigned char)s[cut] & 0xc0) == 0x80) {
            cut--;
        }
    }
    rc = vg_text_escape(b, s, cut);
    if (rc == VG_OK && cut < n) {
        rc = vg_buf_adds(b, "...");
    }
    return rc;
}

static int
put_line(struct vg_buf *b, const char *label, const char *s)
{
    int rc = vg_buf_printf(b, "    %-7s", label);
    if (rc == VG_OK) {
        rc = put_esc(b, s);
    }
    return rc == VG_OK ? vg_buf_addc(b, '\n') : rc;
}

static int
put_where(struct vg_buf *b, const struct vg_finding *f)
{
    int rc = vg_buf_printf(b, "    %-7s", "where:");
    if (rc == VG_OK) {
        rc = put_esc(b, f->evidence.path ? f->evidence.path : "-");
    }
    if (rc == VG_OK && f->evidence.offset != VG_OFFSET_NONE) {
        rc = vg_buf_printf(b, " (offset %" PRIu64 ")", f->evidence.offset);
    }
    if (rc == VG_OK && f->evidence.record_id != 0) {
        rc = vg_buf_printf(b, " (record %" PRIu64 ")", f->evidence.record_id);
    }
    return rc == VG_OK ? vg_buf_addc(b, '\n') : rc;
}

static int
put_finding(struct vg_buf *b, const struct vg_finding *f, int color)
{
    char ts[VG_ISO_TIME_LEN];
    const char *name = vg_severity_name(f->severity);
    int rc = vg_buf_printf(b, "%s[%s]%s ", color ? sev_color[f->severity] : "",
                           name, color ? C_RESET : "");

    if (rc == VG_OK) {
        rc = put_esc(b, f->title ? f->title : "(untitled)");
    }
    if (rc == VG_OK) {
        rc = vg_buf_addc(b, '\n');
    }
    if (rc == VG_OK && f->time_us != VG_TIME_NONE) {
        (void)vg_time_format(f->time_us, ts); /* ELIMIT: clamped, valid */
        rc = put_line(b, "time:", ts);
    }
    if (rc == VG_OK && (f->evidence.path || f->evidence.record_id)) {
        rc = put_where(b, f);
    }
    if (rc == VG_OK && f->reason) {
        rc = put_line(b, "why:", f->reason);
    }
    if (rc == VG_OK && f->remediation) {
        rc = put_line(b, "->", f->remediation);
    }
    return rc;
}

static uint64_t
count_range(const uint64_t n[VG_SEV_COUNT], int lo, int hi)
{
    uint64_t t = 0;
    for (int i = lo; i <= hi; i++) {
        t += n[i];
    }
    return t;
}

static int
put_verdict(struct vg_buf *b, const struct vg_run_summary *sum, int color)
{
    const char *v = vg_verdict(sum->n_findings);
    uint64_t hi = count_range(sum->n_findings, VG_SEV_HIGH, VG_SEV_CRITICAL);
    uint64_t mid = count_range(sum->n_findings, VG_SEV_LOW, VG_SEV_MEDIUM);
    const char *col = !color ? ""
                      : hi   ? sev_color[VG_SEV_CRITICAL]
                      : mid  ? sev_color[VG_SEV_MEDIUM]
                             : "\033[32m";
    int rc =
        vg_buf_printf(b, "Verdict: %s%s%s - ", col, v, color ? C_RESET : "");

    if (rc != VG_OK) {
        return rc;
    }
    if (sum->verdict_reason != NULL) {
        rc = put_esc(b, sum->verdict_reason);
        return rc == VG_OK ? vg_buf_addc(b, '\n') : rc;
    }
    if (hi) {
        return vg_buf_printf(b,
                             "%" PRIu64 " high or critical finding%s: "
                             "act now.\n",
                             hi, hi == 1 ? "" : "s");
    }
    if (mid) {
        return vg_buf_printf(b,
                             "%" PRIu64 " low or medium finding%s to "
                             "review.\n",
                             mid, mid == 1 ? "" : "s");
    }
    if (sum->n_items == 0) {
        return vg_buf_adds(b, "no findings, but nothing was examined.\n");
    }
    return vg_buf_adds(b, "no findings.\n");
}

static int
put_summary(struct vg_buf *b, const struct vg_run_summary *sum)
{
    const uint64_t *n = sum->n_findings;
    int rc = vg_buf_printf(b,
                           "Summary: %" PRIu64 " critical, %" PRIu64
                           " high, %" PRIu64 " medium, %" PRIu64
                           " low, %" PRIu64 " info; %" PRIu64 " %s "
                           "examined; %" PRIu64 " error%s; ",
                           n[4], n[3], n[2], n[1], n[0], sum->n_items,
                           sum->items_name ? sum->items_name : "items",
                           sum->n_errors, sum->n_errors == 1 ? "" : "s");
    if (rc != VG_OK) {
        return rc;
    }
    /* Whole seconds below one are noise; "<1 s" also keeps tests exact. */
    if (sum->elapsed_s < 1.0) {
        return vg_buf_adds(b, "elapsed <1 s\n");
    }
    return vg_buf_printf(b, "elapsed %.1f s\n", sum->elapsed_s);
}

/* Hand what is rendered so far to the sink once it is large, so a long
 * report never sits whole in memory. */
static int
flush_big(struct vg_buf *b, vg_sink_fn *sink, void *arg)
{
    int rc = VG_OK;
    if (b->len >= 65536) {
        rc = sink(arg, b->data, b->len);
        vg_buf_reset(b);
    }
    return rc;
}

static int
put_findings(struct vg_buf *b, const struct vg_kept *st, int color,
             vg_sink_fn *sink, void *arg)
{
    int rc = VG_OK;
    for (int s = VG_SEV_CRITICAL; s >= VG_SEV_INFO && rc == VG_OK; s--) {
        for (size_t i = 0; i < st->n && rc == VG_OK; i++) {
            if ((int)st->kept[i]->severity != s) {
                continue;
            }
            rc = vg_buf_addc(b, '\n');
            if (rc == VG_OK) {
                rc = put_finding(b, st->kept[i], color);
            }
            if (rc == VG_OK) {
                rc = flush_big(b, sink, arg);
            }
        }
    }
    if (rc == VG_OK && st->n_dropped) {
        rc = vg_buf_printf(b,
                           "\n(%" PRIu64 " more findings not listed; use "
                           "--format jsonl for all)\n",
                           st->n_dropped);
    }
    return rc;
}

int
vg_text_render(struct vg_buf *b, const struct vg_kept *st,
               const struct vg_writer_opts *opts,
               const struct vg_run_summary *sum, vg_sink_fn *sink, void *arg)
{
    int rc = VG_OK;

    if (opts->title) {
        rc = put_esc(b, opts->title);
        if (rc == VG_OK) {
            rc = vg_buf_addc(b, '\n');
        }
    }
    if (rc == VG_OK) {
        rc = put_verdict(b, sum, opts->use_color);
    }
    if (rc == VG_OK) {
        rc = put_findings(b, st, opts->use_color, sink, arg);
    }
    if (rc == VG_OK && !opts->quiet) {
        rc = vg_buf_addc(b, '\n');
        if (rc == VG_OK) {
            rc = put_summary(b, sum);
        }
    }
    return rc;
}
