/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rule.c - a YAML tree (load.c) to a struct sg_rule: metadata, search
 * identifiers (maps = AND of field items, lists = OR), the condition, and
 * the correlation or filter sections.
 *
 * Every refusal names the construct and, where the tree knows it, the line.
 * Deliberately not here: logsource mapping and field interning (set.c does
 * them at compile time, per event source).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

static const char *
sget(const struct sg_node *m, const char *key)
{
    const struct sg_node *n = sg_map_get(m, key);
    return n != NULL && n->t == SG_N_SCALAR && !sg_is_null(n) ? n->s : NULL;
}

int
vg_sigma_level_parse(const char *s, size_t n, enum vg_severity *out)
{
    static const char *const names[] = { "informational", "low", "medium",
                                         "high", "critical" };
    for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
        if (strlen(names[i]) == n && vg_ascii_ieq(s, names[i], n)) {
            *out = (enum vg_severity)i;
            return VG_OK;
        }
    }
    if (n == 4 && vg_ascii_ieq(s, "info", 4)) {
        *out = VG_SEV_INFO;
        return VG_OK;
    }
    return VG_EINVAL;
}

uint32_t
sg_rule_field(struct vg_arena *a, struct sg_rule *r, const char *name,
              size_t len)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (strlen(r->fname[i]) == len && memcmp(r->fname[i], name, len) == 0)
            return (uint32_t)i;
    if (r->n_fields == r->cap_fields) {
        size_t nc = r->cap_fields ? r->cap_fields * 2 : 8;
        void *p;
        if (vg_arena_alloc(a, nc * sizeof(char *), &p) != VG_OK)
            return SG_FIELD_NONE;
        if (r->n_fields)
            memcpy(p, r->fname, r->n_fields * sizeof(char *));
        r->fname = p;
        r->cap_fields = nc;
    }
    char *s;
    if (vg_arena_strndup(a, name, len, &s) != VG_OK)
        return SG_FIELD_NONE;
    r->fname[r->n_fields] = s;
    return (uint32_t)r->n_fields++;
}

/* Copy a malloc'd array into the arena (so the rule owns one allocation). */
static int
to_arena(struct vg_arena *a, const void *src, size_t n, size_t size,
         void **out)
{
    size_t bytes;
    *out = NULL;
    if (n == 0)
        return VG_OK;
    if (!vg_mul_ok(n, size, &bytes))
        return VG_ELIMIT;
    int rc = vg_arena_alloc(a, bytes, out);
    if (rc == VG_OK)
        memcpy(*out, src, bytes);
    return rc;
}

/* "Field|mod|mod" -> field slot (or NONE for keywords) and modifier list. */
static int
parse_item(struct sg_lctx *lc, struct sg_rule *r, const struct sg_node *key,
           const struct sg_node *val, struct sg_item *it)
{
    const char *mods[16];
    size_t nm = 0;
    char *k;
    int rc = vg_arena_strndup(lc->a, key->s, key->len, &k);
    if (rc != VG_OK)
        return rc;
    char *bar = strchr(k, '|');
    size_t flen = bar ? (size_t)(bar - k) : key->len;
    while (bar != NULL) {
        *bar = '\0';
        if (nm == VG_ARRAY_LEN(mods))
            return sg_fail(lc, VG_ELIMIT, key->line, "too many modifiers");
        mods[nm++] = bar + 1;
        bar = strchr(bar + 1, '|');
    }
    memset(it, 0, sizeof(*it));
    for (size_t i = 0; i < nm; i++) {
        if (strcmp(mods[i], "all") == 0) it->all = 1;
        if (strcmp(mods[i], "neq") == 0) it->neg = 1;
    }
    if (flen == 0) {
        /* keywords search every value: contains unless said otherwise */
        int has_op = 0;
        for (size_t i = 0; i < nm; i++)
            has_op |= strcmp(mods[i], "contains") == 0 ||
                      strcmp(mods[i], "startswith") == 0 ||
                      strcmp(mods[i], "endswith") == 0 ||
                      strcmp(mods[i], "re") == 0;
        if (!has_op && nm < VG_ARRAY_LEN(mods))
            mods[nm++] = "contains";
        it->slot = SG_FIELD_NONE;
        r->has_keywords = 1;
    } else {
        it->slot = sg_rule_field(lc->a, r, k, flen);
        if (it->slot == SG_FIELD_NONE)
            return VG_ENOMEM;
    }
    struct sg_valbuf vb = { 0 };
    if (val->t == SG_N_SEQ) {
        if (val->n == 0)
            rc = sg_fail(lc, VG_EFORMAT, val->line, "empty value list");
        for (size_t i = 0; i < val->n && rc == VG_OK; i++)
            rc = sg_value_compile(lc, val->kid[i], mods, nm, r, &vb);
    } else if (val->t == SG_N_SCALAR) {
        rc = sg_value_compile(lc, val, mods, nm, r, &vb);
    } else {
        rc = sg_fail(lc, VG_EFORMAT, val->line, "a field value is a map");
    }
    if (rc == VG_OK) {
        void *p;
        rc = to_arena(lc->a, vb.v, vb.n, sizeof(struct sg_val), &p);
        it->v = p;
        it->n = vb.n;
    }
    vg_free(vb.v);
    if (rc != VG_OK && lc->line == 0)
        lc->line = key->line;
    return rc;
}

