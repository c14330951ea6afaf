/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html.c - the self-contained HTML report: verdict and its reason, counts,
 * incidents (findings of module "correlate"), a timeline chart drawn by the
 * page's own script as inline SVG, the remote-access inventory (module
 * "rmm" info findings), and every finding in a sortable, filterable table.
 *
 * Safety: evidence is attacker-controlled. Every evidence string goes into
 * the page only (1) as element text or a quoted attribute value through
 * vg_xml_escape (& < > " ' as entities, control characters and invalid
 * UTF-8 as U+FFFD), or (2) inside the JSON blob
 * <script type="application/json">, rendered by the JSON Lines renderer and
 * then with every <, > and & written as \u003c, \u003e, \u0026, so neither
 * "</script" nor "<!--" can appear in it. The script never uses innerHTML.
 * A Content-Security-Policy allows only the page's own script (random
 * nonce), inline style and nothing from the network, so even an escaping
 * bug could not load or run anything else.
 *
 * It keeps findings until the end (at most VG_MAX_TEXT_FINDINGS, then only
 * counts them) and writes in chunks through the sink. It does not paginate.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "report/html_page.h"
#include "report/report_int.h"
#include "vigil/err.h"
#include "vigil/time.h"

#include "core/banned.h"

/* Page under construction: b, flushed to the sink when large. */
struct hw {
    struct vg_buf *b;
    vg_sink_fn *sink;
    void *arg;
    int rc;
};




static void
flush_big(struct hw *w)
{
    if (w->rc == VG_OK && w->b->len >= 65536) {
        w->rc = w->sink(w->arg, w->b->data, w->b->len);
        vg_buf_reset(w->b);
    }
}

static void
raw(struct hw *w, const char *s)
{
    if (w->rc == VG_OK) {
        w->rc = vg_buf_adds(w->b, s);
    }
}

static void
fmt(struct hw *w, const char *f, ...) VG_PRINTF(2, 3);

static void
fmt(struct hw *w, const char *f, ...)
{
    va_list ap;
    if (w->rc != VG_OK) {
        return;
    }
    va_start(ap, f);
    w->rc = vg_buf_vprintf(w->b, f, ap);
    va_end(ap);
}

/* Escaped evidence text (NULL = nothing), cut at HTML_MAX_FIELD bytes on
 * a UTF-8 boundary (the JSON blob keeps the whole value). */
#define HTML_MAX_FIELD 8192u
static void
esc(struct hw *w, const char *s)
{
    size_t n, cut;

    if (w->rc != VG_OK || s == NULL) {
        return;
    }
    n = cut = strlen(s);
    if (n > HTML_MAX_FIELD) {
        cut = HTML_MAX_FIELD;
        while (cut > HTML_MAX_FIELD - 3 &&
               ((unsigned char)s[cut] & 0xc0) == 0x80) {
            cut--;
        }
    }
    w->rc = vg_xml_escape(w->b, s, cut);
    if (cut < n) {
        raw(w, "&#8230;");
    }
}

/* <tag class="cls">escaped</tag> */
static void
elem(struct hw *w, const char *tag, const char *cls, const char *s)
{
    if (cls) {
        fmt(w, "<%s class=\"%s\">", tag, cls);
    } else {
        fmt(w, "<%s>", tag);
    }
    esc(w, s);
    fmt(w, "</%s>", tag);
}

static void
put_nonce(char out[33])
{
    unsigned char r[16];
    static const char hex[] = "0123456789abcdef";

    if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
        /* No entropy: still unique enough per run; escaping is the real
         * guard, the CSP a second line. */
        uint64_t t = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)out;
        for (size_t i = 0; i < sizeof(r); i++) {
            r[i] = (unsigned char)(t >> ((i % 8) * 8));
        }
    }
    for (size_t i = 0; i < sizeof(r); i++) {
        out[2 * i] = hex[r[i] >> 4];
        out[2 * i + 1] = hex[r[i] & 15];
    }
    out[32] = '\0';
}

