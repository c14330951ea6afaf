/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plan.c - compile the loaded rules into the evaluation plan.
 *
 * Each detection rule is placed on the event sources its logsource maps to
 * (one "variant" per source). A variant carries the rule's field slots
 * resolved to global field ids (names after the source's renames, interned
 * once), and its channel and event ids. Variants are bucketed by folded
 * channel name, then by event id, so an event only meets the rules that
 * can apply to it: one hash lookup plus a binary search per event.
 *
 * Deliberately not here: evaluation (match.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

/* Fields every event has in System (never renamed, never "missing"). */
static const char *const system_fields[] = {
    "EventID", "Channel", "Provider_Name", "Computer", "Level", "Task",
    "Opcode", "Keywords", "EventRecordID", "TimeCreated", "ProcessID",
    "ThreadID", "UserID", "Version", "Provider_Guid", "EventType",
};

static int
is_system(const char *f)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(system_fields); i++)
        if (strcmp(f, system_fields[i]) == 0)
            return 1;
    return 0;
}

static int
intern(struct vg_sigma *s, const char *name, uint32_t *out)
{
    size_t len = strlen(name);
    void *v = vg_map_get(&s->fieldidx, name, len);
    if (v != NULL) {
        *out = (uint32_t)((uintptr_t)v - 1);
        return VG_OK;
    }
    if (s->n_field == s->cap_field) {
        size_t nc = s->cap_field ? s->cap_field * 2 : 256;
        const char **p = vg_reallocarray(s->field, nc, sizeof(*p));
        if (p == NULL)
            return VG_ENOMEM;
        s->field = p;
        s->cap_field = nc;
    }
    char *copy;
    int rc = vg_arena_strndup(&s->a, name, len, &copy);
    if (rc == VG_OK)
        rc = vg_map_put(&s->fieldidx, name, len,
                        (void *)(uintptr_t)(s->n_field + 1));
    if (rc != VG_OK)
        return rc;
    s->field[s->n_field] = copy;
    *out = (uint32_t)s->n_field++;
    return VG_OK;
}

static int
eq_opt(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

static const struct sg_lsentry *
find_entry(const struct sg_mapping *m, const struct vg_sigma_rule_info *in)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct sg_lsentry *e = &m->e[i];
        if (eq_opt(e->product, in->product) &&
            eq_opt(e->category, in->category) &&
            eq_opt(e->service, in->service))
            return e;
    }
    return NULL;
}

static const char *
global_rename(const struct sg_mapping *m, const char *f)
{
    for (size_t i = 0; i < m->n_gren; i++)
        if (strcmp(m->gren[i].from, f) == 0)
            return m->gren[i].to;
    return f;
}

/* Field name on this source, or NULL when the source lacks the field. */
static const char *
source_field(const struct sg_source *src, const char *f)
{
    for (size_t i = 0; i < src->n_ren; i++)
        if (strcmp(src->ren[i].from, f) == 0)
            return src->ren[i].to;
    if (!src->strict || is_system(f))
        return f;
    for (size_t i = 0; i < src->n_keep; i++)
        if (strcmp(src->keep[i], f) == 0)
            return f;
    return NULL;
}

static int
add_variant(struct vg_sigma *s, size_t ri, const struct sg_source *src)
{
    const struct sg_rule *r = &s->r[ri];
    void *p;
    int rc = vg_arena_alloc(&s->a, (r->n_fields + 1) * sizeof(uint32_t), &p);
    if (rc != VG_OK)
        return rc;
    uint32_t *fmap = p;
    for (size_t i = 0; i < r->n_fields; i++) {
        const char *f = global_rename(&s->map, r->fname[i]);
        f = src ? source_field(src, f) : f;
        if (f == NULL)
            return VG_OK; /* the rule needs a field this source lacks */
        if ((rc = intern(s, f, &fmap[i])) != VG_OK)
            return rc;
    }
    if (s->n_v == s->cap_v) {
        size_t nc = s->cap_v ? s->cap_v * 2 : 256;
        struct sg_variant *v = vg_reallocarray(s->v, nc, sizeof(*v));
        if (v == NULL)
            return VG_ENOMEM;
        s->v = v;
        s->cap_v = nc;
    }
    struct sg_variant *v = &s->v[s->n_v++];
    memset(v, 0, sizeof(*v));
    v->rule = ri;
    v->fmap = fmap;
    v->channel = src ? src->channel : NULL;
    v->eids = src ? src->eids : NULL;
    v->n_eids = src ? src->n_eids : 0;
    s->r[ri].info.applies = 1;
    return VG_OK;
}

