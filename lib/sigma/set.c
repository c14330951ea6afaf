/* SPDX-License-Identifier: Apache-2.0 */
/*
 * set.c - the rule set: loading files and directory trees, keeping every
 * refusal (file, line, reason), and vg_sigma_compile(), which attaches
 * filters, resolves correlation references and builds the plan (plan.c).
 *
 * Directory walks do not follow symbolic links and are depth-capped; files
 * are read whole up to SG_MAX_FILE_BYTES. Names are visited in sorted order
 * so rule indexes (and therefore output order) are stable across runs.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/str.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

#define SG_ARENA_BLOCK (256u * 1024u)
#define SG_ARENA_MAX   ((size_t)2 << 30)

int
vg_sigma_new(const struct vg_ctx *ctx, const struct vg_sigma_opts *opts,
             struct vg_sigma **out, struct vg_diag *diag)
{
    *out = NULL;
    struct vg_sigma *s = vg_calloc(1, sizeof(*s));
    if (s == NULL)
        return VG_ENOMEM;
    s->ctx = ctx;
    if (opts != NULL)
        s->opts = *opts;
    vg_arena_init(&s->a, SG_ARENA_BLOCK, SG_ARENA_MAX);
    vg_arena_init(&s->hot, SG_ARENA_BLOCK, SG_ARENA_MAX);
    vg_map_init(&s->ph.map, 1u << 16);
    vg_map_init(&s->fieldidx, 1u << 20);
    vg_map_init(&s->chan, 1u << 16);
    vg_map_init(&s->ndidx, 1u << 24);
    if (s->opts.placeholders_path != NULL) {
        int rc = sg_placeholders_load(&s->a, s->opts.placeholders_path,
                                      &s->ph, diag);
        if (rc != VG_OK) {
            vg_sigma_free(s);
            return rc;
        }
        s->have_ph = 1;
    }
    *out = s;
    return VG_OK;
}

void
vg_sigma_free(struct vg_sigma *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_res; i++)
        sg_re_free(s->res[i]);
    vg_free(s->res);
    vg_free(s->r);
    vg_free(s->u);
    vg_free(s->field);
    if (!s->v_hot)
        vg_free(s->v);
    vg_map_fini(&s->ph.map);
    vg_map_fini(&s->fieldidx);
    vg_map_fini(&s->chan);
    vg_map_fini(&s->ndidx);
    vg_free(s->nd);
    sg_ac_free(&s->ac);
    vg_free(s->nd_vfirst);
    vg_free(s->nd_vlist);
    vg_free(s->nd_ifirst);
    vg_free(s->nd_ilist);
    vg_arena_fini(&s->a);
    vg_arena_fini(&s->hot);
    vg_free(s);
}

int
sg_set_track_re(struct vg_sigma *s, struct sg_re *re)
{
    if (s->n_res == s->cap_res) {
        size_t nc = s->cap_res ? s->cap_res * 2 : 64;
        struct sg_re **p = vg_reallocarray(s->res, nc, sizeof(*p));
        if (p == NULL) {
            sg_re_free(re);
            return VG_ENOMEM;
        }
        s->res = p;
        s->cap_res = nc;
    }
    s->res[s->n_res++] = re;
    return VG_OK;
}

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return VG_OK;
    size_t nc = *cap ? *cap * 2 : 64;
    void *q = vg_reallocarray(*p, nc, size);
    if (q == NULL)
        return VG_ENOMEM;
    *p = q;
    *cap = nc;
    return VG_OK;
}

static int
add_unsupported(struct vg_sigma *s, const char *path, uint64_t line,
                const char *id, const char *title, const char *reason)
{
    int rc = grow((void **)&s->u, &s->cap_u, s->n_u, sizeof(*s->u));
    char *p = NULL, *r = NULL, *i = NULL, *t = NULL;
    if (rc == VG_OK)
        rc = vg_arena_strndup(&s->a, path, strlen(path), &p);
    if (rc == VG_OK)
        rc = vg_arena_strndup(&s->a, reason, strlen(reason), &r);
    if (rc == VG_OK && id != NULL)
        rc = vg_arena_strndup(&s->a, id, strlen(id), &i);
    if (rc == VG_OK && title != NULL)
        rc = vg_arena_strndup(&s->a, title, strlen(title), &t);
    if (rc != VG_OK)
        return rc;
    struct vg_sigma_unsupported_info *u = &s->u[s->n_u++];
    u->path = p;
    u->line = line;
    u->reason = r;
    u->id = i;
    u->title = t;
    vg_log(s->ctx, VG_LOG_DEBUG, "sigma", "%s:%llu: %s", path,
           (unsigned long long)line, reason);
    return VG_OK;
}

/* Title and id of a tree that failed, for the report. */
static void
names_of(const struct sg_node *root, const char **id, const char **title)
{
    const struct sg_node *i = sg_map_get(root, "id");
    const struct sg_node *t = sg_map_get(root, "title");
    *id = i && i->t == SG_N_SCALAR ? i->s : NULL;
    *title = t && t->t == SG_N_SCALAR ? t->s : NULL;
}

