/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h - finding writers: terminal text, JSON Lines and CSV.
 *
 * A writer turns findings into bytes and hands them to a sink callback; it
 * never touches a FILE or fd itself. JSON Lines and CSV stream (one line per
 * finding, written at once); the text writer keeps copies until vg_writer_end
 * because people read the verdict first and findings grouped by severity.
 *
 * Every string from the evidence is escaped for the sink: JSON with invalid
 * UTF-8 replaced by U+FFFD and control characters as \uXXXX; CSV per RFC 4180
 * with a guard against spreadsheet formula injection; text with control
 * characters shown as \xNN so evidence cannot drive the terminal.
 *
 * A writer is single-owner: one thread feeds it (the CLI's output thread).
 */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/buf.h"
#include "vigil/compiler.h"
#include "vigil/finding.h"

#define VG_SCHEMA_VERSION 1 /* "schema_version" in every JSON line */

enum vg_format {
    VG_FORMAT_TEXT = 0,
    VG_FORMAT_JSONL = 1,
    VG_FORMAT_CSV = 2,
};

/* Sink: write n bytes. Returns VG_OK or VG_EIO. */
typedef int vg_sink_fn(void *arg, const void *p, size_t n);

struct vg_writer_opts {
    enum vg_format   format;
    int              use_color;    /* text: ANSI colour (caller decides: TTY,
                                      NO_COLOR) */
    enum vg_severity min_severity; /* findings below are not written */
    const char      *title;        /* text: heading, e.g. "vigil scan demo/" */
    int              quiet;        /* text: no summary line (--quiet) */
};

/* What the run did, printed by vg_writer_end (text) or kept for the caller. */
struct vg_run_summary {
    uint64_t    n_findings[VG_SEV_COUNT]; /* filled by the writer */
    uint64_t    n_errors;                 /* per-file errors (caller) */
    uint64_t    n_items;                  /* files/records examined (caller) */
    const char *items_name;               /* "files", "records" (caller) */
    double      elapsed_s;                /* (caller) */
};

struct vg_writer;

VG_API VG_NODISCARD int vg_writer_new(const struct vg_writer_opts *opts,
                                      vg_sink_fn *sink, void *sink_arg,
                                      struct vg_writer **out);
/* Write (or keep) one finding. Below min_severity: ignored, VG_OK. */
VG_API VG_NODISCARD int vg_writer_add(struct vg_writer *w,
                                      const struct vg_finding *f);
/* Flush: the text writer prints verdict, findings and summary now. The
 * caller's summary fields are used; n_findings is filled in. */
VG_API VG_NODISCARD int vg_writer_end(struct vg_writer *w,
                                      struct vg_run_summary *sum);
VG_API void vg_writer_free(struct vg_writer *w);

/* Verdict from finding counts: "COMPROMISED" (any high or critical),
 * "SUSPICIOUS" (any low or medium), "CLEAN" otherwise. */
VG_API const char *vg_verdict(const uint64_t n_findings[VG_SEV_COUNT]);

/* Parse "text", "table" (= text), "jsonl", "json" (= jsonl), "csv". */
VG_API VG_NODISCARD int vg_format_parse(const char *s, enum vg_format *out);

/* Sink-level escapers, exposed for other modules' writers (EVTX dump, HTML).
 * Each appends to b and returns VG_OK, VG_ELIMIT or VG_ENOMEM. */
/* JSON string body (no quotes): ", \, control chars escaped; invalid UTF-8
 * bytes become U+FFFD. */
VG_API VG_NODISCARD int vg_json_escape(struct vg_buf *b, const char *s,
                                       size_t n);
/* One CSV field, quoted when needed; a field starting with = + - @ TAB CR is
 * prefixed with ' so spreadsheets do not run it. */
VG_API VG_NODISCARD int vg_csv_field(struct vg_buf *b, const char *s, size_t n);
/* Terminal-safe: printable UTF-8 kept, control chars, DEL, C1 controls and
 * invalid bytes as \xNN, backslash as \\. */
VG_API VG_NODISCARD int vg_text_escape(struct vg_buf *b, const char *s,
                                       size_t n);
/* XML text/attribute: & < > " ' as entities, control chars (not TAB, LF, CR)
 * as U+FFFD, invalid UTF-8 as U+FFFD. */
VG_API VG_NODISCARD int vg_xml_escape(struct vg_buf *b, const char *s,
                                      size_t n);

#endif