static int
place_rule(struct vg_sigma *s, size_t ri)
{
    const struct sg_rule *r = &s->r[ri];
    if (r->info.kind != VG_SIGMA_RULE)
        return VG_OK;
    const struct sg_lsentry *e = find_entry(&s->map, &r->info);
    if (e == NULL)
        return VG_OK; /* loaded, but no event source: applies stays 0 */
    for (size_t i = 0; i < e->n_src; i++) {
        int rc = add_variant(s, ri, &e->src[i]);
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

/* ---- buckets ---- */

struct pair { uint32_t eid; size_t v; };

static int
cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->eid != y->eid)
        return x->eid < y->eid ? -1 : 1;
    return x->v < y->v ? -1 : x->v > y->v;
}

static int
arena_copy(struct vg_arena *a, const void *src, size_t bytes, void **out)
{
    int rc = vg_arena_alloc(a, bytes ? bytes : 1, out);
    if (rc == VG_OK && bytes)
        memcpy(*out, src, bytes);
    return rc;
}

/* Build one bucket from the variants whose channel folds to key. */
static int
fill_bucket(struct vg_sigma *s, struct sg_bucket *b, const char *key)
{
    struct pair *pairs = NULL;
    size_t np = 0, cap = 0, *any = NULL, n_any = 0;
    int rc = VG_OK;
    for (size_t i = 0; i < s->n_v && rc == VG_OK; i++) {
        const struct sg_variant *v = &s->v[i];
        if ((key == NULL) != (v->channel == NULL))
            continue;
        if (key && (strlen(key) != strlen(v->channel) ||
                    !vg_ascii_ieq(key, v->channel, strlen(key))))
            continue;
        size_t need = v->n_eids ? v->n_eids : 0;
        s->v[i].bucket = b;
        if (need == 0) {
            size_t *na = vg_reallocarray(any, n_any + 1, sizeof(size_t));
            if (na == NULL) { rc = VG_ENOMEM; break; }
            any = na;
            any[n_any++] = i;
            continue;
        }
        if (np + need > cap) {
            size_t nc = (np + need) * 2;
            struct pair *p = vg_reallocarray(pairs, nc, sizeof(*p));
            if (p == NULL) { rc = VG_ENOMEM; break; }
            pairs = p;
            cap = nc;
        }
        for (size_t k = 0; k < v->n_eids; k++)
            pairs[np++] = (struct pair){ v->eids[k], i };
    }
    if (rc == VG_OK && np)
        qsort(pairs, np, sizeof(*pairs), cmp_pair);
    void *p;
    if (rc == VG_OK && (rc = vg_arena_alloc(&s->a, np * 3 * sizeof(size_t) +
                                            np * sizeof(uint32_t) + 8, &p)) ==
                           VG_OK) {
        b->vlist = p;
        b->eid_first = b->vlist + np;
        b->eid_n = b->eid_first + np;
        b->eid = (uint32_t *)(void *)(b->eid_n + np);
        b->n_eid = 0;
        for (size_t i = 0; i < np; i++) {
            b->vlist[i] = pairs[i].v;
            if (b->n_eid == 0 || b->eid[b->n_eid - 1] != pairs[i].eid) {
                b->eid[b->n_eid] = pairs[i].eid;
                b->eid_first[b->n_eid] = i;
                b->eid_n[b->n_eid++] = 0;
            }
            b->eid_n[b->n_eid - 1]++;
        }
    }
    if (rc == VG_OK)
        rc = arena_copy(&s->a, any, n_any * sizeof(size_t), &p);
    if (rc == VG_OK) {
        b->any = p;
        b->n_any = n_any;
    }
    vg_free(pairs);
    vg_free(any);
    return rc;
}