static int
parse_group(struct sg_lctx *lc, struct sg_rule *r, const struct sg_node *m,
            struct sg_group *g)
{
    void *p;
    int rc = vg_arena_alloc(lc->a, (m->n ? m->n : 1) * sizeof(struct sg_item),
                            &p);
    if (rc != VG_OK)
        return rc;
    g->it = p;
    g->n = m->n;
    for (size_t i = 0; i < m->n && rc == VG_OK; i++) {
        const struct sg_node *k = m->kid[2 * i];
        if (k->t != SG_N_SCALAR)
            return sg_fail(lc, VG_EFORMAT, k->line, "field name not a string");
        rc = parse_item(lc, r, k, m->kid[2 * i + 1], &g->it[i]);
    }
    return rc;
}

/* A list of plain values: one keyword item (OR of its values). */
static int
keyword_group(struct sg_lctx *lc, struct sg_rule *r, const struct sg_node *n,
              struct sg_group *g)
{
    static const char kwkey[] = "|contains";
    struct sg_node key;
    memset(&key, 0, sizeof(key));
    key.t = SG_N_SCALAR;
    key.s = kwkey;
    key.len = sizeof(kwkey) - 1;
    key.line = n->line;
    void *p;
    int rc = vg_arena_alloc(lc->a, sizeof(struct sg_item), &p);
    if (rc != VG_OK)
        return rc;
    g->it = p;
    g->n = 1;
    return parse_item(lc, r, &key, n, &g->it[0]);
}

static int
parse_search(struct sg_lctx *lc, struct sg_rule *r, const char *name,
             const struct sg_node *n, struct sg_search *s)
{
    s->name = name;
    void *p;
    if (n->t == SG_N_MAP) {
        int rc = vg_arena_alloc(lc->a, sizeof(struct sg_group), &p);
        if (rc != VG_OK)
            return rc;
        s->g = p;
        s->n = 1;
        return parse_group(lc, r, n, s->g);
    }
    if (n->t == SG_N_SCALAR) {
        int rc = vg_arena_alloc(lc->a, sizeof(struct sg_group), &p);
        if (rc != VG_OK)
            return rc;
        s->g = p;
        s->n = 1;
        return keyword_group(lc, r, n, s->g);
    }
    if (n->n == 0)
        return sg_fail(lc, VG_EFORMAT, n->line, "empty search identifier '%s'",
                       name);
    int any_map = 0;
    for (size_t i = 0; i < n->n; i++)
        any_map |= n->kid[i]->t == SG_N_MAP;
    if (!any_map) {
        int rc = vg_arena_alloc(lc->a, sizeof(struct sg_group), &p);
        if (rc != VG_OK)
            return rc;
        s->g = p;
        s->n = 1;
        return keyword_group(lc, r, n, s->g);
    }
    int rc = vg_arena_alloc(lc->a, n->n * sizeof(struct sg_group), &p);
    if (rc != VG_OK)
        return rc;
    s->g = p;
    s->n = n->n;
    for (size_t i = 0; i < n->n && rc == VG_OK; i++) {
        const struct sg_node *k = n->kid[i];
        rc = k->t == SG_N_MAP ? parse_group(lc, r, k, &s->g[i])
           : k->t == SG_N_SCALAR ? keyword_group(lc, r, k, &s->g[i])
           : sg_fail(lc, VG_EFORMAT, k->line, "nested list in a selection");
    }
    return rc;
}

