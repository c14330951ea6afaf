/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mapping.c - the logsource/field mapping data file (rules/mapping/ *.yml,
 * format documented at the top of windows.yml and in docs/sigma.md) and the
 * placeholder file for `|expand` (a map: name -> list of strings).
 *
 * Both are read through the YAML tree of load.c. Errors name the file and
 * line. Deliberately not here: choosing sources for a rule (set.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

static const char *
scal(const struct sg_node *m, const char *key)
{
    const struct sg_node *n = sg_map_get(m, key);
    return n != NULL && n->t == SG_N_SCALAR && !sg_is_null(n) ? n->s : NULL;
}

static int
is_true(const struct sg_node *m, const char *key)
{
    const char *s = scal(m, key);
    return s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0);
}

static int
bad(struct vg_diag *d, const char *path, const struct sg_node *n,
    const char *what)
{
    return vg_diag_set(d, VG_EFORMAT, path, n ? n->line : VG_DIAG_NONE,
                       VG_DIAG_NONE, "%s", what);
}

static int
parse_eids(struct vg_arena *a, const char *path, const struct sg_node *n,
           struct sg_source *s, struct vg_diag *d)
{
    if (n == NULL)
        return VG_OK;
    if (n->t != SG_N_SEQ)
        return bad(d, path, n, "event_ids must be a list");
    void *p;
    int rc = vg_arena_alloc(a, (n->n + 1) * sizeof(uint32_t), &p);
    if (rc != VG_OK)
        return rc;
    s->eids = p;
    for (size_t i = 0; i < n->n; i++) {
        uint64_t v;
        const struct sg_node *k = n->kid[i];
        if (k->t != SG_N_SCALAR ||
            vg_parse_u64(k->s, k->len, 0, UINT32_MAX, &v) != VG_OK)
            return bad(d, path, k, "event id is not a number");
        s->eids[i] = (uint32_t)v;
    }
    s->n_eids = n->n;
    return VG_OK;
}

static int
parse_renames(struct vg_arena *a, const char *path, const struct sg_node *n,
              struct sg_rename **out, size_t *nout, struct vg_diag *d)
{
    *out = NULL;
    *nout = 0;
    if (n == NULL)
        return VG_OK;
    if (n->t != SG_N_MAP)
        return bad(d, path, n, "fields must be a map");
    void *p;
    int rc = vg_arena_alloc(a, (n->n + 1) * sizeof(struct sg_rename), &p);
    if (rc != VG_OK)
        return rc;
    *out = p;
    for (size_t i = 0; i < n->n; i++) {
        const struct sg_node *k = n->kid[2 * i], *v = n->kid[2 * i + 1];
        if (k->t != SG_N_SCALAR || v->t != SG_N_SCALAR)
            return bad(d, path, k, "field rename must be name: name");
        (*out)[i].from = k->s;
        (*out)[i].to = v->s;
    }
    *nout = n->n;
    return VG_OK;
}

static int
parse_source(struct vg_arena *a, const char *path, const struct sg_node *n,
             struct sg_source *s, struct vg_diag *d)
{
    memset(s, 0, sizeof(*s));
    if (n->t != SG_N_MAP)
        return bad(d, path, n, "a source must be a map");
    s->channel = scal(n, "channel");
    s->strict = is_true(n, "strict");
    s->extra = is_true(n, "extra");
    int rc = parse_eids(a, path, sg_map_get(n, "event_ids"), s, d);
    if (rc == VG_OK)
        rc = parse_renames(a, path, sg_map_get(n, "fields"), &s->ren,
                           &s->n_ren, d);
    const struct sg_node *keep = sg_map_get(n, "keep");
    if (rc == VG_OK && keep != NULL) {
        if (keep->t != SG_N_SEQ)
            return bad(d, path, keep, "keep must be a list");
        void *p;
        rc = vg_arena_alloc(a, (keep->n + 1) * sizeof(char *), &p);
        if (rc != VG_OK)
            return rc;
        s->keep = p;
        for (size_t i = 0; i < keep->n; i++) {
            if (keep->kid[i]->t != SG_N_SCALAR)
                return bad(d, path, keep->kid[i], "keep holds a non-string");
            s->keep[i] = keep->kid[i]->s;
        }
        s->n_keep = keep->n;
    }
    return rc;
}

static int
parse_entry(struct vg_arena *a, const char *path, const struct sg_node *n,
            int taxonomy_only, struct sg_lsentry *e, struct vg_diag *d)
{
    memset(e, 0, sizeof(*e));
    if (n->t != SG_N_MAP)
        return bad(d, path, n, "a logsource entry must be a map");
    e->product = scal(n, "product");
    e->category = scal(n, "category");
    e->service = scal(n, "service");
    const struct sg_node *src = sg_map_get(n, "sources");
    if (src == NULL || src->t != SG_N_SEQ)
        return bad(d, path, n, "logsource entry without a sources list");
    void *p;
    int rc = vg_arena_alloc(a, (src->n + 1) * sizeof(struct sg_source), &p);
    if (rc != VG_OK)
        return rc;
    e->src = p;
    for (size_t i = 0; i < src->n; i++) {
        rc = parse_source(a, path, src->kid[i], &e->src[e->n_src], d);
        if (rc != VG_OK)
            return rc;
        if (!(taxonomy_only && e->src[e->n_src].extra))
            e->n_src++;
    }
    return VG_OK;
}

