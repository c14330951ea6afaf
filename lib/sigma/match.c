/* SPDX-License-Identifier: Apache-2.0 */
/*
 * match.c - per-thread scanners: one event in, matches out.
 *
 * Per event: the channel (folded) picks a bucket, the event id a slice of
 * it. The slice's needle fields are scanned by the automaton (each field
 * once per event), which marks the variants one of whose needles occurs;
 * only those and the slice's variants without a prefilter are evaluated,
 * in variant order. Field values are fetched from the event at most once
 * per event and folded to lower case at most once (a cache indexed by
 * global field id, invalidated by a generation counter), so a field used by
 * a thousand rules costs one lookup. All scratch is owned by the scanner
 * and grows to the largest event seen: nothing is allocated per event once
 * warm.
 *
 * Deliberately not here: correlation windows (corr.c), output.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "sigma/sigma_int.h"
#include "sigma/scan_int.h"
#include "vigil/err.h"

#include "core/banned.h"

#define SG_FOLD_MAX ((size_t)256 << 20)

int
vg_sigma_scanner_new(const struct vg_sigma *s, struct vg_sigma_scanner **out)
{
    *out = NULL;
    if (!s->compiled)
        return VG_EINVAL;
    struct vg_sigma_scanner *sc = vg_calloc(1, sizeof(*sc));
    if (sc == NULL)
        return VG_ENOMEM;
    sc->s = s;
    size_t nf = s->n_field ? s->n_field : 1;
    sc->fc = vg_calloc(nf, sizeof(*sc->fc));
    sc->scan_gen = vg_calloc(s->n_field + 1, sizeof(uint32_t)); /* +kw */
    sc->nd_gen = vg_calloc(s->n_nd ? s->n_nd : 1, sizeof(uint32_t));
    sc->nd_seen = vg_calloc(s->n_nd ? s->n_nd : 1, sizeof(uint32_t));
    sc->v_gen = vg_calloc(s->n_v ? s->n_v : 1, sizeof(uint32_t));
    sc->mark = vg_calloc(s->n_v ? s->n_v : 1, sizeof(uint32_t));
    sc->cand = vg_calloc(s->n_v ? s->n_v : 1, sizeof(uint32_t));
    sc->i_gen = vg_calloc(s->n_items ? s->n_items : 1, sizeof(uint32_t));
    int rc = sc->fc && sc->scan_gen && sc->nd_gen && sc->nd_seen &&
                     sc->v_gen && sc->mark && sc->cand && sc->i_gen
                 ? sg_re_scratch_new(&sc->re)
                 : VG_ENOMEM;
    if (rc == VG_OK)
        rc = sg_scache_init(&sc->cache);
    if (rc == VG_OK)
        rc = sg_corr_init(sc);
    if (rc != VG_OK) {
        vg_sigma_scanner_free(sc);
        return rc;
    }
    vg_buf_init(&sc->fold, SG_FOLD_MAX);
    vg_buf_init(&sc->kw, SG_FOLD_MAX);
    *out = sc;
    return VG_OK;
}

void
vg_sigma_scanner_free(struct vg_sigma_scanner *sc)
{
    if (sc == NULL)
        return;
    sg_corr_fini(sc);
    sg_scache_fini(&sc->cache);
    sg_re_scratch_free(sc->re);
    vg_buf_fini(&sc->fold);
    vg_buf_fini(&sc->kw);
    vg_free(sc->fc);
    vg_free(sc->scan_gen);
    vg_free(sc->nd_gen);
    vg_free(sc->nd_seen);
    vg_free(sc->v_gen);
    vg_free(sc->mark);
    vg_free(sc->cand);
    vg_free(sc->i_gen);
    vg_free(sc->pend);
    vg_free(sc);
}

void
vg_sigma_scanner_stats(const struct vg_sigma_scanner *sc,
                       struct vg_sigma_stats *out)
{
    *out = sc->st;
}

