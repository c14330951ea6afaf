/* SPDX-License-Identifier: Apache-2.0 */
/*
 * finding.c - severity names and scores, and the one-allocation deep copy of
 * a finding. The copy is laid out as: the struct, the kv arrays, the
 * technique pointer array, then every string, so one free() releases it.
 * It does not validate strings (writers escape them).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "report/report_int.h"
#include "vigil/err.h"
#include "vigil/finding.h"

#include "core/banned.h"

static const char *const sev_names[VG_SEV_COUNT] = {
    "info", "low", "medium", "high", "critical",
};
static const int sev_scores[VG_SEV_COUNT] = {10, 30, 50, 75, 95};

const char *
vg_severity_name(enum vg_severity s)
{
    if ((unsigned)s >= VG_SEV_COUNT) {
        return "unknown";
    }
    return sev_names[s];
}

int
vg_severity_parse(const char *s, enum vg_severity *out)
{
    *out = VG_SEV_INFO;
    if (s == NULL) {
        return VG_EINVAL;
    }
    for (unsigned i = 0; i < VG_SEV_COUNT; i++) {
        if (strcasecmp(s, sev_names[i]) == 0) {
            *out = (enum vg_severity)i;
            return VG_OK;
        }
    }
    return VG_EINVAL;
}

int
vg_severity_score(enum vg_severity s)
{
    if ((unsigned)s >= VG_SEV_COUNT) {
        return 0;
    }
    return sev_scores[s];
}

int
vg_finding_score(const struct vg_finding *f)
{
    if (f->score <= 0) {
        return vg_severity_score(f->severity);
    }
    return f->score > 100 ? 100 : f->score;
}

/* Bytes a string needs in the copy (0 for absent). */
static size_t
str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static size_t
kv_size(const struct vg_kv *kv, size_t n)
{
    size_t sz = 0;
    for (size_t i = 0; i < n; i++) {
        sz += str_size(kv[i].key) + str_size(kv[i].value);
    }
    return sz;
}

static size_t
strings_size(const struct vg_finding *f)
{
    size_t sz = str_size(f->host) + str_size(f->module) + str_size(f->title) +
                str_size(f->reason) + str_size(f->remediation) +
                str_size(f->rule.id) + str_size(f->rule.name) +
                str_size(f->rule.source) + str_size(f->rule.reference) +
                str_size(f->evidence.path);
    sz += kv_size(f->evidence.values, f->evidence.n_values);
    sz += kv_size(f->extra, f->n_extra);
    for (size_t i = 0; i < f->n_techniques; i++) {
        sz += str_size(f->techniques[i]);
    }
    return sz;
}

/* Copy s to *cur and advance it; NULL stays NULL. */
static const char *
put_str(char **cur, const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    char *d = *cur;
    memcpy(d, s, n);
    *cur += n;
    return d;
}

static void
copy_kv(struct vg_kv *dst, const struct vg_kv *src, size_t n, char **cur)
{
    for (size_t i = 0; i < n; i++) {
        dst[i].key = put_str(cur, src[i].key);
        dst[i].value = put_str(cur, src[i].value);
    }
}

static void
copy_strings(struct vg_finding *d, const struct vg_finding *f, char **cur)
{
    d->host = put_str(cur, f->host);
    d->module = put_str(cur, f->module);
    d->title = put_str(cur, f->title);
    d->reason = put_str(cur, f->reason);
    d->remediation = put_str(cur, f->remediation);
    d->rule.id = put_str(cur, f->rule.id);
    d->rule.name = put_str(cur, f->rule.name);
    d->rule.source = put_str(cur, f->rule.source);
    d->rule.reference = put_str(cur, f->rule.reference);
    d->evidence.path = put_str(cur, f->evidence.path);
}

struct vg_finding *
vg_finding_dup(const struct vg_finding *f)
{
    size_t n_kv = f->evidence.n_values + f->n_extra;
    size_t sz = sizeof(*f), part;

    if (!vg_mul_ok(n_kv, sizeof(struct vg_kv), &part) ||
        !vg_add_ok(sz, part, &sz) ||
        !vg_mul_ok(f->n_techniques, sizeof(char *), &part) ||
        !vg_add_ok(sz, part, &sz) || !vg_add_ok(sz, strings_size(f), &sz)) {
        return NULL;
    }
    struct vg_finding *d = vg_malloc(sz);
    if (d == NULL) {
        return NULL;
    }
    *d = *f;
    struct vg_kv *kv = (struct vg_kv *)(d + 1);
    const char **tech = (const char **)(kv + n_kv);
    char *cur = (char *)(tech + f->n_techniques);

    copy_strings(d, f, &cur);
    copy_kv(kv, f->evidence.values, f->evidence.n_values, &cur);
    copy_kv(kv + f->evidence.n_values, f->extra, f->n_extra, &cur);
    for (size_t i = 0; i < f->n_techniques; i++) {
        tech[i] = put_str(&cur, f->techniques[i]);
    }
    d->evidence.values = f->evidence.n_values ? kv : NULL;
    d->extra = f->n_extra ? kv + f->evidence.n_values : NULL;
    d->techniques = f->n_techniques ? tech : NULL;
    return d;
}
