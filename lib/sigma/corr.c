/* SPDX-License-Identifier: Apache-2.0 */
/*
 * corr.c - Sigma correlation rules over the stream of rule matches:
 * event_count, value_count, temporal and temporal_ordered, per group-by
 * key, within a timespan.
 *
 * Windows: with gt/gte the window slides and the rule fires as soon as the
 * count is reached (then the group starts over, so one burst is one
 * finding); with lt/lte/eq/neq the count is only known when the window
 * closes, so windows tumble: a window opens at a group's first event and is
 * judged when a later event falls past its end or at flush.
 *
 * Memory is bounded: at most SG_CORR_MAX_GROUPS groups per correlation
 * (expired groups are swept first; past the cap new groups are dropped and
 * counted), at most SG_CORR_MAX_KEEP timestamps/values per group.
 * Deliberately not here: value_sum/avg/percentile (reported unsupported).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "sigma/scan_int.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

#define SG_CORR_MAX_GROUPS 100000u
#define SG_CORR_MAX_KEEP   4096u
#define SG_CORR_MAX_REFS   16u
#define SG_CORR_KEY_MAX    4096u
#define SG_CORR_MAX_CHAIN  8u

struct grp {
    int64_t  start;               /* window start (tumbling), first (ordered) */
    int64_t  last_seen;
    uint64_t count;               /* tumbling event_count */
    int64_t *t;                   /* sliding timestamps (oldest first) */
    uint64_t *vh;                 /* value hashes, parallel to t */
    size_t   n;
    int64_t  ref_t[SG_CORR_MAX_REFS]; /* temporal: last time per ref */
    size_t   next;                /* temporal_ordered: next ref expected */
    char     key[];               /* group key (for the report) */
};

struct sg_corr_state {
    struct vg_map groups;         /* key -> struct grp * */
};

static int
sliding(const struct sg_corr *k)
{
    return k->cmp_op <= 1; /* gt, gte */
}

static int
cmp_ok(const struct sg_corr *k, uint64_t n)
{
    switch (k->cmp_op) {
    case 0: return n > k->cmp_val;
    case 1: return n >= k->cmp_val;
    case 2: return n < k->cmp_val;
    case 3: return n <= k->cmp_val;
    case 4: return n == k->cmp_val;
    default: return n != k->cmp_val;
    }
}

int
sg_corr_init(struct vg_sigma_scanner *sc)
{
    const struct vg_sigma *s = sc->s;
    int any = 0;
    for (size_t i = 0; i < s->n_r; i++)
        any |= s->r[i].corr != NULL;
    if (!any)
        return VG_OK;
    sc->corr = vg_calloc(s->n_r, sizeof(*sc->corr));
    if (sc->corr == NULL)
        return VG_ENOMEM;
    for (size_t i = 0; i < s->n_r; i++)
        vg_map_init(&sc->corr[i].groups, SG_CORR_MAX_GROUPS);
    return VG_OK;
}

static void
grp_free(struct grp *g)
{
    if (g == NULL)
        return;
    vg_free(g->t);
    vg_free(g->vh);
    vg_free(g);
}

static void
clear_groups(struct vg_map *m)
{
    size_t it = 0, kl;
    const void *k;
    void *v;
    while (vg_map_next(m, &it, &k, &kl, &v))
        grp_free(v);
    vg_map_fini(m);
    vg_map_init(m, SG_CORR_MAX_GROUPS);
}

void
sg_corr_fini(struct vg_sigma_scanner *sc)
{
    if (sc->corr == NULL)
        return;
    for (size_t i = 0; i < sc->s->n_r; i++) {
        clear_groups(&sc->corr[i].groups);
        vg_map_fini(&sc->corr[i].groups);
    }
    vg_free(sc->corr);
    sc->corr = NULL;
}

/* Group key: the group-by values joined by 0x1F. */
static size_t
make_key(struct vg_sigma_scanner *sc, const struct sg_corr *k, char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < k->n_group; i++) {
        struct vg_str v = { NULL, 0 };
        (void)sg_field(sc, k->group_fid[i], &v);
        if (i > 0 && n < SG_CORR_KEY_MAX - 1)
            key[n++] = '\x1f';
        size_t take = v.len < SG_CORR_KEY_MAX - 1 - n ? v.len
                                                      : SG_CORR_KEY_MAX - 1 - n;
        if (take)
            memcpy(key + n, v.p, take);
        n += take;
    }
    key[n] = '\0';
    return n;
}

/* Drop groups whose last event is older than the window (memory cap). */
static void
sweep(struct vg_map *m, int64_t now, int64_t span)
{
    size_t it = 0, kl;
    const void *k;
    void *v;
    while (vg_map_next(m, &it, &k, &kl, &v)) {
        struct grp *g = v;
        if (now - g->last_seen > span) {
            grp_free(g);
            (void)vg_map_del(m, k, kl);
            it = 0; /* deletion may move entries: restart */
        }
    }
}