/* Field value from the cache, fetching it on first use in this event.
 * Returns 1 present (value set; p may be NULL for a null value), 0 absent. */
int
sg_field(struct vg_sigma_scanner *sc, uint32_t fid, struct vg_str *val)
{
    struct sg_fcache *c = &sc->fc[fid];
    if (c->gen != sc->gen) {
        const char *name = sc->s->field[fid];
        c->gen = sc->gen;
        c->fold_gen = 0;
        c->val.p = NULL;
        c->val.len = 0;
        int rc = sc->ev->ops->get(sc->ev->impl, name, sc->s->field_len[fid],
                                  &c->val);
        c->present = rc == VG_OK;
    }
    *val = c->val;
    return c->present;
}

/* Folded copy of a present field (pointer valid until the next fold). */
static const uint8_t *
folded(struct vg_sigma_scanner *sc, uint32_t fid)
{
    struct sg_fcache *c = &sc->fc[fid];
    if (c->fold_gen != sc->gen) {
        size_t off = sc->fold.len;
        if (vg_buf_reserve(&sc->fold, c->val.len + 1) != VG_OK)
            return NULL;
        sg_fold((uint8_t *)sc->fold.data + off, c->val.p ? c->val.p : "",
                c->val.len);
        sc->fold.len += c->val.len;
        sc->fold.data[sc->fold.len] = '\0';
        c->fold_off = off;
        c->fold_gen = sc->gen;
    }
    return (const uint8_t *)sc->fold.data + c->fold_off;
}

static void
record(struct vg_sigma_scanner *sc, uint32_t fid)
{
    for (size_t i = 0; i < sc->n_hit; i++)
        if (sc->hit[i] == fid)
            return;
    if (sc->n_hit < SG_MAX_MATCHED)
        sc->hit[sc->n_hit++] = fid;
}

/* The present field fid as a number (parsed once per event); 0 if it is
 * not one. */
static int
field_num(struct vg_sigma_scanner *sc, uint32_t fid, const struct vg_str *val,
          double *d)
{
    struct sg_fcache *c = &sc->fc[fid];
    if (c->num_gen != sc->gen) {
        c->num_gen = sc->gen;
        c->num_ok = val->p != NULL &&
                    sg_num_parse(val->p, val->len, &c->num) == VG_OK;
    }
    *d = c->num;
    return c->num_ok;
}

static int
num_cmp(struct vg_sigma_scanner *sc, const struct sg_val *v, uint32_t fid,
        const struct vg_str *val)
{
    double d;
    if (!field_num(sc, fid, val, &d))
        return 0;
    switch (v->op) {
    case SG_C_GT: return d > v->num;
    case SG_C_GTE: return d >= v->num;
    case SG_C_LT: return d < v->num;
    default: return d <= v->num;
    }
}

static int
fieldref_eq(struct vg_sigma_scanner *sc, const uint32_t *fmap,
            const struct sg_val *v, uint32_t fid, const struct vg_str *val)
{
    struct vg_str other;
    uint32_t ofid = fmap[v->ref];
    if (!sg_field(sc, ofid, &other) || other.len != val->len)
        return 0;
    if (v->cased)
        return val->len == 0 || memcmp(val->p, other.p, val->len) == 0;
    const uint8_t *a = folded(sc, fid), *b = folded(sc, ofid);
    a = folded(sc, fid); /* b's fold may have moved the buffer */
    return a != NULL && b != NULL &&
           memcmp(a, sc->fold.data + sc->fc[ofid].fold_off, val->len) == 0;
}

static void scan_field(struct vg_sigma_scanner *sc, uint32_t fid);

