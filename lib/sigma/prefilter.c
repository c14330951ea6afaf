/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prefilter.c - the literal prefilter: for each rule variant, a set of
 * (field, literal) "needles" of which at least one must occur in the event
 * for the rule to have any chance to match. If none occurs the variant is
 * skipped without evaluating its condition.
 *
 * The set is derived from the condition, never guessed: a search's group
 * (AND) contributes the needles of one of its items (all its values must be
 * plain strings, so one of them must occur; with |all any one value is
 * enough); a search (OR of groups) the union of its groups'; `a and b` the
 * better of the two; `a or b` the union; `not` nothing (no prefilter for
 * that branch). Values that could match without their text occurring
 * (numbers compared numerically, cidr, null, neq, fieldref) give no
 * needle; a regex gives the literal every match contains (relit.c), if
 * any. Literals are folded to lower case, so a needle
 * is necessary for cased values too.
 *
 * Keyword items (no field) give needles too, looked for in every field
 * value of the event (the pseudo-field n_field).
 *
 * At run time each field some candidate rule has needles in is scanned once
 * per event by an Aho-Corasick automaton (ac.c) holding every needle, one
 * pattern set per field: one pass finds all the field's needles at once.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

#define SG_MAX_NEEDLES_PER_VARIANT 1024u

struct nset {
    uint32_t *id;
    size_t    n, cap;
    size_t    minlen; /* shortest needle (longer is rarer) */
    uint64_t  uses;   /* sum of the needles' use counts across all rules:
                         a literal many rules test (\powershell.exe) is
                         likely common in events too; lower is better */
    int       ok;     /* 0: no prefilter possible */
};


static void
ns_free(struct nset *a)
{
    vg_free(a->id);
    memset(a, 0, sizeof(*a));
}

static int
ns_add(struct nset *a, uint32_t id, size_t len, uint32_t uses)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->id[i] == id)
            return VG_OK;
    a->uses += uses;
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 8;
        uint32_t *p = vg_reallocarray(a->id, nc, sizeof(*p));
        if (p == NULL)
            return VG_ENOMEM;
        a->id = p;
        a->cap = nc;
    }
    a->id[a->n++] = id;
    a->minlen = a->n == 1 || len < a->minlen ? len : a->minlen;
    return VG_OK;
}

/* a := a U b (b freed). */
static int
ns_union(struct nset *a, struct nset *b)
{
    int rc = VG_OK;
    for (size_t i = 0; i < b->n && rc == VG_OK; i++)
        rc = ns_add(a, b->id[i], b->minlen, 0);
    a->uses += b->uses; /* approximate when both held a needle */
    a->ok = a->ok && b->ok && a->n <= SG_MAX_NEEDLES_PER_VARIANT;
    ns_free(b);
    return rc;
}

static int
better(const struct nset *a, const struct nset *b)
{
    if (a->ok != b->ok)
        return a->ok;
    if (a->uses != b->uses)
        return a->uses < b->uses;
    if (a->minlen != b->minlen)
        return a->minlen > b->minlen;
    return a->n <= b->n;
}

/* a := the better of a and b (the other freed). */
static void
ns_pick(struct nset *a, struct nset *b)
{
    if (better(a, b)) {
        ns_free(b);
    } else {
        ns_free(a);
        *a = *b;
        memset(b, 0, sizeof(*b));
    }
}

static int
intern_needle(struct vg_sigma *s, uint32_t fid, const uint8_t *lit, size_t len,
              uint32_t *out)
{
    uint8_t key[4 + 512];
    if (len > 512)
        len = 512; /* a prefix of a literal is still necessary */
    memcpy(key, &fid, 4);
    sg_fold(key + 4, (const char *)lit, len);
    void *v = vg_map_get(&s->ndidx, key, 4 + len);
    if (v != NULL) {
        *out = (uint32_t)((uintptr_t)v - 1);
        return VG_OK;
    }
    if (s->n_nd >= SG_ND_EXACT - 1) /* ids keep the top bit for a flag */
        return VG_ELIMIT;
    if (s->n_nd == s->cap_nd) {
        size_t nc = s->cap_nd ? s->cap_nd * 2 : 1024;
        struct sg_needle *p = vg_reallocarray(s->nd, nc, sizeof(*p));
        if (p == NULL)
            return VG_ENOMEM;
        s->nd = p;
        s->cap_nd = nc;
    }
    char *copy;
    int rc = vg_arena_strndup(&s->a, (const char *)key + 4, len, &copy);
    if (rc == VG_OK)
        rc = vg_map_put(&s->ndidx, key, 4 + len,
                        (void *)(uintptr_t)(s->n_nd + 1));
    if (rc != VG_OK)
        return rc;
    s->nd[s->n_nd] = (struct sg_needle){ fid, 0, (const uint8_t *)copy, len };
    *out = (uint32_t)s->n_nd++;
    return VG_OK;
}