static struct grp *
get_group(struct vg_sigma_scanner *sc, struct sg_corr_state *st,
          const struct sg_corr *k, const char *key, size_t kl, int64_t now)
{
    struct grp *g = vg_map_get(&st->groups, key, kl);
    if (g != NULL)
        return g;
    if (st->groups.count >= SG_CORR_MAX_GROUPS - 1)
        sweep(&st->groups, now, k->timespan_us);
    if (st->groups.count >= SG_CORR_MAX_GROUPS - 1) {
        sc->st.corr_dropped++;
        return NULL;
    }
    g = vg_calloc(1, sizeof(*g) + kl + 1);
    if (g == NULL)
        return NULL;
    memcpy(g->key, key, kl);
    g->start = now;
    for (size_t i = 0; i < SG_CORR_MAX_REFS; i++)
        g->ref_t[i] = INT64_MIN;
    if (vg_map_put(&st->groups, key, kl, g) != VG_OK) {
        grp_free(g);
        return NULL;
    }
    return g;
}

static int
push_sample(struct grp *g, int64_t t, uint64_t vh, size_t keep)
{
    if (g->t == NULL) {
        g->t = vg_calloc(keep, sizeof(int64_t));
        g->vh = vg_calloc(keep, sizeof(uint64_t));
        if (g->t == NULL || g->vh == NULL)
            return VG_ENOMEM;
    }
    if (g->n == keep) { /* full: forget the oldest */
        memmove(g->t, g->t + 1, (keep - 1) * sizeof(int64_t));
        memmove(g->vh, g->vh + 1, (keep - 1) * sizeof(uint64_t));
        g->n--;
    }
    g->t[g->n] = t;
    g->vh[g->n++] = vh;
    return VG_OK;
}

static void
expire(struct grp *g, int64_t now, int64_t span)
{
    size_t drop = 0;
    while (drop < g->n && now - g->t[drop] > span)
        drop++;
    if (drop == 0)
        return;
    memmove(g->t, g->t + drop, (g->n - drop) * sizeof(int64_t));
    memmove(g->vh, g->vh + drop, (g->n - drop) * sizeof(uint64_t));
    g->n -= drop;
}

static uint64_t
distinct(const struct grp *g)
{
    uint64_t d = 0;
    for (size_t i = 0; i < g->n; i++) {
        size_t j = 0;
        while (j < i && g->vh[j] != g->vh[i])
            j++;
        d += j == i;
    }
    return d;
}

static int fire(struct vg_sigma_scanner *sc, size_t ci, const struct grp *g,
                uint64_t count, vg_sigma_match_fn *fn, void *arg,
                unsigned depth);

/* event_count / value_count for one group. 1 = fire with *count. */
static int
count_step(const struct sg_corr *k, struct grp *g, int64_t now, uint64_t vh,
           uint64_t *count, int *closed)
{
    size_t keep = k->type == SG_CT_EVENT_COUNT && k->cmp_val < SG_CORR_MAX_KEEP
                      ? (size_t)k->cmp_val + 1
                      : SG_CORR_MAX_KEEP;
    *closed = 0;
    if (!sliding(k) && now - g->start > k->timespan_us) {
        *count = k->type == SG_CT_EVENT_COUNT ? g->count : distinct(g);
        *closed = 1; /* judge the old window; caller restarts the group */
        return cmp_ok(k, *count);
    }
    g->count++;
    if (push_sample(g, now, vh, keep) != VG_OK)
        return VG_ENOMEM;
    if (!sliding(k))
        return 0;
    expire(g, now, k->timespan_us);
    *count = k->type == SG_CT_EVENT_COUNT ? g->n : distinct(g);
    return cmp_ok(k, *count);
}

static void
restart(struct grp *g, int64_t now)
{
    g->n = 0;
    g->count = 0;
    g->start = now;
    g->next = 0;
    for (size_t i = 0; i < SG_CORR_MAX_REFS; i++)
        g->ref_t[i] = INT64_MIN;
}

/* temporal / temporal_ordered: which refs the matching rule is. */
static int
temporal_step(const struct sg_corr *k, struct grp *g, size_t ri, int64_t now)
{
    size_t n = k->n_refs < SG_CORR_MAX_REFS ? k->n_refs : SG_CORR_MAX_REFS;
    for (size_t j = 0; j < n; j++) {
        if (k->ref_rule[j] != ri)
            continue;
        if (k->type == SG_CT_TEMPORAL) {
            g->ref_t[j] = now;
        } else if (j == g->next && (j == 0 || now - g->start <= k->timespan_us)) {
            if (j == 0)
                g->start = now;
            g->next++;
        } else if (j == 0) {
            g->start = now;
            g->next = 1;
        }
    }
    if (k->type == SG_CT_TEMPORAL_ORDERED)
        return g->next == n;
    for (size_t j = 0; j < n; j++)
        if (g->ref_t[j] == INT64_MIN || now - g->ref_t[j] > k->timespan_us)
            return 0;
    return 1;
}