/* One value against a present field. */
static int
val_match(struct vg_sigma_scanner *sc, const uint32_t *fmap,
          const struct sg_val *v, uint32_t fid, const struct vg_str *val)
{
    const char *p = val->p ? val->p : "";
    switch (v->type) {
    case SG_M_STR: {
        uint32_t nd = sc->val_nd ? sc->val_nd[v->vidx] : UINT32_MAX;
        if (nd != UINT32_MAX && (nd & SG_ND_EXACT)) {
            scan_field(sc, fid); /* the field is searched once per event */
            return sc->nd_gen[nd & ~SG_ND_EXACT] == sc->gen;
        }
        /* the field was scanned and the value's text does not occur: no
         * string match (numbers compared as numbers have no needle) */
        if (nd != UINT32_MAX && sc->scan_gen[fid] == sc->gen &&
            sc->nd_gen[nd] != sc->gen)
            return 0;
        const uint8_t *s = v->cased ? (const uint8_t *)p : folded(sc, fid);
        if (s != NULL && sg_str_match(v, s, val->len))
            return 1;
        double a;
        return v->str_num && v->flag && field_num(sc, fid, val, &a) &&
               a == v->num;
    }
    case SG_M_RE: {
        int rc = sg_re_match(v->re, sc->re, p, val->len);
        if (rc == VG_ELIMIT)
            sc->st.regex_limit++;
        return rc == 1;
    }
    case SG_M_CIDR:
        return sg_cidr_match(v, p, val->len);
    case SG_M_NUM:
        return num_cmp(sc, v, fid, val);
    case SG_M_NULL:
        return val->p == NULL || val->len == 0;
    case SG_M_EXISTS:
        return v->flag;
    case SG_M_FIELDREF:
        return fieldref_eq(sc, fmap, v, fid, val);
    default:
        return 0;
    }
}

/* A gated item can only be true if one of its values' needles occurs in
 * field fid: the field is scanned (once per event) and the needles are
 * read from the variant's compact val_nd array, instead of visiting every
 * value (each its own cache line) to find that none can match. */
static int
gate_open(struct vg_sigma_scanner *sc, uint32_t fid, const struct sg_item *it)
{
    if (sc->val_nd == NULL)
        return 1;
    scan_field(sc, fid);
    const uint32_t *nd = sc->val_nd + it->vbase;
    for (size_t k = 0; k < it->n; k++)
        if (sc->nd_gen[nd[k] & ~SG_ND_EXACT] == sc->gen)
            return 1;
    return 0;
}

static int
item_match(struct vg_sigma_scanner *sc, const uint32_t *fmap,
           const struct sg_item *it, int rec)
{
    if (it->slot == SG_FIELD_NONE)
        return sg_keywords(sc, it) != it->neg;
    uint32_t fid = fmap[it->slot];
    if (it->any_nd) { /* one look-up: did one of its needles occur */
        scan_field(sc, fid);
        if (sc->i_gen[sc->item_base + it->iidx] != sc->gen)
            return 0;
        if (rec)
            record(sc, fid);
        return 1;
    }
    if (it->gated && !gate_open(sc, fid, it))
        return 0;
    struct vg_str val;
    int present = sg_field(sc, fid, &val);
    int res = it->all ? 1 : 0;
    for (size_t i = 0; i < it->n; i++) {
        const struct sg_val *v = &it->v[i];
        int m;
        if (!present)
            m = v->type == SG_M_NULL || (v->type == SG_M_EXISTS && !v->flag);
        else if (v->type == SG_M_EXISTS)
            m = v->flag;
        else
            m = val_match(sc, fmap, v, fid, &val);
        if (it->all && !m) { res = 0; break; }
        if (!it->all && m) { res = 1; break; }
    }
    res = res != it->neg;
    if (res && rec && present)
        record(sc, fid);
    return res;
}

static int
search_match(struct vg_sigma_scanner *sc, const uint32_t *fmap,
             const struct sg_search *s, int rec)
{
    for (size_t g = 0; g < s->n; g++) {
        const struct sg_group *gr = &s->g[g];
        size_t mark = sc->n_hit, i;
        for (i = 0; i < gr->n; i++)
            if (!item_match(sc, fmap, &gr->it[i], rec))
                break;
        if (i == gr->n)
            return 1;
        sc->n_hit = mark; /* a failed group's fields did not decide */
    }
    return 0;
}