static void
put_head(struct hw *w, const struct vg_writer_opts *o, const char *nonce)
{
    raw(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
           "<meta charset=\"utf-8\">\n");
    fmt(w,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'; script-src 'nonce-%s'; "
        "base-uri 'none'; form-action 'none'\">\n",
        nonce);
    raw(w, "<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<meta name=\"generator\" content=\"vigil\">\n<title>");
    raw(w, "Vigil report");
    if (o->title) {
        raw(w, ": ");
        esc(w, o->title);
    }
    raw(w, "</title>\n<style>");
    raw(w, html_style);
    raw(w, "</style>\n</head>\n<body>\n<header><h1>Vigil report</h1>");
    if (o->title) {
        elem(w, "p", "sub", o->title);
    }
    raw(w, "</header>\n");
}

static uint64_t
count_from(const uint64_t n[VG_SEV_COUNT], int lo)
{
    uint64_t t = 0;
    for (int i = lo; i < VG_SEV_COUNT; i++) {
        t += n[i];
    }
    return t;
}

static void
put_counts(struct hw *w, const struct vg_run_summary *sum)
{
    static const char *const names[] = {"critical", "high", "medium", "low",
                                        "info"};
    raw(w, "<p id=\"counts\">");
    for (int i = 0; i < VG_SEV_COUNT; i++) {
        int s = VG_SEV_CRITICAL - i;
        fmt(w, "%s<span class=\"sev s%d\">%" PRIu64 " %s</span>",
            i ? " " : "", s, sum->n_findings[s], names[i]);
    }
    raw(w, "</p>\n<p id=\"run\">");
    fmt(w, "%" PRIu64 " ", sum->n_items);
    esc(w, sum->items_name ? sum->items_name : "items");
    fmt(w, " examined; %" PRIu64 " error%s", sum->n_errors,
        sum->n_errors == 1 ? "" : "s");
    if (sum->n_hosts) {
        fmt(w, "; %" PRIu64 " host%s", sum->n_hosts,
            sum->n_hosts == 1 ? "" : "s");
    }
    if (sum->elapsed_s > 0) {
        fmt(w, "; elapsed %.2f s", sum->elapsed_s);
    }
    raw(w, "</p>\n");
}

static void
put_verdict(struct hw *w, const struct vg_run_summary *sum)
{
    const char *v = vg_verdict(sum->n_findings);
    uint64_t hi = count_from(sum->n_findings, VG_SEV_HIGH);
    uint64_t mid = count_from(sum->n_findings, VG_SEV_LOW) - hi;

    fmt(w, "<section id=\"verdict\" class=\"v-%s\"><h2>Verdict</h2>", v);
    elem(w, "p", "vw", v);
    raw(w, "<p id=\"reason\">");
    if (sum->verdict_reason) {
        esc(w, sum->verdict_reason);
    } else if (hi || mid) {
        fmt(w, "%" PRIu64 " %s finding%s.", hi ? hi : mid,
            hi ? "high or critical" : "low or medium",
            (hi ? hi : mid) == 1 ? "" : "s");
    } else {
        raw(w, sum->n_items ? "No findings." : "No findings, but nothing "
                                               "was examined.");
    }
    raw(w, "</p>");
    if (sum->target) {
        raw(w, "<p class=\"sub\">Target: ");
        esc(w, sum->target);
        raw(w, "</p>");
    }
    put_counts(w, sum);
    raw(w, "</section>\n");
}

static int
is_incident(const struct vg_finding *f)
{
    return f->module && strcmp(f->module, "correlate") == 0;
}

static int
is_inventory(const struct vg_finding *f)
{
    return f->module && strcmp(f->module, "rmm") == 0 &&
           (f->severity == VG_SEV_INFO ||
            (f->rule.id && strstr(f->rule.id, "inventory") != NULL));
}

static void
put_kvs(struct hw *w, const struct vg_kv *kv, size_t n, const char *cls)
{
    for (size_t i = 0; i < n; i++) {
        fmt(w, "<div class=\"%s\">", cls);
        esc(w, kv[i].key);
        raw(w, ": ");
        esc(w, kv[i].value);
        raw(w, "</div>");
    }
}

