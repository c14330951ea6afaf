/* SPDX-License-Identifier: Apache-2.0 */
/*
 * eids.c - the event id gate: from a rule's condition, the EventID values
 * of which the event must have one for the rule to match. Rules whose
 * logsource gives no event id (service: security, service: sysmon) test
 * EventID in their detection instead; without the gate they are evaluated
 * on every event of their channel.
 *
 * Derived like the literal prefilter, never guessed: an item on the field
 * EventID whose values are all equalities with plain decimal numbers
 * ("4624", or the YAML number 4624) needs the field's number to be one of
 * them (a field equal to "4624" as a string is the number 4624, and a
 * numeric match is the number itself); a group (AND) takes one such item,
 * a search (OR) or `or` the union when every side has one, `and` the
 * smaller side, `not` nothing. The gate compares the field's value parsed
 * as a number, exactly as the matcher does, so it never rejects an event
 * the condition would accept. Deliberately not here: ranges (gt/lt), the
 * event's own ev->event_id (a producer could disagree with its field).
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

#define EID_MAX 64u

struct eset {
    uint32_t id[EID_MAX];
    size_t   n;
    int      ok; /* 0: no need known */
};

/* A plain decimal literal (digits only, <= 10 of them, < 2^32). */
static int
plain_number(const struct sg_val *v, uint32_t *out)
{
    uint64_t x = 0;
    if (v->type != SG_M_STR || v->op != SG_S_EQ || v->lit == NULL ||
        v->len == 0 || v->len > 10)
        return 0;
    for (size_t i = 0; i < v->len; i++) {
        if (v->lit[i] < '0' || v->lit[i] > '9')
            return 0;
        x = x * 10 + (uint64_t)(v->lit[i] - '0');
    }
    if (x > UINT32_MAX)
        return 0;
    *out = (uint32_t)x;
    return 1;
}

static void
es_add(struct eset *e, uint32_t id)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->id[i] == id)
            return;
    if (e->n == EID_MAX) {
        e->ok = 0;
        return;
    }
    e->id[e->n++] = id;
}

/* a := a U b when both are known; else nothing known. */
static void
es_union(struct eset *a, const struct eset *b)
{
    if (!a->ok || !b->ok) {
        a->ok = 0;
        return;
    }
    for (size_t i = 0; i < b->n && a->ok; i++)
        es_add(a, b->id[i]);
}

/* a := the smaller known one of a and b. */
static void
es_pick(struct eset *a, const struct eset *b)
{
    if (b->ok && (!a->ok || b->n < a->n))
        *a = *b;
}

static void
item_eids(const struct sg_variant *v, const struct sg_item *it,
          struct eset *out)
{
    out->n = 0;
    out->ok = 0;
    if (it->slot == SG_FIELD_NONE || it->neg || it->n == 0 ||
        (it->all && it->n > 1) || v->fmap[it->slot] != v->eid_fid)
        return;
    out->ok = 1;
    for (size_t i = 0; i < it->n && out->ok; i++) {
        uint32_t id;
        if (!plain_number(&it->v[i], &id))
            out->ok = 0;
        else
            es_add(out, id);
    }
}

static void
search_eids(const struct sg_variant *v, const struct sg_search *sr,
            struct eset *out)
{
    out->n = 0;
    out->ok = sr->n > 0;
    for (size_t g = 0; g < sr->n && out->ok; g++) {
        struct eset best = { { 0 }, 0, 0 }, one;
        for (size_t i = 0; i < sr->g[g].n; i++) {
            item_eids(v, &sr->g[g].it[i], &one);
            es_pick(&best, &one);
        }
        if (g == 0)
            *out = best;
        else
            es_union(out, &best);
    }
}

static void
cond_eids(const struct sg_variant *v, const struct sg_rule *r,
          const struct sg_cond *c, struct eset *out)
{
    struct eset b;
    out->n = 0;
    out->ok = 0;
    switch (c->op) {
    case SG_OP_ID:
        search_eids(v, &r->s[c->id], out);
        return;
    case SG_OP_AND:
    case SG_OP_OR:
        cond_eids(v, r, c->a, out);
        cond_eids(v, r, c->b, &b);
        if (c->op == SG_OP_AND)
            es_pick(out, &b);
        else
            es_union(out, &b);
        return;
    default: /* NOT, CONST */
        return;
    }
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int
sg_eid_gate_build(struct vg_sigma *s)
{
    void *key = vg_map_get(&s->fieldidx, "EventID", 7);
    if (key == NULL)
        return VG_OK; /* no rule names the field */
    uint32_t fid = (uint32_t)((uintptr_t)key - 1);
    for (size_t i = 0; i < s->n_v; i++) {
        struct sg_variant *v = &s->v[i];
        const struct sg_rule *r = &s->r[v->rule];
        struct eset e;
        v->eid_fid = fid;
        cond_eids(v, r, r->cond, &e);
        if (!e.ok || e.n == 0)
            continue;
        void *p;
        int rc = vg_arena_alloc(&s->a, e.n * sizeof(uint32_t), &p);
        if (rc != VG_OK)
            return rc;
        memcpy(p, e.id, e.n * sizeof(uint32_t));
        qsort(p, e.n, sizeof(uint32_t), cmp_u32);
        v->eid_need = p;
        v->n_eid_need = e.n;
    }
    return VG_OK;
}