int
vg_sigma_add_text(struct vg_sigma *s, const char *name, const char *text,
                  size_t len)
{
    char reason[VG_DIAG_MSG_MAX] = "";
    struct sg_node *root;
    size_t docs;
    uint64_t line = 0;
    if (s->compiled)
        return VG_EINVAL;
    int rc = sg_yaml_parse(&s->a, text, len, &root, &docs, reason,
                           sizeof(reason), &line);
    if (rc == VG_ENOMEM)
        return rc;
    if (rc != VG_OK)
        return add_unsupported(s, name, line, NULL, NULL, reason);
    if (root == NULL)
        return add_unsupported(s, name, 0, NULL, NULL, "empty YAML file");
    const char *id, *title;
    names_of(root, &id, &title);
    if (docs > 1)
        return add_unsupported(s, name, 0, id, title,
                               "multi-document YAML (Sigma 1.x action: "
                               "global collections) is not supported");
    rc = grow((void **)&s->r, &s->cap_r, s->n_r, sizeof(*s->r));
    if (rc != VG_OK)
        return rc;
    struct sg_lctx lc = { &s->a, s, s->have_ph ? &s->ph : NULL, reason,
                          sizeof(reason), 0 };
    rc = sg_rule_from_tree(&lc, root, name, &s->r[s->n_r]);
    if (rc == VG_ENOMEM)
        return rc;
    if (rc != VG_OK)
        return add_unsupported(s, name, lc.line, id, title,
                               reason[0] ? reason : vg_strerror(rc));
    s->n_r++;
    return VG_OK;
}

static int
add_file(struct vg_sigma *s, const char *path, struct vg_diag *diag)
{
    char *text;
    size_t len;
    struct vg_diag d;
    vg_diag_clear(&d);
    int rc = sg_read_file(path, &text, &len, &d);
    if (rc == VG_ENOMEM)
        return rc;
    if (rc != VG_OK)
        return add_unsupported(s, path, 0, NULL, NULL, d.msg);
    rc = vg_sigma_add_text(s, path, text, len);
    vg_free(text);
    (void)diag;
    return rc;
}

static int
has_ext(const char *n)
{
    size_t l = strlen(n);
    return (l > 4 && strcmp(n + l - 4, ".yml") == 0) ||
           (l > 5 && strcmp(n + l - 5, ".yaml") == 0);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct vg_sigma *s, const char *path, unsigned depth,
                   struct vg_diag *diag);

static int
add_entry(struct vg_sigma *s, const char *path, unsigned depth,
          struct vg_diag *diag)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return add_unsupported(s, path, 0, NULL, NULL, "cannot stat");
    if (S_ISDIR(st.st_mode))
        return add_dir(s, path, depth + 1, diag);
    if (S_ISREG(st.st_mode) && has_ext(path))
        return add_file(s, path, diag);
    return VG_OK; /* links, devices, other files: not rules */
}

static int
add_dir(struct vg_sigma *s, const char *path, unsigned depth,
        struct vg_diag *diag)
{
    if (depth > SG_MAX_DIR_DEPTH)
        return add_unsupported(s, path, 0, NULL, NULL,
                               "directory nesting too deep");
    DIR *d = opendir(path);
    if (d == NULL)
        return add_unsupported(s, path, 0, NULL, NULL, "cannot open directory");
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = VG_OK;
    struct dirent *e;
    while (rc == VG_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        char *full = vg_malloc(l);
        rc = full ? grow((void **)&names, &cap, n, sizeof(char *)) : VG_ENOMEM;
        if (rc != VG_OK) {
            vg_free(full);
            break;
        }
        snprintf(full, l, "%s/%s", path, e->d_name);
        names[n++] = full;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (rc == VG_OK)
            rc = add_entry(s, names[i], depth, diag);
        vg_free(names[i]);
    }
    vg_free(names);
    return rc;
}

