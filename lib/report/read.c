/* SPDX-License-Identifier: Apache-2.0 */
/*
 * read.c - Vigil's own JSON Lines (docs/schema.md) back into findings, so
 * `vigil report` can merge results from many hosts. jansson parses each
 * line (this is the one file in lib/report that includes it; see
 * docs/ARCHITECTURE.md, dependency rules). A bad line - not JSON, not an
 * object, wrong schema_version, a field of the wrong type, too long - is
 * reported with file:line and skipped; reading goes on.
 *
 * Lines are read in 64 KiB blocks into a buffer capped at
 * VG_MAX_FINDING_BYTES plus slack, so memory is bounded whatever the file.
 * It does not accept other tools' JSON and does not guess missing fields
 * beyond the schema's rules (absent = absent).
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "vigil/err.h"
#include "vigil/report.h"
#include "vigil/time.h"

#include "core/banned.h"

#define MAX_LINE       (VG_MAX_FINDING_BYTES + 64u)
#define MAX_KV         4096u /* matched/extra entries per finding */
#define MAX_TECHNIQUES 256u

struct rd {
    const char *name;
    uint64_t line;
    vg_finding_fn *fn;
    void *arg;
    vg_read_bad_fn *bad;
    void *bad_arg;
    struct vg_read_stats *st;
};

/* One parsed line: the finding and the arrays it points into. */
struct parsed {
    struct vg_finding f;
    struct vg_kv *kv; /* matched then extra */
    const char **tech;
};

static void
report_bad(struct rd *r, const char *fmt, ...) VG_PRINTF(2, 3);

static void
report_bad(struct rd *r, const char *fmt, ...)
{
    struct vg_diag d;
    va_list ap;

    r->st->n_bad++;
    if (r->bad == NULL) {
        return;
    }
    vg_diag_clear(&d);
    va_start(ap, fmt);
    (void)vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
    va_end(ap);
    (void)snprintf(d.path, sizeof(d.path), "%s", r->name ? r->name : "");
    d.line = r->line;
    d.rc = VG_EFORMAT;
    r->bad(r->bad_arg, &d);
}

/* Optional string member: absent/null -> NULL; other types -> error. */
static int
get_str(json_t *obj, const char *key, const char *name, const char **out,
        const char **err)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return 0;
    }
    if (!json_is_string(v)) {
        *err = name;
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

static int
get_u64(json_t *obj, const char *key, const char *name, uint64_t *out,
        uint64_t dflt, const char **err)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    *out = dflt;
    if (v == NULL) {
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        *err = name;
        return -1;
    }
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

/* Optional object member; a non-object is an error. */
static int
get_obj(json_t *obj, const char *key, json_t **out, const char **err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL) {
        return 0;
    }
    if (!json_is_object(v)) {
        *err = key;
        return -1;
    }
    *out = v;
    return 0;
}

/* Object of strings -> kv[*n...]. */
static int
get_kvs(json_t *o, struct vg_kv *kv, size_t *n, size_t cap, const char *what,
        const char **err)
{
    const char *k;
    json_t *v;

    json_object_foreach(o, k, v) {
        if (!json_is_string(v) || *n >= cap) {
            *err = what;
            return -1;
        }
        kv[*n].key = k;
        kv[*n].value = json_string_value(v);
        (*n)++;
    }
    return 0;
}

static int
get_severity(json_t *ev, json_t *vg, struct vg_finding *f, const char **err)
{
    uint64_t sev = UINT64_MAX;
    const char *name = NULL;

    if (get_u64(ev, "severity", "event.severity", &sev, UINT64_MAX, err) != 0 ||
        get_str(vg, "severity", "vigil.severity", &name, err) != 0) {
        return -1;
    }
    if (sev < VG_SEV_COUNT) {
        f->severity = (enum vg_severity)sev;
        return 0;
    }
    if (name && vg_severity_parse(name, &f->severity) == VG_OK) {
        return 0;
    }
    *err = "event.severity";
    return -1;
}

static int
get_time(json_t *root, struct vg_finding *f, const char **err)
{
    const char *ts = NULL;
    f->time_us = VG_TIME_NONE;
    if (get_str(root, "@timestamp", "@timestamp", &ts, err) != 0) {
        return -1;
    }
    if (ts && vg_time_parse(ts, &f->time_us) != VG_OK) {
        *err = "@timestamp";
        return -1;
    }
    return 0;
}