/* The needle of one value: its literal, a glob's longest literal run, or
 * a regex's required literal. */
static int
val_needle(struct vg_sigma *s, uint32_t fid, const struct sg_val *v,
           uint32_t *id, size_t *len, int *ok)
{
    *ok = 0;
    if (v->type == SG_M_RE && v->lit != NULL) { /* a required literal */
        *ok = 1;
        *len = v->len;
        return intern_needle(s, fid, v->lit, v->len, id);
    }
    if (v->type != SG_M_STR || v->str_num)
        return VG_OK;
    if (v->op != SG_S_GLOB) {
        if (!sg_needle_ok(v->lit, v->len))
            return VG_OK;
        *ok = 1;
        *len = v->len;
        return intern_needle(s, fid, v->lit, v->len, id);
    }
    size_t best = 0, best_at = 0, run = 0;
    for (size_t i = 0; i <= v->len; i++) {
        if (i < v->len && v->glob[i] < 256) {
            run++;
            continue;
        }
        if (run > best) {
            best = run;
            best_at = i - run;
        }
        run = 0;
    }
    uint8_t buf[512];
    size_t n = best < sizeof(buf) ? best : sizeof(buf);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)v->glob[best_at + i];
    if (!sg_needle_ok(buf, n))
        return VG_OK;
    *ok = 1;
    *len = n;
    return intern_needle(s, fid, buf, n, id);
}

static int
item_set(struct vg_sigma *s, const uint32_t *fmap, const struct sg_item *it,
         struct nset *out)
{
    memset(out, 0, sizeof(*out));
    if (it->neg || it->n == 0)
        return VG_OK;
    /* keywords: their needles are looked for in every field value */
    uint32_t fid = it->slot == SG_FIELD_NONE ? (uint32_t)s->n_field
                                             : fmap[it->slot];
    out->ok = 1;
    uint32_t best_id = 0;
    size_t best_len = 0;
    for (size_t i = 0; i < it->n; i++) {
        uint32_t id;
        size_t len;
        int ok, rc = val_needle(s, fid, &it->v[i], &id, &len, &ok);
        if (rc != VG_OK)
            return rc;
        if (it->all) { /* any one value is necessary: keep the rarest */
            if (ok && (best_len == 0 || s->nd[id].uses < s->nd[best_id].uses ||
                       (s->nd[id].uses == s->nd[best_id].uses &&
                        len > best_len))) {
                best_id = id;
                best_len = len;
            }
            continue;
        }
        if (!ok) {
            out->ok = 0;
            return VG_OK;
        }
        if ((rc = ns_add(out, id, len, s->nd[id].uses)) != VG_OK)
            return rc;
    }
    if (it->all) {
        out->ok = best_len > 0;
        return out->ok ? ns_add(out, best_id, best_len, s->nd[best_id].uses)
                       : VG_OK;
    }
    out->ok = out->n <= SG_MAX_NEEDLES_PER_VARIANT;
    return VG_OK;
}

