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
jw_rawn(struct jw *w, const char *s, size_t n)
{
    if (w->rc == VG_OK) {
        w->rc = vg_buf_put(w->b, s, n);
    }
}

/* A literal: its length is known at compile time (no strlen per finding). */
#define jw_raw(w, lit) jw_rawn((w), "" lit, sizeof(lit) - 1)

static void
jw_esc(struct jw *w, const char *s)
{
    if (w->rc == VG_OK) {
        w->rc = vg_json_escape(w->b, s, strlen(s));
    }
}

/* A member name: literal names are written as they are (none needs
 * escaping); names that come with the data are escaped. */
static void
jw_sep(struct jw *w)
{
    if (!w->first) {
        jw_raw(w, ",");
    }
    w->first = 0;
}
#define jw_key(w, lit) (jw_sep(w), jw_raw((w), "\"" lit "\":"))

static void
jw_dkey(struct jw *w, const char *key)
{
    jw_sep(w);
    jw_raw(w, "\"");
    jw_esc(w, key);
    jw_raw(w, "\":");
}

static void
jw_strv(struct jw *w, const char *val)
{
    jw_raw(w, "\"");
    jw_esc(w, val);
    jw_raw(w, "\"");
}

#define jw_str(w, lit, val)                                                    \
    do {                                                                       \
        const char *jw_v_ = (val);                                             \
        if (jw_v_ != NULL) {                                                   \
            jw_key((w), lit);                                                  \
            jw_strv((w), jw_v_);                                               \
        }                                                                      \
    } while (0)

/* Decimal by hand: several numbers per finding, and printf's format
 * parsing (twice, measure then write) cost more than the rest. */
static void
jw_u64(struct jw *w, uint64_t v)
{
    char d[VG_U64_DEC_MAX];
    jw_rawn(w, d, vg_u64_dec(d, v));
}

#define jw_num(w, lit, v) (jw_key((w), lit), jw_u64((w), (v)))

#define jw_open(w, lit) (jw_key((w), lit), jw_raw((w), "{"), (w)->first = 1)

static void
jw_close(struct jw *w)
{
    jw_raw(w, "}");
    w->first = 0;
}

/* The members of kv as an object named lit (none: omitted). */
static void
jw_kvs_body(struct jw *w, const struct vg_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        jw_dkey(w, kv[i].key ? kv[i].key : "");
        jw_strv(w, kv[i].value ? kv[i].value : "");
    }
    jw_close(w);
}
#define jw_kvs(w, lit, kv, n)                                                  \
    do {                                                                       \
        if ((n) > 0) {                                                         \
            jw_open((w), lit);                                                 \
            jw_kvs_body((w), (kv), (n));                                       \
        }                                                                      \
    } while (0)

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
        if (i > 0) {
            jw_raw(w, ",");
        }
        jw_strv(w, t);
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