static int
build_buckets(struct vg_sigma *s)
{
    int rc = fill_bucket(s, &s->nochan, NULL);
    for (size_t i = 0; i < s->n_v && rc == VG_OK; i++) {
        const char *ch = s->v[i].channel;
        if (ch == NULL)
            continue;
        size_t len = strlen(ch);
        char *fold;
        rc = vg_arena_strndup(&s->a, ch, len, &fold);
        if (rc != VG_OK)
            break;
        sg_fold((uint8_t *)fold, ch, len);
        if (vg_map_get(&s->chan, fold, len) != NULL)
            continue;
        void *p;
        rc = vg_arena_alloc(&s->a, sizeof(struct sg_bucket), &p);
        if (rc == VG_OK) {
            memset(p, 0, sizeof(struct sg_bucket));
            rc = fill_bucket(s, p, ch);
        }
        if (rc == VG_OK)
            rc = vg_map_put(&s->chan, fold, len, p);
    }
    return rc;
}

static int
intern_corr_fields(struct vg_sigma *s)
{
    for (size_t i = 0; i < s->n_r; i++) {
        struct sg_corr *k = s->r[i].corr;
        if (k == NULL)
            continue;
        void *p;
        int rc = vg_arena_alloc(&s->a, (k->n_group + 1) * sizeof(uint32_t), &p);
        if (rc != VG_OK)
            return rc;
        k->group_fid = p;
        for (size_t j = 0; j < k->n_group && rc == VG_OK; j++)
            rc = intern(s, k->group_by[j], &k->group_fid[j]);
        k->value_fid = SG_FIELD_NONE;
        if (rc == VG_OK && k->value_field != NULL)
            rc = intern(s, k->value_field, &k->value_fid);
        if (rc != VG_OK)
            return rc;
        s->r[i].info.applies = 1;
    }
    return VG_OK;
}

int
sg_plan_build(struct vg_sigma *s, struct vg_diag *diag)
{
    int rc;
    if (s->opts.mapping_path != NULL) {
        char *text;
        size_t len;
        rc = sg_read_file(s->opts.mapping_path, &text, &len, diag);
        if (rc != VG_OK)
            return rc;
        rc = sg_mapping_load(&s->a, s->opts.mapping_path, text, len,
                             s->opts.taxonomy_only, &s->map, diag);
        vg_free(text);
    } else {
        struct vg_buf b;
        vg_buf_init(&b, SG_MAX_FILE_BYTES);
        rc = VG_OK;
        for (size_t i = 0; i < sg_default_mapping_lines && rc == VG_OK; i++)
            rc = vg_buf_adds(&b, sg_default_mapping[i]);
        if (rc == VG_OK)
            rc = sg_mapping_load(&s->a, "(built-in mapping)", b.data, b.len,
                                 s->opts.taxonomy_only, &s->map, diag);
        vg_buf_fini(&b);
    }
    for (size_t i = 0; i < s->n_r && rc == VG_OK; i++)
        rc = place_rule(s, i);
    if (rc == VG_OK)
        rc = intern_corr_fields(s);
    if (rc == VG_OK)
        rc = build_buckets(s);
    if (rc == VG_OK)
        rc = sg_prefilter_build(s);
    if (rc == VG_OK)
        rc = sg_eid_gate_build(s);
    return rc == VG_OK ? sg_hot_build(s) : rc;
}
