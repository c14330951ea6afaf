/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h - finding writers: terminal text, JSON Lines and CSV.
 *
 * A writer turns findings into bytes and hands them to a sink callback; it
 * never touches a FILE or fd itself. JSON Lines and CSV stream (one line per
 * finding, written at once); the text writer keeps copies until vg_writer_end
 * because people read the verdict first and findings grouped by severity.
 *
 * The HTML writer (VG_FORMAT_HTML) also keeps its findings until the end and
 * writes one self-contained page: verdict, incidents, timeline chart,
 * remote-access inventory and a sortable, filterable findings table; no
 * external assets; evidence only as escaped text and as a JSON blob in
 * <script type="application/json"> with <, > and & written as \u003c etc.
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
#include "vigil/err.h"
#include "vigil/finding.h"

#define VG_SCHEMA_VERSION 1 /* "schema_version" in every JSON line */

enum vg_format {
    VG_FORMAT_TEXT = 0,
    VG_FORMAT_JSONL = 1,
    VG_FORMAT_CSV = 2,
    VG_FORMAT_HTML = 3, /* self-contained page (lib/report/html.c) */
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
    /* Added for `vigil scan` / `vigil report` (all optional, caller): */
    const char *verdict_reason; /* one sentence shown after the verdict
                                   (vg_correlate); NULL = from the counts */
    const char *target;         /* what was scanned, for the HTML header */
    uint64_t    n_hosts;        /* hosts merged (report); 0 = not shown */
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

/* Parse "text", "table" (= text), "jsonl", "json" (= jsonl), "csv",
 * "html". */
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

/* ---- reading results back (lib/report/read.c) ------------------------ */

/* A line that could not be read: d has the file, the 1-based line and the
 * reason. The line is skipped and reading goes on. */
typedef void vg_read_bad_fn(void *arg, const struct vg_diag *d);

struct vg_read_stats {
    uint64_t n_lines;    /* non-empty lines seen */
    uint64_t n_findings; /* lines turned into findings */
    uint64_t n_bad;      /* lines skipped (reported through bad) */
};

/* Read JSON Lines written by Vigil (docs/schema.md, schema_version 1) and
 * hand each line as a finding to fn (strings borrowed for the call). Lines
 * that are not JSON, not an object, of another schema_version, have a field
 * of the wrong type, or exceed VG_MAX_FINDING_BYTES are reported through
 * bad (may be NULL) and skipped. Unknown fields are ignored (the schema may
 * grow). Returns VG_OK, VG_EIO (read error, diag-free: the caller knows
 * the file), VG_ENOMEM, or fn's negative value. stats may be NULL. */
VG_API VG_NODISCARD int vg_jsonl_read_buf(const char *data, size_t n,
                                          const char *name,
                                          vg_finding_fn *fn, void *arg,
                                          vg_read_bad_fn *bad, void *bad_arg,
                                          struct vg_read_stats *stats);
/* Same from an open file descriptor, read in blocks (memory stays bounded
 * by the longest allowed line). */
VG_API VG_NODISCARD int vg_jsonl_read_fd(int fd, const char *name,
                                         vg_finding_fn *fn, void *arg,
                                         vg_read_bad_fn *bad, void *bad_arg,
                                         struct vg_read_stats *stats);

#endif