int
sg_mapping_load(struct vg_arena *a, const char *path, const char *text,
                size_t len, int taxonomy_only, struct sg_mapping *m,
                struct vg_diag *d)
{
    struct sg_node *root;
    size_t docs;
    char msg[200];
    uint64_t line;
    memset(m, 0, sizeof(*m));
    int rc = sg_yaml_parse(a, text, len, &root, &docs, msg, sizeof(msg), &line);
    if (rc != VG_OK)
        return vg_diag_set(d, rc == VG_ENOMEM ? rc : VG_EFORMAT, path,
                           line ? line : VG_DIAG_NONE, VG_DIAG_NONE, "%s",
                           msg);
    const struct sg_node *ls = sg_map_get(root, "logsources");
    if (ls == NULL || ls->t != SG_N_SEQ)
        return bad(d, path, root, "mapping has no 'logsources' list");
    void *p;
    rc = vg_arena_alloc(a, (ls->n + 1) * sizeof(struct sg_lsentry), &p);
    if (rc != VG_OK)
        return rc;
    m->e = p;
    for (size_t i = 0; i < ls->n && rc == VG_OK; i++)
        rc = parse_entry(a, path, ls->kid[i], taxonomy_only, &m->e[i], d);
    if (rc != VG_OK)
        return rc;
    m->n = ls->n;
    return parse_renames(a, path, sg_map_get(root, "field_renames"), &m->gren,
                         &m->n_gren, d);
}

/* Read a whole (small) file. */
static int
slurp(const char *path, char **out, size_t *len, struct vg_diag *d)
{
    FILE *f = fopen(path, "rb");
    *out = NULL;
    *len = 0;
    if (f == NULL)
        return vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot open");
    char *buf = vg_malloc(SG_MAX_FILE_BYTES + 1);
    if (buf == NULL) {
        fclose(f);
        return VG_ENOMEM;
    }
    size_t n = fread(buf, 1, SG_MAX_FILE_BYTES + 1, f);
    int err = ferror(f);
    fclose(f);
    if (err || n > SG_MAX_FILE_BYTES) {
        vg_free(buf);
        return vg_diag_set(d, err ? VG_EIO : VG_ELIMIT, path, VG_DIAG_NONE,
                           VG_DIAG_NONE, err ? "read error" : "file too large");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return VG_OK;
}

int
sg_read_file(const char *path, char **out, size_t *len, struct vg_diag *d)
{
    return slurp(path, out, len, d);
}

int
sg_placeholders_load(struct vg_arena *a, const char *path,
                     struct sg_placeholders *ph, struct vg_diag *d)
{
    char *text, msg[200];
    size_t len, docs;
    uint64_t line;
    struct sg_node *root;
    int rc = slurp(path, &text, &len, d);
    if (rc != VG_OK)
        return rc;
    rc = sg_yaml_parse(a, text, len, &root, &docs, msg, sizeof(msg), &line);
    vg_free(text);
    if (rc != VG_OK)
        return vg_diag_set(d, rc == VG_ENOMEM ? rc : VG_EFORMAT, path,
                           line ? line : VG_DIAG_NONE, VG_DIAG_NONE, "%s", msg);
    if (root == NULL || root->t != SG_N_MAP)
        return bad(d, path, root, "placeholder file must be a map");
    for (size_t i = 0; i < root->n && rc == VG_OK; i++) {
        const struct sg_node *k = root->kid[2 * i], *v = root->kid[2 * i + 1];
        void *p, *q;
        if (k->t != SG_N_SCALAR || (v->t != SG_N_SEQ && v->t != SG_N_SCALAR))
            return bad(d, path, k, "placeholder must be name: [values]");
        size_t n = v->t == SG_N_SEQ ? v->n : 1;
        rc = vg_arena_alloc(a, sizeof(struct sg_strlist), &p);
        if (rc == VG_OK)
            rc = vg_arena_alloc(a, (n + 1) * sizeof(char *), &q);
        if (rc != VG_OK)
            return rc;
        struct sg_strlist *l = p;
        l->s = q;
        l->n = n;
        for (size_t j = 0; j < n; j++) {
            const struct sg_node *e = v->t == SG_N_SEQ ? v->kid[j] : v;
            if (e->t != SG_N_SCALAR)
                return bad(d, path, e, "placeholder value is not a string");
            l->s[j] = e->s;
        }
        rc = vg_map_put(&ph->map, k->s, k->len, l);
    }
    return rc;
}
