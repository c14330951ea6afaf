/* SPDX-License-Identifier: Apache-2.0 */
/*
 * writer.c - the writer object: a table of formats (name aliases and the
 * begin/add/end operations of each) and the verdict rule. Adding an output
 * format is one row in formats[] plus its renderer. The writer never opens
 * files: bytes go to the caller's sink.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "report/report_int.h"
#include "vigil/err.h"

#include "core/banned.h"

struct vg_writer {
    struct vg_writer_opts opts;
    vg_sink_fn *sink;
    void *sink_arg;
    const struct format_ops *ops;
    struct vg_buf buf; /* one rendered finding / text chunk */
    struct vg_kept *text;
    struct vg_kept *html;
    uint64_t n_findings[VG_SEV_COUNT];
    int begun; /* header written (CSV) */
};

struct format_ops {
    enum vg_format format;
    int (*begin)(struct vg_writer *w);
    int (*add)(struct vg_writer *w, const struct vg_finding *f);
    int (*end)(struct vg_writer *w, const struct vg_run_summary *sum);
};

static int
flush(struct vg_writer *w)
{
    int rc = VG_OK;
    if (w->buf.len > 0) {
        rc = w->sink(w->sink_arg, w->buf.data, w->buf.len);
    }
    vg_buf_reset(&w->buf);
    return rc;
}

static int
jsonl_add(struct vg_writer *w, const struct vg_finding *f)
{
    int rc = vg_jsonl_render(&w->buf, f);
    if (rc == VG_OK) {
        rc = vg_buf_addc(&w->buf, '\n');
    }
    if (rc != VG_OK) {
        vg_buf_reset(&w->buf); /* never emit half a line */
        return rc;
    }
    return flush(w);
}

static int
csv_begin(struct vg_writer *w)
{
    int rc = vg_csv_header(&w->buf);
    return rc == VG_OK ? flush(w) : rc;
}

static int
csv_add(struct vg_writer *w, const struct vg_finding *f)
{
    int rc = vg_csv_render(&w->buf, f);
    if (rc != VG_OK) {
        vg_buf_reset(&w->buf);
        return rc;
    }
    return flush(w);
}

static int
text_begin(struct vg_writer *w)
{
    return vg_kept_new(&w->text);
}

static int
text_add(struct vg_writer *w, const struct vg_finding *f)
{
    return vg_kept_add(w->text, f);
}

static int
text_end(struct vg_writer *w, const struct vg_run_summary *sum)
{
    int rc =
        vg_text_render(&w->buf, w->text, &w->opts, sum, w->sink, w->sink_arg);
    if (rc != VG_OK) {
        vg_buf_reset(&w->buf);
        return rc;
    }
    return flush(w);
}

static int
html_begin(struct vg_writer *w)
{
    return vg_kept_new(&w->html);
}

static int
html_add(struct vg_writer *w, const struct vg_finding *f)
{
    return vg_kept_add(w->html, f);
}

static int
html_end(struct vg_writer *w, const struct vg_run_summary *sum)
{
    int rc =
        vg_html_render(&w->buf, w->html, &w->opts, sum, w->sink, w->sink_arg);
    if (rc != VG_OK) {
        vg_buf_reset(&w->buf);
        return rc;
    }
    return flush(w);
}

static const struct format_ops formats[] = {
    {VG_FORMAT_TEXT, text_begin, text_add, text_end},
    {VG_FORMAT_JSONL, NULL, jsonl_add, NULL},
    {VG_FORMAT_CSV, csv_begin, csv_add, NULL},
    {VG_FORMAT_HTML, html_begin, html_add, html_end},
};

static const struct {
    const char *name;
    enum vg_format format;
} format_names[] = {
    {"text", VG_FORMAT_TEXT},   {"table", VG_FORMAT_TEXT},
    {"jsonl", VG_FORMAT_JSONL}, {"json", VG_FORMAT_JSONL},
    {"csv", VG_FORMAT_CSV},     {"html", VG_FORMAT_HTML},
};

int
vg_format_parse(const char *s, enum vg_format *out)
{
    *out = VG_FORMAT_TEXT;
    for (size_t i = 0; s != NULL && i < VG_ARRAY_LEN(format_names); i++) {
        if (strcasecmp(s, format_names[i].name) == 0) {
            *out = format_names[i].format;
            return VG_OK;
        }
    }
    return VG_EINVAL;
}

int
vg_writer_new(const struct vg_writer_opts *opts, vg_sink_fn *sink,
              void *sink_arg, struct vg_writer **out)
{
    struct vg_writer *w;
    int rc;

    *out = NULL;
    if (opts == NULL || sink == NULL ||
        (unsigned)opts->format >= VG_ARRAY_LEN(formats)) {
        return VG_EINVAL;
    }
    w = vg_calloc(1, sizeof(*w));
    if (w == NULL) {
        return VG_ENOMEM;
    }
    w->opts = *opts;
    w->sink = sink;
    w->sink_arg = sink_arg;
    w->ops = &formats[opts->format];
    vg_buf_init(&w->buf, VG_MAX_FINDING_BYTES);
    rc = w->ops->begin ? w->ops->begin(w) : VG_OK;
    if (rc != VG_OK) {
        vg_writer_free(w);
        return rc;
    }
    *out = w;
    return VG_OK;
}

int
vg_writer_add(struct vg_writer *w, const struct vg_finding *f)
{
    if ((unsigned)f->severity >= VG_SEV_COUNT) {
        return VG_EINVAL;
    }
    if (f->severity < w->opts.min_severity) {
        return VG_OK;
    }
    int rc = w->ops->add(w, f);
    if (rc == VG_OK) {
        w->n_findings[f->severity]++;
    }
    return rc;
}

int
vg_writer_end(struct vg_writer *w, struct vg_run_summary *sum)
{
    memcpy(sum->n_findings, w->n_findings, sizeof(sum->n_findings));
    return w->ops->end ? w->ops->end(w, sum) : VG_OK;
}

void
vg_writer_free(struct vg_writer *w)
{
    if (w == NULL) {
        return;
    }
    vg_kept_free(w->text);
    vg_kept_free(w->html);
    vg_buf_fini(&w->buf);
    vg_free(w);
}

const char *
vg_verdict(const uint64_t n_findings[VG_SEV_COUNT])
{
    if (n_findings[VG_SEV_HIGH] || n_findings[VG_SEV_CRITICAL]) {
        return "COMPROMISED";
    }
    if (n_findings[VG_SEV_LOW] || n_findings[VG_SEV_MEDIUM]) {
        return "SUSPICIOUS";
    }
    return "CLEAN";
}