static int
get_vigil(json_t *vg, struct parsed *p, const char **err)
{
    struct vg_finding *f = &p->f;
    json_t *m = NULL, *x = NULL;
    uint64_t score = 0;
    size_t n = 0;

    if (get_str(vg, "title", "vigil.title", &f->title, err) ||
        get_str(vg, "reason", "vigil.reason", &f->reason, err) ||
        get_str(vg, "remediation", "vigil.remediation", &f->remediation,
                err) ||
        get_u64(vg, "score", "vigil.score", &score, 0, err)) {
        return -1;
    }
    f->score = score > 100 ? 100 : (int)score;
    if (vg == NULL) {
        return 0;
    }
    if (get_obj(vg, "matched", &m, err) || get_obj(vg, "extra", &x, err)) {
        *err = *err && strcmp(*err, "matched") == 0 ? "vigil.matched"
                                                    : "vigil.extra";
        return -1;
    }
    if (m && get_kvs(m, p->kv, &n, MAX_KV, "vigil.matched", err)) {
        return -1;
    }
    f->evidence.values = n ? p->kv : NULL;
    f->evidence.n_values = n;
    if (x && get_kvs(x, p->kv, &n, n + MAX_KV, "vigil.extra", err)) {
        return -1;
    }
    f->extra = n > f->evidence.n_values ? p->kv + f->evidence.n_values : NULL;
    f->n_extra = n - f->evidence.n_values;
    return 0;
}

static int
get_threat(json_t *root, struct parsed *p, const char **err)
{
    json_t *th = NULL, *te = NULL, *ids, *v;
    size_t i;

    if (get_obj(root, "threat", &th, err) ||
        (th && get_obj(th, "technique", &te, err))) {
        return -1;
    }
    ids = te ? json_object_get(te, "id") : NULL;
    if (ids == NULL) {
        return 0;
    }
    if (!json_is_array(ids) || json_array_size(ids) > MAX_TECHNIQUES) {
        *err = "threat.technique.id";
        return -1;
    }
    json_array_foreach(ids, i, v) {
        if (!json_is_string(v)) {
            *err = "threat.technique.id";
            return -1;
        }
        p->tech[i] = json_string_value(v);
    }
    p->f.techniques = i ? p->tech : NULL;
    p->f.n_techniques = i;
    return 0;
}

static int
get_where(json_t *root, struct vg_finding *f, const char **err)
{
    json_t *file = NULL, *ev = NULL, *host = NULL, *rule = NULL;

    if (get_obj(root, "file", &file, err) ||
        get_obj(root, "evidence", &ev, err) ||
        get_obj(root, "host", &host, err) || get_obj(root, "rule", &rule, err)) {
        return -1;
    }
    return (get_str(file, "path", "file.path", &f->evidence.path, err) ||
            get_u64(ev, "offset", "evidence.offset", &f->evidence.offset,
                    VG_OFFSET_NONE, err) ||
            get_u64(ev, "record_id", "evidence.record_id",
                    &f->evidence.record_id, 0, err) ||
            get_str(host, "name", "host.name", &f->host, err) ||
            get_str(rule, "id", "rule.id", &f->rule.id, err) ||
            get_str(rule, "name", "rule.name", &f->rule.name, err) ||
            get_str(rule, "ruleset", "rule.ruleset", &f->rule.source, err) ||
            get_str(rule, "reference", "rule.reference",
                    &f->rule.reference, err))
               ? -1
               : 0;
}

static int
check_version(json_t *root, const char **err)
{
    json_t *v = json_object_get(root, "schema_version");
    if (!json_is_integer(v) || json_integer_value(v) != VG_SCHEMA_VERSION) {
        *err = "schema_version";
        return -1;
    }
    return 0;
}

/* Fill p from root; -1 with *err naming the bad field. */
static int
to_finding(json_t *root, struct parsed *p, const char **err)
{
    json_t *ev = NULL, *vg = NULL;

    memset(&p->f, 0, sizeof(p->f));
    if (check_version(root, err) || get_obj(root, "event", &ev, err) ||
        get_obj(root, "vigil", &vg, err) || get_time(root, &p->f, err) ||
        get_severity(ev, vg, &p->f, err) ||
        get_str(ev, "module", "event.module", &p->f.module, err) ||
        get_vigil(vg, p, err) || get_where(root, &p->f, err) ||
        get_threat(root, p, err)) {
        return -1;
    }
    return 0;
}