static int
feed_one(struct vg_sigma_scanner *sc, size_t ci, size_t ri,
         vg_sigma_match_fn *fn, void *arg, unsigned depth)
{
    const struct sg_corr *k = sc->s->r[ci].corr;
    char key[SG_CORR_KEY_MAX];
    int64_t now = sc->ev->time_us == VG_TIME_NONE ? 0 : sc->ev->time_us;
    size_t kl = make_key(sc, k, key);
    struct grp *g = get_group(sc, &sc->corr[ci], k, key, kl, now);
    if (g == NULL)
        return VG_OK;
    g->last_seen = now;
    uint64_t count = 0, vh = 0;
    int hit, closed = 0;
    if (k->type == SG_CT_VALUE_COUNT) {
        struct vg_str v = { NULL, 0 };
        if (!sg_field(sc, k->value_fid, &v))
            return VG_OK; /* no value to count */
        vh = vg_hash_bytes(v.p ? v.p : "", v.len);
    }
    if (k->type <= SG_CT_VALUE_COUNT) {
        hit = count_step(k, g, now, vh, &count, &closed);
    } else {
        hit = temporal_step(k, g, ri, now);
        count = k->n_refs;
    }
    if (hit < 0)
        return hit;
    int rc = hit ? fire(sc, ci, g, count, fn, arg, depth) : VG_OK;
    if (hit || closed)
        restart(g, now);
    if (closed && rc == VG_OK) /* this event opens the next window */
        (void)count_step(k, g, now, vh, &count, &closed);
    return rc;
}

static int
feed(struct vg_sigma_scanner *sc, size_t ri, vg_sigma_match_fn *fn, void *arg,
     unsigned depth)
{
    const struct vg_sigma *s = sc->s;
    if (sc->corr == NULL || depth > SG_CORR_MAX_CHAIN)
        return VG_OK;
    for (size_t ci = 0; ci < s->n_r; ci++) {
        const struct sg_corr *k = s->r[ci].corr;
        if (k == NULL)
            continue;
        for (size_t j = 0; j < k->n_refs; j++) {
            if (k->ref_rule[j] != ri)
                continue;
            int rc = feed_one(sc, ci, ri, fn, arg, depth);
            if (rc != VG_OK)
                return rc;
            break;
        }
    }
    return VG_OK;
}

static int
fire(struct vg_sigma_scanner *sc, size_t ci, const struct grp *g,
     uint64_t count, vg_sigma_match_fn *fn, void *arg, unsigned depth)
{
    const struct sg_corr *k = sc->s->r[ci].corr;
    struct vg_kv kv[SG_MAX_MATCHED];
    char vals[SG_CORR_KEY_MAX];
    size_t n = 0, off = 0;
    const char *p = g->key;
    memcpy(vals, g->key, strlen(g->key) + 1);
    for (size_t i = 0; i < k->n_group && n < SG_MAX_MATCHED; i++) {
        const char *sep = strchr(vals + off, '\x1f');
        kv[n].key = k->group_by[i];
        kv[n].value = vals + off;
        if (sep != NULL) {
            vals[sep - vals] = '\0';
            off = (size_t)(sep - vals) + 1;
        } else {
            off = strlen(vals);
        }
        n++;
    }
    (void)p;
    struct vg_sigma_match m = { ci, kv, n, count };
    sc->st.matches++;
    int rc = sc->s->r[ci].corr_only ? VG_OK : fn(arg, &m, sc->ev);
    if (rc == VG_OK && sc->s->r[ci].used)
        rc = feed(sc, ci, fn, arg, depth + 1);
    return rc;
}

int
sg_corr_feed(struct vg_sigma_scanner *sc, size_t ri, vg_sigma_match_fn *fn,
             void *arg)
{
    return feed(sc, ri, fn, arg, 0);
}

int
vg_sigma_scanner_flush(struct vg_sigma_scanner *sc, vg_sigma_match_fn *fn,
                       void *arg)
{
    int rc = VG_OK;
    if (sc->corr == NULL)
        return VG_OK;
    for (size_t ci = 0; ci < sc->s->n_r && rc == VG_OK; ci++) {
        const struct sg_corr *k = sc->s->r[ci].corr;
        if (k == NULL || k->type > SG_CT_VALUE_COUNT || sliding(k))
            continue;
        size_t it = 0, kl;
        const void *key;
        void *v;
        while (rc == VG_OK &&
               vg_map_next(&sc->corr[ci].groups, &it, &key, &kl, &v)) {
            struct grp *g = v;
            uint64_t count = k->type == SG_CT_EVENT_COUNT ? g->count
                                                          : distinct(g);
            if (g->count > 0 && cmp_ok(k, count))
                rc = fire(sc, ci, g, count, fn, arg, SG_CORR_MAX_CHAIN);
        }
    }
    for (size_t ci = 0; ci < sc->s->n_r; ci++)
        clear_groups(&sc->corr[ci].groups);
    return rc;
}