int
vg_sigma_add_path(struct vg_sigma *s, const char *path, struct vg_diag *diag)
{
    struct stat st;
    if (s->compiled)
        return VG_EINVAL;
    if (stat(path, &st) != 0)
        return vg_diag_set(diag, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "no such file or directory");
    if (S_ISDIR(st.st_mode))
        return add_dir(s, path, 0, diag);
    return add_file(s, path, diag);
}

size_t
vg_sigma_count(const struct vg_sigma *s)
{
    return s->n_r;
}

const struct vg_sigma_rule_info *
vg_sigma_rule(const struct vg_sigma *s, size_t i)
{
    return i < s->n_r ? &s->r[i].info : NULL;
}

size_t
vg_sigma_unsupported_count(const struct vg_sigma *s)
{
    return s->n_u;
}

const struct vg_sigma_unsupported_info *
vg_sigma_unsupported(const struct vg_sigma *s, size_t i)
{
    return i < s->n_u ? &s->u[i] : NULL;
}

/* ---- filters ---- */

static int
copy_cond(struct vg_arena *a, const struct sg_cond *c, uint32_t off,
          struct sg_cond **out)
{
    void *p;
    int rc = vg_arena_alloc(a, sizeof(struct sg_cond), &p);
    if (rc != VG_OK)
        return rc;
    struct sg_cond *n = p;
    *n = *c;
    if (c->op == SG_OP_ID)
        n->id += off;
    if (c->a != NULL && (rc = copy_cond(a, c->a, off, &n->a)) != VG_OK)
        return rc;
    if (c->b != NULL && (rc = copy_cond(a, c->b, off, &n->b)) != VG_OK)
        return rc;
    *out = n;
    return VG_OK;
}

/* Copy filter f's searches into r with slots re-registered in r. */
static int
copy_searches(struct vg_arena *a, struct sg_rule *r, const struct sg_rule *f,
              struct sg_search *dst)
{
    for (size_t i = 0; i < f->n_s; i++) {
        const struct sg_search *fs = &f->s[i];
        void *p;
        int rc = vg_arena_alloc(a, fs->n * sizeof(struct sg_group) + 1, &p);
        if (rc != VG_OK)
            return rc;
        dst[i] = *fs;
        dst[i].g = p;
        for (size_t g = 0; g < fs->n; g++) {
            const struct sg_group *fg = &fs->g[g];
            rc = vg_arena_alloc(a, fg->n * sizeof(struct sg_item) + 1, &p);
            if (rc != VG_OK)
                return rc;
            dst[i].g[g].it = p;
            dst[i].g[g].n = fg->n;
            for (size_t k = 0; k < fg->n; k++) {
                struct sg_item it = fg->it[k];
                if (it.slot != SG_FIELD_NONE) {
                    const char *nm = f->fname[it.slot];
                    it.slot = sg_rule_field(a, r, nm, strlen(nm));
                    if (it.slot == SG_FIELD_NONE)
                        return VG_ENOMEM;
                }
                rc = vg_arena_alloc(a, it.n * sizeof(struct sg_val) + 1, &p);
                if (rc != VG_OK)
                    return rc;
                memcpy(p, it.v, it.n * sizeof(struct sg_val));
                it.v = p;
                for (size_t v = 0; v < it.n; v++) {
                    if (it.v[v].type != SG_M_FIELDREF)
                        continue;
                    const char *nm = f->fname[it.v[v].ref];
                    it.v[v].ref = sg_rule_field(a, r, nm, strlen(nm));
                    if (it.v[v].ref == SG_FIELD_NONE)
                        return VG_ENOMEM;
                }
                dst[i].g[g].it[k] = it;
            }
        }
    }
    return VG_OK;
}

static int
attach_filter(struct vg_arena *a, struct sg_rule *r, const struct sg_rule *f)
{
    void *p;
    size_t n = r->n_s + f->n_s;
    int rc = vg_arena_alloc(a, n * sizeof(struct sg_search), &p);
    if (rc != VG_OK)
        return rc;
    struct sg_search *ns = p;
    memcpy(ns, r->s, r->n_s * sizeof(struct sg_search));
    rc = copy_searches(a, r, f, ns + r->n_s);
    struct sg_cond *fc, *not_fc, *both;
    if (rc == VG_OK)
        rc = copy_cond(a, f->cond, (uint32_t)r->n_s, &fc);
    if (rc == VG_OK)
        rc = vg_arena_alloc(a, sizeof(struct sg_cond), &p);
    if (rc != VG_OK)
        return rc;
    not_fc = p;
    memset(not_fc, 0, sizeof(*not_fc));
    not_fc->op = SG_OP_NOT;
    not_fc->a = fc;
    rc = vg_arena_alloc(a, sizeof(struct sg_cond), &p);
    if (rc != VG_OK)
        return rc;
    both = p;
    memset(both, 0, sizeof(*both));
    both->op = SG_OP_AND;
    both->a = r->cond;
    both->b = not_fc;
    r->cond = both;
    r->s = ns;
    r->n_s = n;
    r->has_keywords |= f->has_keywords;
    return VG_OK;
}

