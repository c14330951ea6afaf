/* SPDX-License-Identifier: Apache-2.0 */
/*
 * load.c - YAML text to a small tree (struct sg_node) with libyaml's event
 * parser. The only file in lib/sigma that includes <yaml.h>.
 *
 * The tree keeps what Sigma needs: scalars (with their line and whether they
 * were quoted, so `null` and `1` can be told from '1' and 'null'), sequences
 * and mappings in document order. Depth and node count are capped; aliases
 * are refused (no rule needs them and they are how YAML bombs work). Only
 * the first document is kept; the caller is told how many there were.
 *
 * Deliberately not here: anchors/aliases, tags (!!str etc. are ignored),
 * merge keys.
 */
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "core/alloc.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

struct tb {
    struct vg_arena *a;
    struct sg_node  *stack[SG_MAX_YAML_DEPTH + 1];
    /* children being collected per open container (malloc'd, grown) */
    struct sg_node **kids[SG_MAX_YAML_DEPTH + 1];
    size_t           nk[SG_MAX_YAML_DEPTH + 1], ck[SG_MAX_YAML_DEPTH + 1];
    size_t           depth;
    size_t           nodes;
    struct sg_node  *root;
};

static int
push_kid(struct tb *t, struct sg_node *n)
{
    if (t->depth == 0) {
        if (t->root == NULL)
            t->root = n;
        return VG_OK;
    }
    size_t d = t->depth;
    if (t->nk[d] == t->ck[d]) {
        size_t nc = t->ck[d] ? t->ck[d] * 2 : 8;
        struct sg_node **k = vg_reallocarray(t->kids[d], nc, sizeof(*k));
        if (k == NULL)
            return VG_ENOMEM;
        t->kids[d] = k;
        t->ck[d] = nc;
    }
    t->kids[d][t->nk[d]++] = n;
    return VG_OK;
}

static int
new_node(struct tb *t, enum sg_nt type, uint32_t line, struct sg_node **out)
{
    void *p;
    if (++t->nodes > SG_MAX_YAML_NODES)
        return VG_ELIMIT;
    int rc = vg_arena_alloc(t->a, sizeof(struct sg_node), &p);
    if (rc != VG_OK)
        return rc;
    struct sg_node *n = p;
    memset(n, 0, sizeof(*n));
    n->t = type;
    n->line = line;
    *out = n;
    return VG_OK;
}

static int
on_scalar(struct tb *t, const yaml_event_t *ev)
{
    struct sg_node *n;
    int rc = new_node(t, SG_N_SCALAR, (uint32_t)ev->start_mark.line + 1, &n);
    if (rc != VG_OK)
        return rc;
    char *s;
    rc = vg_arena_strndup(t->a, (const char *)ev->data.scalar.value,
                          ev->data.scalar.length, &s);
    if (rc != VG_OK)
        return rc;
    n->s = s;
    n->len = ev->data.scalar.length;
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    return push_kid(t, n);
}

static int
on_open(struct tb *t, enum sg_nt type, const yaml_event_t *ev)
{
    struct sg_node *n;
    if (t->depth >= SG_MAX_YAML_DEPTH)
        return VG_ELIMIT;
    int rc = new_node(t, type, (uint32_t)ev->start_mark.line + 1, &n);
    if (rc != VG_OK)
        return rc;
    rc = push_kid(t, n);
    if (rc != VG_OK)
        return rc;
    t->depth++;
    t->stack[t->depth] = n;
    t->nk[t->depth] = 0;
    return VG_OK;
}

static int
on_close(struct tb *t)
{
    size_t d = t->depth;
    struct sg_node *n = t->stack[d];
    size_t cnt = t->nk[d];
    void *p = NULL;
    if (cnt > 0) {
        size_t bytes;
        if (!vg_mul_ok(cnt, sizeof(struct sg_node *), &bytes))
            return VG_ELIMIT;
        int rc = vg_arena_alloc(t->a, bytes, &p);
        if (rc != VG_OK)
            return rc;
        memcpy(p, t->kids[d], bytes);
    }
    n->kid = p;
    n->n = n->t == SG_N_MAP ? cnt / 2 : cnt;
    t->nk[d] = 0;
    t->depth--;
    return VG_OK;
}

static void
tb_fini(struct tb *t)
{
    for (size_t i = 0; i <= SG_MAX_YAML_DEPTH; i++)
        vg_free(t->kids[i]);
}

/* One parser event into the tree. *done set at the end of document 1. */
static int
on_event(struct tb *t, const yaml_event_t *ev, size_t *docs, char *msg,
         size_t cap)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        (*docs)++;
        return VG_OK;
    case YAML_ALIAS_EVENT:
        snprintf(msg, cap, "YAML aliases are not supported");
        return VG_EUNSUPPORTED;
    case YAML_SCALAR_EVENT:
        return *docs > 1 ? VG_OK : on_scalar(t, ev);
    case YAML_SEQUENCE_START_EVENT:
        return *docs > 1 ? VG_OK : on_open(t, SG_N_SEQ, ev);
    case YAML_MAPPING_START_EVENT:
        return *docs > 1 ? VG_OK : on_open(t, SG_N_MAP, ev);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return *docs > 1 ? VG_OK : on_close(t);
    default:
        return VG_OK;
    }
}

int
sg_yaml_parse(struct vg_arena *a, const char *text, size_t len,
              struct sg_node **out, size_t *n_docs, char *msg, size_t msg_cap,
              uint64_t *line)
{
    yaml_parser_t p;
    struct tb t;
    int rc = VG_OK, done = 0;
    *out = NULL;
    *n_docs = 0;
    *line = 0;
    msg[0] = '\0';
    memset(&t, 0, sizeof(t));
    t.a = a;
    if (!yaml_parser_initialize(&p))
        return VG_ENOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            snprintf(msg, msg_cap, "YAML: %s%s%s",
                     p.problem ? p.problem : "syntax error",
                     p.context ? " " : "", p.context ? p.context : "");
            *line = (uint64_t)p.problem_mark.line + 1;
            rc = p.error == YAML_MEMORY_ERROR ? VG_ENOMEM : VG_EFORMAT;
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        *line = (uint64_t)ev.start_mark.line + 1;
        rc = on_event(&t, &ev, n_docs, msg, msg_cap);
        yaml_event_delete(&ev);
        if (rc != VG_OK)
            break;
    }
    if (rc == VG_ELIMIT && msg[0] == '\0')
        snprintf(msg, msg_cap, "YAML nesting or size over the limit");
    yaml_parser_delete(&p);
    tb_fini(&t);
    if (rc == VG_OK) {
        *out = t.root;
        *line = 0;
    }
    return rc;
}

const struct sg_node *
sg_map_get(const struct sg_node *m, const char *key)
{
    if (m == NULL || m->t != SG_N_MAP)
        return NULL;
    size_t kl = strlen(key);
    for (size_t i = 0; i < m->n; i++) {
        const struct sg_node *k = m->kid[2 * i];
        if (k->t == SG_N_SCALAR && k->len == kl && memcmp(k->s, key, kl) == 0)
            return m->kid[2 * i + 1];
    }
    return NULL;
}

int
sg_is_null(const struct sg_node *n)
{
    if (n == NULL || n->t != SG_N_SCALAR || n->quoted)
        return 0;
    return n->len == 0 || strcmp(n->s, "~") == 0 || strcmp(n->s, "null") == 0 ||
           strcmp(n->s, "Null") == 0 || strcmp(n->s, "NULL") == 0;
}