/* Searches of a detection-like map; skip lists keys that are not searches. */
static int
parse_searches(struct sg_lctx *lc, struct sg_rule *r, const struct sg_node *d,
               const char *const *skip, size_t n_skip)
{
    void *p;
    int rc = vg_arena_alloc(lc->a, (d->n + 1) * sizeof(struct sg_search), &p);
    if (rc != VG_OK)
        return rc;
    r->s = p;
    r->n_s = 0;
    for (size_t i = 0; i < d->n && rc == VG_OK; i++) {
        const struct sg_node *k = d->kid[2 * i];
        int skipped = k->t != SG_N_SCALAR;
        for (size_t j = 0; j < n_skip && !skipped; j++)
            skipped = strcmp(k->s, skip[j]) == 0;
        if (skipped)
            continue;
        rc = parse_search(lc, r, k->s, d->kid[2 * i + 1], &r->s[r->n_s]);
        if (rc == VG_OK)
            r->n_s++;
        else if (lc->line == 0)
            lc->line = k->line;
    }
    return rc;
}

/* condition: a string or a list of strings (ORed). */
static int
parse_condition(struct sg_lctx *lc, struct sg_rule *r,
                const struct sg_node *c)
{
    if (c == NULL)
        return sg_fail(lc, VG_EFORMAT, 0, "detection has no condition");
    if (c->t == SG_N_SCALAR)
        return sg_cond_parse(lc, c->s, c->len, r->s, r->n_s, &r->cond);
    if (c->t != SG_N_SEQ || c->n == 0)
        return sg_fail(lc, VG_EFORMAT, c->line, "condition is not a string");
    struct sg_cond *acc = NULL;
    for (size_t i = 0; i < c->n; i++) {
        struct sg_cond *one;
        const struct sg_node *k = c->kid[i];
        if (k->t != SG_N_SCALAR)
            return sg_fail(lc, VG_EFORMAT, k->line, "condition not a string");
        int rc = sg_cond_parse(lc, k->s, k->len, r->s, r->n_s, &one);
        if (rc != VG_OK)
            return rc;
        if (acc != NULL) {
            void *p;
            rc = vg_arena_alloc(lc->a, sizeof(struct sg_cond), &p);
            if (rc != VG_OK)
                return rc;
            struct sg_cond *o = p;
            o->op = SG_OP_OR;
            o->a = acc;
            o->b = one;
            one = o;
        }
        acc = one;
    }
    r->cond = acc;
    return VG_OK;
}

static int
str_list(struct sg_lctx *lc, const struct sg_node *n, const char ***out,
         size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (n == NULL)
        return VG_OK;
    if (n->t == SG_N_SCALAR) {
        void *p;
        int rc = vg_arena_alloc(lc->a, sizeof(char *), &p);
        if (rc != VG_OK)
            return rc;
        *out = p;
        (*out)[0] = n->s;
        *nout = 1;
        return VG_OK;
    }
    if (n->t != SG_N_SEQ)
        return sg_fail(lc, VG_EFORMAT, n->line, "expected a list of strings");
    void *p;
    int rc = vg_arena_alloc(lc->a, (n->n + 1) * sizeof(char *), &p);
    if (rc != VG_OK)
        return rc;
    *out = p;
    for (size_t i = 0; i < n->n; i++) {
        if (n->kid[i]->t != SG_N_SCALAR)
            return sg_fail(lc, VG_EFORMAT, n->kid[i]->line,
                           "expected a list of strings");
        (*out)[i] = n->kid[i]->s;
    }
    *nout = n->n;
    return VG_OK;
}