static int
cond_eval(struct vg_sigma_scanner *sc, const struct sg_search *srch,
          const uint32_t *fmap, const struct sg_cond *c, int rec)
{
    switch (c->op) {
    case SG_OP_ID:
        return search_match(sc, fmap, &srch[c->id], rec);
    case SG_OP_AND:
        return cond_eval(sc, srch, fmap, c->a, rec) &&
               cond_eval(sc, srch, fmap, c->b, rec);
    case SG_OP_OR:
        return cond_eval(sc, srch, fmap, c->a, rec) ||
               cond_eval(sc, srch, fmap, c->b, rec);
    case SG_OP_NOT:
        return !cond_eval(sc, srch, fmap, c->a, 0);
    default:
        return c->id != 0;
    }
}

static int
report(struct vg_sigma_scanner *sc, size_t ri, vg_sigma_match_fn *fn,
       void *arg)
{
    struct vg_kv kv[SG_MAX_MATCHED];
    for (size_t i = 0; i < sc->n_hit; i++) {
        struct sg_fcache *c = &sc->fc[sc->hit[i]];
        size_t off = sc->kw.len;
        kv[i].key = sc->s->field[sc->hit[i]];
        /* values are not NUL-terminated in the event: copy them */
        if (vg_buf_add(&sc->kw, c->val.p ? c->val.p : "", c->val.len) !=
                VG_OK ||
            vg_buf_addc(&sc->kw, '\0') != VG_OK)
            return VG_ENOMEM;
        kv[i].value = (const char *)(uintptr_t)off;
    }
    for (size_t i = 0; i < sc->n_hit; i++)
        kv[i].value = sc->kw.data + (uintptr_t)kv[i].value;
    struct vg_sigma_match m = { ri, kv, sc->n_hit, 0 };
    sc->st.matches++;
    return fn(arg, &m, sc->ev);
}

/* Needle j occurs in the event: it and the variants listing it are
 * marked (each once per event). */
static void
mark_needle(struct vg_sigma_scanner *sc, uint32_t j)
{
    const struct vg_sigma *s = sc->s;
    if (sc->nd_gen[j] == sc->gen)
        return;
    sc->nd_gen[j] = sc->gen;
    for (uint32_t k = s->nd_ifirst[j]; k < s->nd_ifirst[j + 1]; k++)
        sc->i_gen[s->nd_ilist[k]] = sc->gen;
    for (uint32_t k = s->nd_vfirst[j]; k < s->nd_vfirst[j + 1]; k++) {
        uint32_t x = s->nd_vlist[k];
        if (sc->v_gen[x] != sc->gen) {
            sc->v_gen[x] = sc->gen;
            sc->mark[sc->n_mark++] = x;
        }
    }
}

/* The automaton found needle j's head ending at end in the value being
 * scanned: check its tail, note it among this scan's needles (each once,
 * for the value cache) and mark it. */
static int
on_needle(void *arg, uint32_t j, size_t end)
{
    struct vg_sigma_scanner *sc = arg;
    const struct sg_needle *nd = &sc->s->nd[j];
    if (sc->nd_seen[j] == sc->scan_no)
        return 0; /* already found in this value */
    if (nd->len > SG_AC_HEAD && /* the automaton found its head only */
        (sc->scan_n - end < nd->len - SG_AC_HEAD ||
         !vg_ascii_ieq((const char *)sc->scan_p + end,
                       (const char *)nd->lit + SG_AC_HEAD,
                       nd->len - SG_AC_HEAD)))
        return 0;
    sc->nd_seen[j] = sc->scan_no;
    if (sc->n_found < SG_SC_IDS)
        sc->found[sc->n_found] = j;
    sc->n_found++;
    mark_needle(sc, j);
    return 0;
}

/* Mark the needles of automaton set `set` occurring in p[0..n). A value
 * seen before in that set replays the needles its scan found. h: the
 * value's sg_scache_hash() when it may be kept (n <= SG_SC_MAX_LEN). */