static int
refers_to(const struct sg_rule *r, const char *ref)
{
    return (r->info.id != NULL && strcmp(r->info.id, ref) == 0) ||
           (r->info.name != NULL && strcmp(r->info.name, ref) == 0);
}

static int
apply_filters(struct vg_sigma *s)
{
    for (size_t i = 0; i < s->n_r; i++) {
        const struct sg_rule *f = &s->r[i];
        if (f->info.kind != VG_SIGMA_FILTER)
            continue;
        for (size_t k = 0; k < f->n_filter_rules; k++) {
            int found = 0;
            for (size_t j = 0; j < s->n_r; j++) {
                if (s->r[j].info.kind != VG_SIGMA_RULE ||
                    !refers_to(&s->r[j], f->filter_rules[k]))
                    continue;
                int rc = attach_filter(&s->a, &s->r[j], f);
                if (rc != VG_OK)
                    return rc;
                found = 1;
            }
            if (!found)
                vg_log(s->ctx, VG_LOG_INFO, "sigma",
                       "%s: filter refers to rule %s, which is not loaded",
                       f->info.path, f->filter_rules[k]);
        }
    }
    return VG_OK;
}

static size_t
find_ref(const struct vg_sigma *s, size_t self, const char *ref)
{
    for (size_t m = 0; m < s->n_r; m++)
        if (m != self && refers_to(&s->r[m], ref))
            return m;
    return SIZE_MAX;
}

/* Correlations naming a rule that is not loaded become unsupported. */
static int
drop_bad_correlations(struct vg_sigma *s)
{
    size_t w = 0;
    for (size_t i = 0; i < s->n_r; i++) {
        const struct sg_corr *k = s->r[i].corr;
        const char *missing = NULL;
        for (size_t j = 0; k != NULL && j < k->n_refs && !missing; j++)
            if (find_ref(s, i, k->refs[j]) == SIZE_MAX)
                missing = k->refs[j];
        if (missing == NULL) {
            s->r[w++] = s->r[i];
            continue;
        }
        char why[VG_DIAG_MSG_MAX];
        snprintf(why, sizeof(why), "correlation refers to rule '%s', which "
                 "is not loaded", missing);
        int rc = add_unsupported(s, s->r[i].info.path, 0, s->r[i].info.id,
                                 s->r[i].info.title, why);
        if (rc != VG_OK)
            return rc;
    }
    s->n_r = w;
    return VG_OK;
}

static int
resolve_correlations(struct vg_sigma *s)
{
    for (size_t i = 0; i < s->n_r; i++) {
        struct sg_corr *k = s->r[i].corr;
        if (k == NULL)
            continue;
        void *p;
        int rc = vg_arena_alloc(&s->a, k->n_refs * sizeof(size_t) + 1, &p);
        if (rc != VG_OK)
            return rc;
        k->ref_rule = p;
        for (size_t j = 0; j < k->n_refs; j++) {
            size_t m = find_ref(s, i, k->refs[j]);
            k->ref_rule[j] = m;
            s->r[m].used = 1;
            if (!k->generate)
                s->r[m].corr_only = 1;
        }
    }
    /* a rule referenced with generate: true anywhere keeps its findings */
    for (size_t i = 0; i < s->n_r; i++) {
        const struct sg_corr *k = s->r[i].corr;
        for (size_t j = 0; k != NULL && k->generate && j < k->n_refs; j++)
            s->r[k->ref_rule[j]].corr_only = 0;
    }
    return VG_OK;
}

int
vg_sigma_compile(struct vg_sigma *s, struct vg_diag *diag)
{
    if (s->compiled)
        return VG_EINVAL;
    s->compiled = 1;
    int rc = apply_filters(s);
    if (rc == VG_OK)
        rc = drop_bad_correlations(s);
    if (rc == VG_OK)
        rc = resolve_correlations(s);
    return rc == VG_OK ? sg_plan_build(s, diag) : rc;
}