static int
one_line(struct rd *r, struct parsed *p, const char *s, size_t n)
{
    json_error_t je;
    const char *err = NULL;
    int rc = VG_OK;
    json_t *root;

    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) {
        n--;
    }
    if (n == 0) {
        return VG_OK;
    }
    r->st->n_lines++;
    root = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        report_bad(r, "not JSON: %s (column %d)", je.text, je.column);
        return VG_OK;
    }
    if (!json_is_object(root)) {
        report_bad(r, "not a JSON object");
    } else if (to_finding(root, p, &err) != 0) {
        report_bad(r, "not a Vigil finding: bad or missing %s", err);
    } else {
        r->st->n_findings++;
        rc = r->fn(&p->f, r->arg);
    }
    json_decref(root);
    return rc;
}

static int
parsed_init(struct parsed *p)
{
    p->kv = vg_calloc(2 * MAX_KV, sizeof(*p->kv));
    p->tech = vg_calloc(MAX_TECHNIQUES, sizeof(*p->tech));
    return p->kv && p->tech ? VG_OK : VG_ENOMEM;
}

static void
parsed_fini(struct parsed *p)
{
    vg_free(p->kv);
    vg_free(p->tech);
}

int
vg_jsonl_read_buf(const char *data, size_t n, const char *name,
                  vg_finding_fn *fn, void *arg, vg_read_bad_fn *bad,
                  void *bad_arg, struct vg_read_stats *stats)
{
    struct vg_read_stats dummy = {0};
    struct rd r = {name, 0, fn, arg, bad, bad_arg, stats ? stats : &dummy};
    struct parsed p;
    int rc = parsed_init(&p);

    for (size_t i = 0; rc == VG_OK && i < n;) {
        const char *nl = memchr(data + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (data + i)) : n - i;
        r.line++;
        if (len > MAX_LINE) {
            report_bad(&r, "line longer than %u bytes", MAX_LINE);
        } else {
            rc = one_line(&r, &p, data + i, len);
        }
        i += len + 1;
    }
    parsed_fini(&p);
    return rc;
}

/* Streaming state for vg_jsonl_read_fd. */
struct stream {
    struct rd r;
    struct parsed p;
    struct vg_buf line;
    int skipping; /* current line was too long: drop until newline */
};

static int
stream_bytes(struct stream *s, const char *b, size_t n)
{
    int rc = VG_OK;
    for (size_t i = 0; rc == VG_OK && i < n;) {
        const char *nl = memchr(b + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (b + i)) : n - i;
        if (!s->skipping && vg_buf_add(&s->line, b + i, len) == VG_ELIMIT) {
            s->skipping = 1;
        }
        if (nl) {
            s->r.line++;
            if (s->skipping) {
                report_bad(&s->r, "line longer than %u bytes", MAX_LINE);
            } else {
                rc = one_line(&s->r, &s->p, s->line.data ? s->line.data : "",
                              s->line.len);
            }
            vg_buf_reset(&s->line);
            s->skipping = 0;
        }
        i += len + (nl != NULL);
    }
    return rc;
}

int
vg_jsonl_read_fd(int fd, const char *name, vg_finding_fn *fn, void *arg,
                 vg_read_bad_fn *bad, void *bad_arg,
                 struct vg_read_stats *stats)
{
    static struct vg_read_stats dummy;
    struct stream s = {.r = {name, 0, fn, arg, bad, bad_arg,
                             stats ? stats : &dummy}};
    char *blk = vg_malloc(65536);
    int rc = parsed_init(&s.p);

    vg_buf_init(&s.line, MAX_LINE);
    if (blk == NULL) {
        rc = VG_ENOMEM;
    }
    while (rc == VG_OK) {
        ssize_t got = read(fd, blk, 65536);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            rc = got < 0 ? VG_EIO : VG_OK;
            break;
        }
        rc = stream_bytes(&s, blk, (size_t)got);
    }
    if (rc == VG_OK && (s.line.len > 0 || s.skipping)) {
        rc = stream_bytes(&s, "\n", 1); /* last line without a newline */
    }
    vg_buf_fini(&s.line);
    parsed_fini(&s.p);
    vg_free(blk);
    return rc;
}