static void
scan_value(struct vg_sigma_scanner *sc, uint32_t set, const uint8_t *p,
           size_t n, uint64_t h)
{
    int keep = n <= SG_SC_MAX_LEN;
    if (keep) {
        const struct sg_scache_ent *e = sg_scache_get(&sc->cache, h, set, p, n);
        if (e != NULL) {
            const uint32_t *id = sg_scache_ids(e);
            for (uint32_t i = 0; i < e->n_id; i++)
                mark_needle(sc, id[i]);
            return;
        }
    }
    sc->scan_p = p;
    sc->scan_n = n;
    sc->n_found = 0;
    if (++sc->scan_no == 0) { /* wrapped: forget which scan saw what */
        memset(sc->nd_seen, 0, (sc->s->n_nd ? sc->s->n_nd : 1) *
                                   sizeof(uint32_t));
        sc->scan_no = 1;
    }
    (void)sg_ac_scan(&sc->s->ac, set, p, n, on_needle, sc);
    if (keep)
        sg_scache_put(&sc->cache, h, set, p, n, sc->found, sc->n_found);
}

/* Values to scan are gathered first (sc->pend, with their hashes), then
 * all their cache slots are requested (prefetched) in one tight loop, then
 * the scans run in the gathering order. The slots are random lines of a
 * table larger than the processor's near caches: read one after the other
 * each costs a full memory latency (the keyword needles alone ask for one
 * per field value of every event), requested together the latencies
 * overlap. (Prefetching each slot as its value is gathered overlapped
 * fewer of them: the hashing between two prefetches is long.) */
static void
pend_add(struct vg_sigma_scanner *sc, uint32_t set, const char *p, size_t n)
{
    if (p == NULL || n < SG_SCAN_MIN)
        return;
    uint64_t h = n <= SG_SC_MAX_LEN
                     ? sg_scache_hash(set, (const uint8_t *)p, n)
                     : 0;
    if (sc->n_pend == sc->cap_pend) {
        size_t nc = sc->cap_pend ? sc->cap_pend * 2 : 64;
        struct sg_pend *q = vg_reallocarray(sc->pend, nc, sizeof(*q));
        if (q == NULL) { /* no room to gather it: scan it now */
            scan_value(sc, set, (const uint8_t *)p, n, h);
            return;
        }
        sc->pend = q;
        sc->cap_pend = nc;
    }
    sc->pend[sc->n_pend++] =
        (struct sg_pend){ (const uint8_t *)p, n, h, set };
}

static void
pend_run(struct vg_sigma_scanner *sc)
{
    for (size_t i = 0; i < sc->n_pend; i++)
        if (sc->pend[i].n <= SG_SC_MAX_LEN)
            __builtin_prefetch(
                &sc->cache.e[sc->pend[i].h & (SG_SC_SLOTS - 1)]);
    for (size_t i = 0; i < sc->n_pend; i++)
        scan_value(sc, sc->pend[i].set, sc->pend[i].p, sc->pend[i].n,
                   sc->pend[i].h);
    sc->n_pend = 0;
}

static int
kw_scan_one(void *arg, struct vg_str name, struct vg_str value)
{
    struct vg_sigma_scanner *sc = arg;
    (void)name;
    pend_add(sc, (uint32_t)sc->s->n_field, value.p, value.len);
    return 0;
}

/* Gather field fid of this event for scanning (once per event); fid
 * n_field: the keyword needles, in every field value. pend_run() scans. */
static void
queue_field(struct vg_sigma_scanner *sc, uint32_t fid)
{
    struct vg_str val;
    if (sc->scan_gen[fid] == sc->gen)
        return;
    sc->scan_gen[fid] = sc->gen;
    if (fid == sc->s->n_field) {
        if (sc->ev->ops->each != NULL)
            (void)sc->ev->ops->each(sc->ev->impl, kw_scan_one, sc);
        return;
    }
    if (sg_field(sc, fid, &val))
        pend_add(sc, fid, val.p, val.len);
}

