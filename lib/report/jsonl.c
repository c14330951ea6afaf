/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsonl.c - one finding as one JSON object (JSON Lines), the schema in
 * docs/schema.md: ECS-style nesting (host.name, event.severity, rule.id,
 * file.path) plus a "vigil" object for what ECS has no field for. Keys come
 * in a fixed order and absent fields are omitted, so output is byte-for-byte
 * reproducible. It does not pretty-print or re-order producer key/values.
 */
#include <inttypes.h>
#include <string.h>

#include "report/report_int.h"
#include "vigil/err.h"
#include "vigil/time.h"

#include "core/banned.h"

/* Appends ,"key":"value" (or without the comma when first); absent = none. */
struct jw {
    struct vg_buf *b;
    int rc;
    int first; /* no member written yet in the open object */
};

static void
jw_raw(struct jw *w, const char *s)
{
    if (w->rc == VG_OK) {
        w->rc = vg_buf_adds(w->b, s);
    }
}

static void
jw_key(struct jw *w, const char *key)
{
    if (!w->first) {
        jw_raw(w, ",");
    }
    w->first = 0;
    jw_raw(w, "\"");
    if (w->rc == VG_OK) {
        w->rc = vg_json_escape(w->b, key, strlen(key));
    }
    jw_raw(w, "\":");
}

static void
jw_str(struct jw *w, const char *key, const char *val)
{
    if (val == NULL) {
        return;
    }
    jw_key(w, key);
    jw_raw(w, "\"");
    if (w->rc == VG_OK) {
        w->rc = vg_json_escape(w->b, val, strlen(val));
    }
    jw_raw(w, "\"");
}

static void
jw_num(struct jw *w, const char *key, uint64_t v)
{
    jw_key(w, key);
    if (w->rc == VG_OK) {
        w->rc = vg_buf_printf(w->b, "%" PRIu64, v);
    }
}

static void
jw_open(struct jw *w, const char *key)
{
    jw_key(w, key);
    jw_raw(w, "{");
    w->first = 1;
}

static void
jw_close(struct jw *w)
{
    jw_raw(w, "}");
    w->first = 0;
}

static void
jw_kvs(struct jw *w, const char *key, const struct vg_kv *kv, size_t n)
{
    if (n == 0) {
        return;
    }
    jw_open(w, key);
    for (size_t i = 0; i < n; i++) {
        jw_str(w, kv[i].key ? kv[i].key : "", kv[i].value ? kv[i].value : "");
    }
    jw_close(w);
}

static void
put_event(struct jw *w, const struct vg_finding *f)
{
    char ts[VG_ISO_TIME_LEN];
    if (f->time_us != VG_TIME_NONE) {
        (void)vg_time_format(f->time_us, ts); /* ELIMIT: clamped, still valid */
        jw_str(w, "@timestamp", ts);
    }
    if (f->host) {
        jw_open(w, "host");
        jw_str(w, "name", f->host);
        jw_close(w);
    }
    jw_open(w, "event");
    jw_str(w, "module", f->module);
    jw_num(w, "severity", (uint64_t)f->severity);
    jw_str(w, "kind", "alert");
    jw_close(w);
}

static void
put_vigil(struct jw *w, const struct vg_finding *f)
{
    jw_open(w, "vigil");
    jw_str(w, "severity", vg_severity_name(f->severity));
    jw_num(w, "score", (uint64_t)vg_finding_score(f));
    jw_str(w, "title", f->title);
    jw_str(w, "reason", f->reason);
    jw_str(w, "remediation", f->remediation);
    jw_kvs(w, "matched", f->evidence.values, f->evidence.n_values);
    jw_kvs(w, "extra", f->extra, f->n_extra);
    jw_close(w);
}

static void
put_rule(struct jw *w, const struct vg_finding *f)
{
    if (!f->rule.id && !f->rule.name && !f->rule.source && !f->rule.reference) {
        return;
    }
    jw_open(w, "rule");
    jw_str(w, "id", f->rule.id);
    jw_str(w, "name", f->rule.name);
    jw_str(w, "ruleset", f->rule.source);
    jw_str(w, "reference", f->rule.reference);
    jw_close(w);
}

static void
put_where(struct jw *w, const struct vg_finding *f)
{
    if (f->evidence.path) {
        jw_open(w, "file");
        jw_str(w, "path", f->evidence.path);
        jw_close(w);
    }
    if (f->evidence.offset != VG_OFFSET_NONE || f->evidence.record_id != 0) {
        jw_open(w, "evidence");
        if (f->evidence.offset != VG_OFFSET_NONE) {
            jw_num(w, "offset", f->evidence.offset);
        }
        if (f->evidence.record_id != 0) {
            jw_num(w, "record_id", f->evidence.record_id);
        }
        jw_close(w);
    }
}

static void
put_threat(struct jw *w, const struct vg_finding *f)
{
    if (f->n_techniques == 0) {
        return;
    }
    jw_open(w, "threat");
    jw_open(w, "technique");
    jw_key(w, "id");
    jw_raw(w, "[");
    for (size_t i = 0; i < f->n_techniques; i++) {
        const char *t = f->techniques[i] ? f->techniques[i] : "";
        jw_raw(w, i ? ",\"" : "\"");
        if (w->rc == VG_OK) {
            w->rc = vg_json_escape(w->b, t, strlen(t));
        }
        jw_raw(w, "\"");
    }
    jw_raw(w, "]");
    jw_close(w);
    jw_close(w);
}

int
vg_jsonl_render(struct vg_buf *b, const struct vg_finding *f)
{
    struct jw w = {.b = b, .rc = VG_OK, .first = 1};

    jw_raw(&w, "{");
    jw_num(&w, "schema_version", VG_SCHEMA_VERSION);
    put_event(&w, f);
    put_vigil(&w, f);
    put_rule(&w, f);
    put_where(&w, f);
    put_threat(&w, f);
    jw_raw(&w, "}");
    return w.rc;
}
