/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_int.h - internals shared by the writers in lib/report/: the
 * per-format operations table entry and the one-finding renderers. Not part
 * of the public API; tests reach it through the static library.
 */
#ifndef VG_REPORT_INT_H
#define VG_REPORT_INT_H

#include "vigil/buf.h"
#include "vigil/finding.h"
#include "vigil/report.h"

/* Score actually reported: f->score when 1..100 (clamped), else the
 * severity's default. */
int vg_finding_score(const struct vg_finding *f);

/* Append one JSON object (no newline) for f to b. VG_OK, VG_ELIMIT, VG_ENOMEM.
 */
VG_NODISCARD int vg_jsonl_render(struct vg_buf *b, const struct vg_finding *f);
/* Append the CSV header row / one CSV row (each ending with CRLF). */
VG_NODISCARD int vg_csv_header(struct vg_buf *b);
VG_NODISCARD int vg_csv_render(struct vg_buf *b, const struct vg_finding *f);

/* Findings kept until the end by the writers that must see them all
 * (text: verdict first and grouped by severity; HTML: the whole page).
 * kept.c; owned by the writer. */
struct vg_kept {
    struct vg_finding **kept; /* copies (vg_finding_dup), free() each */
    size_t              n, cap;
    uint64_t            n_dropped; /* counted, not kept (over the cap) */
};
VG_NODISCARD int vg_kept_new(struct vg_kept **out);
void vg_kept_free(struct vg_kept *st);
/* Keep a copy of f (or just count it past VG_MAX_TEXT_FINDINGS). */
VG_NODISCARD int vg_kept_add(struct vg_kept *st, const struct vg_finding *f);

/* Render verdict, grouped findings and summary into b; large output is
 * handed to sink on the way, the caller writes what is left in b. */
VG_NODISCARD int vg_text_render(struct vg_buf *b,
                                const struct vg_kept *st,
                                const struct vg_writer_opts *opts,
                                const struct vg_run_summary *sum,
                                vg_sink_fn *sink, void *arg);

/* Render the whole page; output goes to sink in chunks, the caller writes
 * what is left in b. */
VG_NODISCARD int vg_html_render(struct vg_buf *b,
                                const struct vg_kept *st,
                                const struct vg_writer_opts *opts,
                                const struct vg_run_summary *sum,
                                vg_sink_fn *sink, void *arg);

#endif