/* Mark every needle occurring in field fid of this event (once per event). */
static void
scan_field(struct vg_sigma_scanner *sc, uint32_t fid)
{
    queue_field(sc, fid);
    pend_run(sc);
}

/* The event's EventID (as a number, as the matcher reads it) is one the
 * variant's condition needs, or it needs none. */
static int
eid_ok(struct vg_sigma_scanner *sc, const struct sg_variant *v)
{
    struct vg_str val;
    double d;
    if (v->n_eid_need == 0)
        return 1;
    if (!sg_field(sc, v->eid_fid, &val) ||
        !field_num(sc, v->eid_fid, &val, &d) || !(d >= 0 && d <= UINT32_MAX))
        return 0;
    uint32_t id = (uint32_t)d;
    if ((double)id != d)
        return 0;
    size_t lo = 0, hi = v->n_eid_need;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->eid_need[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n_eid_need && v->eid_need[lo] == id;
}

/* Evaluate variant vi (known possible) and report a match. */
static int
eval_variant(struct vg_sigma_scanner *sc, size_t vi, vg_sigma_match_fn *fn,
             void *arg)
{
    const struct sg_variant *v = &sc->s->v[vi];
    if (!eid_ok(sc, v)) {
        sc->st.prefiltered++;
        return VG_OK;
    }
    sc->st.evaluated++;
    sc->val_nd = v->val_nd;
    sc->item_base = v->item_base;
    sc->n_hit = 0;
    vg_buf_reset(&sc->kw);
    if (!cond_eval(sc, v->srch, v->fmap, v->cond, 1))
        return VG_OK;
    const struct sg_rule *r = &sc->s->r[v->rule];
    int rc = VG_OK;
    if (!r->corr_only)
        rc = report(sc, v->rule, fn, arg);
    if (rc == VG_OK && r->used)
        rc = sg_corr_feed(sc, v->rule, fn, arg);
    return rc;
}

static int
in_slice(const struct sg_variant *v, const struct sg_bucket *b, int any,
         uint32_t eid)
{
    if (v->bucket != b || (v->n_eids == 0) != any)
        return 0;
    for (size_t i = 0; i < v->n_eids; i++)
        if (v->eids[i] == eid)
            return 1;
    return any;
}

/* The slice's marked variants into sc->cand, ascending; returns how many. */
static size_t
slice_marked(struct vg_sigma_scanner *sc, const struct sg_bucket *b, int any)
{
    size_t n = 0;
    uint32_t eid = sc->ev->event_id;
    for (size_t k = 0; k < sc->n_mark; k++) {
        uint32_t x = sc->mark[k];
        if (!in_slice(&sc->s->v[x], b, any, eid))
            continue;
        size_t j = n++;
        for (; j > 0 && sc->cand[j - 1] > x; j--)
            sc->cand[j] = sc->cand[j - 1];
        sc->cand[j] = x;
    }
    return n;
}

/* The slice's variants that can match, in slice (= index) order: those
 * without a prefilter and those one of whose needles occurs. The needles'
 * fields are scanned first, which marks the variants. */
static int
run_slice(struct vg_sigma_scanner *sc, const struct sg_bucket *b,
          const struct sg_slice *sl, int any, vg_sigma_match_fn *fn,
          void *arg)
{
    int rc = VG_OK;
    for (size_t i = 0; i < sl->n_fid; i++)
        queue_field(sc, sl->fid[i]);
    pend_run(sc);
    size_t nm = slice_marked(sc, b, any), i = 0, j = 0;
    sc->st.prefiltered += sl->n - sl->n_always - nm;
    while (rc == VG_OK && (i < sl->n_always || j < nm)) {
        if (j == nm || (i < sl->n_always && sl->always[i] < sc->cand[j]))
            rc = eval_variant(sc, sl->always[i++], fn, arg);
        else
            rc = eval_variant(sc, sc->cand[j++], fn, arg);
    }
    return rc;
}

static int
run_bucket(struct vg_sigma_scanner *sc, const struct sg_bucket *b,
           vg_sigma_match_fn *fn, void *arg)
{
    size_t lo = 0, hi = b->n_eid;
    uint32_t eid = sc->ev->event_id;
    int rc = VG_OK;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->eid[mid] < eid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < b->n_eid && b->eid[lo] == eid)
        rc = run_slice(sc, b, &b->slice[lo], 0, fn, arg);
    return rc == VG_OK ? run_slice(sc, b, &b->all, 1, fn, arg) : rc;
}