static void
put_incidents(struct hw *w, const struct vg_kept *st)
{
    size_t n = 0;
    raw(w, "<section id=\"incidents\"><h2>Incidents</h2><ul class=\"inc\">");
    for (size_t i = 0; i < st->n; i++) {
        const struct vg_finding *f = st->kept[i];
        if (!is_incident(f)) {
            continue;
        }
        n++;
        fmt(w, "<li><span class=\"sev s%d\">%s</span> ", (int)f->severity,
            vg_severity_name(f->severity));
        elem(w, "b", NULL, f->title);
        elem(w, "div", "why", f->reason);
        elem(w, "div", "next", f->remediation);
        put_kvs(w, f->evidence.values, f->evidence.n_values, "mono");
        raw(w, "</li>\n");
        flush_big(w);
    }
    if (n == 0) {
        raw(w, "<li>No linked findings.</li>");
    }
    raw(w, "</ul></section>\n");
}

static void
put_inventory(struct hw *w, const struct vg_kept *st)
{
    size_t n = 0;
    raw(w, "<section id=\"inventory\"><h2>Remote-access inventory</h2>"
           "<table><thead><tr><th>Host</th><th>Tool</th><th>Where</th>"
           "<th>Details</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < st->n; i++) {
        const struct vg_finding *f = st->kept[i];
        if (!is_inventory(f)) {
            continue;
        }
        n++;
        raw(w, "<tr>");
        elem(w, "td", NULL, f->host);
        elem(w, "td", NULL, f->title);
        elem(w, "td", "mono", f->evidence.path);
        raw(w, "<td>");
        put_kvs(w, f->evidence.values, f->evidence.n_values, "mono");
        put_kvs(w, f->extra, f->n_extra, "mono");
        raw(w, "</td></tr>\n");
        flush_big(w);
    }
    if (n == 0) {
        raw(w, "<tr><td colspan=\"4\">No remote-access software found (or "
               "the inventory did not run).</td></tr>\n");
    }
    raw(w, "</tbody></table></section>\n");
}

static void
put_timeline(struct hw *w)
{
    raw(w, "<section id=\"timeline\"><h2>Timeline</h2>"
           "<svg id=\"chart\" viewBox=\"0 0 960 200\" role=\"img\" "
           "aria-label=\"findings over time by severity\" "
           "xmlns=\"http://www.w3.org/2000/svg\"></svg></section>\n");
}

static void
put_table_head(struct hw *w, const struct vg_kept *st)
{
    raw(w, "<section id=\"findings\"><h2>Findings</h2><div class=\"controls\">"
           "<input id=\"q\" type=\"search\" placeholder=\"Filter findings\" "
           "aria-label=\"filter\"> <select id=\"sev\" aria-label=\"minimum "
           "severity\"><option value=\"0\">all severities</option>"
           "<option value=\"1\">low and above</option><option value=\"2\">"
           "medium and above</option><option value=\"3\">high and above"
           "</option><option value=\"4\">critical</option></select> "
           "<span id=\"shown\"></span></div>\n");
    if (st->n_dropped) {
        fmt(w, "<p>%" PRIu64 " more findings are not listed; use --format "
               "jsonl for all.</p>\n",
            st->n_dropped);
    }
    raw(w, "<table id=\"ft\"><thead><tr><th>Time</th>"
           "<th data-num=\"1\">Severity</th><th data-num=\"1\">Score</th>"
           "<th>Host</th><th>Module</th><th>Finding</th><th>Evidence</th>"
           "<th>Rule</th></tr></thead><tbody>\n");
}

static void
put_evidence_cell(struct hw *w, const struct vg_finding *f)
{
    raw(w, "<td class=\"mono\">");
    esc(w, f->evidence.path);
    if (f->evidence.record_id) {
        fmt(w, " (record %" PRIu64 ")", f->evidence.record_id);
    }
    if (f->evidence.offset != VG_OFFSET_NONE) {
        fmt(w, " (offset %" PRIu64 ")", f->evidence.offset);
    }
    put_kvs(w, f->evidence.values, f->evidence.n_values, "mono");
    raw(w, "</td>");
}