static int
parse_meta(struct sg_lctx *lc, const struct sg_node *root, const char *path,
           struct sg_rule *r)
{
    struct vg_sigma_rule_info *in = &r->info;
    in->id = sget(root, "id");
    in->name = sget(root, "name");
    in->title = sget(root, "title");
    in->status = sget(root, "status");
    in->description = sget(root, "description");
    in->author = sget(root, "author");
    in->level = VG_SEV_MEDIUM;
    char *p;
    int rc = vg_arena_strndup(lc->a, path, strlen(path), &p);
    if (rc != VG_OK)
        return rc;
    in->path = p;
    const char *lvl = sget(root, "level");
    if (lvl != NULL && vg_sigma_level_parse(lvl, strlen(lvl), &in->level))
        return sg_fail(lc, VG_EFORMAT, sg_map_get(root, "level")->line,
                       "unknown level '%s'", lvl);
    const char **tags;
    size_t nt;
    rc = str_list(lc, sg_map_get(root, "tags"), &tags, &nt);
    in->tags = tags;
    in->n_tags = nt;
    const struct sg_node *ls = sg_map_get(root, "logsource");
    in->product = sget(ls, "product");
    in->category = sget(ls, "category");
    in->service = sget(ls, "service");
    if (in->title == NULL && rc == VG_OK)
        rc = sg_fail(lc, VG_EFORMAT, 0, "rule has no title");
    return rc;
}

/* "30s", "5m", "1h", "2d" -> microseconds. */
static int
parse_timespan(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    uint64_t v, mul;
    if (n < 2)
        return VG_EINVAL;
    switch (s[n - 1]) {
    case 's': mul = 1000000ull; break;
    case 'm': mul = 60000000ull; break;
    case 'h': mul = 3600000000ull; break;
    case 'd': mul = 86400000000ull; break;
    case 'w': mul = 604800000000ull; break;
    default: return VG_EINVAL;
    }
    if (vg_parse_u64(s, n - 1, 1, 100000000ull, &v) != VG_OK)
        return VG_EINVAL;
    *out = (int64_t)(v * mul);
    return VG_OK;
}

static int
parse_corr_cond(struct sg_lctx *lc, const struct sg_node *c, struct sg_corr *k)
{
    static const char *const ops[] = { "gt", "gte", "lt", "lte", "eq", "neq" };
    int found = 0;
    k->value_field = sget(c, "field");
    for (size_t i = 0; i < VG_ARRAY_LEN(ops); i++) {
        const char *v = sget(c, ops[i]);
        if (v == NULL)
            continue;
        if (found++ ||
            vg_parse_u64(v, strlen(v), 0, UINT32_MAX, &k->cmp_val) != VG_OK)
            return sg_fail(lc, VG_EFORMAT, c->line, "bad correlation condition");
        k->cmp_op = (uint8_t)i;
    }
    if (!found)
        return sg_fail(lc, VG_EFORMAT, c->line, "correlation condition has "
                       "no gt/gte/lt/lte/eq/neq");
    return VG_OK;
}