int
vg_sigma_scan(struct vg_sigma_scanner *sc, const struct vg_event *ev,
              vg_sigma_match_fn *fn, void *arg)
{
    char chbuf[256];
    const struct vg_sigma *s = sc->s;
    sc->ev = ev;
    sc->st.events++;
    if (++sc->gen == 0) { /* wrapped: forget every cached field */
        size_t nf = s->n_field ? s->n_field : 1;
        memset(sc->fc, 0, nf * sizeof(*sc->fc));
        memset(sc->scan_gen, 0, (s->n_field + 1) * sizeof(uint32_t));
        memset(sc->nd_gen, 0, (s->n_nd ? s->n_nd : 1) * sizeof(uint32_t));
        memset(sc->v_gen, 0, (s->n_v ? s->n_v : 1) * sizeof(uint32_t));
        memset(sc->i_gen, 0, (s->n_items ? s->n_items : 1) * sizeof(uint32_t));
        sc->gen = 1;
    }
    vg_buf_reset(&sc->fold);
    sc->n_mark = 0;
    int rc = run_bucket(sc, &s->nochan, fn, arg);
    size_t cl = ev->channel.len;
    if (rc == VG_OK && ev->channel.p != NULL && cl > 0 && cl < sizeof(chbuf)) {
        sg_fold((uint8_t *)chbuf, ev->channel.p, cl);
        const struct sg_bucket *b = vg_map_get(&s->chan, chbuf, cl);
        if (b != NULL)
            rc = run_bucket(sc, b, fn, arg);
    }
    sc->ev = NULL;
    return rc;
}

struct kwctx {
    struct vg_sigma_scanner *sc;
    const struct sg_item    *it;
    uint64_t                 seen; /* |all: values found so far (<= 64) */
    int                      any;
};

static int
kw_field(void *arg, struct vg_str name, struct vg_str value)
{
    struct kwctx *k = arg;
    struct vg_buf *b = &k->sc->kw;
    (void)name;
    if (value.p == NULL)
        return 0;
    vg_buf_reset(b);
    if (vg_buf_reserve(b, value.len + 1) != VG_OK)
        return 0;
    sg_fold((uint8_t *)b->data, value.p, value.len);
    for (size_t i = 0; i < k->it->n && i < 64; i++) {
        const struct sg_val *v = &k->it->v[i];
        const uint8_t *s = v->cased ? (const uint8_t *)value.p
                                    : (const uint8_t *)b->data;
        int m = v->type == SG_M_RE
                    ? sg_re_match(v->re, k->sc->re, value.p, value.len) == 1
                : v->type == SG_M_STR ? sg_str_match(v, s, value.len)
                                      : 0;
        if (m && !k->it->all)
            return k->any = 1;
        if (m)
            k->seen |= (uint64_t)1 << i;
    }
    size_t n = k->it->n < 64 ? k->it->n : 64;
    uint64_t want = n == 64 ? UINT64_MAX : (((uint64_t)1 << n) - 1);
    return k->it->all && k->seen == want ? (k->any = 1) : 0;
}

int
sg_keywords(struct vg_sigma_scanner *sc, const struct sg_item *it)
{
    struct kwctx k = { sc, it, 0, 0 };
    if (sc->ev->ops->each == NULL)
        return 0;
    (void)sc->ev->ops->each(sc->ev->impl, kw_field, &k);
    return k.any;
}