static void
put_row(struct hw *w, const struct vg_finding *f)
{
    char ts[VG_ISO_TIME_LEN] = "";
    int sc = vg_finding_score(f);

    if (f->time_us != VG_TIME_NONE) {
        (void)vg_time_format(f->time_us, ts); /* ELIMIT: clamped, valid */
    }
    fmt(w, "<tr data-sev=\"%d\"><td class=\"mono\">%s</td>",
        (int)f->severity, ts);
    fmt(w, "<td data-s=\"%d\"><span class=\"sev s%d\">%s</span></td>",
        (int)f->severity, (int)f->severity, vg_severity_name(f->severity));
    fmt(w, "<td>%d</td>", sc);
    elem(w, "td", NULL, f->host);
    elem(w, "td", NULL, f->module);
    raw(w, "<td>");
    elem(w, "div", NULL, f->title);
    elem(w, "div", "why", f->reason);
    if (f->remediation) {
        raw(w, "<div class=\"next\">&#8594; ");
        esc(w, f->remediation);
        raw(w, "</div>");
    }
    raw(w, "</td>");
    put_evidence_cell(w, f);
    raw(w, "<td class=\"mono\">");
    esc(w, f->rule.id);
    if (f->rule.name) {
        raw(w, "<div>");
        esc(w, f->rule.name);
        raw(w, "</div>");
    }
    raw(w, "</td></tr>\n");
}

/* Findings most severe first, arrival order within a severity. */
static void
put_table(struct hw *w, const struct vg_kept *st)
{
    put_table_head(w, st);
    for (int s = VG_SEV_CRITICAL; s >= VG_SEV_INFO; s--) {
        for (size_t i = 0; i < st->n && w->rc == VG_OK; i++) {
            if ((int)st->kept[i]->severity == s) {
                put_row(w, st->kept[i]);
                flush_big(w);
            }
        }
    }
    raw(w, "</tbody></table></section>\n");
}

/* JSON Lines objects as one array; <, > and & as \u00XX so the text can
 * never close the script element or open a comment. Valid JSON: those
 * characters occur only inside strings. */
static void
put_json_finding(struct hw *w, struct vg_buf *tmp, const struct vg_finding *f)
{
    vg_buf_reset(tmp);
    if (w->rc == VG_OK) {
        w->rc = vg_jsonl_render(tmp, f);
    }
    for (size_t i = 0; w->rc == VG_OK && i < tmp->len; i++) {
        char c = tmp->data[i];
        if (c == '<' || c == '>' || c == '&') {
            fmt(w, "\\u%04x", (unsigned)c);
        } else {
            w->rc = vg_buf_addc(w->b, c);
        }
        if ((i & 4095) == 4095) {
            flush_big(w);
        }
    }
}

static void
put_json(struct hw *w, const struct vg_kept *st)
{
    struct vg_buf tmp;

    vg_buf_init(&tmp, VG_MAX_FINDING_BYTES);
    raw(w, "<script type=\"application/json\" id=\"vigil-data\">[");
    for (size_t i = 0; i < st->n && w->rc == VG_OK; i++) {
        if (i > 0) {
            raw(w, ",\n");
        }
        put_json_finding(w, &tmp, st->kept[i]);
        flush_big(w);
    }
    raw(w, "]</script>\n");
    vg_buf_fini(&tmp);
}

int
vg_html_render(struct vg_buf *b, const struct vg_kept *st,
               const struct vg_writer_opts *opts,
               const struct vg_run_summary *sum, vg_sink_fn *sink, void *arg)
{
    struct hw w = {.b = b, .sink = sink, .arg = arg, .rc = VG_OK};
    char nonce[33];

    put_nonce(nonce);
    put_head(&w, opts, nonce);
    put_verdict(&w, sum);
    put_incidents(&w, st);
    put_timeline(&w);
    put_inventory(&w, st);
    put_table(&w, st);
    put_json(&w, st);
    fmt(&w, "<script nonce=\"%s\">", nonce);
    raw(&w, html_script);
    raw(&w, "</script>\n</body>\n</html>\n");
    return w.rc;
}