static int
parse_correlation(struct sg_lctx *lc, const struct sg_node *c,
                  struct sg_rule *r)
{
    static const char *const types[] = { "event_count", "value_count",
                                         "temporal", "temporal_ordered" };
    void *p;
    int rc = vg_arena_alloc(lc->a, sizeof(struct sg_corr), &p);
    if (rc != VG_OK)
        return rc;
    struct sg_corr *k = p;
    memset(k, 0, sizeof(*k));
    r->corr = k;
    r->info.kind = VG_SIGMA_CORRELATION;
    const char *type = sget(c, "type");
    size_t t = VG_ARRAY_LEN(types);
    for (size_t i = 0; type != NULL && i < VG_ARRAY_LEN(types); i++)
        if (strcmp(type, types[i]) == 0)
            t = i;
    if (t == VG_ARRAY_LEN(types))
        return sg_fail(lc, VG_EUNSUPPORTED, c->line,
                       "correlation type '%s' not supported",
                       type ? type : "(none)");
    k->type = (uint8_t)t;
    rc = str_list(lc, sg_map_get(c, "rules"), &k->refs, &k->n_refs);
    if (rc == VG_OK)
        rc = str_list(lc, sg_map_get(c, "group-by"), &k->group_by, &k->n_group);
    if (rc != VG_OK)
        return rc;
    if (k->n_refs == 0)
        return sg_fail(lc, VG_EFORMAT, c->line, "correlation without rules");
    const char *ts = sget(c, "timespan");
    if (ts == NULL)
        ts = sget(c, "timeframe");
    if (ts == NULL || parse_timespan(ts, &k->timespan_us) != VG_OK)
        return sg_fail(lc, VG_EFORMAT, c->line, "bad or missing timespan");
    const struct sg_node *cc = sg_map_get(c, "condition");
    if (cc != NULL && cc->t == SG_N_MAP)
        rc = parse_corr_cond(lc, cc, k);
    else if (k->type <= SG_CT_VALUE_COUNT)
        rc = sg_fail(lc, VG_EFORMAT, c->line, "correlation needs a condition");
    else { k->cmp_op = 1; k->cmp_val = k->n_refs; } /* all rules seen */
    if (rc == VG_OK && k->type == SG_CT_VALUE_COUNT && k->value_field == NULL)
        rc = sg_fail(lc, VG_EFORMAT, c->line, "value_count needs field");
    const char *gen = sget(c, "generate");
    k->generate = gen != NULL && strcmp(gen, "true") == 0;
    return rc;
}

static int
parse_filter(struct sg_lctx *lc, const struct sg_node *f, struct sg_rule *r)
{
    static const char *const skip[] = { "rules", "condition" };
    r->info.kind = VG_SIGMA_FILTER;
    if (f->t != SG_N_MAP)
        return sg_fail(lc, VG_EFORMAT, f->line, "filter is not a map");
    int rc = str_list(lc, sg_map_get(f, "rules"), &r->filter_rules,
                      &r->n_filter_rules);
    if (rc == VG_OK)
        rc = parse_searches(lc, r, f, skip, VG_ARRAY_LEN(skip));
    if (rc == VG_OK)
        rc = parse_condition(lc, r, sg_map_get(f, "condition"));
    return rc;
}

int
sg_rule_from_tree(struct sg_lctx *lc, const struct sg_node *root,
                  const char *path, struct sg_rule *r)
{
    static const char *const skip[] = { "condition", "timeframe" };
    memset(r, 0, sizeof(*r));
    if (root == NULL || root->t != SG_N_MAP)
        return sg_fail(lc, VG_EFORMAT, root ? root->line : 0,
                       "not a Sigma rule (top level is not a map)");
    int rc = parse_meta(lc, root, path, r);
    if (rc != VG_OK)
        return rc;
    const struct sg_node *c = sg_map_get(root, "correlation");
    if (c != NULL)
        return parse_correlation(lc, c, r);
    const struct sg_node *f = sg_map_get(root, "filter");
    if (f != NULL)
        return parse_filter(lc, f, r);
    const struct sg_node *d = sg_map_get(root, "detection");
    if (d == NULL || d->t != SG_N_MAP)
        return sg_fail(lc, VG_EFORMAT, d ? d->line : 0,
                       "rule has no detection map");
    rc = parse_searches(lc, r, d, skip, VG_ARRAY_LEN(skip));
    if (rc == VG_OK)
        rc = parse_condition(lc, r, sg_map_get(d, "condition"));
    return rc;
}