static int
search_set(struct vg_sigma *s, const uint32_t *fmap, const struct sg_search *sr,
           struct nset *out)
{
    memset(out, 0, sizeof(*out));
    out->ok = sr->n > 0;
    for (size_t g = 0; g < sr->n && out->ok; g++) {
        struct nset best;
        memset(&best, 0, sizeof(best));
        for (size_t i = 0; i < sr->g[g].n; i++) {
            struct nset one;
            int rc = item_set(s, fmap, &sr->g[g].it[i], &one);
            if (rc != VG_OK) {
                ns_free(&best);
                ns_free(&one);
                return rc;
            }
            ns_pick(&best, &one);
        }
        int rc = ns_union(out, &best);
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

static int
cond_set(struct vg_sigma *s, const struct sg_rule *r, const uint32_t *fmap,
         const struct sg_cond *c, struct nset *out)
{
    struct nset b;
    int rc;
    memset(out, 0, sizeof(*out));
    memset(&b, 0, sizeof(b));
    switch (c->op) {
    case SG_OP_ID:
        return search_set(s, fmap, &r->s[c->id], out);
    case SG_OP_AND:
    case SG_OP_OR:
        rc = cond_set(s, r, fmap, c->a, out);
        if (rc == VG_OK)
            rc = cond_set(s, r, fmap, c->b, &b);
        if (rc != VG_OK) {
            ns_free(&b);
            return rc;
        }
        if (c->op == SG_OP_AND) {
            ns_pick(out, &b);
            return VG_OK;
        }
        return ns_union(out, &b);
    default: /* NOT, CONST */
        return VG_OK;
    }
}

/* The automaton of every needle, one set per field. */
static int
build_ac(struct vg_sigma *s)
{
    struct sg_ac_pat *pat = vg_malloc((s->n_nd ? s->n_nd : 1) * sizeof(*pat));
    if (pat == NULL)
        return VG_ENOMEM;
    /* only a needle's head goes into the automaton (the scanner checks
     * the rest where a head occurs): long literals would otherwise make
     * deep chains of states that cost memory and cache */
    for (size_t i = 0; i < s->n_nd; i++)
        pat[i] = (struct sg_ac_pat){ s->nd[i].fid, (uint32_t)i, s->nd[i].lit,
                                     s->nd[i].len < SG_AC_HEAD
                                         ? s->nd[i].len
                                         : SG_AC_HEAD };
    /* one set per field, and the last for keywords */
    int rc = s->n_field >= SG_AC_MAX_STATES - 1
                 ? VG_ELIMIT
                 : sg_ac_build(&s->ac, (uint32_t)s->n_field + 1, pat, s->n_nd);
    vg_free(pat);
    return rc;
}

/* The distinct fields of a variant's needles, so matching scans each once
 * before looking at the needles. */
static int
need_fields(struct vg_sigma *s, struct sg_variant *v)
{
    void *p;
    int rc = vg_arena_alloc(&s->a, v->n_need * sizeof(uint32_t), &p);
    if (rc != VG_OK)
        return rc;
    v->need_fid = p;
    v->n_need_fid = 0;
    for (size_t i = 0; i < v->n_need; i++) {
        uint32_t f = s->nd[v->need[i]].fid;
        size_t k = 0;
        while (k < v->n_need_fid && v->need_fid[k] != f)
            k++;
        if (k == v->n_need_fid)
            v->need_fid[v->n_need_fid++] = f;
    }
    return VG_OK;
}

/* A needle that is exactly the value: a case-insensitive `contains` whose
 * whole literal was interned. Its presence is then the value's answer. */
static int
exact_contains(const struct sg_val *v)
{
    return v->type == SG_M_STR && v->op == SG_S_CONTAINS && !v->cased &&
           !v->str_num && sg_needle_ok(v->lit, v->len) && v->len <= 512;
}

/* Values in all of the rule's items (the size of a variant's val_nd). */
size_t
sg_rule_n_vals(const struct sg_rule *r)
{
    size_t n = 0;
    for (size_t k = 0; k < r->n_s; k++)
        for (size_t g = 0; g < r->s[k].n; g++)
            for (size_t t = 0; t < r->s[k].g[g].n; t++)
                n += r->s[k].g[g].it[t].n;
    return n;
}

/* Every value of one item: count needle uses, number the values, note
 * each value's needle (and whether it is the exact `contains` answer),
 * parse numbers. */
static int
item_uses(struct vg_sigma *s, struct sg_variant *v, struct sg_item *it,
          uint32_t *next)
{
    it->any_nd = !it->all && !it->neg && it->slot != SG_FIELD_NONE &&
                 it->n > 0;
    for (size_t x = 0; x < it->n; x++)
        it->any_nd = it->any_nd && exact_contains(&it->v[x]);
    it->gated = !it->neg && it->slot != SG_FIELD_NONE && it->n > 0;
    it->vbase = *next;
    for (size_t x = 0; x < it->n; x++) {
        struct sg_val *val = &it->v[x];
        uint32_t id;
        size_t len;
        int ok = 0, rc = VG_OK;
        val->vidx = (*next)++;
        v->val_nd[val->vidx] = UINT32_MAX;
        /* a YAML number also compares as a number: parse it once here */
        if (val->type == SG_M_STR && val->str_num && val->op != SG_S_GLOB &&
            val->lit != NULL)
            val->flag = sg_num_parse((const char *)val->lit, val->len,
                                     &val->num) == VG_OK;
        if (it->slot != SG_FIELD_NONE)
            rc = val_needle(s, v->fmap[it->slot], val, &id, &len, &ok);
        if (rc != VG_OK)
            return rc;
        if (!ok) {
            it->gated = 0;
            continue;
        }
        s->nd[id].uses++;
        v->val_nd[val->vidx] = id | (exact_contains(val) ? SG_ND_EXACT : 0);
    }
    return VG_OK;
}

/* First pass: how many rule values use each needle. */
static int
count_uses(struct vg_sigma *s)
{
    for (size_t i = 0; i < s->n_v; i++) {
        struct sg_variant *v = &s->v[i];
        const struct sg_rule *r = &s->r[v->rule];
        void *p;
        uint32_t next = 0;
        int rc = vg_arena_alloc(&s->a, (sg_rule_n_vals(r) + 1) * sizeof(uint32_t),
                                &p);
        if (rc != VG_OK)
            return rc;
        v->val_nd = p;
        v->item_base = s->n_items;
        uint32_t items = 0;
        for (size_t k = 0; k < r->n_s; k++)
            for (size_t g = 0; g < r->s[k].n; g++)
                for (size_t t = 0; t < r->s[k].g[g].n && rc == VG_OK; t++) {
                    r->s[k].g[g].it[t].iidx = items++;
                    rc = item_uses(s, v, &r->s[k].g[g].it[t], &next);
                }
        if (rc != VG_OK)
            return rc;
        if (items > UINT32_MAX - s->n_items)
            return VG_ELIMIT;
        s->n_items += items;
    }
    return VG_OK;
}

/* Call fn(s, needle, item number) for every needle of every any_nd item
 * of every variant. */
static void
each_item_needle(struct vg_sigma *s,
                 void (*fn)(struct vg_sigma *, uint32_t, uint32_t, void *),
                 void *arg)
{
    for (size_t i = 0; i < s->n_v; i++) {
        const struct sg_variant *v = &s->v[i];
        const struct sg_rule *r = &s->r[v->rule];
        for (size_t k = 0; k < r->n_s; k++)
            for (size_t g = 0; g < r->s[k].n; g++)
                for (size_t t = 0; t < r->s[k].g[g].n; t++) {
                    const struct sg_item *it = &r->s[k].g[g].it[t];
                    for (size_t x = 0; it->any_nd && x < it->n; x++)
                        fn(s, v->val_nd[it->v[x].vidx] & ~SG_ND_EXACT,
                           v->item_base + it->iidx, arg);
                }
    }
}

static void
count_item(struct vg_sigma *s, uint32_t nd, uint32_t item, void *arg)
{
    (void)item;
    (void)arg;
    s->nd_ifirst[nd + 1]++;
}

static void
put_item(struct vg_sigma *s, uint32_t nd, uint32_t item, void *arg)
{
    uint32_t *fill = arg;
    s->nd_ilist[s->nd_ifirst[nd] + fill[nd]++] = item;
}

/* needle -> the any_nd items it makes true (CSR), so that such an item is
 * answered by one look-up however many values it has. */
static int
needle_items(struct vg_sigma *s)
{
    s->nd_ifirst = vg_calloc(s->n_nd + 1, sizeof(uint32_t));
    if (s->nd_ifirst == NULL)
        return VG_ENOMEM;
    each_item_needle(s, count_item, NULL);
    for (size_t j = 0; j < s->n_nd; j++)
        s->nd_ifirst[j + 1] += s->nd_ifirst[j];
    size_t total = s->nd_ifirst[s->n_nd];
    s->nd_ilist = vg_malloc((total ? total : 1) * sizeof(uint32_t));
    uint32_t *fill = vg_calloc(s->n_nd + 1, sizeof(uint32_t));
    int ok = s->nd_ilist != NULL && fill != NULL;
    if (ok)
        each_item_needle(s, put_item, fill);
    vg_free(fill);
    return ok ? VG_OK : VG_ENOMEM;
}

/* needle -> the variants whose prefilter lists it, so a needle found in an
 * event marks those variants possible at once. */
static int
needle_variants(struct vg_sigma *s)
{
    size_t total = 0;
    s->nd_vfirst = vg_calloc(s->n_nd + 1, sizeof(uint32_t));
    if (s->nd_vfirst == NULL)
        return VG_ENOMEM;
    for (size_t i = 0; i < s->n_v; i++)
        for (size_t k = 0; k < s->v[i].n_need; k++)
            s->nd_vfirst[s->v[i].need[k] + 1]++;
    for (size_t j = 0; j < s->n_nd; j++)
        s->nd_vfirst[j + 1] += s->nd_vfirst[j];
    total = s->nd_vfirst[s->n_nd];
    s->nd_vlist = vg_malloc((total ? total : 1) * sizeof(uint32_t));
    uint32_t *fill = vg_calloc(s->n_nd + 1, sizeof(uint32_t));
    if (s->nd_vlist == NULL || fill == NULL) {
        vg_free(fill);
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < s->n_v; i++)
        for (size_t k = 0; k < s->v[i].n_need; k++) {
            uint32_t j = s->v[i].need[k];
            s->nd_vlist[s->nd_vfirst[j] + fill[j]++] = (uint32_t)i;
        }
    vg_free(fill);
    return VG_OK;
}

/* One slice: its always-evaluated variants and the fields to scan. */
static int
build_slice(struct vg_sigma *s, const size_t *vl, size_t n,
            struct sg_slice *sl)
{
    size_t nf = 0, na = 0;
    for (size_t i = 0; i < n; i++)
        nf += s->v[vl[i]].n_need_fid;
    void *p;
    int rc = vg_arena_alloc(&s->a, (n + nf + 1) * sizeof(uint32_t), &p);
    if (rc != VG_OK)
        return rc;
    memset(sl, 0, sizeof(*sl));
    sl->v = vl;
    sl->n = n;
    sl->always = p;
    sl->fid = sl->always + n;
    for (size_t i = 0; i < n; i++) {
        const struct sg_variant *v = &s->v[vl[i]];
        if (v->n_need == 0)
            sl->always[na++] = (uint32_t)vl[i];
        for (size_t k = 0; k < v->n_need_fid; k++) {
            size_t j = 0;
            while (j < sl->n_fid && sl->fid[j] != v->need_fid[k])
                j++;
            if (j == sl->n_fid)
                sl->fid[sl->n_fid++] = v->need_fid[k];
        }
    }
    sl->n_always = na;
    return VG_OK;
}

static int
bucket_slices(struct vg_sigma *s, struct sg_bucket *b)
{
    void *p;
    int rc = vg_arena_alloc(&s->a, (b->n_eid + 1) * sizeof(struct sg_slice),
                            &p);
    if (rc != VG_OK)
        return rc;
    b->slice = p;
    for (size_t e = 0; e < b->n_eid && rc == VG_OK; e++)
        rc = build_slice(s, b->vlist + b->eid_first[e], b->eid_n[e],
                         &b->slice[e]);
    return rc == VG_OK ? build_slice(s, b->any, b->n_any, &b->all) : rc;
}

static int
build_slices(struct vg_sigma *s)
{
    int rc = bucket_slices(s, &s->nochan);
    size_t it = 0;
    const void *key;
    size_t klen;
    void *val;
    while (rc == VG_OK && vg_map_next(&s->chan, &it, &key, &klen, &val))
        rc = bucket_slices(s, val);
    return rc;
}

int
sg_prefilter_build(struct vg_sigma *s)
{
    int rc0 = count_uses(s);
    if (rc0 != VG_OK)
        return rc0;
    for (size_t i = 0; i < s->n_v; i++) {
        struct sg_variant *v = &s->v[i];
        const struct sg_rule *r = &s->r[v->rule];
        struct nset set;
        int rc = cond_set(s, r, v->fmap, r->cond, &set);
        if (rc == VG_OK && set.ok && set.n > 0) {
            void *p;
            rc = vg_arena_alloc(&s->a, set.n * sizeof(uint32_t), &p);
            if (rc == VG_OK) {
                memcpy(p, set.id, set.n * sizeof(uint32_t));
                v->need = p;
                v->n_need = set.n;
                rc = need_fields(s, v);
            }
        }
        ns_free(&set);
        if (rc != VG_OK)
            return rc;
    }
    int rc = build_ac(s);
    if (rc == VG_OK)
        rc = needle_variants(s);
    if (rc == VG_OK)
        rc = needle_items(s);
    return rc == VG_OK ? build_slices(s) : rc;
}
