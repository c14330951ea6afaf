/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hot.c - lay out what matching reads for cache locality, once the plan is
 * complete.
 *
 * While loading, a rule's condition tree, searches, groups, items, values
 * and literals are allocated as its YAML is walked, interleaved with the
 * node trees of some thousands of rule files, and a variant's arrays
 * (field map, value needles, event id gate) are added later by other
 * passes. Evaluating one variant then chases pointers across the whole
 * arena: a cache miss at almost every step. This pass copies all of it, rule
 * by rule in variant order, into a second arena (struct vg_sigma.hot), in
 * the order an evaluation reads it, and repoints the rules and variants at
 * the copies. The copies are bytes for bytes the same data, so results
 * cannot change; the originals stay (the arena is not compacted) but are no
 * longer read per event.
 *
 * Deliberately not here: any change of representation (matching code is
 * the same over either layout), regexes (PCRE2 owns them).
 */
#include <string.h>

#include "core/alloc.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

static int
dup(struct vg_arena *a, const void *p, size_t n, void **out)
{
    *out = NULL;
    if (p == NULL)
        return VG_OK;
    int rc = vg_arena_alloc(a, n ? n : 1, out);
    if (rc == VG_OK && n > 0)
        memcpy(*out, p, n);
    return rc;
}

/* Pre-order, so that a walk down the left spine reads forward. */
static int
copy_cond(struct vg_arena *a, const struct sg_cond *c, struct sg_cond **out)
{
    void *p;
    int rc = dup(a, c, sizeof(*c), &p);
    struct sg_cond *n = p;
    *out = n;
    if (rc == VG_OK && c->a != NULL)
        rc = copy_cond(a, c->a, &n->a);
    if (rc == VG_OK && c->b != NULL)
        rc = copy_cond(a, c->b, &n->b);
    return rc;
}

/* Values, then their literals (glob tokens or bytes plus the NUL). */
static int
copy_vals(struct vg_arena *a, struct sg_item *it)
{
    void *p;
    int rc = dup(a, it->v, it->n * sizeof(*it->v), &p);
    it->v = p;
    for (size_t i = 0; i < it->n && rc == VG_OK; i++) {
        struct sg_val *v = &it->v[i];
        if (v->glob != NULL) {
            rc = dup(a, v->glob, (v->len + 1) * sizeof(uint16_t), &p);
            v->glob = p;
        }
        if (rc == VG_OK && v->lit != NULL) {
            rc = dup(a, v->lit, v->len + 1, &p);
            v->lit = p;
        }
    }
    return rc;
}

static int
copy_search(struct vg_arena *a, struct sg_search *s)
{
    void *p;
    int rc = dup(a, s->g, s->n * sizeof(*s->g), &p);
    s->g = p;
    for (size_t g = 0; g < s->n && rc == VG_OK; g++) {
        struct sg_group *gr = &s->g[g];
        rc = dup(a, gr->it, gr->n * sizeof(*gr->it), &p);
        gr->it = p;
        for (size_t i = 0; i < gr->n && rc == VG_OK; i++)
            rc = copy_vals(a, &gr->it[i]);
    }
    return rc;
}

/* The variant's own arrays, next to its rule's data. */
static int
copy_variant(struct vg_arena *a, const struct sg_rule *r,
             struct sg_variant *v)
{
    void *p;
    int rc = dup(a, v->fmap, (r->n_fields + 1) * sizeof(uint32_t), &p);
    v->fmap = p;
    if (rc == VG_OK) {
        rc = dup(a, v->val_nd, (sg_rule_n_vals(r) + 1) * sizeof(uint32_t), &p);
        v->val_nd = p;
    }
    if (rc == VG_OK && v->n_eid_need > 0) {
        rc = dup(a, v->eid_need, v->n_eid_need * sizeof(uint32_t), &p);
        v->eid_need = p;
    }
    v->cond = r->cond;
    v->srch = r->s;
    return rc;
}

static int
copy_rule(struct vg_arena *a, struct sg_rule *r)
{
    struct sg_cond *c = NULL;
    void *p;
    int rc = r->cond != NULL ? copy_cond(a, r->cond, &c) : VG_OK;
    if (rc == VG_OK) {
        r->cond = c;
        rc = dup(a, r->s, r->n_s * sizeof(*r->s), &p);
        r->s = p;
    }
    for (size_t k = 0; k < r->n_s && rc == VG_OK; k++)
        rc = copy_search(a, &r->s[k]);
    return rc;
}

/* Field names' lengths, so a fetch by name needs no strlen. */
static int
field_lengths(struct vg_sigma *s)
{
    void *p;
    int rc = vg_arena_alloc(&s->hot, (s->n_field + 1) * sizeof(uint32_t), &p);
    if (rc != VG_OK)
        return rc;
    s->field_len = p;
    for (size_t i = 0; i < s->n_field; i++)
        s->field_len[i] = (uint32_t)strlen(s->field[i]);
    return VG_OK;
}

_Static_assert(offsetof(struct sg_variant, cond) == 64,
               "a variant's first line holds what deciding on it reads");

/* The variants themselves, each starting a cache line: a candidate's
 * first line then holds all that deciding on it reads. */
static int
aligned_variants(struct vg_sigma *s)
{
    void *p;
    size_t n = s->n_v * sizeof(*s->v);
    int rc = vg_arena_alloc(&s->hot, n + 64, &p);
    if (rc != VG_OK)
        return rc;
    struct sg_variant *v =
        (struct sg_variant *)(((uintptr_t)p + 63) & ~(uintptr_t)63);
    if (n > 0)
        memcpy(v, s->v, n);
    vg_free(s->v);
    s->v = v;
    s->v_hot = 1;
    return VG_OK;
}

int
sg_hot_build(struct vg_sigma *s)
{
    int rc = field_lengths(s);
    if (rc == VG_OK)
        rc = aligned_variants(s);
    size_t last = SIZE_MAX;
    /* variants of one rule are adjacent (plan.c adds them together) */
    for (size_t i = 0; i < s->n_v && rc == VG_OK; i++) {
        struct sg_variant *v = &s->v[i];
        struct sg_rule *r = &s->r[v->rule];
        if (v->rule != last)
            rc = copy_rule(&s->hot, r);
        last = v->rule;
        if (rc == VG_OK)
            rc = copy_variant(&s->hot, r, v);
    }
    return rc;
}
